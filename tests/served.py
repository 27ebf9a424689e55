"""The real service as deployed, for tests that need real HTTP: `maillage serve` in its own
processes (two workers on PostgreSQL, with a separate `maillage project --follow`; one process
on SQLite, following the log itself)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

from api.settings import Settings
from tests.conftest import ON_POSTGRES

# Where the service's own log lines go (MAILLAGE_TEST_SERVICE_LOG=FILE to read them).
LOG = open(os.environ.get("MAILLAGE_TEST_SERVICE_LOG", os.devnull), "ab")  # noqa: SIM115
CLI = [sys.executable, "-c", "from api.cli.main import main; main()"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def service_env(settings: Settings, database_url: str | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env["MAILLAGE_DATABASE_URL"] = database_url or settings.database_url
    if settings.database_schema:
        env["MAILLAGE_DATABASE_SCHEMA"] = settings.database_schema
    assert settings.jwt_secret is not None
    env["MAILLAGE_JWT_SECRET"] = settings.jwt_secret.get_secret_value()
    if settings.key_encryption_key is not None:
        env["MAILLAGE_KEY_ENCRYPTION_KEY"] = settings.key_encryption_key.get_secret_value()
    env["MAILLAGE_LOG_FORMAT"] = "text"
    return env


@contextmanager
def serving(settings: Settings, *, database_url: str | None = None) -> Iterator[str]:
    """Start the service (and on PostgreSQL its projection worker); yield its base URL."""
    port = free_port()
    env = service_env(settings, database_url)
    workers = "2" if ON_POSTGRES else "1"
    commands = [["serve", "--port", str(port), "--workers", workers]]
    if ON_POSTGRES:  # projections run in their own worker there
        commands.append(["project", "--follow", "--interval", "0.02"])
    processes = [
        subprocess.Popen([*CLI, *command], env=env, stdout=LOG, stderr=LOG) for command in commands
    ]
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90  # two workers and a projection worker import at once
        while True:
            try:
                if httpx.get(f"{base}/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the service did not become ready"
            assert processes[0].poll() is None, "the service exited"
            time.sleep(0.2)
        yield base
    finally:
        stop(processes)


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Ask each process to stop; kill what is still running 10 s later."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def in_thread(
    app: Any, name: str, *, ready: str = "/ready", within: float = 60, port: int | None = None
) -> Iterator[str]:
    """An ASGI app served by uvicorn in a thread of this process, on `port` (default: a free
    loopback port), once `ready` answers 200; yields its base URL, and stops it afterwards."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, name=name, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + within
    while True:
        try:
            if httpx.get(f"{base}{ready}", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert time.monotonic() < deadline, f"{name} did not become ready"
        assert thread.is_alive(), f"{name} stopped"
        time.sleep(0.05)
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=15)
