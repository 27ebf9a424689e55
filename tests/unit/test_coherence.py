"""The coherence view of a case: every alert is raised by a scenario and cleared by fixing its
cause (or, for alerts about past acts, by the holding institution acknowledging them).

Each test: given (use-case calls building state) → when (one command, or a later instant) →
then (the alerts of one kind, and the events they name by version), read with
`coherence_as_of(..., question=AsOf.OCCURRED)` from the in-memory application's log.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from uuid import UUID

import pytest

from domain.application import Maillage
from domain.coherence import (
    DEFAULT_IDLE_AFTER,
    NO_CONVENTION,
    ActorLine,
    Alert,
    Coherence,
    EventRef,
)
from domain.errors import InvalidValueError, WrongInstitutionError
from domain.grounds import GroundClaim
from domain.usecases.base import Recorded
from domain.values import AlertKind
from projections.coherence import AsOf, coherence_as_of
from tests.coherence_scenes import SECRECY
from tests.world import NOW, TODAY, World, ago, position

IDLE_AFTER = timedelta(days=10)
CATEGORIES = ("family_situation", "health")

# --- helpers --------------------------------------------------------------------------------


def view(
    app: Maillage, case_id: UUID, *, at: datetime = NOW, idle_after: timedelta = DEFAULT_IDLE_AFTER
) -> Coherence:
    coherence = coherence_as_of(app, case_id, at=at, question=AsOf.OCCURRED, idle_after=idle_after)
    assert coherence is not None
    return coherence


def alerts(
    app: Maillage,
    case_id: UUID,
    kind: AlertKind,
    *,
    at: datetime = NOW,
    idle_after: timedelta = DEFAULT_IDLE_AFTER,
) -> list[Alert]:
    return [a for a in view(app, case_id, at=at, idle_after=idle_after).alerts if a.kind == kind]


def the_alert(
    app: Maillage,
    case_id: UUID,
    kind: AlertKind,
    *,
    at: datetime = NOW,
    idle_after: timedelta = DEFAULT_IDLE_AFTER,
) -> Alert:
    (alert,) = alerts(app, case_id, kind, at=at, idle_after=idle_after)
    return alert


def case_ref(case_id: UUID, recorded: Recorded, name: str) -> EventRef:
    return EventRef(case_id, recorded.version, f"Case.{name}")


def join(
    app: Maillage,
    world: World,
    case_id: UUID,
    who: str,
    *,
    days: float = 5,
    delegation_id: UUID | None = None,
) -> Recorded:
    return app.join_case(
        case_id=case_id,
        by=world.actor(who),
        role="partner",
        delegation_id=delegation_id,
        occurred_at=ago(days),
    )


def act(
    app: Maillage,
    world: World,
    case_id: UUID,
    who: str,
    *,
    days: float = 1,
    kind: str = "consultation",
    delegation_id: UUID | None = None,
) -> Recorded:
    return app.record_intervention(
        case_id=case_id,
        by=world.actor(who),
        kind=kind,
        delegation_id=delegation_id,
        occurred_at=ago(days),
    )


def delegate_sophie(
    app: Maillage, world: World, case_id: UUID, *, valid_until: date = date(2027, 1, 1)
) -> UUID:
    """The CMP delegates Sophie, its psychiatrist, for this case."""
    return app.grant_delegation(
        institution_id=world.i("cmp"),
        professional_id=world.p("sophie"),
        case_id=case_id,
        scope=["case_participation", "consultation"],
        valid_from=date(2026, 1, 1),
        valid_until=valid_until,
    ).id


def revoke(app: Maillage, delegation_id: UUID, *, occurred_at: datetime) -> EventRef:
    revoked = app.revoke_delegation(
        delegation_id=delegation_id, reason="left the team", occurred_at=occurred_at
    )
    return EventRef(delegation_id, revoked.version, "Delegation.DelegationRevoked")


def consent(app: Maillage, world: World, case_id: UUID, *, occurred_at: datetime) -> Recorded:
    return app.give_consent(
        case_id=case_id,
        by=world.actor("jeanne"),
        giver="beneficiary",
        recipients=[world.i("cmp")],
        categories=list(CATEGORIES),
        occurred_at=occurred_at,
    )


def share_with_cmp(
    app: Maillage,
    world: World,
    case_id: UUID,
    *,
    days: float = 2,
    ground: GroundClaim | None = None,
) -> Recorded:
    return app.share_information(
        case_id=case_id,
        by=world.actor("jeanne"),
        recipient_institution_id=world.i("cmp"),
        categories=list(CATEGORIES),
        legal_ground=ground,
        summary="situation at home",
        occurred_at=ago(days),
    )


def acknowledge(
    app: Maillage,
    world: World,
    case_id: UUID,
    kind: AlertKind | str,
    versions: Sequence[int],
    *,
    by: str = "jeanne",
) -> Recorded:
    return app.acknowledge_alert(
        case_id=case_id,
        by=world.actor(by),
        alert_kind=str(kind),
        versions=list(versions),
        note="discussed with the team; procedure reminded",
    )


def actor_line(coherence: Coherence, professional_id: UUID) -> ActorLine:
    (line,) = [a for a in coherence.actors if a.professional_id == professional_id]
    return line


# --- no coordinator -------------------------------------------------------------------------


def test_two_institutions_without_a_coordinator_raise_an_alert_naming_the_join(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()

    joined = join(app, world, case_id, "karim")

    alert = the_alert(app, case_id, AlertKind.NO_COORDINATOR)
    assert alert.events == (case_ref(case_id, joined, "ParticipantJoined"),)
    assert not alert.acknowledgeable


def test_designating_a_coordinator_clears_no_coordinator(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    join(app, world, case_id, "karim")

    app.designate_coordinator(
        case_id=case_id, by=world.actor("jeanne"), coordinator=world.actor("karim")
    )

    assert alerts(app, case_id, AlertKind.NO_COORDINATOR) == []
    assert view(app, case_id).coordinator == world.actor("karim")


def test_the_coordinator_leaving_raises_no_coordinator_again_naming_the_departure(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    karim_joined = join(app, world, case_id, "karim", days=6)
    join(app, world, case_id, "sophie", days=5)
    app.designate_coordinator(
        case_id=case_id,
        by=world.actor("jeanne"),
        coordinator=world.actor("sophie"),
        occurred_at=ago(4),
    )
    assert alerts(app, case_id, AlertKind.NO_COORDINATOR) == []

    left = app.leave_case(case_id=case_id, by=world.actor("sophie"), occurred_at=ago(1))

    alert = the_alert(app, case_id, AlertKind.NO_COORDINATOR)
    assert alert.events == (
        case_ref(case_id, left, "ParticipantLeft"),
        case_ref(case_id, karim_joined, "ParticipantJoined"),
    )
    assert view(app, case_id).coordinator is None


def test_a_single_institution_case_needs_no_coordinator(app: Maillage, world: World) -> None:
    case_id = world.open_case()

    act(app, world, case_id, "jeanne")

    assert alerts(app, case_id, AlertKind.NO_COORDINATOR) == []


def test_a_closed_case_has_no_coordinator_alert(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    join(app, world, case_id, "karim")
    assert len(alerts(app, case_id, AlertKind.NO_COORDINATOR)) == 1

    app.close_case(case_id=case_id, by=world.actor("jeanne"), reason="measure ended")

    assert view(app, case_id).closed
    assert alerts(app, case_id, AlertKind.NO_COORDINATOR) == []


# --- idle actor -----------------------------------------------------------------------------


def idle_case(app: Maillage, world: World) -> tuple[UUID, Recorded]:
    """Jeanne opened the case 25 days ago and acted yesterday; Karim joined 20 days ago."""
    case_id = world.open_case(occurred_at=ago(25))
    act(app, world, case_id, "jeanne", days=1)
    karim_joined = join(app, world, case_id, "karim", days=20)
    return case_id, karim_joined


def test_an_actor_idle_for_longer_than_the_limit_raises_an_alert_naming_their_last_act(
    app: Maillage, world: World
) -> None:
    case_id, karim_joined = idle_case(app, world)

    alert = the_alert(app, case_id, AlertKind.IDLE_ACTOR, idle_after=IDLE_AFTER)

    assert alert.events == (case_ref(case_id, karim_joined, "ParticipantJoined"),)
    assert alert.professional_id == world.p("karim")
    assert alert.institution_id == world.i("ase")
    assert alerts(app, case_id, AlertKind.IDLE_ACTOR) == []  # not idle by the default limit


def test_acting_again_clears_idle_actor(app: Maillage, world: World) -> None:
    case_id, _ = idle_case(app, world)

    acted = act(app, world, case_id, "karim", kind="meeting", days=2)

    assert alerts(app, case_id, AlertKind.IDLE_ACTOR, idle_after=IDLE_AFTER) == []
    line = actor_line(view(app, case_id), world.p("karim"))
    assert line.last_action == case_ref(case_id, acted, "InterventionRecorded")


def test_an_actor_idle_since_exactly_the_limit_is_not_yet_idle(app: Maillage, world: World) -> None:
    case_id, _ = idle_case(app, world)

    limit = timedelta(days=20)  # Karim joined exactly 20 days ago

    assert alerts(app, case_id, AlertKind.IDLE_ACTOR, idle_after=limit) == []
    a_second_later = NOW + timedelta(seconds=1)
    assert len(alerts(app, case_id, AlertKind.IDLE_ACTOR, at=a_second_later, idle_after=limit)) == 1


def test_leaving_clears_idle_actor(app: Maillage, world: World) -> None:
    case_id, _ = idle_case(app, world)

    app.leave_case(case_id=case_id, by=world.actor("karim"))

    assert alerts(app, case_id, AlertKind.IDLE_ACTOR, idle_after=IDLE_AFTER) == []


def test_idleness_shows_at_a_later_instant_without_any_new_event(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    acted = act(app, world, case_id, "jeanne", days=1)
    assert alerts(app, case_id, AlertKind.IDLE_ACTOR, idle_after=IDLE_AFTER) == []

    later = NOW + timedelta(days=15)

    alert = the_alert(app, case_id, AlertKind.IDLE_ACTOR, at=later, idle_after=IDLE_AFTER)
    assert alert.events == (case_ref(case_id, acted, "InterventionRecorded"),)


# --- delegation lapsed in use ---------------------------------------------------------------


def test_a_revoked_delegation_still_in_use_raises_an_alert_naming_the_last_act(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    delegation_id = delegate_sophie(app, world, case_id)
    joined = join(app, world, case_id, "sophie", delegation_id=delegation_id, days=3)
    assert alerts(app, case_id, AlertKind.DELEGATION_LAPSED_IN_USE) == []

    revocation = revoke(app, delegation_id, occurred_at=ago(1))

    alert = the_alert(app, case_id, AlertKind.DELEGATION_LAPSED_IN_USE)
    assert alert.events == (case_ref(case_id, joined, "ParticipantJoined"),)
    assert alert.related == (revocation,)
    assert alert.professional_id == world.p("sophie")
    assert alert.institution_id == world.i("cmp")
    line = actor_line(view(app, case_id), world.p("sophie"))
    assert line.basis_valid is False
    assert line.basis_detail["status"] == "revoked"
    # the join happened while the delegation held: no act without a valid basis
    assert alerts(app, case_id, AlertKind.ACTION_WITHOUT_VALID_BASIS) == []


def test_leaving_the_case_clears_a_lapsed_delegation_in_use(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    delegation_id = delegate_sophie(app, world, case_id)
    join(app, world, case_id, "sophie", delegation_id=delegation_id, days=3)
    revoke(app, delegation_id, occurred_at=ago(1))

    app.leave_case(case_id=case_id, by=world.actor("sophie"))

    coherence = view(app, case_id)
    assert [a for a in coherence.alerts if a.kind == AlertKind.DELEGATION_LAPSED_IN_USE] == []
    assert world.p("sophie") not in [a.professional_id for a in coherence.actors]


def revoked_then_acted_informally(app: Maillage, world: World) -> tuple[UUID, UUID, Recorded]:
    """Sophie joins under her delegation 6 days ago; it is revoked 3 days ago; yesterday she
    acts again, now on no formal basis."""
    case_id = world.open_case()
    delegation_id = delegate_sophie(app, world, case_id)
    join(app, world, case_id, "sophie", delegation_id=delegation_id, days=6)
    revoke(app, delegation_id, occurred_at=ago(3))
    acted = act(app, world, case_id, "sophie", days=1)
    return case_id, delegation_id, acted


def test_acting_again_on_another_basis_clears_a_lapsed_delegation_in_use(
    app: Maillage, world: World
) -> None:
    case_id, _, acted = revoked_then_acted_informally(app, world)

    coherence = view(app, case_id)

    assert [a for a in coherence.alerts if a.kind == AlertKind.DELEGATION_LAPSED_IN_USE] == []
    line = actor_line(coherence, world.p("sophie"))
    assert line.basis.kind == "informal"
    assert line.last_action == case_ref(case_id, acted, "InterventionRecorded")


def test_an_older_act_entered_late_does_not_bring_a_lapsed_delegation_back_into_use(
    app: Maillage, world: World
) -> None:
    case_id, delegation_id, acted = revoked_then_acted_informally(app, world)

    # entered now, for a day when the delegation still held: lawful, and not her latest act
    act(app, world, case_id, "sophie", delegation_id=delegation_id, days=4)

    coherence = view(app, case_id)
    assert [a for a in coherence.alerts if a.kind == AlertKind.DELEGATION_LAPSED_IN_USE] == []
    line = actor_line(coherence, world.p("sophie"))
    assert line.last_action == case_ref(case_id, acted, "InterventionRecorded")
    assert line.basis.kind == "informal"  # the basis of her latest act, as `last_action`


def test_a_delegation_expired_at_a_later_instant_raises_an_alert_naming_its_grant(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    delegation_id = delegate_sophie(app, world, case_id, valid_until=TODAY + timedelta(days=3))
    joined = join(app, world, case_id, "sophie", delegation_id=delegation_id, days=1)
    later = NOW + timedelta(days=5)
    assert alerts(app, case_id, AlertKind.DELEGATION_LAPSED_IN_USE) == []

    alert = the_alert(app, case_id, AlertKind.DELEGATION_LAPSED_IN_USE, at=later)

    assert alert.events == (case_ref(case_id, joined, "ParticipantJoined"),)
    assert alert.related == (EventRef(delegation_id, 1, "Delegation.DelegationGranted"),)
    line = actor_line(view(app, case_id, at=later), world.p("sophie"))
    assert line.basis_valid is False
    assert line.basis_detail["status"] == "expired"


def test_extending_an_expiring_delegation_clears_the_alert(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    delegation_id = delegate_sophie(app, world, case_id, valid_until=TODAY + timedelta(days=3))
    join(app, world, case_id, "sophie", delegation_id=delegation_id, days=1)
    later = NOW + timedelta(days=5)

    app.extend_delegation(delegation_id=delegation_id, valid_until=TODAY + timedelta(days=30))

    assert alerts(app, case_id, AlertKind.DELEGATION_LAPSED_IN_USE, at=later) == []
    line = actor_line(view(app, case_id, at=later), world.p("sophie"))
    assert line.basis_valid is True
    assert line.basis_detail["status"] == "valid"
    assert line.basis_detail["valid_until"] == TODAY + timedelta(days=30)


# --- exchange without convention ------------------------------------------------------------


def shared_under_consent(app: Maillage, world: World) -> tuple[UUID, Recorded]:
    """AEMO shares with the CMP two days ago, under the beneficiary's consent."""
    case_id = world.open_case()
    consent(app, world, case_id, occurred_at=ago(8))
    return case_id, share_with_cmp(app, world, case_id)


