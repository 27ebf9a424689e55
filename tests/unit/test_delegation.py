"""Delegation rules: who may receive one, for what, for how long, and until revoked."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from domain.application import Maillage
from domain.delegation import Delegation
from domain.errors import (
    DelegationExpiredError,
    DelegationNotYetValidError,
    DelegationOutOfScopeError,
    DelegationRevokedError,
    InvalidValueError,
    NetworkKindError,
    NotEmployedError,
    NotFoundError,
)
from domain.professional import DelegationRef, Professional
from tests.world import NOW, World, ago, events_since, names, position

VALID_FROM = date(2026, 1, 1)
VALID_UNTIL = date(2026, 12, 31)


def grant(
    app: Maillage,
    world: World,
    *,
    case_id: UUID | None = None,
    network_id: UUID | None = None,
    scope: tuple[str, ...] = ("home_visit", "case_participation"),
    valid_from: date = VALID_FROM,
    valid_until: date = VALID_UNTIL,
) -> UUID:
    """AEMO delegates Jeanne, its educator."""
    return app.grant_delegation(
        institution_id=world.i("aemo"),
        professional_id=world.p("jeanne"),
        scope=scope,
        valid_from=valid_from,
        valid_until=valid_until,
        case_id=case_id,
        network_id=network_id,
    ).id


def load(app: Maillage, delegation_id: UUID) -> Delegation:
    delegation = app.repository.get(delegation_id)
    assert isinstance(delegation, Delegation)
    return delegation


def covers(
    delegation: Delegation,
    world: World,
    *,
    at: datetime = NOW,
    action_kind: str = "home_visit",
    case_id: UUID | None = None,
    network_id: UUID | None = None,
) -> bool:
    return delegation.covers(
        professional_id=world.p("jeanne"),
        institution_id=world.i("aemo"),
        at=at,
        action_kind=action_kind,
        case_id=case_id,
        network_id=network_id,
    )


def formal_network(app: Maillage, world: World) -> UUID:
    return app.found_formal_network(
        name="Réseau petite enfance",
        founding_institutions=[world.i("aemo"), world.i("cmp")],
        objectives=["coordinate early support"],
        occurred_at=ago(20),
    ).id


# --- granting -----------------------------------------------------------------------------


def test_granting_a_delegation_for_a_case_records_it_and_the_holder_keeps_a_reference(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case("jeanne")
    before = position(app)

    delegation_id = grant(app, world, case_id=case_id)

    events = events_since(app, before)
    assert names(events) == ["DelegationGranted", "DelegationReceived"]
    granted, received = events
    assert granted.originator_id == delegation_id
    assert granted.institution_id == world.i("aemo")
    assert granted.professional_id == world.p("jeanne")
    assert granted.case_id == case_id
    assert granted.network_id is None
    assert granted.scope == ["home_visit", "case_participation"]
    assert (granted.valid_from, granted.valid_until) == (VALID_FROM, VALID_UNTIL)
    assert received.originator_id == world.p("jeanne")
    ref = DelegationRef(delegation_id, world.i("aemo"), case_id, None)
    assert received.ref == ref
    jeanne = app.repository.get(world.p("jeanne"))
    assert isinstance(jeanne, Professional)
    assert jeanne.delegations == [ref]
    assert jeanne.delegations_for_case(case_id, world.i("aemo")) == [delegation_id]


def test_granting_a_delegation_for_a_formal_network_records_the_network(
    app: Maillage, world: World
) -> None:
    network_id = formal_network(app, world)
    before = position(app)

    delegation_id = grant(app, world, network_id=network_id, scope=("coordination",))

    events = events_since(app, before)
    assert names(events) == ["DelegationGranted", "DelegationReceived"]
    assert events[0].network_id == network_id
    assert events[0].case_id is None
    assert events[1].ref == DelegationRef(delegation_id, world.i("aemo"), None, network_id)


def test_an_institution_delegates_only_to_its_own_professionals(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case("jeanne")
    before = position(app)

    with pytest.raises(NotEmployedError) as refused:
        app.grant_delegation(
            institution_id=world.i("aemo"),
            professional_id=world.p("karim"),  # employed by the ASE
            scope=["home_visit"],
            valid_from=VALID_FROM,
            valid_until=VALID_UNTIL,
            case_id=case_id,
        )

    assert refused.value.field == "professional_id"
    assert position(app) == before


def test_a_delegation_starting_before_the_employment_is_refused(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case("jeanne")
    before = position(app)

    with pytest.raises(NotEmployedError):
        grant(app, world, case_id=case_id, valid_from=date(2019, 6, 1))

    assert position(app) == before


def test_a_delegation_needs_a_case_or_a_network(app: Maillage, world: World) -> None:
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        grant(app, world)

    assert refused.value.field == "case_id"
    assert position(app) == before


def test_a_delegation_needs_a_non_empty_scope(app: Maillage, world: World) -> None:
    case_id = world.open_case("jeanne")
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        grant(app, world, case_id=case_id, scope=())

    assert refused.value.field == "scope"
    assert position(app) == before


def test_a_delegation_scope_of_unknown_action_kinds_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case("jeanne")
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        grant(app, world, case_id=case_id, scope=("home_visit", "babysitting"))

    assert refused.value.field == "scope"
    assert position(app) == before


def test_a_delegation_ending_before_it_starts_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case("jeanne")
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        grant(
            app, world, case_id=case_id, valid_from=date(2026, 6, 1), valid_until=date(2026, 5, 1)
        )

    assert refused.value.field == "end"
    assert position(app) == before


def test_a_delegation_for_an_informal_network_is_refused(app: Maillage, world: World) -> None:
    network_id = app.found_informal_network(
        name="Les amis du quartier",
        values_statement="reciprocity",
        founder_id=world.p("jeanne"),
        occurred_at=ago(20),
    ).id
    before = position(app)

    with pytest.raises(NetworkKindError) as refused:
        grant(app, world, network_id=network_id)

    assert refused.value.field == "network_id"
    assert position(app) == before


def test_a_delegation_for_an_unknown_case_is_refused(app: Maillage, world: World) -> None:
    before = position(app)

    with pytest.raises(NotFoundError) as refused:
        grant(app, world, case_id=uuid4())

    assert refused.value.field == "case_id"
    assert refused.value.kind == "case"
    assert position(app) == before


def test_a_delegation_for_an_unknown_network_is_refused(app: Maillage, world: World) -> None:
    before = position(app)

    with pytest.raises(NotFoundError) as refused:
        grant(app, world, network_id=uuid4())

    assert refused.value.field == "network_id"
    assert position(app) == before


# --- extending ----------------------------------------------------------------------------


def test_extending_a_delegation_moves_its_end(app: Maillage, world: World) -> None:
    delegation_id = grant(app, world, case_id=world.open_case("jeanne"))
    before = position(app)

    app.extend_delegation(delegation_id=delegation_id, valid_until=date(2027, 6, 30))

    events = events_since(app, before)
    assert names(events) == ["DelegationExtended"]
    assert events[0].valid_until == date(2027, 6, 30)
    assert load(app, delegation_id).valid_until == date(2027, 6, 30)


@pytest.mark.parametrize("valid_until", [VALID_UNTIL, date(2026, 6, 30)])
def test_an_extension_must_end_later_than_the_current_end(
    app: Maillage, world: World, valid_until: date
) -> None:
    delegation_id = grant(app, world, case_id=world.open_case("jeanne"))
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.extend_delegation(delegation_id=delegation_id, valid_until=valid_until)

    assert refused.value.field == "valid_until"
    assert position(app) == before


def test_extending_an_unknown_delegation_is_refused(app: Maillage, world: World) -> None:
    before = position(app)

    with pytest.raises(NotFoundError):
        app.extend_delegation(delegation_id=uuid4(), valid_until=date(2027, 6, 30))

    assert position(app) == before


# --- revoking -----------------------------------------------------------------------------


def test_revoking_a_delegation_records_reason_and_instant(app: Maillage, world: World) -> None:
    delegation_id = grant(app, world, case_id=world.open_case("jeanne"))
    before = position(app)

    app.revoke_delegation(
        delegation_id=delegation_id,
        reason="left the team",
        revoked_by=world.p("karim"),
        occurred_at=ago(2),
    )

    events = events_since(app, before)
    assert names(events) == ["DelegationRevoked"]
    assert events[0].reason == "left the team"
    assert events[0].revoked_at == ago(2)
    assert events[0].revoked_by == world.p("karim")
    revoked = load(app, delegation_id)
    assert revoked.revoked_at == ago(2)
    assert revoked.revocation_reason == "left the team"


def test_a_revocation_needs_a_reason(app: Maillage, world: World) -> None:
    delegation_id = grant(app, world, case_id=world.open_case("jeanne"))
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.revoke_delegation(delegation_id=delegation_id, reason=" ")

    assert refused.value.field == "reason"
    assert position(app) == before


def test_a_revoked_delegation_cannot_be_revoked_again(app: Maillage, world: World) -> None:
    delegation_id = grant(app, world, case_id=world.open_case("jeanne"))
    app.revoke_delegation(delegation_id=delegation_id, reason="left the team")
    before = position(app)

    with pytest.raises(DelegationRevokedError):
        app.revoke_delegation(delegation_id=delegation_id, reason="again")

    assert position(app) == before


def test_a_revoked_delegation_cannot_be_extended(app: Maillage, world: World) -> None:
    delegation_id = grant(app, world, case_id=world.open_case("jeanne"))
    app.revoke_delegation(delegation_id=delegation_id, reason="left the team")
    before = position(app)

    with pytest.raises(DelegationRevokedError):
        app.extend_delegation(delegation_id=delegation_id, valid_until=date(2027, 6, 30))

    assert position(app) == before


# --- what a delegation covers -------------------------------------------------------------


def test_a_delegation_covers_its_holder_case_and_scope_within_its_dates(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case("jeanne")
    delegation = load(app, grant(app, world, case_id=case_id))

    assert covers(delegation, world, case_id=case_id)
    assert covers(delegation, world, case_id=case_id, action_kind="case_participation")
    assert covers(delegation, world, at=datetime(2026, 1, 1, 0, 0, tzinfo=UTC))
    assert covers(delegation, world, at=datetime(2026, 12, 31, 23, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("at", "error"),
    [
        (datetime(2025, 12, 31, 23, 0, tzinfo=UTC), DelegationNotYetValidError),
        (datetime(2027, 1, 1, 0, 0, tzinfo=UTC), DelegationExpiredError),
    ],
)
def test_a_delegation_does_not_cover_outside_its_dates(
    app: Maillage, world: World, at: datetime, error: type[Exception]
) -> None:
    delegation = load(app, grant(app, world, case_id=world.open_case("jeanne")))

    assert not covers(delegation, world, at=at)
    with pytest.raises(error):
        delegation.check_covers(
            professional_id=world.p("jeanne"),
            institution_id=world.i("aemo"),
            at=at,
            action_kind="home_visit",
        )


def test_an_extended_delegation_covers_the_extra_period(app: Maillage, world: World) -> None:
    delegation_id = grant(app, world, case_id=world.open_case("jeanne"))
    later = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)
    assert not covers(load(app, delegation_id), world, at=later)

    app.extend_delegation(delegation_id=delegation_id, valid_until=date(2027, 6, 30))

    assert covers(load(app, delegation_id), world, at=later)


def test_a_delegation_does_not_cover_an_action_kind_outside_its_scope(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case("jeanne")
    delegation = load(app, grant(app, world, case_id=case_id))

    assert not covers(delegation, world, case_id=case_id, action_kind="information_sharing")
    with pytest.raises(DelegationOutOfScopeError) as refused:
        delegation.check_covers(
            professional_id=world.p("jeanne"),
            institution_id=world.i("aemo"),
            at=NOW,
            action_kind="information_sharing",
            case_id=case_id,
        )
    assert refused.value.details["scope"] == ["home_visit", "case_participation"]


def test_a_delegation_does_not_cover_another_case(app: Maillage, world: World) -> None:
    case_id = world.open_case("jeanne")
    other_case_id = world.open_case("jeanne", birth_year=2012)
    delegation = load(app, grant(app, world, case_id=case_id))

    assert not covers(delegation, world, case_id=other_case_id)
    with pytest.raises(DelegationOutOfScopeError):
        delegation.check_covers(
            professional_id=world.p("jeanne"),
            institution_id=world.i("aemo"),
            at=NOW,
            action_kind="home_visit",
            case_id=other_case_id,
        )


def test_a_delegation_does_not_cover_another_network(app: Maillage, world: World) -> None:
    network_id = formal_network(app, world)
    delegation = load(app, grant(app, world, network_id=network_id))

    assert covers(delegation, world, network_id=network_id)
    assert not covers(delegation, world, network_id=uuid4())


def test_a_delegation_covers_only_its_holder_acting_for_the_granting_institution(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case("jeanne")
    delegation = load(app, grant(app, world, case_id=case_id))

    assert not delegation.covers(
        professional_id=world.p("karim"),
        institution_id=world.i("aemo"),
        at=NOW,
        action_kind="home_visit",
        case_id=case_id,
    )
    with pytest.raises(DelegationOutOfScopeError):
        delegation.check_covers(
            professional_id=world.p("jeanne"),
            institution_id=world.i("ase"),
            at=NOW,
            action_kind="home_visit",
            case_id=case_id,
        )


def test_a_revoked_delegation_covers_until_the_revocation_instant_only(
    app: Maillage, world: World
) -> None:
    delegation_id = grant(app, world, case_id=world.open_case("jeanne"))
    app.revoke_delegation(delegation_id=delegation_id, reason="left the team", occurred_at=ago(5))
    delegation = load(app, delegation_id)

    assert covers(delegation, world, at=ago(5, hours=1))
    assert not covers(delegation, world, at=ago(5))
    assert not covers(delegation, world, at=ago(1))
    with pytest.raises(DelegationRevokedError):
        delegation.check_covers(
            professional_id=world.p("jeanne"),
            institution_id=world.i("aemo"),
            at=ago(1),
            action_kind="home_visit",
        )


def test_an_intervention_under_a_revoked_delegation_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case("jeanne")
    delegation_id = grant(app, world, case_id=case_id)
    app.revoke_delegation(delegation_id=delegation_id, reason="left the team", occurred_at=ago(5))
    before = position(app)

    with pytest.raises(DelegationRevokedError):
        app.record_intervention(
            case_id=case_id,
            by=world.actor("jeanne"),
            kind="home_visit",
            delegation_id=delegation_id,
            occurred_at=ago(1),
        )

    assert position(app) == before


def test_an_intervention_under_a_covering_delegation_names_it_as_basis(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case("jeanne")
    delegation_id = grant(app, world, case_id=case_id)
    before = position(app)

    app.record_intervention(
        case_id=case_id,
        by=world.actor("jeanne"),
        kind="home_visit",
        delegation_id=delegation_id,
        occurred_at=ago(1),
    )

    events = events_since(app, before)
    assert names(events) == ["InterventionRecorded"]
    assert events[0].basis.kind == "delegation"
    assert events[0].basis.ref_id == delegation_id
