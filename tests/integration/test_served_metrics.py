"""`/metrics` of the service as deployed (`maillage serve` in its own processes, real HTTP).

- With two workers (PostgreSQL; SQLite serves one process), requests spread over both workers
  and any scrape counts every one of them: the workers share their samples through the
  directory `serve` prepares (and removes when it stops).
- With one worker and an operator's `PROMETHEUS_MULTIPROC_DIR` (both stores), a previous run's
  files are cleared at start, and a stopped worker leaves the live gauges.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from api.http.multiprocess import ENV
from api.settings import Settings
from tests.conftest import ON_POSTGRES
from tests.served import CLI, LOG, free_port, service_env, stop

pytestmark = pytest.mark.slow
BATCH = 24


@contextmanager
def served(settings: Settings, workers: int, **env: str) -> Iterator[str]:
    """`maillage serve --workers N` with extra environment variables; yields its base URL."""
    port = free_port()
    variables = service_env(settings)
    variables.pop(ENV, None)
    variables.update(env)
    command = [*CLI, "serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=variables, stdout=LOG, stderr=LOG)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the service did not become ready"
            assert process.poll() is None, "the service exited"
            time.sleep(0.2)
        yield base
    finally:
        stop([process])


def knock(base: str, times: int) -> None:
    """`times` requests to /health, a new connection each (so each may reach another worker)."""

    def once(_: int) -> None:
        answer = httpx.get(f"{base}/health", headers={"Connection": "close"}, timeout=10)
        assert answer.status_code == 200

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(once, range(times)))


def counted(base: str, route: str = "/health") -> float:
    """The request counter of `route` in one scrape, summed over its labels."""
    exposition = httpx.get(f"{base}/metrics", timeout=10).text
    return sum(
        sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
        if sample.name == "maillage_http_requests_total" and sample.labels["route"] == route
    )


def scrapes_agree(base: str, expected: int, scrapes: int = 6) -> None:
    """Every scrape counts `expected` requests (once the last one has been recorded: a worker
    counts a request just after answering it)."""
    deadline = time.monotonic() + 10
    while counted(base) != expected:
        assert time.monotonic() < deadline, f"{counted(base)} requests counted of {expected}"
        time.sleep(0.1)
    assert [counted(base) for _ in range(scrapes)] == [expected] * scrapes


def workers_counting(directory: Path) -> set[str]:
    """The processes whose request counts are in the directory (files `counter_<pid>.db`)."""
    return {path.stem.removeprefix("counter_") for path in directory.glob("counter_*.db")}


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite serves one process")
def test_every_scrape_counts_the_requests_of_every_worker(
    store_settings: Settings, tmp_path: Path
) -> None:
    with served(store_settings, workers=2, TMPDIR=str(tmp_path)) as base:
        [directory] = tmp_path.glob("maillage-metrics-*")  # fresh, prepared by serve
        sent = 0
        while len(workers_counting(directory)) < 2:  # until both workers have answered some
            assert sent < 20 * BATCH, "every request reached the same worker"
            knock(base, BATCH)
            sent += BATCH
        scrapes_agree(base, sent)
        gauges = list(directory.glob("gauge_livesum_*.db"))
        assert len(gauges) == 2  # requests in flight, one file per live worker
    assert not directory.exists()  # serve removes the directory it made


def test_an_operators_directory_is_cleared_at_start_and_left_by_a_stopped_worker(
    store_settings: Settings, tmp_path: Path
) -> None:
    directory = tmp_path / "metrics"
    directory.mkdir()
    previous_run = (
        "from prometheus_client import Counter\n"
        "Counter('maillage_http_requests', '', ['method', 'route', 'status'])"
        ".labels('GET', '/health', '200').inc(1000)\n"
    )
    subprocess.run(
        [sys.executable, "-c", previous_run], env={**os.environ, ENV: str(directory)}, check=True
    )
    [stale] = directory.glob("counter_*.db")

    with served(store_settings, workers=1, **{ENV: str(directory)}) as base:
        assert not stale.exists()
        knock(base, BATCH)
        scrapes_agree(base, BATCH)
        exposition = httpx.get(f"{base}/metrics", timeout=10).text
        assert "maillage_http_requests_in_flight 1.0" in exposition  # the scrape itself
        assert 'maillage_projection_lag_events{projection="coherence"}' in exposition
        assert len(workers_counting(directory)) == 1
    assert not list(directory.glob("gauge_livesum_*.db"))  # the stopped worker is not live
    assert len(workers_counting(directory)) == 1  # its counts stay until the next start