def test_an_exchange_with_no_convention_in_force_raises_an_alert_naming_the_share(
    app: Maillage, world: World
) -> None:
    case_id, shared = shared_under_consent(app, world)

    alert = the_alert(app, case_id, AlertKind.EXCHANGE_WITHOUT_CONVENTION)

    assert alert.events == (case_ref(case_id, shared, "InformationShared"),)
    assert alert.acknowledgeable
    assert {alert.institution_id, alert.counterpart_institution_id} == {
        world.i("aemo"),
        world.i("cmp"),
    }
    assert alert.reason == NO_CONVENTION
    assert alert.count == 1
    assert alert.raised_at == ago(2)
    assert alert.raised_by == case_ref(case_id, shared, "InformationShared")


def test_a_convention_signed_by_both_before_the_share_entered_late_clears_the_exchange(
    app: Maillage, world: World
) -> None:
    """Signatures entered now, dated before the share: as known now, a convention was in force
    when the exchange occurred — it was never irregular."""
    case_id, _ = shared_under_consent(app, world)
    convention_id = world.convention("aemo", "cmp", sign=False)
    app.sign_partnership(
        partnership_id=convention_id, institution_id=world.i("aemo"), signed_on=date(2025, 1, 1)
    )
    assert len(alerts(app, case_id, AlertKind.EXCHANGE_WITHOUT_CONVENTION)) == 1  # half-signed

    app.sign_partnership(
        partnership_id=convention_id, institution_id=world.i("cmp"), signed_on=date(2025, 1, 1)
    )

    assert alerts(app, case_id, AlertKind.EXCHANGE_WITHOUT_CONVENTION) == []


