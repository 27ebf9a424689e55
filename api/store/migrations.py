"""Applying and checking alembic migrations from code (`maillage migrate`, start-up checks).

The scripts live in the source tree's `alembic/` folder and ship inside the wheel as the package
`maillage_migrations` (mapped in pyproject.toml: an installed top-level `alembic` would shadow
the library), so `maillage migrate` works from any folder once Maillage is installed.

alembic itself is imported where it is used: an API worker only asks for the revisions at
start-up, and `maillage --help` none of it.
"""

from __future__ import annotations

import logging
from importlib.util import find_spec
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from api.settings import Settings
from api.store.factory import build_engine, schema_of

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger("maillage.migrations")

MIGRATIONS_PACKAGE = "maillage_migrations"
SOURCE_TREE = Path(__file__).resolve().parents[2] / "alembic"


class MigrationsBehindError(RuntimeError):
    """The database's schema is not the one this code expects."""


def _holds_scripts(folder: Path) -> bool:
    return (folder / "env.py").is_file() and (folder / "versions").is_dir()


def script_location() -> Path:
    """Where the alembic scripts are.

    The source tree this code was imported from comes first (a checkout or an editable install:
    the code and its migrations then always come from the same tree, even when several trees
    share one environment); otherwise the `maillage_migrations` package installed with the code
    (a wheel, where `api/` sits in site-packages and no `alembic/` folder lies beside it).
    """
    if _holds_scripts(SOURCE_TREE):
        return SOURCE_TREE
    spec = find_spec(MIGRATIONS_PACKAGE)
    for location in (spec.submodule_search_locations or []) if spec else []:
        if _holds_scripts(Path(location)):
            return Path(location)
    raise MigrationsBehindError(
        f"alembic scripts not found: neither {SOURCE_TREE} nor an installed "
        f"{MIGRATIONS_PACKAGE} package holds them; reinstall Maillage (pip install .)"
    )


def alembic_config(settings: Settings) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(script_location()))
    config.attributes["settings"] = settings
    return config


def head_revision(settings: Settings) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(settings)).get_current_head()


def current_revision(engine: Engine, settings: Settings) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        schema = schema_of(settings) if conn.dialect.name == "postgresql" else None
        if schema is not None and not inspect(conn).has_schema(schema):
            return None
        context = MigrationContext.configure(conn, opts={"version_table_schema": schema})
        return context.get_current_revision()


def upgrade(settings: Settings, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply migrations up to `revision`; return (before, after)."""
    from alembic import command

    engine = build_engine(settings)
    try:
        before = current_revision(engine, settings)
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema_of(settings)}"'))
                conn.commit()
            config = alembic_config(settings)
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            conn.commit()
        after = current_revision(engine, settings)
    finally:
        engine.dispose()
    log.info("database migrated from %s to %s", before or "empty", after)
    return before, after


def ensure_current(settings: Settings) -> str | None:
    """Refuse to serve a database that is behind; migrate a fresh embedded SQLite file.

    Returns the revision in force.
    """
    head = head_revision(settings)
    engine = build_engine(settings)
    try:
        current = current_revision(engine, settings)
        fresh = current is None and not _has_tables(engine, settings)
    finally:
        engine.dispose()
    if current == head:
        return current
    if fresh and settings.is_sqlite:
        log.info("fresh SQLite database: applying migrations")
        return upgrade(settings)[1]
    raise MigrationsBehindError(
        f"the database is at migration {current or 'none'} but this version of Maillage needs "
        f"{head}: run `maillage migrate` first"
    )


def _has_tables(engine: Engine, settings: Settings) -> bool:
    with engine.connect() as conn:
        schema = schema_of(settings) if conn.dialect.name == "postgresql" else None
        if schema is not None and not inspect(conn).has_schema(schema):
            return False
        return bool(inspect(conn).get_table_names(schema=schema))
