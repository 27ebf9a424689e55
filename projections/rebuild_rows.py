"""The rows of a rebuild: held in memory while the log is replayed, written in bulk.

The incremental path (`projections.batch.Batch`) reads the rows a page touches from the tables
and writes them back (delete then insert) every page. A rebuild starts from empty tables, so the
rows it folds can stay in memory from page to page and be written once, as tuples, by the
store's fastest bulk path (`projections.rebuild_sink`). The projectors are the same and run the
same handlers: `RebuildBatch` is a `Batch` whose reads and writes go to these rows instead.

Memory stays bounded: keyed rows beyond `limit` per table (the least recently touched first) are
written early; a table with rows written early is read back for the keys a page asks for, and
its later writes replace what is there (what the incremental path's delete-then-insert does).
Rows only ever added (one per event) are buffered and written every few thousand.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from operator import itemgetter
from typing import Any, Protocol

from sqlalchemy import Connection, Dialect, Table, select
from sqlalchemy.dialects import sqlite

from projections.batch import CHUNK, Batch, Key, Row, _key_in

APPENDED_BUFFER = 5000
SQLITE_DATETIME = sqlite.DATETIME()._storage_format  # type: ignore[no-untyped-call]


def _sqlite_datetime(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """SQLite's DATETIME processor with its default storage format, for an aware or naive
    `datetime`: the same text (`YYYY-MM-DD HH:MM:SS.ffffff`, the offset dropped), sooner."""

    def fast(value: Any) -> Any:
        if type(value) is datetime:
            return value.isoformat(" ", "microseconds")[:26]
        return process(value)

    return fast


def row_converter(table: Table, dialect: Dialect) -> Callable[[Row], tuple[Any, ...]]:
    """A function giving a row's values in column order, as SQLAlchemy binds them."""
    names = [c.name for c in table.columns]
    processors = []
    for i, column in enumerate(table.columns):
        process: Callable[[Any], Any] | None = column.type._cached_bind_processor(dialect)
        if process is None:
            continue
        impl = column.type.dialect_impl(dialect)
        if isinstance(impl, sqlite.DATETIME) and impl._storage_format == SQLITE_DATETIME:
            process = _sqlite_datetime(process)
        processors.append((i, process))
    pick = itemgetter(*names)
    getter = pick if len(names) > 1 else lambda row: (pick(row),)

    def convert(row: Row) -> tuple[Any, ...]:
        try:
            values = getter(row)
        except KeyError:  # a column the row leaves out: NULL, as an insert of the dict would
            values = tuple(row.get(name) for name in names)
        if not processors:
            return values
        listed = list(values)
        for i, process in processors:
            value = listed[i]
            if value is not None:
                listed[i] = process(value)
        return tuple(listed)

    return convert


class Sink(Protocol):
    def target(self, table: Table) -> Table:
        """The table rows are written to and read back from (a fresh copy, or the table)."""
        ...

    def write(self, table: Table, rows: Sequence[tuple[Any, ...]], *, replace: bool) -> None:
        """Write rows (tuples in the order of `table.columns`); `replace`: rows of these keys
        may already be there, and are replaced."""
        ...


