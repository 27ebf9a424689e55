"""Backup and restore of a store (`maillage backup FILE`, `maillage restore FILE`).

A backup is one SQLite file with a `maillage_backup` table holding its manifest (JSON: the kind
of store it was taken from, its migration, the chain's head and the number of events at the
snapshot). It is a consistent cut: the log up to one position and nothing after it, with the
chain, the beneficiaries' keys and the idempotency records as they stood at that instant, taken
while writers go on.

- From SQLite, the file is the store's own copy, through SQLite's online backup API, page by page
  under one read transaction (WAL mode: writers are not held up, the copy is of one instant).
- From PostgreSQL (`api.store.backup_postgres`), the tables that are not derived — the log,
  snapshots, the chain, the keys as stored (wrapped or not: a restore needs the same key
  encryption key), the idempotency records, whatever their columns — are exported with COPY in
  one REPEATABLE READ, READ ONLY transaction, into the file's `copy_chunk` table. No pg_dump:
  no client binary to match to the server's version, and the same manifest and checks.

Projections are derived data and are not restored: `restore` rebuilds them. A backup restores into
the kind of store it was taken from (SQLite → SQLite, PostgreSQL → PostgreSQL), and only into an
empty one; after loading, the store is migrated to this version's head, then the CLI verifies the
chain against the manifest's head and rebuilds the projections.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from api.settings import Settings
from api.store.backup_format import (
    WRAPPING_KEYS,
    BackupError,
    Manifest,
    Progress,
    StoreNotEmptyError,
    head_of,
    kept_tables,
    now_text,
    read_manifest,
    read_only,
    refuse_unless_empty,
    store_kind,
    write_manifest,
)
from api.store.factory import parse_database_url, sqlite_path

__all__ = [
    "BackupError",
    "Manifest",
    "StoreNotEmptyError",
    "finish_erasures",
    "load_backup",
    "read_manifest",
    "take_backup",
]

PAGES_PER_STEP = 1024


# --- taking a backup ----------------------------------------------------------------------------


def take_backup(settings: Settings, target: Path, progress: Progress | None = None) -> Manifest:
    """Write a backup of the store `settings` name into `target` (which must not exist): first
    beside it, renamed into place once complete, so `target` never holds half a backup."""
    if target.exists():
        raise BackupError(f"{target} exists already: a backup never overwrites a file")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    # Readable by its owner only: it holds the beneficiaries' keys as the store keeps them.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        if store_kind(settings) == "sqlite":
            manifest = _backup_sqlite(settings, partial, progress)
        else:
            from api.store.backup_postgres import export

            with sqlite3.connect(partial) as container:
                manifest = export(settings, container, progress)
                write_manifest(container, manifest)
            container.close()
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _backup_sqlite(settings: Settings, partial: Path, progress: Progress | None) -> Manifest:
    source = sqlite_path(parse_database_url(settings))
    if not source.is_file():
        raise BackupError(f"no store at {source}")
    src = sqlite3.connect(source, isolation_level=None, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        # One read transaction for the manifest and every page copied: one instant of the file,
        # while writers go on appending to the WAL.
        src.execute("BEGIN")
        revision = src.execute("SELECT version_num FROM alembic_version").fetchone()
        chain = src.execute(
            "SELECT position, chain_hash FROM event_chain ORDER BY position DESC LIMIT 1"
        ).fetchone()
        events = src.execute("SELECT count(*) FROM stored_events").fetchone()[0]
        has_keys = src.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name='beneficiary_key'"
        ).fetchone()
        wrapping = (
            sorted(r[0] for r in src.execute(WRAPPING_KEYS.format("beneficiary_key")))
            if has_keys
            else []
        )

        def step(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress("copying the store (pages)", total - remaining, total)

        src.backup(dst, pages=PAGES_PER_STEP, progress=step)
        src.execute("COMMIT")
        manifest = Manifest(
            store="sqlite",
            revision=revision[0] if revision else None,
            head=head_of(chain),
            events=events,
            taken_at=now_text(),
            key_encryption_keys=wrapping,
        )
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no WAL beside it
        write_manifest(dst, manifest)
    finally:
        src.close()
        dst.close()
    return manifest


# --- restoring ----------------------------------------------------------------------------------


def load_backup(settings: Settings, source: Path, progress: Progress | None = None) -> Manifest:
    """Load `source` into the empty store `settings` name, then migrate it to this version's
    head. `StoreNotEmptyError` if the store holds anything a backup holds (nothing is written)."""
    from api.store.migrations import upgrade

    manifest = read_manifest(source)
    kind = store_kind(settings)
    if manifest.store != kind:
        raise BackupError(
            f"this backup was taken from a {manifest.store} store and restores into one only; "
            f"MAILLAGE_DATABASE_URL names a {kind} store"
        )
    _refuse_without_its_keys(settings, manifest)
    if kind == "sqlite":
        _load_sqlite(settings, source, progress)
    else:
        from api.store.backup_postgres import load

        with read_only(source) as container:
            load(settings, manifest, container, progress)
    upgrade(settings)
    return manifest


def _refuse_without_its_keys(settings: Settings, manifest: Manifest) -> None:
    """A backup's beneficiary keys open only with the key-encryption keys that wrapped them
    (named in its manifest): refuse, before writing anything, a restore that is not given them
    — `MAILLAGE_KEY_ENCRYPTION_KEY` (and the previous one), or in the embedded mode the key file
    of the store the backup was taken from, copied beside the file to restore into."""
    from api.settings import InsecureSettingsError
    from api.store.kek import KeyEncryptionKeyError, key_encryption_keys

    if not manifest.key_encryption_keys:
        return
    try:
        given = set(key_encryption_keys(settings, store_has_wrapped_keys=lambda: True).ids)
    except (KeyEncryptionKeyError, InsecureSettingsError) as error:
        raise BackupError(f"{error}; nothing was written") from error
    missing = sorted(set(manifest.key_encryption_keys) - given)
    if missing:
        raise BackupError(
            f"this backup's beneficiary keys are wrapped by {', '.join(missing)}, which this "
            f"process is not given (it has {', '.join(sorted(given))}): set "
            "MAILLAGE_KEY_ENCRYPTION_KEY to that key, or copy the key file of the store the "
            "backup was taken from beside the file to restore into; nothing was written"
        )


def _load_sqlite(settings: Settings, source: Path, progress: Progress | None) -> None:
    target = sqlite_path(parse_database_url(settings))
    dst = sqlite3.connect(target, isolation_level=None, timeout=30)
    try:
        dst.execute("BEGIN IMMEDIATE")  # no writer gets in between the check and the copy
        tables = [r[0] for r in dst.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        count = 'SELECT count(*) FROM "{}"'  # names read from sqlite_master
        held = {n: dst.execute(count.format(n)).fetchone()[0] for n in tables}
        refuse_unless_empty({n: count for n, count in held.items() if n in kept_tables(held)})
        dst.execute("COMMIT")  # the copy replaces the whole file, under its own lock
        dst.execute("PRAGMA journal_mode=DELETE")  # as the backup's file is: one page size

        def step(_status: int, remaining: int, total: int) -> None:
            if progress is not None:
                progress("restoring the store (pages)", total - remaining, total)

        with read_only(source) as src:
            src.backup(dst, pages=PAGES_PER_STEP, progress=step)
        dst.execute("DROP TABLE maillage_backup")
        dst.execute("PRAGMA journal_mode=WAL")
    finally:
        dst.close()


def finish_erasures(app: Any) -> int:
    """Destroy the keys of beneficiaries the restored log says were erased: a backup taken
    between an erasure's event and the destruction of the key still holds the key."""
    from eventsourcing.utils import get_topic

    from domain.event_classes import BeneficiaryErased

    topic = get_topic(BeneficiaryErased)
    finished = 0
    start = 1
    while True:
        page = app.recorder.select_notifications(start=start, limit=1000, topics=[topic])
        if not page:
            return finished
        for notification in page:
            if not app.keyring.is_destroyed(notification.originator_id):
                app.keyring.destroy(notification.originator_id)
                finished += 1
        start = page[-1].id + 1
