"""The service starts on the configured store, follows the log, and says whether it is ready."""

from __future__ import annotations

import httpx

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
    assert set(lags) == {"registry_names", "audit_trail", "coherence", "reports"}
    assert all(lag["behind"] == 0 and lag["head"] == recorded.position for lag in lags.values())
