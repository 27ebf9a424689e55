"""A follower wakes on commits, not on its timer: with a poll interval of a minute, what is
written becomes readable within seconds — in the service's own process (its recorder's commit
signal), and in a separate `maillage project --follow` worker on PostgreSQL (the store's
LISTEN/NOTIFY), even after its listening connection was cut."""

from __future__ import annotations

import subprocess
import threading
import time

import pytest
from sqlalchemy import Engine, text

from api.http.app import create_app
from api.http.deps import services_of
from api.settings import Settings
from domain.application import Maillage
from projections.runner import ProjectionRunner
from tests.conftest import ON_POSTGRES
from tests.integration.test_projection_worker import WORKER, worker_env

A_MINUTE = 60.0
LISTENING = (  # the worker's connection, waiting for a NOTIFY
    "FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %' "
    "AND state = 'idle'"
)


def _register(maillage: Maillage, name: str) -> int:
    recorded = maillage.register_institution(name=name, sector="medico_social", kind="other")
    assert recorded.position is not None
    return recorded.position


def _followers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "maillage-projections"]


async def test_the_service_follower_wakes_on_its_own_commits(store_settings: Settings) -> None:
    settings = store_settings.model_copy(
        update={"embedded_projections": True, "projection_poll_seconds": A_MINUTE}
    )
    app = create_app(settings)
    others = set(_followers())  # another test's service may still run (the browser tests')
    async with app.router.lifespan_context(app):
        services = services_of(app)
        # The first write may land before the follower's first catch-up; the second cannot.
        for name in ("IME", "SESSAD"):
            position = _register(services.maillage, name)
            assert services.projections.wait_for(position, timeout=10), name
        assert set(_followers()) - others
    assert not set(_followers()) - others  # told to stop, it did not sleep out its minute


@pytest.mark.skipif(not ON_POSTGRES, reason="LISTEN/NOTIFY: PostgreSQL only")
def test_a_postgres_worker_wakes_on_other_processes_commits(
    store_settings: Settings, store_app: Maillage, engine: Engine
) -> None:
    runner = ProjectionRunner(store_app, engine)
    worker = subprocess.Popen(
        [*WORKER, "project", "--follow", "--interval", str(A_MINUTE)],
        env=worker_env(store_settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_listening(engine)
        assert runner.wait_for(_register(store_app, "IME"), timeout=10)

        # The database drops the listening connection (a restart, a failover): the worker
        # reconnects and listens again.
        with engine.begin() as conn:
            cut = conn.execute(text(f"SELECT pg_terminate_backend(pid) {LISTENING}")).all()
        assert cut
        _wait_listening(engine)
        assert runner.wait_for(_register(store_app, "SESSAD"), timeout=10)
        assert worker.poll() is None
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    assert worker.returncode == 0


def _wait_listening(engine: Engine) -> None:
    """Until the worker's connection has LISTENed (bounded)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            found = conn.execute(text(f"SELECT count(*) {LISTENING}")).scalar()
        if found:
            return
        time.sleep(0.05)
    raise AssertionError("the worker never listened")
