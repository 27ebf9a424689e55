"""Projections are derived data: incremental, rebuilt, or re-applied, they end identical."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select, update

from api.cli.demo import load_demo
from api.composition import open_services
from api.settings import Settings
from domain.application import Maillage
from domain.event_classes import BeneficiaryErased, FundingGranted, PartnershipEntered
from domain.events import ALL_EVENTS
from domain.timing import TimePolicy
from projections.log_reading import event_reader
from projections.report_tables import REPORT_TABLES
from projections.runner import ProjectionRunner, UnknownProjectionError
from projections.tables import (
    as_utc,
    audit_entry_view,
    case_actor_view,
    institution_view,
    professional_view,
    projection_tracking,
)
from tests.world import NOW, World, ago

TABLES = (institution_view, professional_view, case_actor_view, audit_entry_view, *REPORT_TABLES)


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {t.name: sorted(tuple(r) for r in conn.execute(select(t)).all()) for t in TABLES}


def test_incremental_rebuilt_and_reapplied_views_are_identical(
    store_app: Maillage, engine: Engine
) -> None:
    runner = ProjectionRunner(store_app, engine, batch_size=7)
    world = World.build(store_app)
    runner.catch_up()  # incremental: in several rounds, across odd-sized batches
    story = load_demo(store_app, now=NOW)
    runner.catch_up()
    case_id = world.open_case()
    store_app.record_intervention(case_id=case_id, by=world.actor("jeanne"), kind="home_visit")
    runner.catch_up()
    incremental = snapshot(engine)
    head = runner.head()
    assert all(lag.behind == 0 and lag.position == head for lag in runner.lag())

    ProjectionRunner(store_app, engine, batch_size=1000).rebuild()
    assert snapshot(engine) == incremental

    with engine.begin() as conn:  # forget the positions: every event is applied a second time
        conn.execute(update(projection_tracking).values(position=0))
    runner.catch_up()
    assert snapshot(engine) == incremental

    assert len(incremental["audit_entry_view"]) == head
    leo = str(story.cases["leo"])
    actors = [r for r in incremental["case_actor_view"] if r[0] == leo]
    assert len(actors) == 5
    # The report projection: an act row per act on a case (a correction is none: it changes
    # the act it names), the demo's three fundings.
    assert len(incremental["funding_view"]) == 3
    assert len(incremental["report_case_view"]) == 3  # Léo, Inès, the world's case
    assert len(incremental["report_act_view"]) == sum(
        1
        for r in incremental["audit_entry_view"]
        if r[3].startswith("Case.") and r[3] not in ("Case.ActCorrected", "Case.ActAnnulled")
    )


def test_caseload_rows_carry_role_basis_and_last_action(
    store_app: Maillage, engine: Engine
) -> None:
    world = World.build(store_app)
    case_id = world.open_case()
    store_app.join_case(case_id=case_id, by=world.actor("luc"), role="nurse", occurred_at=ago(5))
    store_app.record_intervention(
        case_id=case_id, by=world.actor("luc"), kind="care", occurred_at=ago(2)
    )
    store_app.leave_case(case_id=case_id, by=world.actor("luc"), occurred_at=ago(1))
    ProjectionRunner(store_app, engine).catch_up()
    with engine.connect() as conn:
        row = (
            conn.execute(
                select(case_actor_view).where(
                    case_actor_view.c.professional_id == str(world.p("luc"))
                )
            )
            .mappings()
            .one()
        )
    assert row["role"] == "nurse"
    assert row["basis_kind"] == "informal"
    assert row["active"] is False
    assert row["last_action_at"].replace(tzinfo=None) == ago(1).replace(tzinfo=None)


def test_a_batch_that_fails_leaves_no_rows_and_no_position(
    store_app: Maillage, engine: Engine
) -> None:
    World.build(store_app)
    runner = ProjectionRunner(store_app, engine, batch_size=5)
    projector = runner.projectors["audit_trail"]
    calls = 0
    original = projector.apply

    def crash_on_third(batch: Any, event: Any, position: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("killed mid-batch")
        original(batch, event, position)

    projector.apply = crash_on_third  # type: ignore[method-assign]
    with pytest.raises(RuntimeError):
        runner.run_batch(projector)
    assert runner.position("audit_trail") == 0
    assert snapshot(engine)["audit_entry_view"] == []
    projector.apply = original  # type: ignore[method-assign]
    runner.catch_up()
    assert len(snapshot(engine)["audit_entry_view"]) == runner.head()


def test_unknown_projection_names_are_refused(store_app: Maillage, engine: Engine) -> None:
    with pytest.raises(UnknownProjectionError, match="audit_trail"):
        ProjectionRunner(store_app, engine).rebuild(["nope"])


def test_positions_are_stamped_by_the_runners_clock(
    store_app: Maillage, engine: Engine, store_settings: Settings
) -> None:
    """One clock: the runner reads the time policy's, never the wall clock."""
    stamped = datetime(2031, 5, 4, 3, 2, 1, tzinfo=UTC)
    World.build(store_app)
    ProjectionRunner(store_app, engine, clock=lambda: stamped).catch_up()
    with engine.connect() as conn:
        found = conn.execute(select(projection_tracking.c.updated_at)).scalars().all()
    assert found
    assert {as_utc(at) for at in found} == {stamped}

    with open_services(store_settings, time=TimePolicy(clock=lambda: stamped)) as services:
        assert services.projections.clock() == stamped


def test_the_projectors_meet_the_catalogs_classes_as_the_log_decodes(
    store_app: Maillage, engine: Engine
) -> None:
    """The runner decodes with the read mapper (personal fields left sealed): dispatch sees the
    aggregates' own classes, each one every projector has declared, handled or ignored."""
    world = World.build(store_app)
    load_demo(store_app, now=NOW)
    case_id = world.open_case()
    store_app.erase_beneficiary(case_id=case_id, ground="erasure_request", requested_by="dpo")
    read = event_reader(store_app)
    seen = {type(read(n)) for n in store_app.recorder.select_notifications(1, 100_000)}
    assert seen <= set(ALL_EVENTS)
    assert len(seen) >= 25
    assert {BeneficiaryErased, FundingGranted, PartnershipEntered} <= seen  # ignored by some
    ProjectionRunner(store_app, engine).catch_up()
    assert all(lag.behind == 0 for lag in ProjectionRunner(store_app, engine).lag())
