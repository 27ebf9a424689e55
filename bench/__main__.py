"""`python -m bench [--quick] [--store sqlite|postgresql|all] [--extra] [--big-file FILE]`

Measures every named figure of issue 16's targets table on each store and writes them to
bench/results.json (`bench/named.py`: `{name, value, unit, target, store, met}`), printing them
with MISSED beside each target not met:
- the HTTP figures, against the service as deployed and a bare endpoint (`bench/service.py`);
- `import_events_per_s` (`bench/importing.py`);
- `rebuild_events_per_s`, `rebuild_peak_mb`: a generated département (`bench/generate.py`)
  rebuilt in a process of its own (`bench/rebuilding.py`);
- the full run only (or `--big-events N` for a smaller try, reported but not named): write and
  read p50 in a store of about 5 million events ÷ in one of 10,000 (`bench/big.py`).
A step that fails is reported with its traceback, its figures left `null` (FAILED), and the
run goes on; the exit status is then 1. `--extra` adds the older figures (start-up, the write
ceiling and case loads below, privacy, read side, network map, scale).
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from eventsourcing.domain import Aggregate, event
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from api.composition import Services, build_services, open_services
from api.settings import Settings
from bench.big import DEFAULT_DIR, bench_big
from bench.common import Figure, postgres_reachable, store, timed
from bench.generate import generate
from bench.importing import import_rate
from bench.named import TARGETS, Named, expected, table, write_results
from bench.network_map import bench_network_map
from bench.privacy import bench_privacy
from bench.read_side import bench_read_side
from bench.rebuilding import measure_rebuild
from bench.scale import bench_scale
from bench.service import Sizes, bench_service
from bench.startup import bench_startup
from tests.world import World

RESULTS = Path(__file__).with_name("results.json")
FULL_EVENTS = 5_000_000


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


@dataclass(frozen=True)
class Plan:
    service: Sizes
    import_cases: int  # 10 events each
    rebuild_cases: int  # about 14 events each
    big_events: int  # 0: no size comparison
    big_count: int  # writes and reads at each size


QUICK = Plan(Sizes(5.0, 200, 100), 2_000, 2_000, 0, 0)
FULL = Plan(Sizes(20.0, 1_000, 500), 20_000, 50_000, FULL_EVENTS, 500)


STEPS: dict[str, tuple[str, ...]] = {  # `--only` step -> the names it measures
    "http": (
        "http_write_ratio",
        "http_read_ratio",
        "write_p99_ms_at_half_capacity",
        "read_p99_ms_at_half_capacity",
        "write_server_ms",
        "write_cpu_ms",
        "commit_to_readable_p99_ms",
        "pg_two_workers_read_gain",
    ),
    "import": ("import_events_per_s",),
    "rebuild": ("rebuild_events_per_s", "rebuild_peak_mb"),
    "size": ("write_p50_ratio_5m_to_10k", "read_p50_ratio_5m_to_10k"),
}


class Run:
    """The named figures measured so far, the supporting ones, and the steps that failed."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.values: dict[tuple[str, str], float] = {}
        self.extra: list[Figure] = []
        self.failed: list[str] = []

    def step(
        self, kind: str, what: str, measure: Callable[[Callable[[str, float], None]], object]
    ) -> None:
        def record(name: str, value: float) -> None:
            if name not in TARGETS:
                raise KeyError(f"not a named figure: {name}")
            self.values[(kind, name)] = value

        started = time.perf_counter()
        try:
            measure(record)
        except Exception:  # one failed step must not lose the others' figures: reported below
            self.failed.append(f"{kind}: {what}")
            self.console.print(f"[red]{kind}: {what} failed[/red]")
            self.console.print(traceback.format_exc())
        self.extra.append(Figure(f"step: {what}", time.perf_counter() - started, "s", kind))

    def named(
        self, stores: list[str], *, full_size: bool, steps: Iterable[str] = STEPS
    ) -> list[Named]:
        wanted = {name for step in steps for name in STEPS[step]}
        return [
            Named(name, self.values.get((kind, name)), kind)
            for kind in stores
            for name in expected(kind, full_size=full_size)
            if name in wanted
        ]


def measure_store(
    kind: str, plan: Plan, run: Run, progress: Progress, big_file: Path, steps: list[str]
) -> None:
    def service(record: Callable[[str, float], None]) -> None:
        with store(kind) as settings:
            run.extra.extend(bench_service(kind, settings, plan.service, progress, record))

    def importing(record: Callable[[str, float], None]) -> None:
        with store(kind) as settings:
            events, rate = import_rate(settings, plan.import_cases, progress)
        record("import_events_per_s", rate)
        run.extra.append(Figure("import: events imported", events, "events", kind))

    def rebuilding(record: Callable[[str, float], None]) -> None:
        with store(kind) as settings:
            task = progress.add_task(f"{kind}: generating {plan.rebuild_cases:,} cases", total=None)
            with open_services(settings) as services:
                generate(
                    services.maillage,
                    cases=plan.rebuild_cases,
                    progress=lambda n: progress.advance(task, n),
                )
            progress.add_task(f"{kind}: rebuilding every projection", total=None)
            events, rate, peak = measure_rebuild(settings)
        record("rebuild_events_per_s", rate)
        record("rebuild_peak_mb", peak)
        run.extra.append(Figure("rebuild: events in the log", events, "events", kind))

    def sizes(record: Callable[[str, float], None]) -> None:
        write, read, figures = bench_big(kind, big_file, plan.big_events, plan.big_count, progress)
        run.extra.extend(figures)
        if plan.big_events >= FULL_EVENTS:
            record("write_p50_ratio_5m_to_10k", write)
            record("read_p50_ratio_5m_to_10k", read)
        else:  # a smaller try: shown, not named
            run.extra.append(
                Figure(f"write p50 {plan.big_events:,} ÷ 10k events", write, "ratio", kind)
            )
            run.extra.append(
                Figure(f"read p50 {plan.big_events:,} ÷ 10k events", read, "ratio", kind)
            )

    if "http" in steps:
        run.step(kind, "HTTP: service beside bare endpoint", service)
    if "import" in steps:
        run.step(kind, "import", importing)
    if "rebuild" in steps:
        run.step(kind, "rebuild", rebuilding)
    if "size" in steps and plan.big_events:
        run.step(kind, f"store size: {plan.big_events:,} against 10,000 events", sizes)


