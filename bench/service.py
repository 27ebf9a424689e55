"""Issue 16's HTTP figures, each a ratio or a latency measured in one run against the service
as deployed (`bench/serving.py`) and, for the ratios, the bare FastAPI endpoint served the same
way (`bench/bare.py`), both loaded by the lean client of `bench/loadclient.py`:

- `http_write_ratio`: 2xx writes/s (POST an intervention, 64 clients, each on a case of its
  own, closed loop) ÷ bare POST/s with the same 64 clients;
- `http_read_ratio`: 2xx coherence reads/s (32 clients, random cases) ÷ bare GET/s;
- `write_p99_ms_at_half_capacity` / `read_p99_ms_at_half_capacity`: open loop at a fixed rate,
  half the capacity the closed loop just measured, latency from each request's scheduled send
  time (a request waiting for a connection or for the server counts its wait);
- `write_server_ms`: p50 of `Server-Timing: app;dur=` (set by `api.http.observability`: the
  app's time until its answer starts) over writes sent one at a time;
- `write_cpu_ms`: CPU of the API server's process tree (/proc utime + stime of `maillage serve`
  and its workers, the embedded follower included on SQLite) over those same writes ÷ their
  number, as the issue's profile measured today's 6.1 ms; PostgreSQL's separate projection
  worker, the bare endpoint's CPU per POST and the CPU per write under the 64-client load are
  shown apart (supporting figures);
- `commit_to_readable_p99_ms`: from a write's answer (acknowledged = committed) until the
  coherence view's row shows it, polled every 0.5 ms from this process by SQL;
- `pg_two_workers_read_gain` (PostgreSQL): reads/s with two API workers ÷ with one, same run.
"""

from __future__ import annotations

import asyncio
import random
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

import httpx
from pydantic import SecretStr
from rich.progress import Progress

from api.composition import build_services, open_services
from api.http.auth import mint_token
from api.settings import Settings
from bench.common import Figure, ms, percentile
from bench.loadclient import Call, Outcome, load, open_loop
from bench.serving import bare_commands, cpu_seconds, service_commands, serving
from domain.access import Role
from projections.coherence import case_facts
from tests.served import free_port, service_env
from tests.world import World

SECRET = "bench-only-signing-key-0123456789abcdef"
WRITERS, READERS = 64, 32
Record = Callable[[str, float], None]


@dataclass(frozen=True)
class Sizes:
    seconds: float  # each closed or open load
    sequential: int  # writes one at a time (server time)
    readable: int  # commit → readable samples


@dataclass
class Plan:
    """The store's cases (Jeanne's), her headers, and the requests the clients send."""

    cases: list[UUID]
    headers: dict[str, str]

    def write(self, client: int, n: int) -> Call:
        body = {"kind": "home_visit", "summary": "visite à domicile"}
        return Call(
            "POST", f"/cases/{self.cases[client % WRITERS]}/interventions", self.headers, body=body
        )

    def reader(self, seed: int) -> Callable[[int, int], Call]:
        rng = random.Random(seed)

        def read(client: int, n: int) -> Call:
            path = f"/cases/{rng.choice(self.cases)}/coherence"
            return Call("GET", path, self.headers, {"purpose": "follow_up"})

        return read


def _plan(settings: Settings) -> Plan:
    with open_services(settings) as services:
        world = World.build(services.maillage)
        cases = [world.open_case(occurred_at=None) for _ in range(WRITERS)]
        token = mint_token(
            settings,
            subject=world.p("jeanne"),
            role=Role.CASE_WORKER,
            institution_id=world.i("aemo"),
        )
    return Plan(cases, {"Authorization": f"Bearer {token}"})


def _ok_rate(outcome: Outcome) -> float:
    """Answers/s counting only the 2xx ones: a refused request is not a write."""
    return (len(outcome.latencies) - outcome.not_2xx) / outcome.elapsed


