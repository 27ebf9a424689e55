"""The network map of a département of 200 institutions: how long from the read tables to the
SVG picture (issue 5: under a second).

A département is generated through the aggregates (`bench/generate.py`: 200 institutions, their
conventions, cases joined by several institutions), the projections catch up, then, for the
whole period of its cases, each run: the map read and computed from the report tables (what
`GET /network-map` does), and the SVG drawn from it (what `GET /network-map/picture` adds).

`python -m bench.network_map [--store sqlite|postgresql] [--cases N]` runs it alone and merges
its figures into bench/results.json; `python -m bench` runs it with the others.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from dataclasses import asdict
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from sqlalchemy import func, select

from api.composition import open_services
from api.i18n import FRENCH
from api.settings import Settings
from bench.common import Figure, percentile, postgres_reachable, store
from bench.generate import generate
from domain.reports import Month, MonthRange
from projections.charts import network_map_chart
from projections.report_tables import report_act_view
from projections.report_words import word_map
from projections.reports import the_network_map

RESULTS = Path(__file__).with_name("results.json")
RUNS = 10


def bench_network_map(
    kind: str, settings: Settings, cases: int, progress: Progress
) -> list[Figure]:
    with open_services(settings) as services:
        app, engine = services.maillage, services.engine
        task = progress.add_task(f"{kind}: generating {cases:,} cases (map)", total=cases)
        generate(app, cases=cases, institutions=200, progress=lambda n: progress.advance(task, n))
        services.projections.catch_up()
        with engine.connect() as conn:
            first, last = conn.execute(
                select(
                    func.min(report_act_view.c.occurred_at), func.max(report_act_view.c.occurred_at)
                )
            ).one()
        calendar = settings.calendar
        period = MonthRange(Month.of(calendar.day(first)), Month.of(calendar.day(last)))
        computed, drawn, svg_size, nodes, edges = [], [], 0, 0, 0
        for _ in range(RUNS):
            start = time.perf_counter()
            with engine.connect() as conn:
                found = word_map(
                    the_network_map(conn, period, min_cell=5, calendar=calendar), FRENCH
                )
            middle = time.perf_counter()
            svg = network_map_chart(found, FRENCH, "svg")
            end = time.perf_counter()
            computed.append(middle - start)
            drawn.append(end - middle)
            svg_size, nodes, edges = len(svg), len(found.nodes), len(found.edges)
    total = [a + b for a, b in zip(computed, drawn, strict=True)]
    label = f"{nodes} institutions, {edges} edges, {cases:,} cases"
    return [
        Figure(f"network map: read + compute ({label}, p50)", _ms(computed), "ms", kind),
        Figure(f"network map: draw the SVG ({svg_size // 1024} KiB, p50)", _ms(drawn), "ms", kind),
        Figure(
            f"network map: tables → SVG ({label}, p99 of {RUNS})",
            percentile(total, 0.99) * 1000,
            "ms",
            kind,
            target="< 1,000 ms",
        ),
    ]


def _ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.network_map")
    parser.add_argument("--store", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--cases", type=int, default=5_000)
    args = parser.parse_args()
    console = Console()
    if args.store == "postgresql" and not postgres_reachable():
        console.print("[yellow]PostgreSQL unreachable[/yellow]")
        return
    with Progress(console=console, transient=True) as progress, store(args.store) as settings:
        figures = bench_network_map(args.store, settings, args.cases, progress)
    for f in figures:
        console.print(f"{f.store:10} {f.name:70} {f.value:10,.1f} {f.unit}  {f.target or ''}")
    kept = json.loads(RESULTS.read_text()) if RESULTS.exists() else []
    names = {(f.store, f.name.split(" (")[0]) for f in figures}
    kept = [k for k in kept if (k["store"], k["name"].split(" (")[0]) not in names]
    RESULTS.write_text(
        json.dumps(kept + [asdict(f) for f in figures], indent=2, ensure_ascii=False)
    )
    console.print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
