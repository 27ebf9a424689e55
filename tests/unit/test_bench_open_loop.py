"""The open-loop client counts a request's latency from its scheduled send time, so the wait for
a free connection (the server falling behind) shows in the latencies (`bench/loadclient.py`).
Against a tiny local server that holds each answer 20 ms, on one connection: the order of the
recorded instants is asserted, never a duration."""

from __future__ import annotations

import asyncio
import itertools

from bench.loadclient import Call, open_loop

HOLD = 0.02  # the server's time per answer; five requests are due within 4 ms of each other


async def _answer_slowly(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            head = await reader.readuntil(b"\r\n\r\n")
            for line in head.decode("latin-1").split("\r\n"):
                name, _, value = line.partition(":")
                if name.lower() == "content-length":
                    await reader.readexactly(int(value))
            await asyncio.sleep(HOLD)
            writer.write(b"HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}")
            await writer.drain()
    except asyncio.IncompleteReadError:  # the client closed its connection
        pass
    finally:
        writer.close()


async def _run(rate: float, count: int, connections: int):  # type: ignore[no-untyped-def]
    server = await asyncio.start_server(_answer_slowly, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    sent: list[tuple[int, int]] = []

    def make(connection: int, n: int) -> Call:
        sent.append((connection, n))
        return Call("POST", "/things", {}, body={"n": n})

    async with server:
        outcome = await open_loop("127.0.0.1", port, rate, count / rate, make, connections)
    return outcome, sent


def test_latency_counts_from_the_scheduled_time_not_from_the_send() -> None:
    outcome, sent = asyncio.run(_run(rate=1000, count=5, connections=1))
    samples = sorted(outcome.samples, key=lambda s: s.scheduled)
    assert sorted(n for _, n in sent) == [0, 1, 2, 3, 4]
    assert [s.status for s in samples] == [201] * 5
    first = samples[0].scheduled
    for n, sample in enumerate(samples):
        assert abs(sample.scheduled - (first + n / 1000)) < 1e-9  # due at a fixed rate
        assert sample.scheduled <= sample.sent < sample.done
        assert sample.latency == sample.done - sample.scheduled
        assert sample.send_lag == sample.sent - sample.scheduled
    for before, after in itertools.pairwise(samples):
        # one connection: each request went out once the previous answer was read ...
        assert after.sent >= before.done
        # ... after it was due, and that wait is part of its latency
        assert after.sent > after.scheduled
        assert after.latency > after.done - after.sent
    assert outcome.latencies == [s.latency for s in outcome.samples]
    assert outcome.not_2xx == 0


def test_every_scheduled_request_is_sent_once_over_the_connections() -> None:
    outcome, sent = asyncio.run(_run(rate=500, count=10, connections=4))
    assert sorted(n for _, n in sent) == list(range(10))
    assert {connection for connection, _ in sent} <= {0, 1, 2, 3}
    assert len(outcome.samples) == 10
    assert outcome.rate == 500
