"""A delegate's act that their delegation did not cover (issue 15, 4e): recorded with which
delegation and why, flagged by an alert; and the case's file and its coherence view say the
same of how each actor stands (one rule: the basis of their latest act)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from uuid import UUID

from domain.application import Maillage
from domain.case import Case
from domain.case_values import Participant
from domain.coherence import Alert, Coherence, EventRef
from domain.values import AlertKind, Basis, BasisKind, OutsideDelegation
from projections.coherence import AsOf, coherence_as_of
from tests.world import NOW, TODAY, World, ago, events_since, position

OUTSIDE = AlertKind.ACT_OUTSIDE_DELEGATION


def view(app: Maillage, case_id: UUID) -> Coherence:
    found = coherence_as_of(app, case_id, at=NOW, question=AsOf.OCCURRED)
    assert found is not None
    return found


def delegate_sophie(app: Maillage, world: World, case_id: UUID, **kwargs: object) -> UUID:
    return app.grant_delegation(
        institution_id=world.i("cmp"),
        professional_id=world.p("sophie"),
        case_id=case_id,
        scope=["case_participation", "consultation"],
        valid_from=kwargs.pop("valid_from", date(2026, 1, 1)),  # type: ignore[arg-type]
        valid_until=date(2027, 1, 1),
    ).id


def delegated_case(app: Maillage, world: World, joined: float = 3) -> tuple[UUID, UUID]:
    """A case of the AEMO that Sophie joined `joined` days ago, on the CMP's delegation."""
    case_id = world.open_case()
    delegation_id = delegate_sophie(app, world, case_id)
    app.join_case(case_id=case_id, by=world.actor("sophie"), role="psy", occurred_at=ago(joined))
    return case_id, delegation_id


def outside_alerts(app: Maillage, case_id: UUID) -> list[Alert]:
    return [a for a in view(app, case_id).alerts if a.kind == OUTSIDE]


def act(app: Maillage, world: World, case_id: UUID, kind: str, days: float = 1) -> Basis:
    before = position(app)
    app.record_intervention(
        case_id=case_id, by=world.actor("sophie"), kind=kind, occurred_at=ago(days)
    )
    (event,) = events_since(app, before)
    basis: Basis = event.basis  # type: ignore[attr-defined]
    return basis


def standing(app: Maillage, case_id: UUID, world: World) -> tuple[Basis, Basis]:
    """How Sophie stands on the case: in its file (the aggregate), in its coherence view."""
    case = app.repository.get(case_id)
    assert isinstance(case, Case)
    in_file = case.participant(world.actor("sophie"))
    assert in_file is not None
    (line,) = [a for a in view(app, case_id).actors if a.professional_id == world.p("sophie")]
    return in_file.basis, line.basis


def test_an_act_outside_the_scope_is_recorded_with_its_delegation_and_reason(
    app: Maillage, world: World
) -> None:
    case_id, delegation_id = delegated_case(app, world)

    basis = act(app, world, case_id, "home_visit")

    assert basis == Basis(
        BasisKind.INFORMAL, None, OutsideDelegation(delegation_id, "outside_scope", "home_visit")
    )
    (alert,) = outside_alerts(app, case_id)
    assert (alert.professional_id, alert.institution_id) == (world.p("sophie"), world.i("cmp"))
    assert (alert.delegation_id, alert.reason, alert.action_kinds) == (
        delegation_id,
        "outside_scope",
        ("home_visit",),
    )
    assert alert.count == 1
    assert alert.acknowledgeable
    assert alert.raised_at == ago(1)
    assert alert.related == (EventRef(delegation_id, 1, "Delegation.DelegationGranted"),)


def test_an_act_covered_by_the_delegation_is_on_it_with_no_flag(
    app: Maillage, world: World
) -> None:
    case_id, delegation_id = delegated_case(app, world)

    assert act(app, world, case_id, "consultation") == Basis(BasisKind.DELEGATION, delegation_id)
    assert outside_alerts(app, case_id) == []


def test_an_act_after_the_revocation_says_revoked_and_the_file_and_view_agree(
    app: Maillage, world: World
) -> None:
    case_id, delegation_id = delegated_case(app, world, joined=6)
    revoked = app.revoke_delegation(
        delegation_id=delegation_id, reason="left the team", occurred_at=ago(3)
    )
    in_file, in_view = standing(app, case_id, world)
    assert in_file == in_view == Basis(BasisKind.DELEGATION, delegation_id)

    basis = act(app, world, case_id, "consultation")

    assert basis.outside_delegation == OutsideDelegation(delegation_id, "revoked", "consultation")
    in_file, in_view = standing(app, case_id, world)
    assert in_file == in_view == basis  # both: informal, outside the revoked delegation
    alerts = view(app, case_id).alerts
    (alert,) = [a for a in alerts if a.kind == OUTSIDE]
    assert (alert.reason, alert.reason_since) == ("revoked", (NOW - timedelta(days=3)).date())
    assert alert.related == (
        EventRef(delegation_id, revoked.version, "Delegation.DelegationRevoked"),
    )
    assert [a for a in alerts if a.kind == AlertKind.DELEGATION_LAPSED_IN_USE] == []


