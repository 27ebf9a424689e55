"""What wrapping the beneficiaries' keys costs each time one is opened (issue 14):
`python -m bench.keys [--store sqlite|postgresql|all] [--keys N]`.

The keyring caches no key (`api.store.keyring`): every opening is one indexed read of the row
and one unwrap (AES-256-GCM over 32 bytes, under the key-encryption key). Measured over N cases:
- unwrap alone: `KeyEncryptionKeys.unwrap` on bytes already read;
- the row read alone: the same indexed SELECT, without the unwrap (what opening cost before);
- a key opened: `SqlKeyring.key`, both together;
each as a median in microseconds per key. Nothing is written to bench/results.json.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from uuid import UUID

from rich.console import Console
from rich.table import Table
from sqlalchemy import select

from api.settings import Settings
from api.store.factory import build_keyring
from api.store.keyring import SqlKeyring, beneficiary_key
from bench.common import postgres_reachable, store
from tests.world import NOW


def _median_us(fn: object, arguments: list[UUID], rounds: int = 5) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        for argument in arguments:
            fn(argument)  # type: ignore[operator]
        samples.append((time.perf_counter() - start) / len(arguments) * 1e6)
    return statistics.median(samples)


def measure(settings: Settings, keys: int) -> dict[str, float]:
    keyring: SqlKeyring = build_keyring(settings, clock=lambda: NOW)
    try:
        cases = [UUID(int=random.getrandbits(128)) for _ in range(keys)]
        keyring.keys_for_sealing(cases)  # created, wrapped, in one transaction
        t = beneficiary_key
        with keyring.engine.connect() as conn:
            rows = {
                r.case_id: (bytes(r.key), r.kek_id)
                for r in conn.execute(select(t.c.case_id, t.c.key, t.c.kek_id))
            }

        def read_row(case_id: UUID) -> object:
            with keyring.engine.connect() as conn:
                return conn.execute(
                    select(t.c.key, t.c.kek_id, t.c.destroyed_at).where(t.c.case_id == case_id)
                ).first()

        def unwrap(case_id: UUID) -> bytes:
            wrapped, kek_id = rows[case_id]
            return keyring.keks.unwrap(wrapped, kek_id, case_id)

        random.shuffle(cases)
        return {
            "unwrap alone": _median_us(unwrap, cases),
            "row read alone": _median_us(read_row, cases),
            "key opened (read + unwrap)": _median_us(keyring.key, cases),
        }
    finally:
        keyring.close()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.keys")
    parser.add_argument("--store", choices=["sqlite", "postgresql", "all"], default="all")
    parser.add_argument("--keys", type=int, default=2000)
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.store == "all" else [args.store]
    table = Table(title=f"opening a beneficiary's key ({args.keys} keys, µs per key, median)")
    table.add_column("store")
    table.add_column("what")
    table.add_column("µs", justify="right")
    for kind in kinds:
        if kind == "postgresql" and not postgres_reachable():
            table.add_row(kind, "PostgreSQL not reachable", "-")
            continue
        with store(kind) as settings:
            for what, value in measure(settings, args.keys).items():
                table.add_row(kind, what, f"{value:.1f}")
    Console().print(table)


if __name__ == "__main__":
    main()
