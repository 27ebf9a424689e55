"""A projection worker (`maillage project --follow`) killed with SIGKILL while it applies pages,
then restarted, ends exactly where a rebuild ends: a page's rows and its position commit
together or not at all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from typing import Any

from sqlalchemy import Engine, select

from api.settings import Settings
from bench.generate import generate
from domain.application import Maillage
from projections.catalog import PROJECTORS
from projections.runner import ProjectionRunner

WORKER = [sys.executable, "-c", "from api.cli.main import main; main()"]


def tables(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            t.name: sorted(tuple(r) for r in conn.execute(select(t)).all())
            for p in PROJECTORS
            for t in p.tables
        }


def worker_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["MAILLAGE_DATABASE_URL"] = settings.database_url
    env["MAILLAGE_PROJECTION_BATCH_SIZE"] = "40"
    if settings.database_schema:
        env["MAILLAGE_DATABASE_SCHEMA"] = settings.database_schema
    if settings.key_encryption_key is not None:
        env["MAILLAGE_KEY_ENCRYPTION_KEY"] = settings.key_encryption_key.get_secret_value()
    return env


def test_a_worker_killed_mid_batch_converges_after_restart(
    store_settings: Settings, store_app: Maillage, engine: Engine
) -> None:
    generate(store_app, cases=500, events_each=12, institutions=20, professionals_each=4)
    runner = ProjectionRunner(store_app, engine)
    head = runner.head()
    assert head > 5000

    worker = subprocess.Popen(
        [*WORKER, "project", "--follow"],
        env=worker_env(store_settings),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            reached = [runner.position(p.name) for p in PROJECTORS]
            if any(position > head // 4 for position in reached):
                break
            time.sleep(0.002)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    killed_at = [runner.position(p.name) for p in PROJECTORS]
    assert any(0 < position < head for position in killed_at), killed_at  # stopped midway

    restarted = subprocess.run(
        [*WORKER, "project"], env=worker_env(store_settings), capture_output=True, timeout=120
    )
    assert restarted.returncode == 0, restarted.stderr.decode()
    assert all(lag.position == head for lag in runner.lag())
    after_restart = tables(engine)

    runner.rebuild()
    assert tables(engine) == after_restart


def test_two_followers_at_once_end_identical_to_a_rebuild(
    store_app: Maillage, engine: Engine
) -> None:
    """Two followers on one store (the embedded one and a `maillage project`, say) take turns on
    each page: none is applied twice, no position goes back."""
    generate(store_app, cases=150, events_each=12, institutions=12, professionals_each=3)
    runners = [ProjectionRunner(store_app, engine, batch_size=size) for size in (7, 11)]
    errors: list[BaseException] = []

    def follow(runner: ProjectionRunner) -> None:
        try:
            runner.catch_up()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=follow, args=(r,)) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    head = runners[0].head()
    assert all(lag.position == head for lag in runners[0].lag())
    followed = tables(engine)

    runners[0].rebuild()
    assert tables(engine) == followed
