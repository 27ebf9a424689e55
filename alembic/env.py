"""Alembic environment: the URL and schema come from Maillage's settings."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, text

from api.settings import get_settings
from api.store.factory import build_engine, schema_of


def run_on(connection: Connection, schema: str | None) -> None:
    context.configure(
        connection=connection,
        target_metadata=None,
        version_table_schema=schema,
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    connection: Connection | None = context.config.attributes.get("connection")
    settings = context.config.attributes.get("settings") or get_settings()
    if connection is not None:
        schema = schema_of(settings) if connection.dialect.name == "postgresql" else None
        run_on(connection, schema)
        return
    engine = build_engine(settings)
    with engine.connect() as conn:
        schema = None
        if conn.dialect.name == "postgresql":
            schema = schema_of(settings)
            conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            conn.commit()
        run_on(conn, schema)
    engine.dispose()


main()