class RebuildRows:
    def __init__(self, conn: Connection, sink: Sink, *, limit: int = 20_000) -> None:
        self.conn = conn
        self.sink = sink
        self.limit = limit
        self.keyed: dict[str, OrderedDict[Key, Row]] = {}
        self.appended: dict[str, list[tuple[Any, ...]]] = {}
        self.spilled: set[str] = set()  # tables some of whose keyed rows are written already
        self.tables: dict[str, Table] = {}
        self._convert: dict[str, Callable[[Row], tuple[Any, ...]]] = {}

    def _table(self, table: Table) -> OrderedDict[Key, Row]:
        if table.name not in self.tables:
            self.tables[table.name] = table
            self._convert[table.name] = row_converter(table, self.conn.dialect)
        return self.keyed.setdefault(table.name, OrderedDict())

    def tuple_of(self, table: Table, row: Row) -> tuple[Any, ...]:
        """The row as SQLAlchemy would hand it to the driver (its bind processors applied)."""
        return self._convert[table.name](row)

    # --- keyed rows -------------------------------------------------------------------------

    def get(self, table: Table, key: Key) -> Row | None:
        rows = self._table(table)
        row = rows.get(key)
        if row is None:
            return None
        rows.move_to_end(key)
        return row

    def load(self, table: Table, keys: Iterable[Key]) -> None:
        """Bring back into memory the rows of these keys written early (none if never)."""
        rows = self._table(table)
        if table.name not in self.spilled:
            return
        wanted = [k for k in dict.fromkeys(keys) if k not in rows]
        target = self.sink.target(table)
        columns = [target.c[c.name] for c in table.primary_key.columns]
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            for found in self.conn.execute(select(target).where(_key_in(columns, chunk))):
                row = dict(found._mapping)
                rows[Batch.key_of(table, row)] = row

    def put(self, table: Table, key: Key, row: Row) -> None:
        rows = self._table(table)
        rows[key] = row
        rows.move_to_end(key)

    # --- appended rows ----------------------------------------------------------------------

    def append(self, table: Table, row: Row) -> None:
        self._table(table)
        buffer = self.appended.setdefault(table.name, [])
        buffer.append(self.tuple_of(table, row))
        if len(buffer) >= APPENDED_BUFFER:
            self.sink.write(table, buffer, replace=False)
            buffer.clear()

    # --- writing ----------------------------------------------------------------------------

    def page_done(self) -> None:
        """Between pages: write the least recently touched keyed rows beyond the limit."""
        for name, rows in self.keyed.items():
            if len(rows) <= self.limit:
                continue
            table = self.tables[name]
            evicted = []
            while len(rows) > self.limit * 3 // 4:
                evicted.append(rows.popitem(last=False)[1])
            self._write_keyed(table, evicted)

    def finish(self) -> None:
        """Write every row still held."""
        for name, rows in self.keyed.items():
            self._write_keyed(self.tables[name], list(rows.values()))
            rows.clear()
        for name, buffer in self.appended.items():
            if buffer:
                self.sink.write(self.tables[name], buffer, replace=False)
                buffer.clear()

    def _write_keyed(self, table: Table, rows: list[Row]) -> None:
        if not rows:
            return
        replace = table.name in self.spilled
        self.spilled.add(table.name)
        self.sink.write(table, [self.tuple_of(table, r) for r in rows], replace=replace)


class RebuildBatch(Batch):
    """A page of a rebuild, for one projector: the `Batch` its handlers know, over `RebuildRows`.
    What a handler reads and writes is what it would with the incremental path's batch."""

    def __init__(self, conn: Connection, rows: RebuildRows) -> None:
        super().__init__(conn)
        self.rows = rows
        self._checked: set[tuple[str, Key]] = set()  # keys read back from the tables already

    def get(self, table: Table, key: Key) -> Row | None:
        row = self.rows.get(table, key)
        spilled = table.name in self.rows.spilled
        if row is None and spilled and (table.name, key) not in self._checked:
            self.load_many(table, [key])
            row = self.rows.get(table, key)
        return dict(row) if row is not None else None

    def load_many(self, table: Table, keys: Iterable[Key]) -> None:
        wanted = list(keys)
        self.rows.load(table, wanted)
        if table.name in self.rows.spilled:
            self._checked.update((table.name, k) for k in wanted)

    def put(self, table: Table, row: Row) -> None:
        self.rows.put(table, self.key_of(table, row), dict(row))

    def append(self, table: Table, row: Row) -> None:
        self.rows.append(table, row)

    def flush(self) -> int:
        return 0  # the rows are written by `RebuildRows`, in bulk
