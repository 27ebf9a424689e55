"""A batch of read-model writes, applied with the projection's new position in one transaction.

Handlers read and write rows through the batch; rows they touch are cached for the rest of the
batch and written once at the end (delete then insert by primary key, which is an idempotent
upsert on every database). So a batch costs a few statements, not one per event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Table, and_, delete, insert, select

Row = dict[str, Any]
Key = tuple[Any, ...]


class Batch:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._rows: dict[str, dict[Key, Row | None]] = {}
        self._tables: dict[str, Table] = {}
        self.scratch: dict[str, Any] = {}  # a projector's working state for this batch

    @staticmethod
    def key_of(table: Table, row: Mapping[str, Any]) -> Key:
        return tuple(row[c.name] for c in table.primary_key.columns)

    def get(self, table: Table, key: Key) -> Row | None:
        cached = self._rows.setdefault(table.name, {})
        if key in cached:
            row = cached[key]
            return dict(row) if row is not None else None
        columns = list(table.primary_key.columns)
        found = (
            self.conn.execute(
                select(table).where(and_(*(c == v for c, v in zip(columns, key, strict=True))))
            )
            .mappings()
            .first()
        )
        row = dict(found) if found is not None else None
        cached[key] = row
        self._tables[table.name] = table
        return dict(row) if row is not None else None

    def put(self, table: Table, row: Row) -> None:
        self._tables[table.name] = table
        self._rows.setdefault(table.name, {})[self.key_of(table, row)] = dict(row)

    def flush(self) -> int:
        """Write every touched row; return how many."""
        written = 0
        for name, rows in self._rows.items():
            table = self._tables[name]
            dirty = [r for r in rows.values() if r is not None]
            if not dirty:
                continue
            columns = list(table.primary_key.columns)
            if len(columns) == 1:
                column = columns[0]
                keys = [r[column.name] for r in dirty]
                for start in range(0, len(keys), 500):
                    self.conn.execute(delete(table).where(column.in_(keys[start : start + 500])))
            else:
                for r in dirty:
                    self.conn.execute(delete(table).where(and_(*(c == r[c.name] for c in columns))))
            self.conn.execute(insert(table), dirty)
            written += len(dirty)
        self._rows.clear()
        return written
