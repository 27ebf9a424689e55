"""Where a rebuild writes its rows, per database: the fastest bulk path each one has.

- SQLite: the tables are emptied and refilled in the rebuild's one transaction (readers keep
  their WAL snapshot of the previous rows until it commits), by the driver's `executemany` —
  no SQLAlchemy statement building nor parameter processing per row — their secondary indexes
  dropped meanwhile and created again at the end.
- PostgreSQL: a fresh copy of each table (same columns, constraints and primary key; its other
  indexes built once it is filled) is filled by `COPY`, then swapped in for the old one in the
  same transaction, indexes and constraint renamed to the names the migrations gave them.
  Readers keep seeing the old table until the transaction commits; its drop waits for the
  readers at that moment, and the ones after it read the new table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Column, Connection, MetaData, Table, delete, text

from projections.batch import CHUNK, Batch, _key_in

FRESH = "__rebuild"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class SqliteSink:
    """Secondary indexes are dropped while the tables refill and created again after, from
    their own definitions (what the migrations wrote): one sort instead of an insert into each
    index per row. All in the transaction, so readers see them as before until it commits."""

    def __init__(self, conn: Connection, tables: Sequence[Table]) -> None:
        self.conn = conn
        self.indexes: list[tuple[str, str]] = []
        for table in tables:
            self.indexes += [
                (name, sql)
                for name, sql in conn.execute(
                    text(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                        "AND tbl_name = :t AND sql IS NOT NULL ORDER BY name"
                    ),
                    {"t": table.name},
                ).all()
            ]
        for name, _ in self.indexes:
            conn.exec_driver_sql(f"DROP INDEX {_quoted(name)}")
        for table in tables:  # once the indexes are gone: nothing to remove from them
            conn.execute(delete(table))

    def target(self, table: Table) -> Table:
        return table

    def write(self, table: Table, rows: Sequence[tuple[Any, ...]], *, replace: bool) -> None:
        if not rows:
            return
        columns = ", ".join(_quoted(c.name) for c in table.columns)
        marks = ", ".join("?" for _ in table.columns)
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        self.conn.exec_driver_sql(
            f"{verb} INTO {_quoted(table.name)} ({columns}) VALUES ({marks})",
            list(rows),
        )

    def finish(self) -> None:
        """The indexes again; nothing to swap: the rows went into the tables themselves."""
        for _, sql in self.indexes:
            self.conn.exec_driver_sql(sql)


class PostgresSink:
    def __init__(self, conn: Connection, tables: Sequence[Table]) -> None:
        self.conn = conn
        self.tables = list(tables)
        self.fresh: dict[str, Table] = {}
        self.primary: dict[str, str] = {}  # table -> its primary key constraint's name
        self.indexes: dict[str, list[tuple[str, str]]] = {}  # table -> (index name, definition)
        for table in tables:
            self._create(table)

    def _create(self, table: Table) -> None:
        name, fresh = table.name, table.name + FRESH
        conn = self.conn
        conn.execute(text(f"DROP TABLE IF EXISTS {_quoted(fresh)}"))
        conn.execute(
            text(
                f"CREATE TABLE {_quoted(fresh)} (LIKE {_quoted(name)} "
                "INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
            )
        )
        pkey, definition = conn.execute(
            text(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = CAST(:t AS regclass) AND contype = 'p'"
            ),
            {"t": _quoted(name)},
        ).one()
        self.primary[name] = pkey
        conn.execute(
            text(
                f"ALTER TABLE {_quoted(fresh)} ADD CONSTRAINT {_quoted(fresh + '_pkey')} "
                f"{definition}"
            )
        )
        self.indexes[name] = [
            (index, definition)
            for index, definition in conn.execute(
                text(
                    "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                    "JOIN pg_class c ON c.oid = i.indexrelid "
                    "WHERE i.indrelid = CAST(:t AS regclass) AND NOT i.indisprimary "
                    "ORDER BY c.relname"
                ),
                {"t": _quoted(name)},
            ).all()
        ]
        self.fresh[name] = Table(
            fresh,
            MetaData(),
            *(Column(c.name, c.type, primary_key=c.primary_key) for c in table.columns),
        )

    def target(self, table: Table) -> Table:
        return self.fresh[table.name]

    def write(self, table: Table, rows: Sequence[tuple[Any, ...]], *, replace: bool) -> None:
        if not rows:
            return
        target = self.fresh[table.name]
        if replace:  # rows of these keys may have been written early: replaced
            keys = [
                Batch.key_of(table, dict(zip(table.columns.keys(), r, strict=True))) for r in rows
            ]
            columns = [target.c[c.name] for c in table.primary_key.columns]
            for start in range(0, len(keys), CHUNK):
                self.conn.execute(
                    delete(target).where(_key_in(columns, keys[start : start + CHUNK]))
                )
        names = ", ".join(_quoted(c.name) for c in table.columns)
        driver = self.conn.connection.driver_connection
        assert driver is not None
        with (
            driver.cursor() as cursor,
            cursor.copy(f"COPY {_quoted(target.name)} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)

    def finish(self) -> None:
        """Index the fresh tables, then put them in the place of the old ones."""
        conn = self.conn
        for table in self.tables:
            fresh = table.name + FRESH
            for index, definition in self.indexes[table.name]:
                head, _, body = definition.partition(" ON ")
                unique = "UNIQUE " if head.startswith("CREATE UNIQUE") else ""
                using = body[body.index(" USING ") :]
                conn.execute(
                    text(
                        f"CREATE {unique}INDEX {_quoted(index + FRESH)} ON {_quoted(fresh)}{using}"
                    )
                )
        for table in self.tables:
            name, fresh = table.name, table.name + FRESH
            conn.execute(text(f"DROP TABLE {_quoted(name)}"))
            conn.execute(text(f"ALTER TABLE {_quoted(fresh)} RENAME TO {_quoted(name)}"))
            conn.execute(
                text(
                    f"ALTER TABLE {_quoted(name)} RENAME CONSTRAINT {_quoted(fresh + '_pkey')} "
                    f"TO {_quoted(self.primary[name])}"
                )
            )
            for index, _ in self.indexes[name]:
                conn.execute(
                    text(f"ALTER INDEX {_quoted(index + FRESH)} RENAME TO {_quoted(index)}")
                )
            conn.execute(text(f"ANALYZE {_quoted(name)}"))


def sink_for(conn: Connection, tables: Sequence[Table]) -> SqliteSink | PostgresSink:
    if conn.dialect.name == "postgresql":
        return PostgresSink(conn, tables)
    if conn.dialect.name == "sqlite":
        return SqliteSink(conn, tables)
    raise NotImplementedError(f"no rebuild for {conn.dialect.name}")
