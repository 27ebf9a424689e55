"""Read side figures, each beside its ceiling measured in the same run, on a generated département:

- rebuild: all projections replayed from the whole log (a child process, for its peak memory),
  against the floor every projection pays — reading and decoding the log, page by page;
- coherence view of one case, in process, with every case of the département in the store,
  against reading the case's facts row alone;
- as-of view of a case of 1,000 events, against reading and decoding those events alone;
- commit → readable: from a command's return to its effect in the coherence view, with the
  projections following the log in process (SQLite, the embedded mode) or as a separate worker
  process (PostgreSQL, production).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import resource
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

from rich.progress import Progress

from api.composition import Services, build_services, open_services
from api.settings import Settings
from bench.common import Figure, ms, timed
from bench.generate import generate
from projections.coherence import AsOf, case_facts, coherence, coherence_as_of
from tests.world import World

WORKER = [sys.executable, "-c", "from api.cli.main import main; main()"]


def _rebuild_in_child(settings: Settings, result: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    with open_services(settings) as services:
        start = time.perf_counter()
        services.projections.rebuild()
        result.put(time.perf_counter() - start)


def _read_and_decode(settings: Settings, page: int) -> float:
    services = build_services(settings)
    app = services.maillage
    start, after = time.perf_counter(), 0
    while True:
        notifications = app.recorder.select_notifications(start=after + 1, limit=page)
        if not notifications:
            break
        for n in notifications:
            app.mapper.to_domain_event(n)
        after = notifications[-1].id
    services.close()
    return time.perf_counter() - start


def bench_read_side(kind: str, settings: Settings, cases: int, progress: Progress) -> list[Figure]:
    figures: list[Figure] = []
    services = build_services(settings)
    app, engine, runner = services.maillage, services.engine, services.projections
    task = progress.add_task(f"{kind}: generating {cases:,} cases", total=cases)
    dept = generate(app, cases=cases, progress=lambda n: progress.advance(task, n))
    head = runner.head()

    # --- rebuild ------------------------------------------------------------------------------
    progress.add_task(f"{kind}: rebuilding from {head:,} events", total=None)
    floor = head / _read_and_decode(settings, settings.projection_batch_size)
    figures.append(Figure("rebuild floor: read + decode the log", floor, "events/s", kind))
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_rebuild_in_child, args=(settings, queue))
    child.start()
    elapsed = queue.get()
    child.join()
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    rate = head / elapsed
    target = 100_000 if kind == "sqlite" else 40_000
    figures.append(
        Figure(
            f"rebuild: all projections, {head:,} events",
            rate,
            "events/s",
            kind,
            ceiling=floor,
            ratio=rate / floor,
            target=f"≥ {target:,} events/s",
        )
    )
    figures.append(
        Figure("rebuild: peak memory of the process", peak_mb, "MB", kind, target="< 500 MB")
    )

    # --- coherence view, in process ---------------------------------------------------------
    rng = random.Random(3)
    sample = rng.sample(dept.cases, min(2000, len(dept.cases)))
    now = datetime.now(tz=UTC)
    with engine.connect() as conn:
        bare = [0.0] * len(sample)
        views = [0.0] * len(sample)
        for i, case_id in enumerate(sample):
            start = time.perf_counter()
            case_facts(conn, case_id)
            bare[i] = time.perf_counter() - start
            start = time.perf_counter()
            coherence(conn, case_id, at=now)
            views[i] = time.perf_counter() - start
    bare_p50, _ = ms(bare)
    p50, p99 = ms(views)
    figures.append(
        Figure(f"coherence view: p50, {len(dept.cases):,} cases in store", p50, "ms", kind)
    )
    figures.append(
        Figure(
            f"coherence view: p99, {len(dept.cases):,} cases in store",
            p99,
            "ms",
            kind,
            ceiling=bare_p50,
            ratio=p99 / bare_p50,
            target="p99 < 2 ms",
        )
    )

    # --- as-of, a case of 1,000 events --------------------------------------------------------
    world = World.build(app)
    case_id = world.open_case(occurred_at=None)
    for _ in range(999):
        app.record_intervention(case_id=case_id, by=world.actor("jeanne"), kind="home_visit")
    at = datetime.now(tz=UTC)
    decode = timed(
        lambda: [app.mapper.to_domain_event(s) for s in app.recorder.select_events(case_id)], 20
    )
    as_of = timed(lambda: coherence_as_of(app, case_id, at=at, question=AsOf.RECORDED), 20)
    floor_p50, _ = ms(decode)
    p50, p99 = ms(as_of)
    figures.append(
        Figure(
            "as-of view: case of 1,000 events (p50)",
            p50,
            "ms",
            kind,
            ceiling=floor_p50,
            ratio=p50 / floor_p50,
            target="< 20 ms",
        )
    )

    # --- commit → readable ------------------------------------------------------------------
    runner.catch_up()
    figures.append(_commit_to_readable(kind, services, world, progress))
    services.close()
    return figures


def _commit_to_readable(
    kind: str,
    services: Services,
    world: World,
    progress: Progress,
) -> Figure:
    """Record, then read the coherence view until it shows the command (polled every 0.5 ms)."""
    settings, app, engine = services.settings, services.maillage, services.engine
    case_id = world.open_case(occurred_at=None)
    stop = threading.Event()
    worker: subprocess.Popen[bytes] | None = None
    follower: threading.Thread | None = None
    if kind == "sqlite":  # the embedded mode: a follower thread in the service's process
        follower = threading.Thread(
            target=services.projections.follow,
            args=(stop,),
            kwargs={"interval": settings.projection_poll_seconds},
        )
        follower.start()
        how = "in process"
    else:  # production: a separate worker process
        env = {
            "MAILLAGE_DATABASE_URL": settings.database_url,
            "MAILLAGE_DATABASE_SCHEMA": settings.database_schema or "",
        }
        if settings.key_encryption_key is not None:
            env["MAILLAGE_KEY_ENCRYPTION_KEY"] = settings.key_encryption_key.get_secret_value()
        worker = subprocess.Popen(
            [*WORKER, "project", "--follow", "--interval", str(settings.projection_poll_seconds)],
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        how = "separate worker"
    samples: list[float] = []
    try:
        task = progress.add_task(f"{kind}: commit → readable", total=200)
        with engine.connect() as conn:
            deadline = time.monotonic() + 30
            while case_facts(conn, case_id) is None and time.monotonic() < deadline:
                conn.rollback()
                time.sleep(0.01)
            for _ in range(200):
                recorded = app.record_intervention(
                    case_id=case_id, by=world.actor("jeanne"), kind="home_visit"
                )
                start = time.perf_counter()
                while True:
                    conn.rollback()  # a fresh snapshot for each read
                    facts = case_facts(conn, case_id)
                    if facts is not None and facts.version >= recorded.version:
                        break
                    time.sleep(0.0005)
                samples.append(time.perf_counter() - start)
                progress.advance(task)
    finally:
        stop.set()
        if follower is not None:
            follower.join()
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=10)
    p50, p99 = ms(samples)
    return Figure(
        f"commit → readable in the coherence view, {how} (p99; p50 {p50:.1f} ms)",
        p99,
        "ms",
        kind,
        target="p99 < 50 ms",
    )
