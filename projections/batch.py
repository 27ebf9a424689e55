"""A batch of read-model writes, applied with the projection's new position in one transaction.

Handlers read and write rows through the batch; rows they read are cached for the rest of the
batch, rows they write are kept and written once at the end (delete then insert by primary key:
an idempotent upsert on every database). Rows that are only ever added (one per event) are
inserted with "on conflict do nothing", so re-applying an event changes nothing either. So a
batch costs a few statements, not one per event.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, Table, and_, delete, insert, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

Row = dict[str, Any]
Key = tuple[Any, ...]
CHUNK = 500


@lru_cache(maxsize=1 << 16)
def ident(value: UUID) -> str:
    """`str(value)`, remembered: the same ids come back event after event (the institution and
    professional of every act, a case's id in each of its events), and a rebuild writes
    millions; `UUID.__str__` is Python, a cache hit is not."""
    return str(value)


class Batch:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._loaded: dict[str, dict[Key, Row | None]] = {}
        self._dirty: dict[str, dict[Key, Row]] = {}
        self._appended: dict[str, list[Row]] = {}
        self._tables: dict[str, Table] = {}
        self.scratch: dict[str, Any] = {}  # a projector's working state for this batch

    @staticmethod
    def key_of(table: Table, row: Mapping[str, Any]) -> Key:
        return tuple(row[c.name] for c in table.primary_key.columns)

    def get(self, table: Table, key: Key) -> Row | None:
        dirty = self._dirty.get(table.name, {})
        if key in dirty:
            return dict(dirty[key])
        loaded = self._loaded.setdefault(table.name, {})
        if key not in loaded:
            self.load_many(table, [key])
        row = loaded[key]
        return dict(row) if row is not None else None

    def load_many(self, table: Table, keys: Iterable[Key]) -> None:
        """Read the rows of these keys in a few queries; remember the missing ones as None."""
        self._tables[table.name] = table
        loaded = self._loaded.setdefault(table.name, {})
        wanted = [k for k in dict.fromkeys(keys) if k not in loaded]
        columns = list(table.primary_key.columns)
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            for k in chunk:
                loaded[k] = None
            for found in self.conn.execute(select(table).where(_key_in(columns, chunk))).mappings():
                row = dict(found)
                loaded[self.key_of(table, row)] = row

    def put(self, table: Table, row: Row) -> None:
        self._tables[table.name] = table
        self._dirty.setdefault(table.name, {})[self.key_of(table, row)] = dict(row)

    def append(self, table: Table, row: Row) -> None:
        """A row that is only ever added, never changed (one per event)."""
        self._tables[table.name] = table
        self._appended.setdefault(table.name, []).append(row)

    def flush(self) -> int:
        """Write every row put or appended; return how many."""
        written = 0
        for name, rows in self._dirty.items():
            if not rows:
                continue
            table = self._tables[name]
            columns = list(table.primary_key.columns)
            keys = list(rows)
            for start in range(0, len(keys), CHUNK):
                self.conn.execute(
                    delete(table).where(_key_in(columns, keys[start : start + CHUNK]))
                )
            self.conn.execute(insert(table), list(rows.values()))
            written += len(rows)
        for name, appended in self._appended.items():
            if appended:
                self.conn.execute(insert_new(self.conn, self._tables[name]), appended)
                written += len(appended)
        self._dirty.clear()
        self._appended.clear()
        return written


def _key_in(columns: list[Any], keys: list[Key]) -> Any:
    if len(columns) == 1:
        return columns[0].in_([k[0] for k in keys])
    if len(keys) == 1:
        return and_(*(c == v for c, v in zip(columns, keys[0], strict=True)))
    # The leading column first, so that every database can use the primary key's index.
    leading = columns[0].in_(list(dict.fromkeys(k[0] for k in keys)))
    return and_(leading, tuple_(*columns).in_(keys))


def insert_new(conn: Connection, table: Table) -> Any:
    """INSERT that leaves an existing row (same key) as it is."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    if conn.dialect.name == "sqlite":
        return sqlite.insert(table).on_conflict_do_nothing()
    raise NotImplementedError(f"no insert-if-new for {conn.dialect.name}")