def test_a_convention_with_another_institution_does_not_clear_exchange_without_convention(
    app: Maillage, world: World
) -> None:
    case_id, _ = shared_under_consent(app, world)

    world.convention("aemo", "ase")

    assert len(alerts(app, case_id, AlertKind.EXCHANGE_WITHOUT_CONVENTION)) == 1


def test_acknowledging_clears_exchange_without_convention(app: Maillage, world: World) -> None:
    case_id, shared = shared_under_consent(app, world)

    acknowledge(app, world, case_id, AlertKind.EXCHANGE_WITHOUT_CONVENTION, [shared.version])

    assert alerts(app, case_id, AlertKind.EXCHANGE_WITHOUT_CONVENTION) == []


# --- shared beyond consent ------------------------------------------------------------------


def consent_withdrawn_late(app: Maillage, world: World) -> tuple[UUID, list[EventRef]]:
    """A consent given 10 days ago; a share 2 days ago relying on it; then the withdrawal,
    entered late, dated 5 days ago. Returns the case and [share, consent given, withdrawn]."""
    case_id = world.open_case(occurred_at=ago(12))
    given = consent(app, world, case_id, occurred_at=ago(10))
    shared = share_with_cmp(app, world, case_id, days=2)
    assert alerts(app, case_id, AlertKind.SHARED_BEYOND_CONSENT) == []
    assert given.entity_id is not None
    withdrawn = app.withdraw_consent(
        case_id=case_id,
        consent_id=given.entity_id,
        by=world.actor("jeanne"),
        occurred_at=ago(5),
    )
    return case_id, [
        case_ref(case_id, shared, "InformationShared"),
        case_ref(case_id, given, "ConsentGiven"),
        case_ref(case_id, withdrawn, "ConsentWithdrawn"),
    ]


