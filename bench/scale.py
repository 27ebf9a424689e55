"""Does the cost of a write or a read grow with the store? (issue 7)

Two stores of the same département (same registry), one small and one large; in each, the p50
of recording an intervention (load, decide, save: in process, cache on) and of reading a case's
coherence view (in process, projections caught up). The large store's p50 over the small one's
is the figure; the target is a ratio under 1.2. Full run: about 10,000 events against
5,000,000; `--quick`: against about 300,000.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from rich.progress import Progress

from api.composition import open_services
from bench.common import Figure, ms, store, timed
from bench.generate import generate
from bench.http import served_reads
from bench.loadclient import Outcome
from projections.coherence import coherence
from tests.world import World


def _measure(
    kind: str, cases: int, progress: Progress, http_seconds: float
) -> tuple[int, float, float, Outcome]:
    """(events in the store, write p50 ms, read p50 ms, coherence reads over HTTP)."""
    with store(kind) as settings:
        with open_services(settings) as services:
            app, engine = services.maillage, services.engine
            task = progress.add_task(f"{kind}: generating {cases:,} cases", total=cases)
            dept = generate(app, cases=cases, progress=lambda n: progress.advance(task, n))
            world = World.build(app)
            own = [world.open_case(occurred_at=None) for _ in range(20)]
            jeanne = world.actor("jeanne")
            rng = random.Random(5)
            writes = timed(
                lambda: app.record_intervention(
                    case_id=rng.choice(own), by=jeanne, kind="home_visit"
                ),
                500,
            )
            progress.add_task(f"{kind}: catching up the read side", total=None)
            services.projections.catch_up()
            now = datetime.now(tz=UTC)
            sample = rng.sample(dept.cases, min(1000, len(dept.cases)))
            with engine.connect() as conn:
                reads = timed(lambda: coherence(conn, rng.choice(sample), at=now), 1000)
            events = app.recorder.max_notification_id() or 0
        progress.add_task(f"{kind}: HTTP reads, 32 clients, {http_seconds:.0f} s", total=None)
        served = served_reads(kind, settings, world, own, http_seconds)
    return events, ms(writes)[0], ms(reads)[0], served


def bench_scale(
    kind: str, small: int, large: int, progress: Progress, http_seconds: float = 10.0
) -> list[Figure]:
    small_events, small_write, small_read, small_http = _measure(
        kind, small, progress, http_seconds
    )
    large_events, large_write, large_read, large_http = _measure(
        kind, large, progress, http_seconds
    )
    target = "ratio < 1.2"
    http = _http_figures(kind, small_events, small_http)
    http += _http_figures(kind, large_events, large_http)
    return [
        *http,
        Figure(f"scale: write p50, {small_events:,} events", small_write, "ms", kind),
        Figure(
            f"scale: write p50, {large_events:,} events",
            large_write,
            "ms",
            kind,
            ceiling=small_write,
            ratio=large_write / small_write,
            target=target,
        ),
        Figure(f"scale: coherence read p50, {small_events:,} events", small_read, "ms", kind),
        Figure(
            f"scale: coherence read p50, {large_events:,} events",
            large_read,
            "ms",
            kind,
            ceiling=small_read,
            ratio=large_read / small_read,
            target=target,
        ),
    ]


def _http_figures(kind: str, events: int, served: Outcome) -> list[Figure]:
    p50, p99 = ms(served.latencies)
    where = f"32 clients, {events:,} events"
    return [
        Figure(f"HTTP coherence reads, {where}", served.rate, "requests/s", kind),
        Figure(f"HTTP coherence read p50, {where}", p50, "ms", kind),
        Figure(f"HTTP coherence read p99, {where}", p99, "ms", kind, target="< 10 ms"),
        Figure(
            f"HTTP coherence reads not 2xx, {where}", served.not_2xx, "requests", kind, target="0"
        ),
    ]