def test_leaving_after_the_revocation_is_not_flagged(app: Maillage, world: World) -> None:
    case_id, delegation_id = delegated_case(app, world, joined=6)
    app.revoke_delegation(delegation_id=delegation_id, reason="left", occurred_at=ago(3))
    before = position(app)

    app.leave_case(case_id=case_id, by=world.actor("sophie"), occurred_at=ago(1))

    (left,) = events_since(app, before)
    assert left.basis.outside_delegation is not None  # type: ignore[attr-defined]  # recorded
    assert outside_alerts(app, case_id) == []  # but leaving is what the revocation asks


def test_an_older_act_entered_late_changes_neither_the_file_nor_the_view(
    app: Maillage, world: World
) -> None:
    case_id, delegation_id = delegated_case(app, world, joined=6)
    latest = act(app, world, case_id, "home_visit", days=1)

    act(app, world, case_id, "consultation", days=4)  # on the delegation, but older

    in_file, in_view = standing(app, case_id, world)
    assert in_file == in_view == latest
    assert latest.outside_delegation is not None
    assert latest.outside_delegation.delegation_id == delegation_id


def test_a_delegation_not_yet_valid_is_named_with_that_reason(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    delegation_id = delegate_sophie(app, world, case_id, valid_from=TODAY + timedelta(days=10))
    before = position(app)

    app.join_case(case_id=case_id, by=world.actor("sophie"), role="psy", occurred_at=ago(1))

    (joined,) = events_since(app, before)
    assert joined.basis.outside_delegation == OutsideDelegation(  # type: ignore[attr-defined]
        delegation_id, "not_yet_valid", "case_participation"
    )
    (alert,) = outside_alerts(app, case_id)
    assert alert.reason_since == TODAY + timedelta(days=10)


def test_an_act_another_formal_basis_covers_records_the_delegation_but_raises_nothing(
    app: Maillage, world: World
) -> None:
    case_id, delegation_id = delegated_case(app, world)
    world.convention("cmp", "aemo")  # covers home visits between the two

    basis = act(app, world, case_id, "home_visit")

    assert basis.kind == BasisKind.CONVENTION
    assert basis.outside_delegation == OutsideDelegation(
        delegation_id, "outside_scope", "home_visit"
    )
    assert outside_alerts(app, case_id) == []


def test_acknowledging_an_act_outside_a_delegation_moves_it_to_the_history(
    app: Maillage, world: World
) -> None:
    case_id, _ = delegated_case(app, world)
    before = position(app)
    act(app, world, case_id, "home_visit")
    version = events_since(app, before)[0].originator_version

    app.acknowledge_alert(
        case_id=case_id,
        by=world.actor("jeanne"),
        alert_kind=str(OUTSIDE),
        versions=[version],
        note="vu",
    )

    coherence = view(app, case_id)
    assert [a for a in coherence.alerts if a.kind == OUTSIDE] == []
    assert [a.kind for a in coherence.alert_history] == [OUTSIDE]


# --- stored shapes: an older event or snapshot reads as before --------------------------------


def test_a_basis_without_a_delegation_gap_is_stored_exactly_as_before(app: Maillage) -> None:
    ref = UUID(int=7)
    stored = json.loads(app.construct_transcoder().encode(Basis(BasisKind.CONVENTION, ref)))
    assert stored == {
        "_type_": "basis",
        "_data_": {"kind": "convention", "ref_id": {"_type_": "uuid_hex", "_data_": ref.hex}},
    }


def test_older_bases_and_participants_read_back_without_the_new_fields(app: Maillage) -> None:
    transcoder = app.construct_transcoder()
    ref = UUID(int=7)
    basis = {
        "_type_": "basis",
        "_data_": {"kind": "delegation", "ref_id": {"_type_": "uuid_hex", "_data_": ref.hex}},
    }
    participant = {
        "_type_": "participant",
        "_data_": {
            "professional_id": {"_type_": "uuid_hex", "_data_": ref.hex},
            "institution_id": {"_type_": "uuid_hex", "_data_": ref.hex},
            "role": "psy",
            "basis": basis,
        },
    }

    decoded = transcoder.decode(json.dumps(participant).encode())

    assert decoded == Participant(ref, ref, "psy", Basis(BasisKind.DELEGATION, ref), None)
    outside = Basis(BasisKind.INFORMAL, None, OutsideDelegation(ref, "revoked", "care"))
    assert transcoder.decode(transcoder.encode(outside)) == outside
