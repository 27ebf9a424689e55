"""Does a write or a read cost more in a store of about 5 million events than in one of about
10,000? (`write_p50_ratio_5m_to_10k`, `read_p50_ratio_5m_to_10k`, the full run.)

Both stores are filled the same way: a history of AEMO cases (`bench/history.py`, 10 events
each) imported through the rules (`maillage import`'s `Importer`, the batched writer), then every
projection rebuilt. The large history is generated once into a kept JSON Lines file
(`--big-file`, `MAILLAGE_BENCH_BIG_FILE`; default under `~/.cache/maillage-bench/`), its
professional and institution written as placeholders replaced at import by the store's own
registry. On SQLite the filled store is kept too (`<file>.sqlite3`, with `.json` naming its
registry) and copied for each run; PostgreSQL imports the kept file into a fresh schema each
run (the fastest honest path: the service's own import).

In each store the service is served as deployed; one client then sends, one at a time, writes
(interventions on cases opened for the run) and coherence reads (random imported cases); the
figure is each p50 of the app's time (`Server-Timing`) in the large store ÷ in the small one.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID

import httpx
from pydantic import SecretStr
from rich.progress import Progress
from sqlalchemy import func, select

from api.cli.importing import Importer
from api.composition import open_services
from api.http.auth import mint_token
from api.settings import Settings
from api.store.kek import KEY_FILE_SUFFIX
from api.store.migrations import upgrade
from bench.common import Figure, ms, store
from bench.history import history_lines
from bench.service import SECRET
from bench.serving import service_commands, serving
from domain.access import Role
from projections.tables import case_coherence_view
from tests.served import free_port, service_env
from tests.world import World

EVENTS_EACH = 10
SMALL_EVENTS = 10_000
PROFESSIONAL = "00000000-0000-4000-8000-00000000b001"  # placeholders in the kept file
INSTITUTION = "00000000-0000-4000-8000-00000000b002"
DEFAULT_DIR = Path.home() / ".cache" / "maillage-bench"


def kept_history(path: Path, events: int, progress: Progress) -> Path:
    """The kept history file of about `events` events, generated if absent (atomically: a
    file present is complete)."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    cases = events // EVENTS_EACH
    task = progress.add_task(f"generating {path.name} ({cases:,} cases)", total=cases)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8") as out:
        for n, line in enumerate(
            history_lines(UUID(PROFESSIONAL), UUID(INSTITUTION), cases=cases, events_each=10)
        ):
            out.write(line + "\n")
            if n % (EVENTS_EACH * 1000) == 0:
                progress.update(task, completed=n // EVENTS_EACH)
    partial.rename(path)
    return path


def _fill(settings: Settings, lines: Iterator[str], what: str, progress: Progress) -> World:
    """A registry, the history imported for its Jeanne, then every projection rebuilt."""
    with open_services(settings) as services:
        world = World.build(services.maillage)
        jeanne, aemo = str(world.p("jeanne")), str(world.i("aemo"))
        task = progress.add_task(f"importing {what}", total=None)
        report = Importer(services.maillage, source="bench-big").run(
            (line.replace(PROFESSIONAL, jeanne).replace(INSTITUTION, aemo) for line in lines),
            progress=lambda n: progress.update(task, completed=n),
        )
        if report.refused:
            raise RuntimeError(f"the import refused {len(report.refused)} lines")
        progress.add_task(f"rebuilding the projections of {what}", total=None)
        services.projections.rebuild()
    return world


def _lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as lines:
        yield from lines


@contextmanager
def big_store(kind: str, history: Path, progress: Progress) -> Iterator[tuple[Settings, World]]:
    if kind != "sqlite":
        with store(kind) as settings:
            yield settings, _fill(settings, _lines(history), history.name, progress)
        return
    kept = history.with_suffix(".sqlite3")
    names = kept.with_suffix(".json")
    if not names.exists():
        building = Path(tempfile.mkdtemp(dir=kept.parent))
        settings = Settings(database_url=f"sqlite:///{building / kept.name}")
        upgrade(settings)
        world = _fill(settings, _lines(history), history.name, progress)
        with sqlite3.connect(building / kept.name) as db:
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        for file in building.iterdir():  # the store and its key file; its WAL is empty
            if file.name.endswith(("-wal", "-shm")):
                file.unlink()
            else:
                file.rename(kept.parent / file.name)
        building.rmdir()
        names.write_text(
            json.dumps({"i": _ids(world.institutions), "p": _ids(world.professionals)})
        )
    registry = json.loads(names.read_text())
    with tempfile.TemporaryDirectory() as tmp:
        progress.add_task(f"copying {kept.name}", total=None)
        for suffix in ("", KEY_FILE_SUFFIX):
            if (source := kept.parent / (kept.name + suffix)).exists():
                shutil.copy(source, Path(tmp) / source.name)
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / kept.name}")
        with open_services(settings) as services:
            world = World(
                services.maillage,
                {k: UUID(v) for k, v in registry["i"].items()},
                {k: UUID(v) for k, v in registry["p"].items()},
            )
        yield settings, world


