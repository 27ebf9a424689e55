"""`maillage backup` and `maillage restore`, on the store under test.

A backup taken while a thread keeps recording cases and acts is a consistent cut: restored into a
fresh, empty store (a new SQLite file, or a new PostgreSQL schema), the log is the source's up to
the backup's position — every event, in notification order, none after — the chain verifies and
ends at the same head, the keys of the restored cases are the source's, and every projection
equals the source's rebuilt up to that position. A restore into a store holding anything is
refused and changes nothing.
"""

from __future__ import annotations

import base64
import os
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select, text
from typer.testing import CliRunner

from api.cli.main import cli
from api.composition import Services, open_services
from api.settings import Settings, get_settings
from api.store import backup as backups
from api.store.backup_format import derived_tables
from api.store.integrity import Head, verify
from api.store.kek import key_file_of
from api.store.keyring import beneficiary_key
from domain.application import Maillage
from domain.timing import TimePolicy
from projections.runner import ProjectionRunner
from projections.tables import projection_tracking
from tests.conftest import ON_POSTGRES, TEST_SIGNING_KEY, TEST_URL
from tests.world import NOW, World

pytestmark = pytest.mark.slow


@pytest.fixture
def empty_store(tmp_path: Path) -> Iterator[Settings]:
    """A second store, not even migrated: a new SQLite file, or a new PostgreSQL schema that is
    dropped afterwards."""
    if not ON_POSTGRES:
        yield Settings(
            database_url=f"sqlite:///{tmp_path / 'restored.sqlite3'}", jwt_secret=TEST_SIGNING_KEY
        )
        return
    schema = f"r_{uuid.uuid4().hex[:16]}"
    yield Settings(database_url=TEST_URL, database_schema=schema, jwt_secret=TEST_SIGNING_KEY)
    engine = create_engine(TEST_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def carry_key_file(source: Settings, target: Settings) -> None:
    """What an operator restoring a SQLite backup does: the key-encryption key's file goes
    beside the restored file (it is never in the backup)."""
    if not ON_POSTGRES and key_file_of(source).exists():
        shutil.copy2(key_file_of(source), key_file_of(target))


def run_cli(settings: Settings, monkeypatch: pytest.MonkeyPatch, *args: str) -> Any:
    """`maillage ARGS` with the MAILLAGE_* variables naming `settings`' store."""
    monkeypatch.setenv("MAILLAGE_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("MAILLAGE_JWT_SECRET", TEST_SIGNING_KEY)
    if settings.database_schema:
        monkeypatch.setenv("MAILLAGE_DATABASE_SCHEMA", settings.database_schema)
    else:
        monkeypatch.delenv("MAILLAGE_DATABASE_SCHEMA", raising=False)
    get_settings.cache_clear()
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        get_settings.cache_clear()


def said(result: Any) -> str:
    """What a command printed, as one line (the console wraps long ones)."""
    return " ".join(result.output.split())


class Writer(threading.Thread):
    """Opens cases and records acts on them until stopped."""

    def __init__(self, world: World) -> None:
        super().__init__(name="writer", daemon=True)
        self.world = world
        self.cases = [world.open_case() for _ in range(3)]
        self.stop = threading.Event()
        self.failures: list[BaseException] = []

    def run(self) -> None:
        n = 0
        while not self.stop.is_set():
            try:
                if n % 7 == 0:
                    self.cases.append(self.world.open_case())
                else:
                    self.world.app.record_intervention(
                        case_id=self.cases[n % len(self.cases)],
                        by=self.world.actor("jeanne"),
                        kind="home_visit",
                        summary=f"visite {n}",
                    )
            except BaseException as error:  # reported by the test
                self.failures.append(error)
                return
            n += 1


def head(app: Maillage) -> int:
    return app.recorder.max_notification_id() or 0


def wait_for(app: Maillage, position: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while head(app) < position:
        assert time.monotonic() < deadline, "the writer made no progress"
        time.sleep(0.01)


def log_of(app: Maillage, until: int | None = None) -> list[tuple[Any, ...]]:
    found, start = [], 1
    while True:
        page = app.recorder.select_notifications(start=start, limit=500, stop=until)
        if not page:
            return found
        found += [(n.id, n.originator_id, n.originator_version, n.topic, n.state) for n in page]
        start = page[-1].id + 1


def views(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    names = sorted(derived_tables() - {projection_tracking.name, "alembic_version"})
    with engine.connect() as conn:
        return {n: sorted(map(tuple, conn.execute(text(f"SELECT * FROM {n}")))) for n in names}


class UpTo(ProjectionRunner):
    """The catalog's projections fed the log up to `until` only: the read side as it stood
    at the backup's snapshot."""

    def __init__(self, app: Maillage, engine: Engine, until: int) -> None:
        super().__init__(app, engine)
        self.until = until

    def head(self) -> int:
        return self.until

    def _page(self, after: int) -> Any:
        return [(n, e) for n, e in super()._page(after) if n <= self.until]


def test_a_backup_under_concurrent_writes_restores_the_same_log_chain_keys_and_views(
    store_settings: Settings,
    store_services: Services,
    empty_store: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = store_services.maillage
    writer = Writer(World.build(app))
    writer.start()
    wait_for(app, head(app) + 30)
    # A copy in many small steps, slowed down, so that writes commit while it runs.
    monkeypatch.setattr(backups, "PAGES_PER_STEP", 2)
    seen_during: list[int] = []

    def slowly(_what: str, _done: int, _total: int) -> None:
        seen_during.append(head(app))
        time.sleep(0.02 if not ON_POSTGRES else 0.2)

    file = tmp_path / "maillage.backup"
    started_at = head(app)
    manifest = backups.take_backup(store_settings, file, progress=slowly)
    wait_for(app, max(seen_during) + 10)
    writer.stop.set()
    writer.join(timeout=30)
    assert not writer.failures, writer.failures
    cut = manifest.chain_head.position
    assert started_at <= cut < max(seen_during), "the writer did not write while it ran"
    assert head(app) > cut

    if not ON_POSTGRES:  # without the key file beside it: refused, nothing written
        refused = run_cli(empty_store, monkeypatch, "restore", str(file))
        assert refused.exit_code != 0
        assert "key file" in refused.output
        assert not Path(empty_store.database_url.removeprefix("sqlite:///")).exists()
    carry_key_file(store_settings, empty_store)
    restored = run_cli(empty_store, monkeypatch, "restore", str(file))
    assert restored.exit_code == 0, restored.output
    assert "chain verified" in said(restored)

    with open_services(empty_store, time=TimePolicy(clock=lambda: NOW)) as copy:
        # The log: every event up to the cut, in notification order, and nothing after it.
        copied_log = log_of(copy.maillage)
        assert copied_log == log_of(app, until=cut)
        assert copied_log[-1][0] == cut
        assert len(copied_log) == manifest.events
        # The chain: intact, and its head is the source's at that position.
        checked = verify(copy.maillage.recorder, copy.engine)
        assert checked.intact
        assert checked.head == manifest.chain_head
        with store_services.engine.connect() as conn:
            at_cut = conn.execute(
                text("SELECT chain_hash FROM event_chain WHERE position = :p"), {"p": cut}
            ).scalar_one()
        assert checked.head == Head(cut, bytes(at_cut).hex())
        # The keys of every restored case, as the source stores them.
        cases = {e[1] for e in copied_log if e[3].endswith("Case.CaseOpened")}
        assert keys(copy.engine, cases) == keys(store_services.engine, cases)
        assert len(keys(copy.engine, cases)) == len(cases)
        # Every projection: the source's read side rebuilt from the log up to the cut.
        UpTo(app, store_services.engine, cut).rebuild()
        assert views(copy.engine) == views(store_services.engine)
        assert sum(map(len, views(copy.engine).values())) > len(cases)
        # And the restored store goes on from there: positions after the cut, chain extended.
        world = World(copy.maillage, writer.world.institutions, writer.world.professionals)
        later = world.open_case()
        assert copy.maillage.repository.get(later).version == 1
        assert head(copy.maillage) > cut
        assert verify(copy.maillage.recorder, copy.engine).intact
    assert file.stat().st_mode & 0o077 == 0  # the backup is its owner's only


def keys(engine: Engine, cases: set[Any]) -> dict[Any, tuple[Any, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(select(beneficiary_key).where(beneficiary_key.c.case_id.in_(cases)))
        return {r.case_id: tuple(r) for r in rows}


def test_a_restore_into_a_store_holding_anything_is_refused(
    store_settings: Settings,
    store_world: World,
    empty_store: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    file = tmp_path / "maillage.backup"
    taken = run_cli(store_settings, monkeypatch, "backup", str(file))
    assert taken.exit_code == 0, taken.output
    again = run_cli(store_settings, monkeypatch, "backup", str(file))
    assert again.exit_code == 2
    assert "exists already" in said(again)

    # Into the store it was taken from: it holds events.
    events = head(store_world.app)
    refused = run_cli(store_settings, monkeypatch, "restore", str(file))
    assert refused.exit_code == 1
    assert f"the store holds {events} event(s)" in said(refused)
    assert head(store_world.app) == events

    # Into an empty store, then into the same store again: it now holds what was restored.
    first = run_cli(empty_store, monkeypatch, "restore", str(file))
    assert first.exit_code == 0, first.output
    refused = run_cli(empty_store, monkeypatch, "restore", str(file))
    assert refused.exit_code == 1
    assert "restored into an empty store only" in said(refused)
    with open_services(empty_store) as restored:
        assert head(restored.maillage) == events  # once, not twice


def test_a_backup_restores_into_the_kind_of_store_it_was_taken_from(
    store_settings: Settings, store_world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "maillage.backup"
    assert run_cli(store_settings, monkeypatch, "backup", str(file)).exit_code == 0
    other = (
        Settings(database_url=f"sqlite:///{tmp_path / 'other.sqlite3'}")
        if ON_POSTGRES
        else Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    )
    refused = run_cli(other, monkeypatch, "restore", str(file))
    assert refused.exit_code == 2
    assert "restores into one only" in said(refused)
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    refused = run_cli(store_settings, monkeypatch, "restore", str(not_a_backup))
    assert (refused.exit_code, "not a Maillage backup" in said(refused)) == (2, True)


def test_an_erasure_the_backup_caught_half_way_is_finished_by_the_restore(
    store_settings: Settings,
    store_world: World,
    empty_store: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The backup holds an erasure's event but still the key (taken between the two steps):
    the restored store destroys the key, as asking again would."""
    app = store_world.app
    case_id = store_world.open_case()
    with monkeypatch.context() as halted:  # the process stops before destroying the key
        halted.setattr(app.keyring, "destroy", lambda _key_id: False)
        app.erase_beneficiary(case_id=case_id, ground="erasure_request", requested_by="DPO")
    assert not app.keyring.is_destroyed(case_id)
    file = tmp_path / "maillage.backup"
    assert run_cli(store_settings, monkeypatch, "backup", str(file)).exit_code == 0

    carry_key_file(store_settings, empty_store)
    restored = run_cli(empty_store, monkeypatch, "restore", str(file))
    assert restored.exit_code == 0, restored.output
    assert "1 erasure(s) the backup caught half-way" in said(restored)
    with open_services(empty_store) as copy:
        assert copy.maillage.keyring.is_destroyed(case_id)
        assert copy.maillage.keyring.key(case_id) is None


def test_a_restore_into_a_migrated_empty_store(
    store_settings: Settings,
    store_world: World,
    empty_store: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`maillage migrate` run first on the new store changes nothing: it is still empty."""
    file = tmp_path / "maillage.backup"
    assert run_cli(store_settings, monkeypatch, "backup", str(file)).exit_code == 0
    assert run_cli(empty_store, monkeypatch, "migrate").exit_code == 0
    restored = run_cli(empty_store, monkeypatch, "restore", str(file))
    assert restored.exit_code == 0, restored.output
    with open_services(empty_store) as copy:
        assert log_of(copy.maillage) == log_of(store_world.app)


def test_a_restore_not_given_the_key_that_wrapped_the_keys_is_refused_before_writing(
    store_settings: Settings,
    store_world: World,
    empty_store: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Another key-encryption key (or, embedded, a stale key file beside the target) would
    restore a store whose sealed fields open for nobody: refused, nothing written; with the
    right one, restored."""
    store_world.open_case()
    file = tmp_path / "maillage.backup"
    assert run_cli(store_settings, monkeypatch, "backup", str(file)).exit_code == 0
    assert backups.read_manifest(file).key_encryption_keys

    other = base64.b64encode(os.urandom(32)).decode()
    with monkeypatch.context() as wrong:
        wrong.setenv("MAILLAGE_KEY_ENCRYPTION_KEY", other)
        refused = run_cli(empty_store, monkeypatch, "restore", str(file))
    assert refused.exit_code != 0
    said_ = " ".join(refused.output.split())  # as the console wrapped it
    assert "which this process is not given" in said_
    assert "nothing was written" in said_
    if not ON_POSTGRES:
        assert not Path(empty_store.database_url.removeprefix("sqlite:///")).exists()
    else:
        engine = create_engine(TEST_URL.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as conn:
            tables = conn.execute(
                text("SELECT count(*) FROM information_schema.tables WHERE table_schema = :s"),
                {"s": empty_store.database_schema},
            ).scalar()
        engine.dispose()
        assert tables == 0

    carry_key_file(store_settings, empty_store)
    restored = run_cli(empty_store, monkeypatch, "restore", str(file))
    assert restored.exit_code == 0, restored.output
