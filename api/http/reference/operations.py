"""What the operations routes (`api.http.app`, `api.http.routers.chain`) answer."""

from __future__ import annotations

DESCRIPTIONS: dict[str, str] = {
    "read_metrics": """
        Prometheus metrics: requests and latencies by route template, command outcomes by rule,
        projection lag. Public, for the operators' scraper; nothing personal (no id, no name).
    """,
    "health": """
        The process is alive: it answers without touching the store (a liveness probe: restart
        the process when it stops answering). Public; whether it can serve is `ready`.
    """,
    "ready": """
        The service can serve: the store is reachable, its migrations are current, and how far each
        projection is behind the log. 503 with the failing check otherwise (a load balancer's
        readiness probe). Public.
    """,
    "chain_head": """
        The latest head of the log's hash chain (position and hash): note it outside the store, to
        prove later that nothing was removed or changed up to it (`maillage verify --expect
        POSITION:HASH`).

        Refusals:
        - 403 `access-denied`: for supervisors and administrators only.
    """,
}