def bench_service(
    kind: str, settings: Settings, sizes: Sizes, progress: Progress, record: Record
) -> list[Figure]:
    """Records the named figures as they are measured (a later failure keeps the earlier
    ones); returns the supporting figures (rates, p50s, refused answers)."""
    settings = settings.model_copy(update={"jwt_secret": SecretStr(SECRET)})
    plan = _plan(settings)
    env = service_env(settings)
    extra: list[Figure] = []
    seconds = sizes.seconds

    def closed(port: int, clients: int, make: Callable[[int, int], Call], what: str) -> float:
        progress.add_task(f"{kind}: {what}, {clients} clients, {seconds:.0f} s", total=None)
        outcome = asyncio.run(load("127.0.0.1", port, clients, seconds, make))
        rate = _ok_rate(outcome)
        p50, p99 = ms(outcome.latencies)
        extra.append(Figure(f"{what}, {clients} clients (closed loop)", rate, "2xx/s", kind))
        extra.append(Figure(f"{what}: p50 / p99 {p99:,.1f} ms", p50, "ms", kind))
        if outcome.not_2xx:
            extra.append(Figure(f"{what}: answers not 2xx", outcome.not_2xx, "requests", kind))
        return rate

    bare_port = free_port()
    bare_url = f"http://127.0.0.1:{bare_port}"
    with serving(bare_commands(kind, bare_port), env, f"{bare_url}/docs") as procs:
        bare_write = closed(bare_port, WRITERS, plan.write, "bare POST")
        bare_read = closed(bare_port, READERS, plan.reader(1), "bare GET")
        meter = CpuMeter(procs)
        before = meter.read()
        with httpx.Client(base_url=bare_url, headers=plan.headers, timeout=30) as client:
            _one_at_a_time(client, plan.cases[0], sizes.sequential, progress, kind)
        cpu = meter.since(before)[0] / sizes.sequential * 1000
        extra.append(Figure("bare POST one at a time: server CPU per request", cpu, "ms", kind))

    port = free_port()
    with serving(service_commands(kind, port), env, f"http://127.0.0.1:{port}/health") as procs:
        meter = CpuMeter(procs)
        before = meter.read()
        progress.add_task(f"{kind}: writes, {WRITERS} clients, {seconds:.0f} s", total=None)
        outcome = asyncio.run(load("127.0.0.1", port, WRITERS, seconds, plan.write))
        cpu, worker_cpu = meter.since(before)
        ok = len(outcome.latencies) - outcome.not_2xx
        write_rate = _ok_rate(outcome)
        record("http_write_ratio", write_rate / bare_write)
        if ok:
            extra.append(
                Figure("writes, 64 clients: API server CPU per write", cpu / ok * 1000, "ms", kind)
            )
            if meter.worker:
                extra.append(
                    Figure(
                        "writes, 64 clients: projection worker CPU per write",
                        worker_cpu / ok * 1000,
                        "ms",
                        kind,
                    )
                )
        p99 = ms(outcome.latencies)[1]
        extra += [
            Figure(
                f"writes, {WRITERS} clients (closed loop; p99 {p99:,.0f} ms)",
                write_rate,
                "2xx/s",
                kind,
            ),
            Figure("writes: API server CPU during the load", cpu / outcome.elapsed, "cores", kind),
        ]
        if outcome.not_2xx:
            extra.append(Figure("writes: answers not 2xx", outcome.not_2xx, "requests", kind))
        record(
            "write_p99_ms_at_half_capacity",
            _half_capacity(kind, port, write_rate, plan.write, seconds, progress, "writes", extra),
        )
        read_rate = closed(port, READERS, plan.reader(2), "coherence reads")
        record("http_read_ratio", read_rate / bare_read)
        record(
            "read_p99_ms_at_half_capacity",
            _half_capacity(
                kind, port, read_rate, plan.reader(3), seconds, progress, "reads", extra
            ),
        )
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, headers=plan.headers, timeout=30) as client:
            before = meter.read()
            server, wall = _one_at_a_time(client, plan.cases[0], sizes.sequential, progress, kind)
            cpu, worker_cpu = meter.since(before)
            if not server:
                raise RuntimeError("the write answers carry no Server-Timing header")
            record("write_server_ms", ms(server)[0])
            record("write_cpu_ms", cpu / sizes.sequential * 1000)
            extra.append(
                Figure("write one at a time, at the client (p50)", ms(wall)[0], "ms", kind)
            )
            if meter.worker:
                per_write = worker_cpu / sizes.sequential * 1000
                extra.append(
                    Figure(
                        "write one at a time: projection worker CPU per write",
                        per_write,
                        "ms",
                        kind,
                    )
                )
            readable = _commit_to_readable(
                client, settings, plan.cases[1], sizes.readable, progress, kind
            )
            record("commit_to_readable_p99_ms", readable)

    if kind == "postgresql":
        port = free_port()
        one_worker = service_commands(kind, port, workers=1)
        with serving(one_worker, env, f"http://127.0.0.1:{port}/health"):
            single = closed(port, READERS, plan.reader(2), "coherence reads, one API worker")
        record("pg_two_workers_read_gain", read_rate / single)
    return extra


