"""Serving for the HTTP benchmarks: the service as deployed (`maillage serve`: one process on
SQLite; workers and a separate projection worker on PostgreSQL), the bare FastAPI ceiling
(`bench/bare.py`) served by uvicorn the same way, and the CPU their process trees used (from
/proc, so the server's own work is counted, not the load client's)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.served import CLI, stop

TICKS = os.sysconf("SC_CLK_TCK")


def wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited ({process.returncode}):\n{_tail(log)}")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"{url}: not ready in 90 s:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


@contextmanager
def serving(
    commands: list[list[str]], env: dict[str, str], probe: str
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Start `commands` (their output kept in a temporary file, shown if the first one does not
    become ready), wait until `probe` answers; stop them all on leaving."""
    with tempfile.TemporaryDirectory() as tmp:
        logs = [Path(tmp) / f"{n}.log" for n in range(len(commands))]
        processes = []
        for command, log in zip(commands, logs, strict=True):
            with log.open("wb") as out:
                processes.append(subprocess.Popen(command, env=env, stdout=out, stderr=out))
        try:
            wait_ready(probe, processes[0], logs[0])
            yield processes
        finally:
            stop(processes)


def service_commands(kind: str, port: int, workers: int | None = None) -> list[list[str]]:
    """`maillage serve` as deployed: one process on SQLite (following the log itself); two
    workers (or `workers`) and a projection worker on PostgreSQL."""
    count = 1 if kind == "sqlite" else (workers or 2)
    commands = [[*CLI, "serve", "--port", str(port), "--workers", str(count)]]
    if kind != "sqlite":
        commands.append([*CLI, "project", "--follow"])  # wakes on the store's NOTIFY
    return commands


def bare_commands(kind: str, port: int) -> list[list[str]]:
    workers = "1" if kind == "sqlite" else "2"
    return [
        [
            sys.executable,
            *("-m", "uvicorn", "bench.bare:app", "--port", str(port), "--workers", workers),
            *("--log-level", "warning"),
        ]
    ]


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:  # gone meanwhile
        return None
    return text[text.rindex(")") + 2 :].split()  # after "pid (comm) ": state, ppid, …


def tree(roots: list[int]) -> list[int]:
    """`roots` and every live descendant."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (fields := _stat(int(entry.name))) is not None:
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(roots), list(roots)
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                found.add(pid)
                frontier.append(pid)
    return sorted(found)


def cpu_seconds(roots: list[int]) -> float:
    """User + system CPU time used so far by `roots` and their live descendants."""
    total = 0
    for pid in tree(roots):
        if (fields := _stat(pid)) is not None:
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15)
    return total / TICKS
