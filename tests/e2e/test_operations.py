"""The service starts on the configured store and says whether it is ready."""

from __future__ import annotations

import httpx

from api.app import create_app
from api.settings import Settings


async def test_health_and_ready(store_settings: Settings) -> None:
    app = create_app(store_settings)
    async with app.router.lifespan_context(app):
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
