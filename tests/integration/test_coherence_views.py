"""The coherence view on a real store: from the projection, and as of a past instant from the log.

Recording times (`timestamp`) are the machine's clock, while the application's clock (deciding
`occurred_at`) is frozen at NOW: "as recorded by" instants are read from the wall clock between
commands, "as it happened at" instants are relative to NOW.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy import Engine

from api.cli.demo import load_demo
from domain.application import Maillage
from domain.coherence import Coherence
from domain.values import AlertKind
from projections.coherence import AsOf, coherence, coherence_as_of
from projections.runner import ProjectionRunner
from tests.world import NOW, World, ago


def current(engine: Engine, case_id: UUID, at: datetime) -> Coherence:
    with engine.connect() as conn:
        view = coherence(conn, case_id, at=at)
    assert view is not None
    return view


def kinds(view: Coherence) -> list[AlertKind]:
    return sorted(a.kind for a in view.alerts)


def test_the_projection_and_the_log_tell_the_same_story(
    store_app: Maillage, engine: Engine
) -> None:
    story = load_demo(store_app, now=NOW)
    ProjectionRunner(store_app, engine, batch_size=13).catch_up()
    now = datetime.now(tz=UTC)
    for case_id in story.cases.values():
        projected = current(engine, case_id, now)
        assert coherence_as_of(store_app, case_id, at=now, question=AsOf.RECORDED) == projected
        assert coherence_as_of(store_app, case_id, at=now, question=AsOf.OCCURRED) == projected


def test_the_demo_shows_its_deliberate_incoherences(store_app: Maillage, engine: Engine) -> None:
    story = load_demo(store_app, now=NOW)
    ProjectionRunner(store_app, engine).catch_up()
    leo, ines = (current(engine, story.cases[n], NOW) for n in ("leo", "ines"))
    assert AlertKind.DELEGATION_LAPSED_IN_USE in kinds(leo)
    assert AlertKind.EXCHANGE_WITHOUT_CONVENTION in kinds(leo)
    assert leo.coordinator is not None
    assert kinds(ines) == [AlertKind.NO_COORDINATOR]
    lapsed = next(a for a in leo.alerts if a.kind == AlertKind.DELEGATION_LAPSED_IN_USE)
    assert lapsed.related[0].type == "Delegation.DelegationRevoked"
    assert lapsed.related[0].aggregate_id in story.delegations.values()


def test_a_time_dependent_alert_appears_with_no_new_event(
    store_world: World, store_app: Maillage, engine: Engine
) -> None:
    case_id = store_world.open_case()
    store_app.join_case(case_id=case_id, by=store_world.actor("sophie"), role="psychiatrist")
    store_app.designate_coordinator(
        case_id=case_id, by=store_world.actor("jeanne"), coordinator=store_world.actor("jeanne")
    )
    ProjectionRunner(store_app, engine).catch_up()
    assert kinds(current(engine, case_id, NOW)) == []
    later = current(engine, case_id, NOW + timedelta(days=91))
    assert kinds(later) == [AlertKind.IDLE_ACTOR, AlertKind.IDLE_ACTOR]


def test_a_late_entry_separates_the_two_questions(
    store_world: World, store_app: Maillage, engine: Engine
) -> None:
    """A consent withdrawn 5 days ago is entered only after a share (2 days ago) relied on it.

    As recorded before the late entry, the share was covered; as it happened (known now), it was
    not: the alert is there, and it names the share."""
    world = store_world
    case_id = world.open_case()
    store_app.join_case(
        case_id=case_id, by=world.actor("sophie"), role="psychiatrist", occurred_at=ago(12)
    )
    consent = store_app.give_consent(
        case_id=case_id,
        by=world.actor("jeanne"),
        giver="legal_representative",
        representative_name="Mme Martin",
        recipients=[world.i("cmp")],
        categories=["health"],
        occurred_at=ago(10),
    )
    shared = store_app.share_information(
        case_id=case_id,
        by=world.actor("jeanne"),
        recipient_institution_id=world.i("cmp"),
        categories=["health"],
        occurred_at=ago(2),
    )
    before_late_entry = datetime.now(tz=UTC)
    store_app.withdraw_consent(
        case_id=case_id,
        consent_id=consent.entity_id,
        by=world.actor("jeanne"),
        occurred_at=ago(5),
    )

    recorded = coherence_as_of(store_app, case_id, at=before_late_entry, question=AsOf.RECORDED)
    happened = coherence_as_of(store_app, case_id, at=ago(1), question=AsOf.OCCURRED)
    assert recorded is not None
    assert happened is not None
    assert AlertKind.SHARED_BEYOND_CONSENT not in kinds(recorded)
    assert [c.consent_id for c in recorded.consents_in_force] == [consent.entity_id]
    beyond = [a for a in happened.alerts if a.kind == AlertKind.SHARED_BEYOND_CONSENT]
    assert [a.events[0].version for a in beyond] == [shared.version]
    assert happened.consents_in_force == ()

    # As it happened 3 days ago: the consent was already withdrawn, the share not yet made.
    earlier = coherence_as_of(store_app, case_id, at=ago(3), question=AsOf.OCCURRED)
    assert earlier is not None
    assert earlier.consents_in_force == ()
    assert AlertKind.SHARED_BEYOND_CONSENT not in kinds(earlier)

    # And the projection, now, agrees with "as it happened" known now.
    ProjectionRunner(store_app, engine).catch_up()
    assert kinds(current(engine, case_id, ago(1))) == kinds(happened)


def test_a_case_before_its_opening_has_no_view(store_world: World, store_app: Maillage) -> None:
    case_id = store_world.open_case(occurred_at=ago(3))
    assert coherence_as_of(store_app, case_id, at=ago(4), question=AsOf.OCCURRED) is None
    assert coherence_as_of(store_app, case_id, at=ago(2), question=AsOf.OCCURRED) is not None
