"""A request loads each aggregate once (`Maillage.loads_shared`), yet a command still decides on
fresh state after a conflict, and a refused decision leaves nothing changed behind."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any
from uuid import UUID

import pytest

from domain.application import Maillage
from domain.case import Case
from domain.errors import StaleVersionError
from domain.usecases.unit_of_work import current_map
from tests.world import World, events_since, names, position


@pytest.fixture
def gets(store_app: Maillage, monkeypatch: pytest.MonkeyPatch) -> Counter[UUID]:
    """How many times this thread got each aggregate from the repository (the store)."""
    counts: Counter[UUID] = Counter()
    here = threading.get_ident()
    library_get = store_app.repository.get

    def counting(aggregate_id: UUID, **options: Any) -> Any:
        if threading.get_ident() == here:
            counts[aggregate_id] += 1
        return library_get(aggregate_id, **options)

    monkeypatch.setattr(store_app.repository, "get", counting)
    return counts


def test_a_conflict_mid_command_reloads_and_decides_on_the_fresh_state(
    store_app: Maillage, store_world: World, gets: Counter[UUID]
) -> None:
    app, world = store_app, store_world
    case_id = world.open_case()
    jeanne = world.actor("jeanne")
    before = position(app)
    with app.loads_shared():
        assert app.load(Case, case_id).version == 1  # as authorising the request does
        # Another request, in its own thread, records on the case meanwhile.
        other = threading.Thread(
            target=lambda: app.record_intervention(case_id=case_id, by=jeanne, kind="assessment")
        )
        other.start()
        other.join()
        gets.clear()
        recorded = app.record_intervention(case_id=case_id, by=jeanne, kind="home_visit")
    assert gets[case_id] == 1  # the first attempt reused the request's case; the retry reloaded
    events = events_since(app, before)
    assert names(events) == ["InterventionRecorded", "InterventionRecorded"]
    assert [e.kind for e in events] == ["assessment", "home_visit"]  # type: ignore[attr-defined]
    assert recorded.version == 3


def test_without_a_conflict_the_command_reuses_what_the_request_loaded(
    store_app: Maillage, store_world: World, gets: Counter[UUID]
) -> None:
    app, world = store_app, store_world
    case_id = world.open_case()
    jeanne = world.actor("jeanne")
    gets.clear()
    with app.loads_shared():
        app.load(Case, case_id)
        recorded = app.record_intervention(case_id=case_id, by=jeanne, kind="home_visit")
        assert app.load(Case, case_id).version == recorded.version == 2  # the saved one
    assert gets[case_id] == 1
    assert gets[jeanne.professional_id] == 1


def test_a_refused_decision_leaves_no_changed_aggregate_in_the_map(
    store_app: Maillage, store_world: World
) -> None:
    app, world = store_app, store_world
    case_id = world.open_case()
    jeanne = world.actor("jeanne")
    before = position(app)
    with app.loads_shared() as known:
        app.load(Case, case_id)
        # decided (an intervention triggered on the case), then refused: If-Match is stale
        with pytest.raises(StaleVersionError), app.precondition(case_id, 7):
            app.record_intervention(case_id=case_id, by=jeanne, kind="home_visit")
        assert case_id not in known.loaded
        case = app.load(Case, case_id)
        assert case.version == 1
        assert not case.pending_events
        assert app.record_intervention(case_id=case_id, by=jeanne, kind="home_visit").version == 2
    assert names(events_since(app, before)) == ["InterventionRecorded"]


def test_the_map_belongs_to_its_block_and_its_thread(
    store_app: Maillage, store_world: World
) -> None:
    app = store_app
    case_id = store_world.open_case()
    seen_elsewhere: list[object] = []
    with app.loads_shared() as known:
        app.load(Case, case_id)
        assert current_map(app) is known
        other = threading.Thread(target=lambda: seen_elsewhere.append(current_map(app)))
        other.start()
        other.join()
    assert seen_elsewhere == [None]
    assert current_map(app) is None