def test_a_consent_withdrawn_before_a_share_relying_on_it_raises_shared_beyond_consent(
    app: Maillage, world: World
) -> None:
    case_id, refs = consent_withdrawn_late(app, world)

    alert = the_alert(app, case_id, AlertKind.SHARED_BEYOND_CONSENT)

    assert alert.events == tuple(refs)
    assert alert.acknowledgeable
    assert alert.institution_id == world.i("aemo")


def test_a_new_consent_covering_recipient_and_categories_resolves_shared_beyond_consent(
    app: Maillage, world: World
) -> None:
    case_id, refs = consent_withdrawn_late(app, world)
    assert the_alert(app, case_id, AlertKind.SHARED_BEYOND_CONSENT).resolved_at is None

    regularised = consent(app, world, case_id, occurred_at=NOW)

    # a past incoherence: resolved now, it stays open until acknowledged
    alert = the_alert(app, case_id, AlertKind.SHARED_BEYOND_CONSENT)
    assert alert.events[0] == refs[0]
    assert alert.resolved_at == NOW
    assert alert.resolved_by == case_ref(case_id, regularised, "ConsentGiven")


def test_acknowledging_clears_shared_beyond_consent(app: Maillage, world: World) -> None:
    case_id, refs = consent_withdrawn_late(app, world)
    share_ref = refs[0]

    acknowledge(app, world, case_id, AlertKind.SHARED_BEYOND_CONSENT, [share_ref.version])

    assert alerts(app, case_id, AlertKind.SHARED_BEYOND_CONSENT) == []


