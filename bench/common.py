"""What every benchmark shares: a figure, a throw-away store of each kind, a timer."""

from __future__ import annotations

import base64
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from api.settings import Settings
from api.store.migrations import upgrade

# The PostgreSQL database the benchmark makes its schemas in (each dropped after use).
PG_URL = os.environ.get(
    "MAILLAGE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BENCH_KEK = base64.b64encode(b"bench-only-key-encryption-key-32").decode()


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    store: str
    ceiling: float | None = None
    ratio: float | None = None
    target: str | None = None


@contextmanager
def store(kind: str) -> Iterator[Settings]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
            upgrade(settings)
            yield settings
        return
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    # A bench-only key-encryption key (PostgreSQL refuses to start without one).
    settings = Settings(database_url=PG_URL, database_schema=schema, key_encryption_key=BENCH_KEK)
    upgrade(settings)
    try:
        yield settings
    finally:
        engine = create_engine(PG_URL)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def timed(fn: Callable[[], object], repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def postgres_reachable() -> bool:
    import psycopg

    try:
        psycopg.connect(PG_URL.replace("+psycopg", ""), connect_timeout=3).close()
    except psycopg.OperationalError:
        return False
    return True


def percentile(samples: Sequence[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(int(q * len(ordered)), len(ordered) - 1)]


def ms(samples: Sequence[float]) -> tuple[float, float]:
    """p50 and p99 of samples in seconds, in milliseconds."""
    return statistics.median(samples) * 1000, percentile(samples, 0.99) * 1000