class CpuMeter:
    """CPU seconds of the API server's process tree (`maillage serve`, its workers) and, apart,
    of the other processes served beside it (PostgreSQL's projection worker)."""

    def __init__(self, processes: list[subprocess.Popen[bytes]]) -> None:
        self.server = [processes[0].pid]
        self.worker = [p.pid for p in processes[1:]]

    def read(self) -> tuple[float, float]:
        return cpu_seconds(self.server), cpu_seconds(self.worker) if self.worker else 0.0

    def since(self, before: tuple[float, float]) -> tuple[float, float]:
        server, worker = self.read()
        return server - before[0], worker - before[1]


def _half_capacity(
    kind: str,
    port: int,
    capacity: float,
    make: Callable[[int, int], Call],
    seconds: float,
    progress: Progress,
    what: str,
    extra: list[Figure],
) -> float:
    rate = max(capacity / 2, 1.0)
    seconds = min(max(seconds, 200 / rate), 3 * seconds)  # ≥ 200 samples for a p99 if it can
    progress.add_task(f"{kind}: {what} at {rate:,.0f}/s (open loop), {seconds:.0f} s", total=None)
    outcome = asyncio.run(open_loop("127.0.0.1", port, rate, seconds, make))
    p50, p99 = ms(outcome.latencies)
    lag = percentile([s.send_lag for s in outcome.samples], 0.99) * 1000
    extra.append(
        Figure(
            f"{what} at half capacity, {rate:,.0f}/s: p50 (send lag p99 {lag:.1f} ms)",
            p50,
            "ms",
            kind,
        )
    )
    if outcome.not_2xx:
        extra.append(
            Figure(f"{what} at half capacity: answers not 2xx", outcome.not_2xx, "requests", kind)
        )
    return p99


def _one_at_a_time(
    client: httpx.Client, case_id: UUID, count: int, progress: Progress, kind: str
) -> tuple[list[float], list[float]]:
    """`count` writes in sequence: (the app's times from `Server-Timing`, when the answers carry
    it; the times at the client), in seconds."""
    task = progress.add_task(f"{kind}: {count} writes one at a time", total=count)
    server, wall = [], []
    for _ in range(count):
        start = time.perf_counter()
        answer = client.post(f"/cases/{case_id}/interventions", json={"kind": "home_visit"})
        wall.append(time.perf_counter() - start)
        answer.raise_for_status()
        timing = answer.headers.get("Server-Timing", "")
        if timing.startswith("app;dur="):
            server.append(float(timing.removeprefix("app;dur=")) / 1000)
        progress.advance(task)
    return server, wall


def _commit_to_readable(
    client: httpx.Client,
    settings: Settings,
    case_id: UUID,
    count: int,
    progress: Progress,
    kind: str,
) -> float:
    """p99 ms from a write's answer to its version in the coherence view (the first five
    samples, while the read side may still be catching up with the loads, are not counted)."""
    task = progress.add_task(f"{kind}: commit → readable", total=count + 5)
    services = build_services(settings)
    samples: list[float] = []
    try:
        with services.engine.connect() as conn:
            for n in range(count + 5):
                answer = client.post(f"/cases/{case_id}/interventions", json={"kind": "home_visit"})
                answer.raise_for_status()
                version = int(answer.json()["version"])
                start = time.perf_counter()
                while True:
                    conn.rollback()  # a fresh snapshot for each read
                    facts = case_facts(conn, case_id)
                    if facts is not None and facts.version >= version:
                        break
                    if time.perf_counter() - start > 60:
                        raise RuntimeError("a write was not readable in the coherence view in 60 s")
                    time.sleep(0.0005)
                if n >= 5:
                    samples.append(time.perf_counter() - start)
                progress.advance(task)
    finally:
        services.close()
    return ms(samples)[1]
