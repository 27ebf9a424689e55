"""The service starts on the configured store, follows the log, and says whether it is ready."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from api.http import multiprocess
from api.http.app import create_app
from api.http.deps import services_of
from api.settings import Settings
from domain.application import Maillage
from tests.world import World


async def test_health_ready_and_projection_lag(store_settings: Settings) -> None:
    settings = store_settings.model_copy(
        update={"embedded_projections": True, "projection_poll_seconds": 0.01}
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        maillage: Maillage = services_of(app).maillage
        World.build(maillage)
        recorded = maillage.register_institution(name="IME", sector="medico_social", kind="other")
        assert recorded.position is not None
        assert services_of(app).projections.wait_for(recorded.position, timeout=5)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://maillage") as client:
            health = await client.get("/health")
            ready = await client.get("/ready")
    assert health.status_code == 200
    assert health.json() == {"status": "alive"}
    assert ready.status_code == 200
    body = ready.json()
    assert body["ready"] is True
    assert body["checks"]["migrations"]["current"] == body["checks"]["migrations"]["expected"]
    lags = body["checks"]["projections"]
    assert set(lags) == {
        "registry_names",
        "audit_trail",
        "coherence",
        "reports",
        "referrals",
        "transfers",
        "feed",
    }
    assert all(lag["behind"] == 0 and lag["head"] == recorded.position for lag in lags.values())


async def test_metrics_count_requests_in_flight(store_settings: Settings) -> None:
    app = create_app(store_settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://maillage") as client:
            await client.get("/health")
            scraped = (await client.get("/metrics")).text
    assert "maillage_http_requests_in_flight 1.0" in scraped  # the scrape itself
    assert 'maillage_http_requests_total{method="GET",route="/health",status="200"} 1.0' in scraped


def test_serve_prepares_a_fresh_metrics_directory_for_several_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(multiprocess.ENV, raising=False)
    with multiprocess.prepared(workers=1) as directory:
        assert directory is None  # one process: its registry is the whole story
        assert multiprocess.ENV not in os.environ
    with multiprocess.prepared(workers=3) as directory:
        assert directory is not None
        assert os.environ[multiprocess.ENV] == directory  # the workers inherit it
        assert not list(Path(directory).iterdir())
    assert multiprocess.ENV not in os.environ
    assert not Path(directory).exists()


def test_serve_empties_the_operators_metrics_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    given = tmp_path / "metrics"
    given.mkdir()
    (given / "counter_4242.db").write_bytes(b"a previous run")
    (given / "README").write_text("not ours: kept")
    monkeypatch.setenv(multiprocess.ENV, str(given))
    with multiprocess.prepared(workers=1) as directory:
        assert directory == str(given)
        assert sorted(p.name for p in given.iterdir()) == ["README"]
    assert given.exists()  # the operator's: kept
