"""What a Maillage backup file is (see `api.store.backup`): a SQLite file whose
`maillage_backup` table holds its manifest, and what restoring needs to know of a store."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from api.settings import Settings
from api.store.factory import parse_database_url
from api.store.integrity import GENESIS, Head
from api.version import installed_version

FORMAT = "maillage-backup"
FORMAT_VERSION = 1
MANIFEST_TABLE = "maillage_backup"  # spelt as such in the statements below

Progress = Callable[[str, int, int], None]  # (what, done, total)


class BackupError(RuntimeError):
    """The backup cannot be taken, read, or restored here; the message says why."""


class StoreNotEmptyError(BackupError):
    """A restore goes into an empty store only."""


@dataclass(frozen=True)
class TableCopy:
    columns: list[str]
    rows: int


@dataclass(frozen=True)
class Manifest:
    store: str  # "sqlite" or "postgresql": where it restores
    revision: str | None  # the store's migration at the snapshot
    head: str  # the chain's head at the snapshot, POSITION:HASH
    events: int
    taken_at: str
    maillage: str = field(default_factory=installed_version)
    tables: dict[str, TableCopy] = field(default_factory=dict)  # PostgreSQL: what was copied
    # The key-encryption keys (ids, never the keys) that wrap the beneficiaries' keys held: a
    # restore checks it is given them before writing anything.
    key_encryption_keys: list[str] = field(default_factory=list)

    @property
    def chain_head(self) -> Head:
        return Head.parse(self.head)

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, "format_version": FORMAT_VERSION, **asdict(self)})

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        if data.pop("format", None) != FORMAT or data.pop("format_version", None) != FORMAT_VERSION:
            raise BackupError("not a Maillage backup of a format this version reads")
        tables = {name: TableCopy(**copy) for name, copy in data.pop("tables", {}).items()}
        return cls(**data, tables=tables)


def store_kind(settings: Settings) -> str:
    return str(parse_database_url(settings).get_backend_name())


def derived_tables() -> set[str]:
    """What `restore` rebuilds, so a backup need not hold it: the projections' tables and
    their positions, and the migrations' own bookkeeping (set by migrating)."""
    from projections.catalog import PROJECTORS
    from projections.tables import projection_tracking

    names = {table.name for projector in PROJECTORS for table in projector.tables}
    return names | {projection_tracking.name, "alembic_version"}


def kept_tables(names: Iterable[str]) -> list[str]:
    """Of a store's tables, those a backup holds (everything not derived), in a fixed order."""
    derived = derived_tables()
    return sorted(n for n in names if n not in derived and not n.startswith("sqlite_"))


def head_of(row: Any) -> str:
    return str(Head(0, GENESIS.hex()) if row is None else Head(row[0], bytes(row[1]).hex()))


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


WRAPPING_KEYS = "SELECT DISTINCT kek_id FROM {} WHERE key IS NOT NULL AND kek_id IS NOT NULL"


def write_manifest(container: sqlite3.Connection, manifest: Manifest) -> None:
    container.execute("CREATE TABLE maillage_backup (manifest TEXT NOT NULL)")
    container.execute("INSERT INTO maillage_backup VALUES (?)", (manifest.to_json(),))
    container.commit()


def read_only(path: Path) -> closing[sqlite3.Connection]:
    return closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True))


def read_manifest(source: Path) -> Manifest:
    if not source.is_file():
        raise BackupError(f"no backup at {source}")
    try:
        with read_only(source) as container:
            row = container.execute("SELECT manifest FROM maillage_backup").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a Maillage backup ({error})") from error
    if row is None:
        raise BackupError(f"{source} is not a Maillage backup (no manifest)")
    return Manifest.from_json(row[0])


def refuse_unless_empty(held: dict[str, int]) -> None:
    """`held`: rows of each table a backup holds, in the store to restore into."""
    events = held.get("stored_events", 0) + held.get("maillage_events", 0)
    if events:
        raise StoreNotEmptyError(
            f"the store holds {events} event(s): a backup is restored into an empty store only "
            "(a new SQLite file, or a PostgreSQL database or schema of its own)"
        )
    others = {name: rows for name, rows in held.items() if rows}
    if others:
        listed = ", ".join(f"{name} ({rows} rows)" for name, rows in sorted(others.items()))
        raise StoreNotEmptyError(
            f"the store is not empty ({listed}): a backup is restored into an empty store only"
        )