def measure_extra(kind: str, quick: bool, run: Run, progress: Progress) -> None:
    """The older figures (issues 3 and 7), not part of issue 16's targets."""
    big, writes = (2_000, 200) if quick else (5_000, 1_000)
    cases = 5_000 if quick else 100_000

    def older(record: Callable[[str, float], None]) -> None:
        run.extra.extend(bench_store(kind, big, writes, progress))
        run.extra.extend(bench_privacy(kind, writes, progress))
        with store(kind) as settings:
            run.extra.extend(bench_read_side(kind, settings, cases, progress))
        with store(kind) as settings:
            run.extra.extend(bench_network_map(kind, settings, min(cases, 5_000), progress))
        run.extra.extend(bench_scale(kind, 300, 25_000 if quick else 400_000, progress))

    run.step(kind, "older figures", older)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="smaller sizes (≈ 5 minutes a store)")
    parser.add_argument("--store", choices=["sqlite", "postgresql", "all"], default="all")
    parser.add_argument("--extra", action="store_true", help="also the older figures")
    parser.add_argument("--startup-only", action="store_true", help="start-up times alone")
    parser.add_argument(
        "--big-events",
        type=int,
        default=None,
        help=f"size comparison store (default {FULL_EVENTS:,} in a full run, none with --quick)",
    )
    parser.add_argument(
        "--big-file",
        type=Path,
        default=None,
        help="the kept history file (default $MAILLAGE_BENCH_BIG_FILE or "
        f"{DEFAULT_DIR}/history-<events>.jsonl); generated when absent, reused when present",
    )
    parser.add_argument("--results", type=Path, default=RESULTS, help="where to write the JSON")
    parser.add_argument(
        "--only",
        action="append",
        choices=list(STEPS),
        help="measure only this step's figures (repeatable; default: all)",
    )
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    if args.big_events is not None:
        plan = Plan(
            plan.service,
            plan.import_cases,
            plan.rebuild_cases,
            args.big_events,
            plan.big_count or 300,
        )
    big_file = args.big_file or Path(
        os.environ.get("MAILLAGE_BENCH_BIG_FILE")
        or DEFAULT_DIR / f"history-{plan.big_events}.jsonl"
    )
    console = Console()
    if not console.is_terminal:  # a log file: wide enough for the figures' names
        console.width = max(console.width, 140)
    run = Run(console)
    started = time.perf_counter()
    if args.startup_only:
        console.print(_older_table(bench_startup(runs=3 if args.quick else 5)))
        return
    stores = ["sqlite", "postgresql"] if args.store == "all" else [args.store]
    full_size = plan.big_events >= FULL_EVENTS
    steps = args.only or list(STEPS)
    with Progress(console=console, transient=True) as progress:
        if args.extra:
            run.extra.extend(bench_startup(runs=3 if args.quick else 5))
        for kind in stores:
            if kind == "postgresql" and not postgres_reachable():
                console.print("[red]PostgreSQL unreachable: its figures are not measured[/red]")
                run.failed.append("postgresql: unreachable")
                continue
            measure_store(kind, plan, run, progress, big_file, steps)
            if args.extra:
                measure_extra(kind, args.quick, run, progress)
            write_results(
                args.results, run.named(stores, full_size=full_size, steps=steps)
            )  # so far
    named = run.named(stores, full_size=full_size, steps=steps)
    write_results(args.results, named)
    console.print(_older_table(run.extra))
    console.print(table(named))
    missed = [f"{f.store}:{f.name}" for f in named if not f.met]
    console.print(f"written to {args.results}; {len(named) - len(missed)} of {len(named)} met")
    console.print(f"runtime: {time.perf_counter() - started:,.0f} s")
    if run.failed:
        console.print(f"[red]failed steps: {', '.join(run.failed)}[/red]")
        raise SystemExit(1)


def _older_table(figures: list[Figure]) -> Table:
    out = Table(title="Maillage — supporting and older figures")
    for column in ("store", "figure", "value", "unit", "ratio", "target"):
        out.add_column(column)
    for f in figures:
        out.add_row(
            f.store,
            f.name,
            f"{f.value:,.2f}",
            f.unit,
            f"{f.ratio:.2f}" if f.ratio else "",
            f.target or "",
        )
    return out


if __name__ == "__main__":
    main()
