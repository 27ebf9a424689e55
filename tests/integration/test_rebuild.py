"""The rebuild's fast path (`projections.rebuild`) ends with the very tables the incremental path
builds, row by row, on both stores — rows held in memory, written early past the memory bound
and read back, bulk-written, swapped in; its decoding gives the read mapper's events; the tables
keep the indexes and constraints the migrations named; readers see the previous rows until the
rebuild commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select, text

from api.cli.demo import load_demo
from bench.generate import generate
from domain.application import Maillage
from projections.catalog import PROJECTORS
from projections.log_reading import read_mapper
from projections.rebuild import replay
from projections.rebuild_decode import fast_reader
from projections.runner import ProjectionRunner
from projections.tables import audit_entry_view
from tests.world import NOW, World


def tables(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            t.name: sorted(tuple(r) for r in conn.execute(select(t)).all())
            for p in PROJECTORS
            for t in p.tables
        }


def varied_log(app: Maillage) -> None:
    """Every kind of event the demo and the world record, and a generated département's."""
    world = World.build(app)
    load_demo(app, now=NOW)
    case_id = world.open_case()
    app.record_intervention(case_id=case_id, by=world.actor("jeanne"), kind="home_visit")
    # issue 17: a transfer of the holding accepted, another declined, a référent assigned
    app.join_case(case_id=case_id, by=world.actor("karim"), role="référent ASE")
    for answer in (app.accept_transfer, app.decline_transfer):
        holder = app.repository.get(case_id).holder_institution_id
        by, to = ("jeanne", "karim") if holder == world.i("aemo") else ("karim", "jeanne")
        transfer = app.request_transfer(
            case_id=case_id, by=world.actor(by), to_institution_id=world.actor(to).institution_id
        ).entity_id
        assert transfer is not None
        extra = {"reason": "non"} if answer == app.decline_transfer else {}
        answer(case_id=case_id, transfer_id=transfer, by=world.actor(to), **extra)
    app.assign_referent(case_id=case_id, by=world.actor("karim"), referent=world.actor("jeanne"))
    jeanne = world.actor("jeanne")
    for kind in ("home_visit", "assessment"):  # one corrected, one annulled (issue 17)
        act = app.record_intervention(case_id=case_id, by=jeanne, kind=kind).entity_id
        assert act is not None
        if kind == "home_visit":
            app.correct_act(case_id=case_id, act_id=act, by=jeanne, reason="r", kind="care")
        else:
            app.annul_act(case_id=case_id, act_id=act, by=jeanne, reason="r")
    generate(app, cases=60, events_each=12, institutions=10, professionals_each=3, conventions=8)


def schema(engine: Engine) -> list[tuple[Any, ...]]:
    """The projection tables' indexes and constraints, as the database describes them."""
    names = [t.name for p in PROJECTORS for t in p.tables]
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            query = "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE tbl_name = :t"
        else:
            query = (
                "SELECT 'index', indexname, tablename, indexdef FROM pg_indexes "
                "WHERE tablename = :t AND schemaname = current_schema() UNION ALL "
                "SELECT 'constraint', conname, CAST(conrelid AS regclass)::text, "
                "pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = CAST(:t AS regclass)"
            )
        return sorted(tuple(r) for name in names for r in conn.execute(text(query), {"t": name}))


def test_fast_decoding_gives_the_read_mappers_events(store_app: Maillage) -> None:
    varied_log(store_app)
    mapper = read_mapper(store_app)
    fast = fast_reader(mapper)
    stored = store_app.recorder.select_notifications(start=1, limit=100_000)
    assert len(stored) > 1000
    for notification in stored:
        expected, decoded = mapper.to_domain_event(notification), fast(notification)
        assert type(decoded) is type(expected)
        assert vars(decoded) == vars(expected)


def test_a_rebuild_equals_the_incremental_tables_row_by_row(
    store_app: Maillage, engine: Engine
) -> None:
    varied_log(store_app)
    runner = ProjectionRunner(store_app, engine, batch_size=13)
    runner.catch_up()
    incremental = tables(engine)
    head = runner.head()
    described = schema(engine)
    assert [name for name, rows in incremental.items() if not rows] == []  # every table filled

    # Small pages and a small memory bound: rows written early, read back, replaced.
    projectors = sorted(PROJECTORS, key=lambda p: p.name)
    assert replay(runner, projectors, page=97, keyed_limit=40) == head
    assert tables(engine) == incremental
    assert all(lag.position == head for lag in runner.lag())

    runner.rebuild()  # the default: everything in memory here
    assert tables(engine) == incremental
    assert schema(engine) == described  # same indexes and constraints, by the same names

    for name in ("audit_trail", "coherence", "reports", "registry_names", "transfers"):
        runner.rebuild([name])  # alone: only the events it handles decoded; the others untouched
        assert tables(engine) == incremental


def test_readers_see_the_previous_rows_until_the_rebuild_commits(
    store_app: Maillage, engine: Engine
) -> None:
    World.build(store_app)
    load_demo(store_app, now=NOW)
    runner = ProjectionRunner(store_app, engine)
    runner.catch_up()
    before = tables(engine)
    seen: list[int] = []

    def read_meanwhile(name: str, position: int, head: int) -> None:
        with engine.connect() as conn:
            seen.append(len(conn.execute(select(audit_entry_view)).all()))

    with engine.begin() as conn:  # a rebuild has something to replace: one row less
        conn.execute(audit_entry_view.delete().where(audit_entry_view.c.position == 1))
    damaged = tables(engine)["audit_entry_view"]
    replay(runner, sorted(PROJECTORS, key=lambda p: p.name), read_meanwhile, page=50)
    assert len(seen) > 1  # several pages
    assert set(seen) == {len(damaged)}
    assert tables(engine) == before
