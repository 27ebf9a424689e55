"""A PostgreSQL store into a backup file and back (`api.store.backup` says what a backup is).

Export: one REPEATABLE READ, READ ONLY transaction — one snapshot for the manifest and every
table, so the log is cut at one position with the chain, keys and idempotency records of that
instant. Writers commit the events in the order of their positions (the recorder locks the
events table while it inserts), so a snapshot never holds a position without those before it.
Each table that is not derived is copied with `COPY … TO STDOUT` (text format, under fixed
session settings: dates, time zone, floats) whatever its columns, in compressed chunks.

Load: into a store not migrated yet (it is first migrated to the backup's migration) or one at
that migration and empty; in one transaction holding the events table's lock, the emptiness is
checked again, every table copied back with `COPY … FROM STDIN`, and the sequences (positions)
moved past what was loaded.
"""

from __future__ import annotations

import sqlite3
import zlib
from typing import Any

import psycopg
from psycopg import IsolationLevel
from psycopg.sql import SQL, Composed, Identifier

from api.settings import Settings
from api.store.backup_format import (
    WRAPPING_KEYS,
    BackupError,
    Manifest,
    Progress,
    TableCopy,
    head_of,
    kept_tables,
    now_text,
    refuse_unless_empty,
)
from api.store.factory import parse_database_url, schema_of

EVENTS = "maillage_events"
CHUNK_BYTES = 1 << 20
# As pg_dump does: the text of dates, instants and numbers does not depend on the server's or
# the client's defaults, so what one session writes another reads back the same.
SESSION = "-c DateStyle=ISO,YMD -c TimeZone=UTC -c IntervalStyle=postgres -c extra_float_digits=3"


def connect(settings: Settings) -> psycopg.Connection[Any]:
    url = parse_database_url(settings).set(drivername="postgresql")
    return psycopg.connect(
        url.render_as_string(hide_password=False), options=SESSION, connect_timeout=10
    )


def _tables(conn: psycopg.Connection[Any], schema: str) -> list[str]:
    rows = conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))
    return [r[0] for r in rows]


def _columns(conn: psycopg.Connection[Any], schema: str, table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position",
        (schema, table),
    )
    return [r[0] for r in rows]


def _copy(schema: str, table: str, columns: list[str], direction: str) -> Composed:
    return SQL("COPY {} ({}) " + direction).format(
        Identifier(schema, table), SQL(", ").join(map(Identifier, columns))
    )


def _count(conn: psycopg.Connection[Any], schema: str, table: str) -> int:
    row = conn.execute(SQL("SELECT count(*) FROM {}").format(Identifier(schema, table))).fetchone()
    return int(row[0]) if row else 0


def _revision(conn: psycopg.Connection[Any], schema: str, tables: list[str]) -> str | None:
    if "alembic_version" not in tables:
        return None
    query = SQL("SELECT version_num FROM {}").format(Identifier(schema, "alembic_version"))
    row = conn.execute(query).fetchone()
    return str(row[0]) if row else None


# --- export -------------------------------------------------------------------------------------


def export(
    settings: Settings, container: sqlite3.Connection, progress: Progress | None
) -> Manifest:
    schema = schema_of(settings)
    container.execute(
        "CREATE TABLE copy_chunk (table_name TEXT NOT NULL, seq INTEGER NOT NULL, "
        "data BLOB NOT NULL, PRIMARY KEY (table_name, seq))"
    )
    with connect(settings) as conn:
        conn.isolation_level = IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.transaction():  # one snapshot, from its first statement on
            present = _tables(conn, schema)
            if EVENTS not in present:
                raise BackupError(f"no Maillage store in schema {schema}")
            revision = _revision(conn, schema, present)
            chain = conn.execute(
                SQL("SELECT position, chain_hash FROM {} ORDER BY position DESC LIMIT 1").format(
                    Identifier(schema, "event_chain")
                )
            ).fetchone()
            wrapping = (
                sorted(
                    str(r[0])
                    for r in conn.execute(
                        SQL(WRAPPING_KEYS).format(Identifier(schema, "beneficiary_key"))
                    )
                )
                if "beneficiary_key" in present
                else []
            )
            copies = {
                table: _export_table(conn, container, schema, table, progress)
                for table in kept_tables(present)
            }
    return Manifest(
        store="postgresql",
        revision=revision,
        head=head_of(chain),
        events=copies[EVENTS].rows,
        taken_at=now_text(),
        tables=copies,
        key_encryption_keys=wrapping,
    )


