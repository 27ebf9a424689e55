"""What privacy and integrity cost on the write path (issue 6), measured side by side.

One writer records interventions on one case (load + decide + save, cache on), in four ways:
- baseline: the library's own recorder (no hash chain), no free text (nothing to seal);
- + chain: our recorder, extending the hash chain in the writing transaction;
- + sealing: the same with a summary, sealed with the beneficiary's key (one key read, AES-GCM);
- + cipher: the same with whole-event encryption at rest (another store: its events are all
  enciphered).
Each is reported against the baseline's rate.
"""

from __future__ import annotations

import time

from eventsourcing.cryptography import AESCipher
from pydantic import SecretStr
from rich.progress import Progress

from api.composition import open_services
from api.settings import Settings
from bench.common import Figure, store
from tests.world import World

LIBRARY_RECORDERS = {
    "sqlite": "eventsourcing.sqlite:SQLiteApplicationRecorder",
    "postgresql": "eventsourcing.postgres:PostgresApplicationRecorder",
}


def _rate(
    settings: Settings, writes: int, summary: str | None, progress: Progress, label: str, **env: str
) -> float:
    with open_services(settings, **env) as services:
        app = services.maillage
        world = World.build(app)
        case_id = world.open_case(occurred_at=None)
        jeanne = world.actor("jeanne")
        task = progress.add_task(label, total=writes)
        start = time.perf_counter()
        for _ in range(writes):
            app.record_intervention(case_id=case_id, by=jeanne, kind="home_visit", summary=summary)
            progress.advance(task)
        return writes / (time.perf_counter() - start)


def bench_privacy(kind: str, writes: int, progress: Progress) -> list[Figure]:
    note = "visite à domicile, la mère présente, l'enfant calme"
    with store(kind) as settings:
        base = _rate(
            settings,
            writes,
            None,
            progress,
            f"{kind}: baseline writes",
            APPLICATION_RECORDER_TOPIC=LIBRARY_RECORDERS[kind],
        )
        chained = _rate(settings, writes, None, progress, f"{kind}: chained writes")
        sealed = _rate(settings, writes, note, progress, f"{kind}: chained + sealed writes")
    ciphered_settings = {"cipher_key": SecretStr(AESCipher.create_key(32))}
    with store(kind) as settings:
        ciphered = _rate(
            settings.model_copy(update=ciphered_settings),
            writes,
            note,
            progress,
            f"{kind}: chained + sealed + enciphered writes",
        )
    target = "cost stated, no target"
    return [
        Figure("write: baseline (library recorder, nothing sealed)", base, "events/s", kind),
        Figure("write: + hash chain", chained, "events/s", kind, base, chained / base, target),
        Figure(
            "write: + chain + sealed summary", sealed, "events/s", kind, base, sealed / base, target
        ),
        Figure(
            "write: + chain + sealed + whole-event cipher",
            ciphered,
            "events/s",
            kind,
            base,
            ciphered / base,
            target,
        ),
    ]
