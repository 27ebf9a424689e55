"""The HTTP write and read paths, each beside its ceiling in the same run (issue 7).

The service runs as deployed (`maillage serve`: one process on SQLite, two workers and a
separate projection worker on PostgreSQL); the ceiling is a bare FastAPI app (`bench/bare.py`)
served by uvicorn with the same number of workers; both are loaded by the same client: one
asyncio process keeping N requests in flight for a fixed time (`bench/loadclient.py`).
- write: POST an intervention (authenticated, validated, decided, appended, then followed by
  the coherence projection) on cases of their own, 64 clients;
- read: GET a case's coherence view (authenticated, authorised, the reading recorded — every
  reading of a case's content is an event — then the view) on 32 clients.
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

import httpx
from pydantic import SecretStr
from rich.progress import Progress

from api.composition import open_services
from api.http.auth import mint_token
from api.settings import Settings
from bench.common import Figure, ms
from bench.loadclient import Call, Outcome, load
from domain.access import Role
from tests.served import CLI, free_port, service_env, stop
from tests.world import World

SECRET = "bench-only-signing-key-0123456789abcdef"


def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url}: not ready in 60 s")


@contextmanager
def _serving(commands: list[list[str]], env: dict[str, str], probe: str) -> Iterator[None]:
    processes = [
        subprocess.Popen(c, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for c in commands
    ]
    try:
        _wait_ready(probe, processes[0])
        yield
    finally:
        stop(processes)


def _service_commands(kind: str, port: int) -> list[list[str]]:
    """`maillage serve` as deployed: one process on SQLite; two workers and a projection worker
    on PostgreSQL."""
    workers = "1" if kind == "sqlite" else "2"
    commands = [[*CLI, "serve", "--port", str(port), "--workers", workers]]
    if kind != "sqlite":
        commands.append([*CLI, "project", "--follow", "--interval", "0.02"])
    return commands


def served_reads(
    kind: str, settings: Settings, world: World, cases: list[UUID], seconds: float
) -> Outcome:
    """32 clients reading the coherence views of `cases` (Jeanne's) from the service as
    deployed on the store `settings` names, for `seconds`."""
    settings = settings.model_copy(update={"jwt_secret": SecretStr(SECRET)})
    token = mint_token(
        settings, subject=world.p("jeanne"), role=Role.CASE_WORKER, institution_id=world.i("aemo")
    )
    headers = {"Authorization": f"Bearer {token}"}
    rng = random.Random(11)
    port = free_port()

    def read(client: int, n: int) -> Call:
        return Call(
            "GET", f"/cases/{rng.choice(cases)}/coherence", headers, {"purpose": "follow_up"}
        )

    probe = f"http://127.0.0.1:{port}/health"
    with _serving(_service_commands(kind, port), service_env(settings), probe):
        return asyncio.run(load("127.0.0.1", port, 32, seconds, read))


def bench_http(kind: str, settings: Settings, seconds: float, progress: Progress) -> list[Figure]:
    settings = settings.model_copy(update={"jwt_secret": SecretStr(SECRET)})
    with open_services(settings) as services:
        world = World.build(services.maillage)
        cases: list[UUID] = [world.open_case(occurred_at=None) for _ in range(64)]
        token = mint_token(
            settings,
            subject=world.p("jeanne"),
            role=Role.CASE_WORKER,
            institution_id=world.i("aemo"),
        )
    headers = {"Authorization": f"Bearer {token}"}
    workers = "1" if kind == "sqlite" else "2"
    env = service_env(settings)
    service_port, bare_port = free_port(), free_port()
    service_cmds = _service_commands(kind, service_port)
    bare_cmds = [
        [
            sys.executable,
            "-m",
            "uvicorn",
            "bench.bare:app",
            "--port",
            str(bare_port),
            "--workers",
            workers,
            "--log-level",
            "warning",
        ]
    ]
    body = {"kind": "home_visit", "summary": "visite à domicile"}
    rng = random.Random(7)

    def write(client: int, n: int) -> Call:
        return Call("POST", f"/cases/{cases[client % 64]}/interventions", headers, body=body)

    def read(client: int, n: int) -> Call:
        return Call(
            "GET", f"/cases/{rng.choice(cases)}/coherence", headers, {"purpose": "follow_up"}
        )

    results: dict[str, Outcome] = {}
    plans = [
        ("bare", bare_cmds, bare_port),
        ("service", service_cmds, service_port),
    ]
    for name, commands, port in plans:
        base = f"http://127.0.0.1:{port}"
        probe = f"{base}/health" if name == "service" else f"{base}/docs"
        with _serving(commands, env, probe):
            progress.add_task(f"{kind}: {name} write path, 64 clients, {seconds:.0f} s", total=None)
            results[f"{name} write"] = asyncio.run(load("127.0.0.1", port, 64, seconds, write))
            progress.add_task(f"{kind}: {name} read path, 32 clients, {seconds:.0f} s", total=None)
            results[f"{name} read"] = asyncio.run(load("127.0.0.1", port, 32, seconds, read))

    figures = []
    for path, clients, target_ratio in (
        ("write", 64, 0.6 if kind == "sqlite" else 0.4),
        ("read", 32, 0.8),
    ):
        bare_rate = results[f"bare {path}"].rate
        served = results[f"service {path}"]
        rate, failures = served.rate, served.not_2xx
        p50, p99 = ms(served.latencies)
        figures += [
            Figure(
                f"HTTP {path}: bare FastAPI endpoint, {clients} clients",
                bare_rate,
                "requests/s",
                kind,
            ),
            Figure(
                f"HTTP {path}: Maillage, {clients} clients",
                rate,
                "requests/s",
                kind,
                ceiling=bare_rate,
                ratio=rate / bare_rate,
                target=f"ratio ≥ {target_ratio}",
            ),
            Figure(f"HTTP {path}: Maillage p50, {clients} clients", p50, "ms", kind),
            Figure(
                f"HTTP {path}: Maillage p99, {clients} clients",
                p99,
                "ms",
                kind,
                target="< 25 ms" if path == "write" else "< 10 ms",
            ),
            Figure(f"HTTP {path}: answers not 2xx", failures, "requests", kind, target="0"),
        ]
    return figures
