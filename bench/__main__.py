"""`python -m bench [--quick] [--store sqlite|postgresql|all] [--startup-only]`

Prints one table and writes the same figures to bench/results.json. Read side figures: see
`bench/read_side.py`; the network map of 200 institutions: `bench/network_map.py`. Write side
figures, each measured in this run:
- write: recorded interventions per second on one case (load + decide + save, cache on), one writer;
- load: time to load a case of 50 events vs one of 5,000 (fresh process view: no cache,
  snapshots on), and the same 5,000-event case fully replayed without snapshots, for contrast.
First, start-up times (`bench/startup.py`: `maillage --help` and an API worker's boot). Then,
per store: the cost of privacy and integrity (`bench/privacy.py`), the HTTP write and read
paths against a bare endpoint (`bench/http.py`), and latency against the store's size
(`bench/scale.py`).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import asdict
from pathlib import Path

from eventsourcing.domain import Aggregate, event
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from api.composition import Services, build_services
from api.settings import Settings
from bench.common import Figure, postgres_reachable, store, timed
from bench.http import bench_http
from bench.importing import bench_import
from bench.network_map import bench_network_map
from bench.privacy import bench_privacy
from bench.read_side import bench_read_side
from bench.scale import bench_scale
from bench.startup import bench_startup
from tests.world import World

RESULTS = Path(__file__).with_name("results.json")


class Tally(Aggregate):
    """The least an event-sourced write can do: the ceiling our use cases are compared with."""

    def __init__(self) -> None:
        self.count = 0

    @event("Incremented")
    def increment(self) -> None:
        self.count += 1


def fresh(settings: Settings, **env: str) -> Services:
    """A fresh process's view of the store: no aggregate cache."""
    return build_services(settings, AGGREGATE_CACHE_MAXSIZE="", **env)


def bench_store(kind: str, big: int, writes: int, progress: Progress) -> list[Figure]:
    figures: list[Figure] = []
    with store(kind) as settings:
        services = build_services(settings)
        app = services.maillage
        world = World.build(app)
        jeanne = world.actor("jeanne")
        small_case = world.open_case(occurred_at=None)
        big_case = world.open_case(occurred_at=None)

        counter = Tally()
        app.save(counter)
        task = progress.add_task(f"{kind}: {writes} bare library writes", total=writes)
        start = time.perf_counter()
        for _ in range(writes):
            tally = app.repository.get(counter.id)
            tally.increment()
            app.save(tally)
            progress.advance(task)
        bare = writes / (time.perf_counter() - start)
        figures.append(
            Figure("write ceiling: library get + one event + save", bare, "events/s", kind)
        )

        task = progress.add_task(f"{kind}: {writes} writes on one case", total=writes)
        start = time.perf_counter()
        for _ in range(writes):
            app.record_intervention(case_id=small_case, by=jeanne, kind="home_visit")
            progress.advance(task)
        elapsed = time.perf_counter() - start
        rate = writes / elapsed
        figures.append(
            Figure(
                "write: record_intervention, one case, one writer",
                rate,
                "events/s",
                kind,
                ceiling=bare,
                ratio=rate / bare,
                target="as close to the ceiling as the rules allow",
            )
        )

        task = progress.add_task(f"{kind}: filling a case with {big} events", total=big - writes)
        for _ in range(big - writes - 1):
            app.record_intervention(case_id=big_case, by=jeanne, kind="home_visit")
            progress.advance(task)
        services.close()

        reading = fresh(settings)
        reader = reading.maillage
        small = timed(lambda: reader.repository.get(small_case), 50)
        large = timed(lambda: reader.repository.get(big_case), 50)
        reading.close()
        replaying = fresh(settings, IS_SNAPSHOTTING_ENABLED="n")
        replayer = replaying.maillage
        replay = timed(lambda: replayer.repository.get(big_case), 5)
        replaying.close()
        small_ms = statistics.median(small) * 1000
        large_ms = statistics.median(large) * 1000
        figures.append(Figure(f"load: case of {writes + 1} events (p50)", small_ms, "ms", kind))
        figures.append(
            Figure(
                f"load: case of {big} events, snapshots (p50)",
                large_ms,
                "ms",
                kind,
                ceiling=small_ms,
                ratio=large_ms / small_ms,
                target="ratio ≤ 1.5 against the small case",
            )
        )
        figures.append(
            Figure(
                f"load: case of {big} events, full replay (p50)",
                statistics.median(replay) * 1000,
                "ms",
                kind,
            )
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, a minute or so")
    parser.add_argument("--store", choices=["sqlite", "postgresql", "all"], default="all")
    parser.add_argument("--startup-only", action="store_true", help="start-up times alone")
    args = parser.parse_args()
    big, writes = (2_000, 200) if args.quick else (5_000, 1_000)
    http_seconds = 5.0 if args.quick else 20.0
    scale_cases = 25_000 if args.quick else 400_000  # about 300,000 / 5,000,000 events
    cases = 5_000 if args.quick else 100_000
    import_cases = 2_000 if args.quick else 20_000  # 10 events each
    stores = ["sqlite", "postgresql"] if args.store == "all" else [args.store]
    if args.startup_only:
        stores = []
    console = Console()
    figures: list[Figure] = bench_startup(runs=3 if args.quick else 5)
    with Progress(console=console, transient=True) as progress:
        for kind in stores:
            if kind == "postgresql" and not postgres_reachable():
                console.print("[yellow]PostgreSQL unreachable: skipped[/yellow]")
                continue
            figures += bench_store(kind, big, writes, progress)
            figures += bench_privacy(kind, writes, progress)
            with store(kind) as settings:
                figures += bench_import(kind, settings, import_cases, progress)
            with store(kind) as settings:
                figures += bench_http(kind, settings, http_seconds, progress)
            figures += bench_scale(kind, 300, scale_cases, progress)
            with store(kind) as settings:
                figures += bench_read_side(kind, settings, cases, progress)
            with store(kind) as settings:
                figures += bench_network_map(kind, settings, min(cases, 5_000), progress)
    table = Table(title="Maillage — benchmarks")
    for column in ("store", "figure", "value", "unit", "ratio", "target"):
        table.add_column(column)
    for f in figures:
        table.add_row(
            f.store,
            f.name,
            f"{f.value:,.2f}",
            f.unit,
            f"{f.ratio:.2f}" if f.ratio else "",
            f.target or "",
        )
    console.print(table)
    RESULTS.write_text(json.dumps([asdict(f) for f in figures], indent=2, ensure_ascii=False))
    console.print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
