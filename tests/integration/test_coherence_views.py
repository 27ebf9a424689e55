"""The coherence view on a real store: from the projection, and as of a past instant from the log.

Recording times (`timestamp`) are the machine's clock, while the application's clock (deciding
`occurred_at`) is frozen at NOW: "as recorded by" instants are read from the wall clock between
commands, "as it happened at" instants are relative to NOW.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

from alembic import command
from sqlalchemy import Engine, text

from api.cli.demo import load_demo
from api.settings import Settings
from api.store.migrations import alembic_config, upgrade
from domain.application import Maillage
from domain.coherence import Coherence
from domain.values import AlertKind
from projections.coherence import AsOf, coherence, coherence_as_of
from projections.runner import ProjectionRunner
from tests.coherence_scenes import consented_case, share_while_suspended
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


def test_past_incoherences_and_their_acknowledgements_read_the_same_from_both_sides(
    store_world: World, store_app: Maillage, engine: Engine
) -> None:
    """A share under a suspended convention (then resumed), acknowledged with a note, and a
    delegate's act outside their delegation: the projection and the log agree, the note stays
    sealed in the store and opens for a reader."""
    world, app = store_world, store_app
    case_id = consented_case(app, world)
    shared, _ = share_while_suspended(app, world, case_id, kinds=("case_participation",))
    app.grant_delegation(
        institution_id=world.i("cmp"),
        professional_id=world.p("sophie"),
        case_id=case_id,
        scope=["case_participation"],
        valid_from=ago(30).date(),
        valid_until=ago(-30).date(),
    )
    app.join_case(case_id=case_id, by=world.actor("sophie"), role="psy", occurred_at=ago(2))
    app.record_intervention(
        case_id=case_id, by=world.actor("sophie"), kind="consultation", occurred_at=ago(1)
    )
    acked = app.acknowledge_alert(
        case_id=case_id,
        by=world.actor("jeanne"),
        alert_kind="exchange_without_convention",
        versions=[shared.version],
        note="Mme Schmitt prévenue du partage",
        occurred_at=ago(0, 1),
    )
    ProjectionRunner(store_app, engine).catch_up()
    now = datetime.now(tz=UTC)

    projected = current(engine, case_id, now)
    assert coherence_as_of(store_app, case_id, at=now, question=AsOf.RECORDED) == projected
    assert kinds(projected) == [AlertKind.ACT_OUTSIDE_DELEGATION, AlertKind.NO_COORDINATOR]
    (past,) = projected.alert_history
    assert (past.kind, past.resolved_at, past.events[0].version) == (
        AlertKind.EXCHANGE_WITHOUT_CONVENTION,
        ago(1),
        shared.version,
    )
    with engine.connect() as conn:
        stored = conn.execute(
            text("SELECT facts FROM case_coherence_view WHERE case_id = :c"), {"c": str(case_id)}
        ).scalar()
    assert "prévenue" not in str(stored)  # the read side keeps no note
    assert store_app.acknowledgement_notes(case_id, [acked.version]) == {
        acked.version: "Mme Schmitt prévenue du partage"
    }
    before = coherence_as_of(store_app, case_id, at=ago(0, 2), question=AsOf.OCCURRED)
    assert before is not None
    assert AlertKind.EXCHANGE_WITHOUT_CONVENTION in kinds(before)


def test_migration_0011_replays_the_coherence_projection(
    store_world: World, store_app: Maillage, engine: Engine, store_settings: Settings
) -> None:
    """Facts written in an older shape are not read as the new one: the migration empties the
    projection and drops its position, and the runner rebuilds it from the log."""
    case_id = store_world.open_case()
    runner = ProjectionRunner(store_app, engine)
    runner.catch_up()
    projected = current(engine, case_id, NOW)

    with engine.connect() as conn:
        config = alembic_config(store_settings)
        config.attributes["connection"] = conn
        command.downgrade(config, "0010")
        conn.commit()
    upgrade(store_settings)

    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM case_coherence_view")).scalar() == 0
        tracked = "SELECT count(*) FROM projection_tracking WHERE name = 'coherence'"
        assert conn.execute(text(tracked)).scalar() == 0
    runner.catch_up()
    assert current(engine, case_id, NOW) == projected