def _ids(named: dict[str, UUID]) -> dict[str, str]:
    return {k: str(v) for k, v in named.items()}


def _p50s(
    settings: Settings, world: World, count: int, progress: Progress
) -> tuple[int, float, float]:
    """(events in the store, write p50 ms, read p50 ms), server time, one request at a time."""
    settings = settings.model_copy(update={"jwt_secret": SecretStr(SECRET)})
    with open_services(settings) as services:
        world.app = services.maillage
        own = [world.open_case(occurred_at=None) for _ in range(20)]
        with services.engine.connect() as conn:
            imported = [
                UUID(r)
                for r in conn.execute(
                    select(case_coherence_view.c.case_id).order_by(func.random()).limit(count)
                ).scalars()
            ]
        events = services.maillage.recorder.max_notification_id() or 0
    token = mint_token(
        settings, subject=world.p("jeanne"), role=Role.CASE_WORKER, institution_id=world.i("aemo")
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    commands = service_commands("sqlite" if settings.is_sqlite else "postgresql", port)
    auth = {"Authorization": f"Bearer {token}"}
    rng = random.Random(5)
    writes, reads = [], []
    task = progress.add_task(f"{events:,} events: {count} writes, {count} reads", total=2 * count)
    with (
        serving(commands, service_env(settings), f"{base}/health"),
        httpx.Client(base_url=base, headers=auth, timeout=60) as client,
    ):
        for n in range(count):
            answer = client.post(
                f"/cases/{own[n % len(own)]}/interventions", json={"kind": "home_visit"}
            )
            writes.append(_server_seconds(answer))
            progress.advance(task)
        for _ in range(count):
            answer = client.get(
                f"/cases/{rng.choice(imported)}/coherence", params={"purpose": "follow_up"}
            )
            reads.append(_server_seconds(answer))
            progress.advance(task)
    return events, ms(writes)[0], ms(reads)[0]


def _server_seconds(answer: httpx.Response) -> float:
    answer.raise_for_status()
    return float(answer.headers["Server-Timing"].removeprefix("app;dur=")) / 1000


def bench_big(
    kind: str, history: Path, events: int, count: int, progress: Progress
) -> tuple[float, float, list[Figure]]:
    """(write p50 ratio, read p50 ratio, supporting figures): large store ÷ small store."""
    started = time.perf_counter()
    kept_history(history, events, progress)
    small_lines = history_lines(
        UUID(PROFESSIONAL), UUID(INSTITUTION), cases=SMALL_EVENTS // EVENTS_EACH, events_each=10
    )
    with store(kind) as settings:
        world = _fill(settings, small_lines, f"{SMALL_EVENTS:,} events", progress)
        small = _p50s(settings, world, count, progress)
    with big_store(kind, history, progress) as (settings, world):
        large = _p50s(settings, world, count, progress)
    figures = [
        Figure(f"{what} p50 (server), {n:,} events", value, "ms", kind)
        for n, w, r in (small, large)
        for what, value in (("write", w), ("coherence read", r))
    ]
    figures.append(Figure("size comparison, wall time", time.perf_counter() - started, "s", kind))
    return large[1] / small[1], large[2] / small[2], figures
