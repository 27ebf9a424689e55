"""Bulk import speed (`import_events_per_s`): a migrated history recorded through the rules
(`maillage import`'s `Importer`, in batches) into a store holding only a small registry."""

from __future__ import annotations

import time

from rich.progress import Progress

from api.cli.importing import Importer
from api.composition import open_services
from api.settings import Settings
from bench.history import history_lines
from tests.world import World

EVENTS_EACH = 10


def import_rate(settings: Settings, cases: int, progress: Progress) -> tuple[int, float]:
    """(events imported, events/s) for `cases` cases of 10 events each."""
    with open_services(settings) as services:
        app = services.maillage
        world = World.build(app)
        lines = list(
            history_lines(world.p("jeanne"), world.i("aemo"), cases=cases, events_each=EVENTS_EACH)
        )
        task = progress.add_task(f"import {len(lines):,} lines", total=len(lines))
        started = time.perf_counter()
        report = Importer(app, source="bench").run(
            lines, progress=lambda n: progress.update(task, completed=n)
        )
        elapsed = time.perf_counter() - started
    if report.refused:
        raise RuntimeError(f"the import refused {len(report.refused)} lines: {report.refused[0]}")
    return report.events, report.events / elapsed
