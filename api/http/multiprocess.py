"""One `/metrics` for every worker of `maillage serve --workers N`.

Behind uvicorn's shared socket a scrape reaches one worker at random. With a registry per
process, each scrape would show that worker's counts only, and successive scrapes would jump
between workers. Per-worker labels do not mend that (the scraper still reaches one worker per
scrape: the workers have no address of their own), so Maillage uses `prometheus_client`'s
multiprocess mode: every worker writes its samples to memory-mapped files in one directory
(`PROMETHEUS_MULTIPROC_DIR`), and whichever worker answers a scrape reads them all, summed.

The variable must be set before `prometheus_client` is imported (it decides then how values are
stored): `maillage serve` sets it before starting the workers, which are new processes. The
directory must be empty when the service starts, or a previous run's counts would be added in.

Not written to files: the projection lag, read from the shared store at scrape time (the same
from any worker; summing it across workers would be wrong).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from prometheus_client import CollectorRegistry, values
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector

ENV = "PROMETHEUS_MULTIPROC_DIR"


def directory() -> str | None:
    """Where this process writes its metrics, or None (a registry in memory, one process).

    Asks `prometheus_client` rather than the environment alone: the variable counts only if it
    was set when the library was imported."""
    if values.ValueClass is values.MutexValue:
        return None
    return os.environ.get(ENV)


@contextmanager
def prepared(workers: int) -> Iterator[str | None]:
    """For `maillage serve`, around starting the workers: the operator's directory (created if
    missing, emptied of a previous run's files), or with several workers and none given, a
    fresh directory of our own, removed when the service stops. One worker and no directory
    given: nothing to share, metrics stay in memory."""
    given = os.environ.get(ENV)
    if given:
        path = Path(given)
        path.mkdir(parents=True, exist_ok=True)
        for stale in path.glob("*.db"):
            stale.unlink()
        yield given
        return
    if workers <= 1:
        yield None
        return
    own = tempfile.mkdtemp(prefix="maillage-metrics-")
    os.environ[ENV] = own  # inherited by the workers uvicorn starts
    try:
        yield own
    finally:
        os.environ.pop(ENV, None)
        shutil.rmtree(own, ignore_errors=True)


def every_worker(path: str, *live: Collector) -> CollectorRegistry:
    """A registry for one scrape: every worker's samples from the files, plus collectors read
    at scrape time (`live`)."""
    registry = CollectorRegistry()
    MultiProcessCollector(registry, path=path)  # type: ignore[no-untyped-call]
    for collector in live:
        registry.register(collector)
    return registry


def process_ended(path: str) -> None:
    """A worker stops: its live gauges (requests in flight) leave the sums; its counters stay,
    counts of requests it answered."""
    mark_process_dead(os.getpid(), path)  # type: ignore[no-untyped-call]
