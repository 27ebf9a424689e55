"""Corrections of acts recorded in error, in the domain (no database): given a case, when an act
is corrected or annulled, then the event names it with only what changes — or the refusal names
its rule and nothing is recorded."""

from __future__ import annotations

import copy
from uuid import UUID

import pytest

from domain.access import CaseStanding, CaseUse, Principal, Role, check_case_access
from domain.application import Maillage
from domain.coherence import CaseFacts
from domain.errors import AccessDeniedError, ActNotFoundError
from domain.event_classes import ActAnnulled, ActCorrected, CaseEvent, CaseOpened
from tests.world import NOW, World, ago, events_since, position


def intervention(app: Maillage, world: World, case_id: UUID, days: float = 2) -> UUID:
    recorded = app.record_intervention(
        case_id=case_id, by=world.actor("jeanne"), kind="home_visit", occurred_at=ago(days)
    )
    assert recorded.entity_id is not None
    return recorded.entity_id


def test_a_correction_names_the_act_and_carries_only_what_changes(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    act = intervention(app, world, case_id)
    before = position(app)

    app.correct_act(
        case_id=case_id,
        act_id=act,
        by=world.actor("jeanne"),
        reason="le type était faux",
        kind="consultation",
        act_occurred_at=ago(2),  # its current date: not a change
    )

    (event,) = events_since(app, before)
    assert isinstance(event, ActCorrected)
    assert (event.act_id, event.kind, event.act_occurred_at) == (act, "consultation", None)
    assert event.by == world.actor("jeanne")
    assert event.occurred_at == NOW
    recorded = app.repository.get(case_id).acts[str(act)]
    assert (recorded.kind, recorded.occurred_at, recorded.annulled) == (
        "consultation",
        ago(2),
        False,
    )


def test_an_annulment_names_the_kind_of_act_and_the_case_keeps_it_annulled(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    jeanne = world.actor("jeanne")
    meeting = app.hold_coordination_meeting(
        case_id=case_id, by=jeanne, attendees=[jeanne], decisions=["suivi"]
    ).entity_id
    assert meeting is not None
    before = position(app)

    app.annul_act(case_id=case_id, act_id=meeting, by=jeanne, reason="réunion d'un autre dossier")

    (event,) = events_since(app, before)
    assert isinstance(event, ActAnnulled)
    assert (event.act_id, event.act_type) == (meeting, "coordination_meeting")
    assert app.repository.get(case_id).acts[str(meeting)].annulled


def test_the_case_keeps_its_acts_across_a_snapshot(app: Maillage, world: World) -> None:
    """Cases are snapshotted every 100 events: an act recorded before one is still found."""
    case_id = world.open_case()
    first = intervention(app, world, case_id)
    for _ in range(100):
        intervention(app, world, case_id, days=1)
    app.repository.cache = None  # type: ignore[assignment]  # load from the store
    snapshots = list(app.snapshots.get(case_id)) if app.snapshots is not None else []
    assert snapshots, "the case was snapshotted"
    app.annul_act(case_id=case_id, act_id=first, by=world.actor("jeanne"), reason="erreur")
    assert app.repository.get(case_id).acts[str(first)].annulled


def test_an_unknown_act_is_refused_and_nothing_is_recorded(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    consent = app.give_consent(  # a consent is no act that corrections name
        case_id=case_id,
        by=world.actor("jeanne"),
        giver="beneficiary",
        recipients=[world.i("cmp")],
        categories=["health"],
    ).entity_id
    assert consent is not None
    before = position(app)
    with pytest.raises(ActNotFoundError) as refused:
        app.annul_act(case_id=case_id, act_id=consent, by=world.actor("jeanne"), reason="x")
    assert refused.value.details["act_id"] == str(consent)
    assert events_since(app, before) == []


def test_a_correction_is_no_act_of_its_own_in_the_coherence_facts(
    app: Maillage, world: World
) -> None:
    """Correcting is not acting for the person: the corrector's last action does not move."""
    case_id = world.open_case()
    act = intervention(app, world, case_id)
    app.correct_act(
        case_id=case_id, act_id=act, by=world.actor("jeanne"), reason="r", act_occurred_at=ago(3)
    )
    events = [e for e in events_since(app, 0) if isinstance(e, CaseEvent)]
    opened = next(e for e in events if isinstance(e, CaseOpened))
    facts = CaseFacts.opened_by(opened)
    for e in events:
        facts.apply(e)
    (actor,) = facts.actors
    assert actor.last_action_at == ago(3)  # the intervention, at its corrected date
    assert len(facts.acts) == 1


@pytest.mark.parametrize("role", [Role.FUNDER, Role.ADMIN])
def test_funders_and_administrators_correct_nothing(role: Role) -> None:
    principal = Principal(UUID(int=1), role, UUID(int=2))
    with pytest.raises(AccessDeniedError):
        check_case_access(principal, CaseUse.CORRECT, CaseStanding(employed=True, participant=True))


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.SUPERVISOR])
def test_correcting_needs_an_institution_involved_in_the_case(role: Role) -> None:
    principal = Principal(UUID(int=1), role, UUID(int=2))
    check_case_access(  # an author who left the case: their institution was involved
        principal, CaseUse.CORRECT, CaseStanding(employed=True, institution_was_involved=True)
    )
    with pytest.raises(AccessDeniedError):
        check_case_access(principal, CaseUse.CORRECT, CaseStanding(employed=True))


def test_a_case_copied_from_the_cache_shares_its_acts_and_stays_apart(
    app: Maillage, world: World
) -> None:
    """The repository copies a case out of its cache for every command: the acts are shared
    (immutable, so copying costs nothing per act), the mapping is not."""
    case_id = world.open_case()
    act = intervention(app, world, case_id)
    case = app.repository.get(case_id)
    copied = copy.deepcopy(case)
    assert copied.acts[str(act)] is case.acts[str(act)]
    copied.annul_act(
        act_id=act,
        by=world.actor("jeanne"),
        basis=app.repository.get(case_id).participants[0].basis,
        supervisor=False,
        reason="erreur",
        occurred_at=NOW,
        window=app.time.correction_window,
    )
    assert copied.acts[str(act)].annulled
    assert not case.acts[str(act)].annulled
