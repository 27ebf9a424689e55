"""The basis of every action is decided by the domain and recorded on its event.

Order: a valid delegation covering the case and kind; the institution holding the case; an
active convention with an institution already on the case covering the kind; a network shared
with the coordinator; otherwise informal — recorded, never refused.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.application import Maillage
from domain.errors import (
    DelegationExpiredError,
    DelegationOutOfScopeError,
    DelegationRevokedError,
)
from domain.values import BasisKind
from tests.world import TODAY, World, ago, events_since, names, position


def _joined_basis(app: Maillage, before: int) -> tuple[str, object]:
    (event,) = events_since(app, before)
    assert names([event]) == ["ParticipantJoined"]
    basis = event.basis  # type: ignore[attr-defined]
    return basis.kind, basis.ref_id


def _delegate(app: Maillage, world: World, who: str, case_id: object, **kwargs: object) -> object:
    employer = World.PROFESSIONALS[who][1]
    return app.grant_delegation(
        institution_id=world.i(employer),
        professional_id=world.p(who),
        case_id=case_id,  # type: ignore[arg-type]
        scope=kwargs.pop("scope", ["case_participation", "consultation"]),  # type: ignore[arg-type]
        valid_from=kwargs.pop("valid_from", date(2026, 1, 1)),  # type: ignore[arg-type]
        valid_until=kwargs.pop("valid_until", date(2027, 1, 1)),  # type: ignore[arg-type]
    ).id


def test_opener_acts_as_case_holder(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)
    app.record_intervention(
        case_id=case_id, by=world.actor("jeanne"), kind="home_visit", occurred_at=ago(1)
    )
    (event,) = events_since(app, before)
    assert event.basis.kind == BasisKind.CASE_HOLDER  # type: ignore[attr-defined]
    assert event.by == world.actor("jeanne")  # type: ignore[attr-defined]


def test_a_valid_delegation_comes_first(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    world.convention("cmp", "aemo")  # a convention would also cover: delegation wins
    delegation_id = _delegate(app, world, "sophie", case_id)
    before = position(app)
    app.join_case(
        case_id=case_id, by=world.actor("sophie"), role="psychiatrist", occurred_at=ago(1)
    )
    assert _joined_basis(app, before) == (BasisKind.DELEGATION, delegation_id)


def test_a_convention_with_an_institution_on_the_case(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    convention_id = world.convention("ase", "aemo")
    before = position(app)
    app.join_case(case_id=case_id, by=world.actor("karim"), role="ASE", occurred_at=ago(1))
    assert _joined_basis(app, before) == (BasisKind.CONVENTION, convention_id)


def test_a_convention_not_signed_by_all_does_not_cover(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    world.convention("ase", "aemo", sign=False)
    before = position(app)
    app.join_case(case_id=case_id, by=world.actor("karim"), role="ASE", occurred_at=ago(1))
    assert _joined_basis(app, before) == (BasisKind.INFORMAL, None)


def test_a_suspended_convention_does_not_cover(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    convention_id = world.convention("ase", "aemo")
    app.suspend_partnership(partnership_id=convention_id, reason="audit", occurred_at=ago(2))
    before = position(app)
    app.join_case(case_id=case_id, by=world.actor("karim"), role="ASE", occurred_at=ago(1))
    assert _joined_basis(app, before) == (BasisKind.INFORMAL, None)


def test_a_convention_covers_only_the_kinds_in_scope(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    world.convention("ase", "aemo", kinds=("case_participation",))
    app.join_case(case_id=case_id, by=world.actor("karim"), role="ASE", occurred_at=ago(2))
    before = position(app)
    app.record_intervention(
        case_id=case_id, by=world.actor("karim"), kind="assessment", occurred_at=ago(1)
    )
    (event,) = events_since(app, before)
    assert event.basis.kind == BasisKind.INFORMAL  # type: ignore[attr-defined]


def test_a_charter_never_covers(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    charter = app.propose_partnership(
        kind="charter",
        title="Charte",
        origin="spontaneous",
        parties=[world.i("aemo"), world.i("school")],
        valid_from=date(2025, 1, 1),
    ).id
    for party in ("aemo", "school"):
        app.sign_partnership(
            partnership_id=charter, institution_id=world.i(party), signed_on=date(2025, 1, 1)
        )
    before = position(app)
    app.join_case(case_id=case_id, by=world.actor("paul"), role="teacher", occurred_at=ago(1))
    assert _joined_basis(app, before) == (BasisKind.INFORMAL, None)


def test_a_network_shared_with_the_coordinator(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    network_id = app.found_informal_network(
        name="Educators",
        values_statement="reciprocity",
        founder_id=world.p("jeanne"),
        occurred_at=ago(5),
    ).id
    app.invite_to_network(
        network_id=network_id, inviter_id=world.p("jeanne"), invitee_id=world.p("paul")
    )
    app.accept_network_invitation(network_id=network_id, invitee_id=world.p("paul"))
    app.designate_coordinator(
        case_id=case_id,
        by=world.actor("jeanne"),
        coordinator=world.actor("jeanne"),
        occurred_at=ago(3),
    )
    before = position(app)
    app.join_case(case_id=case_id, by=world.actor("paul"), role="teacher", occurred_at=ago(1))
    assert _joined_basis(app, before) == (BasisKind.NETWORK, network_id)


def test_no_network_basis_without_a_coordinator(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    network_id = app.found_informal_network(
        name="Educators",
        values_statement="reciprocity",
        founder_id=world.p("jeanne"),
        occurred_at=ago(5),
    ).id
    app.invite_to_network(
        network_id=network_id, inviter_id=world.p("jeanne"), invitee_id=world.p("paul")
    )
    app.accept_network_invitation(network_id=network_id, invitee_id=world.p("paul"))
    before = position(app)
    app.join_case(case_id=case_id, by=world.actor("paul"), role="teacher", occurred_at=ago(1))
    assert _joined_basis(app, before) == (BasisKind.INFORMAL, None)


def test_informal_work_is_recorded_not_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)
    app.join_case(case_id=case_id, by=world.actor("luc"), role="nurse", occurred_at=ago(2))
    app.record_intervention(case_id=case_id, by=world.actor("luc"), kind="care", occurred_at=ago(1))
    events = events_since(app, before)
    assert names(events) == ["ParticipantJoined", "InterventionRecorded"]
    assert all(e.basis.kind == BasisKind.INFORMAL for e in events)  # type: ignore[attr-defined]


def test_an_expired_delegation_falls_back_to_the_next_basis(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    _delegate(app, world, "sophie", case_id, valid_until=TODAY - timedelta(days=3))
    before = position(app)
    app.join_case(
        case_id=case_id, by=world.actor("sophie"), role="psychiatrist", occurred_at=ago(1)
    )
    assert _joined_basis(app, before) == (BasisKind.INFORMAL, None)


def test_a_named_expired_delegation_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    delegation_id = _delegate(app, world, "sophie", case_id, valid_until=TODAY - timedelta(days=3))
    before = position(app)
    with pytest.raises(DelegationExpiredError) as refused:
        app.join_case(
            case_id=case_id,
            by=world.actor("sophie"),
            role="psychiatrist",
            delegation_id=delegation_id,
            occurred_at=ago(1),  # type: ignore[arg-type]
        )
    assert refused.value.field == "delegation_id"
    assert position(app) == before


def test_a_named_revoked_delegation_is_refused_after_revocation_only(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    delegation_id = _delegate(app, world, "sophie", case_id)
    app.revoke_delegation(delegation_id=delegation_id, reason="left", occurred_at=ago(2))  # type: ignore[arg-type]
    with pytest.raises(DelegationRevokedError):
        app.join_case(
            case_id=case_id,
            by=world.actor("sophie"),
            role="psy",
            delegation_id=delegation_id,
            occurred_at=ago(1),  # type: ignore[arg-type]
        )
    before = position(app)
    app.join_case(  # entered late, for a day when the delegation was still valid
        case_id=case_id,
        by=world.actor("sophie"),
        role="psy",
        delegation_id=delegation_id,
        occurred_at=ago(3),  # type: ignore[arg-type]
    )
    assert _joined_basis(app, before) == (BasisKind.DELEGATION, delegation_id)


def test_a_named_delegation_out_of_scope_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    delegation_id = _delegate(app, world, "sophie", case_id, scope=["case_participation"])
    app.join_case(
        case_id=case_id,
        by=world.actor("sophie"),
        role="psy",
        delegation_id=delegation_id,
        occurred_at=ago(2),  # type: ignore[arg-type]
    )
    with pytest.raises(DelegationOutOfScopeError):
        app.record_intervention(
            case_id=case_id,
            by=world.actor("sophie"),
            kind="assessment",
            delegation_id=delegation_id,
            occurred_at=ago(1),  # type: ignore[arg-type]
        )


def test_a_delegation_for_another_case_does_not_cover(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    other_case = world.open_case()
    delegation_id = _delegate(app, world, "sophie", other_case)
    with pytest.raises(DelegationOutOfScopeError):
        app.join_case(
            case_id=case_id,
            by=world.actor("sophie"),
            role="psy",
            delegation_id=delegation_id,
            occurred_at=ago(1),  # type: ignore[arg-type]
        )


# --- taking part: any act of the scope brings it (domain.values.scope_allows) ---------------


def _consulted_basis(app: Maillage, world: World, case_id: object) -> tuple[str, object]:
    """The basis of a consultation Sophie records on the case."""
    before = position(app)
    app.record_intervention(
        case_id=case_id,  # type: ignore[arg-type]
        by=world.actor("sophie"),
        kind="consultation",
        occurred_at=ago(1),
    )
    (event,) = events_since(app, before)
    basis = event.basis  # type: ignore[attr-defined]
    return basis.kind, basis.ref_id


@pytest.mark.parametrize("named", [True, False], ids=["delegation named", "delegation found"])
def test_a_delegation_naming_the_case_covers_joining_whatever_its_scope(
    app: Maillage, world: World, named: bool
) -> None:
    """A delegation naming a case is the institution's mandate to act on it: joining under it
    needs no `case_participation` in its scope; its acts are those its scope names."""
    case_id = world.open_case()
    delegation_id = _delegate(app, world, "sophie", case_id, scope=["consultation"])
    before = position(app)
    app.join_case(
        case_id=case_id,
        by=world.actor("sophie"),
        role="psy",
        delegation_id=delegation_id if named else None,  # type: ignore[arg-type]
        occurred_at=ago(2),
    )
    assert _joined_basis(app, before) == (BasisKind.DELEGATION, delegation_id)
    assert _consulted_basis(app, world, case_id) == (BasisKind.DELEGATION, delegation_id)


def test_a_convention_covers_joining_for_the_acts_of_its_scope(app: Maillage, world: World) -> None:
    """The CMP's scope names consultation and assessment, not `case_participation`: its
    professional joins on the convention, and consults on it."""
    case_id = world.open_case()
    convention_id = world.convention("cmp", "aemo", kinds=("consultation", "assessment"))
    before = position(app)
    app.join_case(case_id=case_id, by=world.actor("sophie"), role="psy", occurred_at=ago(2))
    assert _joined_basis(app, before) == (BasisKind.CONVENTION, convention_id)
    assert _consulted_basis(app, world, case_id) == (BasisKind.CONVENTION, convention_id)


def test_a_convention_scope_naming_no_act_does_not_cover_joining(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    world.convention("cmp", "aemo", kinds=())
    before = position(app)
    app.join_case(case_id=case_id, by=world.actor("sophie"), role="psy", occurred_at=ago(1))
    assert _joined_basis(app, before) == (BasisKind.INFORMAL, None)