def test_a_share_under_a_legal_ground_never_raises_shared_beyond_consent(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case(birth_year=2015, occurred_at=ago(12))
    given = consent(app, world, case_id, occurred_at=ago(10))
    share_with_cmp(app, world, case_id, days=2, ground=SECRECY)
    assert given.entity_id is not None

    app.withdraw_consent(
        case_id=case_id, consent_id=given.entity_id, by=world.actor("jeanne"), occurred_at=ago(5)
    )

    assert alerts(app, case_id, AlertKind.SHARED_BEYOND_CONSENT) == []


# --- action without valid basis -------------------------------------------------------------


def act_after_late_revocation(app: Maillage, world: World) -> tuple[UUID, Recorded, EventRef]:
    """Sophie joins 5 days ago and consults 2 days ago under her delegation; a revocation,
    entered afterwards, dates it 3 days ago: the consultation rested on nothing."""
    case_id = world.open_case()
    delegation_id = delegate_sophie(app, world, case_id)
    join(app, world, case_id, "sophie", delegation_id=delegation_id, days=5)
    consulted = act(app, world, case_id, "sophie", delegation_id=delegation_id, days=2)
    revocation = revoke(app, delegation_id, occurred_at=ago(3))
    return case_id, consulted, revocation


def test_an_act_under_a_delegation_revoked_before_it_raises_action_without_valid_basis(
    app: Maillage, world: World
) -> None:
    case_id, consulted, revocation = act_after_late_revocation(app, world)

    alert = the_alert(app, case_id, AlertKind.ACTION_WITHOUT_VALID_BASIS)

    assert alert.events == (case_ref(case_id, consulted, "InterventionRecorded"),)
    assert alert.related == (revocation,)
    assert alert.acknowledgeable


def test_acknowledging_clears_action_without_valid_basis(app: Maillage, world: World) -> None:
    case_id, consulted, _ = act_after_late_revocation(app, world)

    acknowledge(app, world, case_id, AlertKind.ACTION_WITHOUT_VALID_BASIS, [consulted.version])

    assert alerts(app, case_id, AlertKind.ACTION_WITHOUT_VALID_BASIS) == []


def test_a_new_act_on_another_basis_does_not_raise_an_acknowledged_alert_again(
    app: Maillage, world: World
) -> None:
    case_id, consulted, _ = act_after_late_revocation(app, world)
    acknowledge(app, world, case_id, AlertKind.ACTION_WITHOUT_VALID_BASIS, [consulted.version])

    act(app, world, case_id, "sophie", days=0)  # no delegation now: informal

    assert alerts(app, case_id, AlertKind.ACTION_WITHOUT_VALID_BASIS) == []
    assert alerts(app, case_id, AlertKind.DELEGATION_LAPSED_IN_USE) == []


def test_acknowledging_another_kind_does_not_clear_action_without_valid_basis(
    app: Maillage, world: World
) -> None:
    case_id, consulted, _ = act_after_late_revocation(app, world)

    acknowledge(app, world, case_id, AlertKind.SHARED_BEYOND_CONSENT, [consulted.version])

    assert len(alerts(app, case_id, AlertKind.ACTION_WITHOUT_VALID_BASIS)) == 1


# --- acknowledgement rules ------------------------------------------------------------------


def test_only_an_institution_on_the_case_acknowledges(app: Maillage, world: World) -> None:
    case_id, shared = shared_under_consent(app, world)
    before = position(app)

    with pytest.raises(WrongInstitutionError) as refused:
        acknowledge(
            app, world, case_id, AlertKind.EXCHANGE_WITHOUT_CONVENTION, [shared.version], by="paul"
        )

    assert refused.value.field == "institution_id"
    assert position(app) == before
    assert len(alerts(app, case_id, AlertKind.EXCHANGE_WITHOUT_CONVENTION)) == 1


def test_an_institution_on_the_case_other_than_the_holder_acknowledges(
    app: Maillage, world: World
) -> None:
    """The ASE, not the holder, is on the case: one of its professionals may acknowledge (that
    they are a supervisor is `domain.access`'s rule, decided before the case is asked)."""
    case_id, shared = shared_under_consent(app, world)
    join(app, world, case_id, "karim", days=1)

    acknowledge(
        app, world, case_id, AlertKind.EXCHANGE_WITHOUT_CONVENTION, [shared.version], by="karim"
    )

    assert alerts(app, case_id, AlertKind.EXCHANGE_WITHOUT_CONVENTION) == []


@pytest.mark.parametrize(
    "kind",
    [AlertKind.NO_COORDINATOR, AlertKind.IDLE_ACTOR, AlertKind.DELEGATION_LAPSED_IN_USE],
)
def test_an_alert_about_the_present_cannot_be_acknowledged(
    app: Maillage, world: World, kind: AlertKind
) -> None:
    case_id = world.open_case()
    joined = join(app, world, case_id, "karim")
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        acknowledge(app, world, case_id, kind, [joined.version])

    assert refused.value.field == "alert_kind"
    assert position(app) == before


@pytest.mark.parametrize("beyond_last", [False, True], ids=["version_0", "after_the_last"])
def test_versions_outside_the_case_are_refused(
    app: Maillage, world: World, beyond_last: bool
) -> None:
    case_id, shared = shared_under_consent(app, world)
    before = position(app)
    version = shared.version + 1 if beyond_last else 0

    with pytest.raises(InvalidValueError) as refused:
        acknowledge(app, world, case_id, AlertKind.EXCHANGE_WITHOUT_CONVENTION, [version])

    assert refused.value.field == "versions"
    assert position(app) == before


def test_no_version_named_is_refused(app: Maillage, world: World) -> None:
    case_id, _ = shared_under_consent(app, world)

    with pytest.raises(InvalidValueError) as refused:
        acknowledge(app, world, case_id, AlertKind.EXCHANGE_WITHOUT_CONVENTION, [])

    assert refused.value.field == "versions"


def test_an_alert_on_a_closed_case_can_still_be_acknowledged(app: Maillage, world: World) -> None:
    case_id, consulted, _ = act_after_late_revocation(app, world)
    app.close_case(case_id=case_id, by=world.actor("jeanne"), reason="mesure terminée")

    acknowledge(app, world, case_id, AlertKind.ACTION_WITHOUT_VALID_BASIS, [consulted.version])

    assert alerts(app, case_id, AlertKind.ACTION_WITHOUT_VALID_BASIS) == []


def test_acknowledged_versions_may_be_given_as_any_iterable(app: Maillage, world: World) -> None:
    case_id, consulted, _ = act_after_late_revocation(app, world)

    app.acknowledge_alert(
        case_id=case_id,
        by=world.actor("jeanne"),
        alert_kind=str(AlertKind.ACTION_WITHOUT_VALID_BASIS),
        versions=(v for v in [consulted.version]),
        note="vu",
    )

    assert alerts(app, case_id, AlertKind.ACTION_WITHOUT_VALID_BASIS) == []
