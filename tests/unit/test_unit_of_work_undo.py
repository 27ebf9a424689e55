"""A command refused within a unit of work, after it changed the case, leaves nothing behind:
the case is put back as the unit's earlier commands left it (no copy per command)."""

from __future__ import annotations

import pytest

from domain.application import Maillage
from domain.case import Case
from domain.errors import StaleVersionError
from tests.world import World, events_since, names, position


@pytest.mark.parametrize("stored", [True, False], ids=["case-in-store", "case-opened-in-unit"])
def test_a_command_refused_after_changing_the_case_is_undone(
    app: Maillage, world: World, stored: bool
) -> None:
    jeanne = world.actor("jeanne")
    case_id = world.open_case() if stored else None
    before = position(app)
    with app.unit_of_work() as unit:
        if case_id is None:
            case_id = world.open_case()
        app.record_intervention(case_id=case_id, by=jeanne, kind="home_visit")
        kept = unit.pending_events
        # decided (an event triggered on the case), then refused by its If-Match
        with pytest.raises(StaleVersionError), app.precondition(case_id, 99):
            app.record_intervention(case_id=case_id, by=jeanne, kind="assessment")
        assert unit.pending_events == kept
        case = app.load(Case, case_id)
        assert case.version == 2  # opened, one intervention: as the kept commands left it
        assert len(case.pending_events) == (1 if stored else 2)
        app.record_intervention(case_id=case_id, by=jeanne, kind="assessment")
    app.save_unit(unit)
    recorded = names(events_since(app, before))
    opened = [] if stored else ["CaseOpened"]
    assert recorded == [*opened, "InterventionRecorded", "InterventionRecorded"]
    kinds = [e.kind for e in events_since(app, before) if hasattr(e, "kind")]
    assert kinds == ["home_visit", "assessment"]
