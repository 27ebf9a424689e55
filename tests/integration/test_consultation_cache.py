"""Recording a reading leaves the aggregate cache alone: the `Consultation` (one event, never
loaded again) is not put in it, so a stream of readings does not evict the cases and registry
entries the next commands load (the store's cache fast-forwards: it only keeps what was loaded)."""

from __future__ import annotations

import pytest

from domain.access import Principal, Role
from domain.application import Maillage
from domain.case import Case
from tests.world import World


def test_readings_are_not_cached_and_evict_nothing(store_app: Maillage, store_world: World) -> None:
    cache = store_app.repository.cache
    assert cache is not None  # the service runs with a cache (`aggregate_cache_size`)
    case_id = store_world.open_case()
    jeanne = store_world.actor("jeanne")
    principal = Principal(jeanne.professional_id, Role.CASE_WORKER, jeanne.institution_id)
    case = store_app.load(Case, case_id)

    readings = [
        store_app.record_consultation(
            case_id=case_id, principal=principal, view="coherence", purpose="follow_up"
        )
        for _ in range(3)
    ]

    for reading in readings:
        with pytest.raises(KeyError):
            cache.get(reading.id)
    assert cache.get(case_id).version == case.version  # still there, not evicted
