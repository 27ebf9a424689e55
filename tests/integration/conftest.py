"""Fixtures of the integration tests: `hooks`, the webhook tests' scene."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from api.settings import Settings
from domain.application import Maillage
from tests.integration.webhook_setup import Scene
from tests.world import World


@pytest.fixture
def hooks(
    store_world: World,
    store_app: Maillage,
    engine: Engine,
    store_settings: Settings,
    tmp_path: Path,
) -> Iterator[Scene]:
    """The store under test, its projections caught up, ready for webhook receivers."""
    scene = Scene(store_world, store_app, engine, store_settings, tmp_path)
    scene.project()
    yield scene
    for worker in scene.workers:
        worker.close()
