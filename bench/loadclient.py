"""A lean HTTP/1.1 load client: one keep-alive connection per simulated client, requests
written as bytes, answers read by Content-Length. httpx's client costs more CPU per request
than a bare FastAPI endpoint does, so on a 2-core machine it, not the server, set the pace."""

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
