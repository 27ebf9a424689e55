"""One version check: `Maillage.precondition(target, version)` (HTTP `If-Match`) for all.

There used to be a second one, an `expected_version` parameter on a few use cases that nothing
passed; it is gone, and the precondition refuses a stale version on the very use cases that had
it: delegations, fundings, partnerships, interventions.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from uuid import UUID

import pytest

from domain.application import Maillage
from domain.case import Case
from domain.errors import StaleVersionError
from domain.usecases.base import Recorded, UseCaseBase
from tests.world import World


def _delegation(app: Maillage, world: World) -> UUID:
    return app.grant_delegation(
        institution_id=world.i("aemo"),
        professional_id=world.p("jeanne"),
        scope=("home_visit",),
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        case_id=world.open_case(),
    ).id


def _funding(app: Maillage, world: World) -> UUID:
    return app.grant_funding(
        funder_id=world.i("ase"),
        target_kind="institution",
        target_id=world.i("aemo"),
        valid_from=date(2026, 1, 1),
    ).id


def _partnership(app: Maillage, world: World) -> UUID:
    return app.propose_partnership(
        kind="charter",
        title="Charte du travail en réseau",
        origin="spontaneous",
        parties=[world.i("aemo"), world.i("cmp")],
        valid_from=date(2026, 1, 1),
    ).id


Command = Callable[[Maillage, World, UUID], Recorded]

COMMANDS: dict[str, tuple[Callable[[Maillage, World], UUID], Command]] = {
    "extend_delegation": (
        _delegation,
        lambda app, _, target: app.extend_delegation(
            delegation_id=target, valid_until=date(2027, 6, 30)
        ),
    ),
    "revoke_delegation": (
        _delegation,
        lambda app, _, target: app.revoke_delegation(delegation_id=target, reason="Départ"),
    ),
    "end_funding": (
        _funding,
        lambda app, _, target: app.end_funding(
            funding_id=target, ended_on=date(2026, 6, 30), reason="Budget"
        ),
    ),
    "amend_partnership": (
        _partnership,
        lambda app, _, target: app.amend_partnership(
            partnership_id=target, reference="Avenant 1", valid_until=date(2027, 12, 31)
        ),
    ),
    "record_intervention": (
        lambda app, world: world.open_case(),
        lambda app, world, target: app.record_intervention(
            case_id=target, by=world.actor("jeanne"), kind="home_visit"
        ),
    ),
}


def _version(app: Maillage, aggregate_id: UUID) -> int:
    version = app.repository.get(aggregate_id).version
    assert isinstance(version, int)
    return version


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_stale_version_is_refused_and_nothing_is_recorded(
    app: Maillage, world: World, name: str
) -> None:
    create, command = COMMANDS[name]
    target = create(app, world)
    current = _version(app, target)
    with pytest.raises(StaleVersionError) as refused, app.precondition(target, current - 1):
        command(app, world, target)
    assert refused.value.details == {"current_version": current, "expected_version": current - 1}
    assert refused.value.field == "If-Match"
    assert _version(app, target) == current


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_current_version_lets_the_command_through(
    app: Maillage, world: World, name: str
) -> None:
    create, command = COMMANDS[name]
    target = create(app, world)
    current = _version(app, target)
    with app.precondition(target, current):
        recorded = command(app, world, target)
    assert recorded.id == target
    assert recorded.version == current + 1


def test_no_version_is_no_condition(app: Maillage, world: World) -> None:
    target = _funding(app, world)
    with app.precondition(target, None):
        recorded = app.end_funding(funding_id=target, ended_on=date(2026, 6, 30), reason="Budget")
    assert recorded.version == 2


def test_the_condition_is_on_the_record_named_only(app: Maillage, world: World) -> None:
    named, other = _funding(app, world), _funding(app, world)
    with app.precondition(named, 99):
        recorded = app.end_funding(funding_id=other, ended_on=date(2026, 6, 30), reason="Budget")
    assert recorded.id == other


def test_the_condition_ends_with_its_block(app: Maillage, world: World) -> None:
    target = _funding(app, world)
    with pytest.raises(StaleVersionError), app.precondition(target, 99):
        app.end_funding(funding_id=target, ended_on=date(2026, 6, 30), reason="Budget")
    app.end_funding(funding_id=target, ended_on=date(2026, 6, 30), reason="Budget")
    assert _version(app, target) == 2


def test_a_unit_of_work_checks_the_condition_too(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    with (
        pytest.raises(StaleVersionError),
        app.unit_of_work((Case,)),
        app.precondition(case_id, 5),
    ):
        app.record_intervention(case_id=case_id, by=world.actor("jeanne"), kind="home_visit")
    assert _version(app, case_id) == 1


def test_the_use_cases_have_no_version_parameter_of_their_own() -> None:
    """The precondition is the only way to ask for a version: no use case takes one."""
    assert not hasattr(UseCaseBase, "check_version")
    for name, method in inspect.getmembers(Maillage, inspect.isfunction):
        if not name.startswith("_"):
            assert "expected_version" not in inspect.signature(method).parameters, name
