"""A conflicting save is decided again on the fresh state, a bounded number of times."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.application import Maillage
from domain.case import Case
from domain.errors import ConcurrentUpdateError
from domain.values import Basis
from tests.world import NOW, World, events_since, names, position


def test_a_conflicting_save_is_retried_on_the_fresh_state(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    jeanne = world.actor("jeanne")
    before = position(app)
    attempts = 0

    def decide() -> list[Case]:
        nonlocal attempts
        attempts += 1
        case = app.load(Case, case_id)
        if attempts == 1:  # another writer records on the same case meanwhile
            app.record_intervention(case_id=case_id, by=jeanne, kind="assessment")
        case.record_intervention(
            intervention_id=uuid4(),
            by=jeanne,
            basis=Basis.informal(),
            kind="home_visit",
            summary=None,
            occurred_at=NOW,
        )
        return [case]

    recorded = app.execute(decide)
    assert attempts == 2
    events = events_since(app, before)
    assert names(events) == ["InterventionRecorded", "InterventionRecorded"]
    assert [e.kind for e in events] == ["assessment", "home_visit"]  # type: ignore[attr-defined]
    assert recorded.version == app.load(Case, case_id).version == 3


def test_endless_conflicts_end_in_a_reported_conflict_and_nothing_written(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    jeanne = world.actor("jeanne")
    app.max_attempts = 3

    def other_writer() -> None:
        """Writes straight to the store, as a writer that bypassed the lock would."""
        case = app.load(Case, case_id)
        case.record_intervention(
            intervention_id=uuid4(),
            by=jeanne,
            basis=Basis.informal(),
            kind="assessment",
            summary=None,
            occurred_at=NOW,
        )
        app.save(case)

    def decide() -> list[Case]:
        case = app.load(Case, case_id)
        other_writer()
        case.record_intervention(
            intervention_id=uuid4(),
            by=jeanne,
            basis=Basis.informal(),
            kind="home_visit",
            summary=None,
            occurred_at=NOW,
        )
        return [case]

    before = position(app)
    with pytest.raises(ConcurrentUpdateError):
        app.execute(decide)
    kinds = [e.kind for e in events_since(app, before)]  # type: ignore[attr-defined]
    assert kinds == ["assessment"] * 3  # only the other writer's events, none of ours
