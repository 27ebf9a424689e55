"""A lean HTTP/1.1 load client: one keep-alive connection per simulated client, requests
written as bytes, answers read by Content-Length. httpx's client costs more CPU per request
than a bare FastAPI endpoint does, so on a 2-core machine it, not the server, set the pace.

Two ways to load: closed loop (`load`: N clients, each sending its next request when the last
one is answered — a capacity) and open loop (`open_loop`: requests scheduled at a fixed rate
whatever the answers do — a latency at a given load). In the open loop a request's latency is
counted from its *scheduled* send time, not from when a connection was free to send it, so a
server that falls behind shows its queue in the latencies instead of slowing the client down
(no "coordinated omission")."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    @property
    def not_2xx(self) -> int:
        return sum(n for status, n in self.statuses.items() if not 200 <= status < 300)


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    headers: dict[str, str]
    query: dict[str, str] | None = None
    body: Any = None

    def encode(self, host: str) -> bytes:
        target = self.path + (f"?{urlencode(self.query)}" if self.query else "")
        payload = b"" if self.body is None else json.dumps(self.body).encode()
        lines = [f"{self.method} {target} HTTP/1.1", f"Host: {host}"]
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        if self.body is not None:
            lines += ["Content-Type: application/json", f"Content-Length: {len(payload)}"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, data: bytes) -> int:
    writer.write(data)
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.lower() == "content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


async def load(
    host: str, port: int, clients: int, seconds: float, make: Callable[[int, int], Call]
) -> Outcome:
    """`clients` connections, each sending `make(client, n)` back to back for `seconds`."""
    outcome = Outcome()
    until = time.monotonic() + seconds

    async def one(client: int) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        n = 0
        try:
            while time.monotonic() < until:
                data = make(client, n).encode(f"{host}:{port}")
                start = time.perf_counter()
                status = await _exchange(reader, writer, data)
                outcome.latencies.append(time.perf_counter() - start)
                outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
                n += 1
        finally:
            writer.close()

    start = time.monotonic()
    await asyncio.gather(*(one(i) for i in range(clients)))
    outcome.elapsed = time.monotonic() - start
    return outcome


@dataclass(frozen=True)
class Sample:
    """One open-loop request: when it was due, when it went out, when its answer was read
    (`time.perf_counter()` seconds)."""

    scheduled: float
    sent: float
    done: float
    status: int

    @property
    def latency(self) -> float:
        """From the scheduled send time: the wait for a free connection counts."""
        return self.done - self.scheduled

    @property
    def send_lag(self) -> float:
        return self.sent - self.scheduled


@dataclass
class OpenOutcome:
    rate: float  # requests scheduled per second
    samples: list[Sample] = field(default_factory=list)

    @property
    def latencies(self) -> list[float]:
        return [s.latency for s in self.samples]

    @property
    def not_2xx(self) -> int:
        return sum(1 for s in self.samples if not 200 <= s.status < 300)


async def open_loop(
    host: str,
    port: int,
    rate: float,
    seconds: float,
    make: Callable[[int, int], Call],
    connections: int = 64,
) -> OpenOutcome:
    """`rate × seconds` requests, the n-th due at start + n / rate, sent on the first of
    `connections` keep-alive connections that is free (`make(connection, n)`)."""
    outcome = OpenOutcome(rate=rate)
    due: asyncio.Queue[tuple[int, float] | None] = asyncio.Queue()
    total = max(int(rate * seconds), 1)

    async def schedule() -> None:
        start = time.perf_counter()
        for n in range(total):
            at = start + n / rate
            delay = at - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            due.put_nowait((n, at))
        for _ in range(connections):
            due.put_nowait(None)

    async def connection(index: int) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while (item := await due.get()) is not None:
                n, at = item
                data = make(index, n).encode(f"{host}:{port}")
                sent = time.perf_counter()
                try:
                    status = await _exchange(reader, writer, data)
                except (ConnectionError, asyncio.IncompleteReadError):
                    # the server closed an idle keep-alive connection: open another, send again
                    writer.close()
                    reader, writer = await asyncio.open_connection(host, port)
                    status = await _exchange(reader, writer, data)
                outcome.samples.append(Sample(at, sent, time.perf_counter(), status))
        finally:
            writer.close()

    # a server that stops answering fails the run instead of hanging it
    await asyncio.wait_for(
        asyncio.gather(schedule(), *(connection(i) for i in range(connections))),
        timeout=seconds * 5 + 120,
    )
    return outcome
