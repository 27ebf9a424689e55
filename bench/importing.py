"""Bulk import speed (issue 7): a migrated history recorded through the rules, in batches."""

from __future__ import annotations

import time

from rich.progress import Progress

from api.cli.importing import Importer
from api.composition import open_services
from api.settings import Settings
from bench.common import Figure
from bench.history import history_lines
from tests.world import World

EVENTS_EACH = 10


def bench_import(kind: str, settings: Settings, cases: int, progress: Progress) -> list[Figure]:
    with open_services(settings) as services:
        app = services.maillage
        world = World.build(app)
        lines = list(
            history_lines(world.p("jeanne"), world.i("aemo"), cases=cases, events_each=EVENTS_EACH)
        )
        task = progress.add_task(f"{kind}: import {len(lines):,} lines", total=len(lines))
        started = time.perf_counter()
        report = Importer(app, source="bench").run(
            lines, progress=lambda n: progress.update(task, completed=n)
        )
        elapsed = time.perf_counter() - started
    if report.refused:
        raise RuntimeError(f"the import refused {len(report.refused)} lines: {report.refused[0]}")
    return [
        Figure(
            f"bulk import through the rules ({cases:,} cases, {report.events:,} events)",
            report.events / elapsed,
            "events/s",
            kind,
            target="≥ 50,000 events/s",
        )
    ]