def _export_table(
    conn: psycopg.Connection[Any],
    container: sqlite3.Connection,
    schema: str,
    table: str,
    progress: Progress | None,
) -> TableCopy:
    columns = _columns(conn, schema, table)
    total = _count(conn, schema, table)
    buffer = bytearray()
    rows = seq = 0

    def flush() -> None:
        nonlocal seq
        container.execute(
            "INSERT INTO copy_chunk VALUES (?, ?, ?)", (table, seq, zlib.compress(buffer, 1))
        )
        seq += 1
        buffer.clear()

    with conn.cursor() as cursor, cursor.copy(_copy(schema, table, columns, "TO STDOUT")) as out:
        for data in out:
            buffer += data
            rows += bytes(data).count(b"\n")  # one line per row (newlines in values are escaped)
            if len(buffer) >= CHUNK_BYTES:
                flush()
                if progress is not None:
                    progress(table, rows, total)
    if buffer:
        flush()
    if progress is not None:
        progress(table, max(rows, 1), max(rows, 1))  # done (an empty table too)
    return TableCopy(columns, rows)


# --- load ---------------------------------------------------------------------------------------


def load(
    settings: Settings, manifest: Manifest, container: sqlite3.Connection, progress: Progress | None
) -> None:
    from api.store.migrations import upgrade

    schema = schema_of(settings)
    with connect(settings) as conn:
        present = _tables(conn, schema)
        refuse_unless_empty({t: _count(conn, schema, t) for t in kept_tables(present)})
        current = _revision(conn, schema, present)
        conn.rollback()
    if current is None:
        if present:
            raise BackupError(
                f"schema {schema} holds tables but no migration record: restore into an empty "
                "database or schema"
            )
        from alembic.util.exc import CommandError

        try:
            upgrade(settings, manifest.revision or "base")
        except CommandError as error:  # a revision this version does not know
            raise BackupError(
                f"this backup was taken at migration {manifest.revision}, which this version "
                "of Maillage does not know: restore it with the version that took it"
            ) from error
    elif current != manifest.revision:
        raise BackupError(
            f"the store is at migration {current}, the backup at {manifest.revision}: restore "
            "into a database or schema not migrated yet — it is migrated to the backup's "
            "migration, loaded, then brought up to date"
        )
    with connect(settings) as conn, conn.transaction():
        conn.execute(SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(Identifier(schema, EVENTS)))
        present = _tables(conn, schema)
        refuse_unless_empty({t: _count(conn, schema, t) for t in kept_tables(present)})
        for table, copy in manifest.tables.items():
            _load_table(conn, container, schema, table, copy, progress)
        for table, copy in manifest.tables.items():
            _move_sequences(conn, schema, table, copy.columns)


def _load_table(
    conn: psycopg.Connection[Any],
    container: sqlite3.Connection,
    schema: str,
    table: str,
    copy: TableCopy,
    progress: Progress | None,
) -> None:
    missing = set(copy.columns) - set(_columns(conn, schema, table))
    if missing:
        raise BackupError(
            f"table {table} of the store has no column {', '.join(sorted(missing))}: the store "
            "and the backup are not at the same migration"
        )
    done = 0
    chunks = container.execute(
        "SELECT data FROM copy_chunk WHERE table_name = ? ORDER BY seq", (table,)
    )
    with (
        conn.cursor() as cursor,
        cursor.copy(_copy(schema, table, copy.columns, "FROM STDIN")) as into,
    ):
        for (data,) in chunks:
            text = zlib.decompress(data)
            into.write(text)
            done += text.count(b"\n")
            if progress is not None:
                progress(table, done, copy.rows)
    if done != copy.rows:
        raise BackupError(
            f"table {table}: {done} rows in the backup, its manifest says {copy.rows}"
        )
    if progress is not None:
        progress(table, max(done, 1), max(done, 1))  # done (an empty table too)


def _move_sequences(
    conn: psycopg.Connection[Any], schema: str, table: str, columns: list[str]
) -> None:
    """Serial columns (the log's positions) continue after the largest value loaded."""
    qualified = Identifier(schema, table).as_string(conn)
    for column in columns:
        found = conn.execute("SELECT pg_get_serial_sequence(%s, %s)", (qualified, column))
        row = found.fetchone()
        if row is None or row[0] is None:
            continue
        conn.execute(
            SQL("SELECT setval(%s, (SELECT coalesce(max({}), 0) + 1 FROM {}), false)").format(
                Identifier(column), Identifier(schema, table)
            ),
            (row[0],),
        )
