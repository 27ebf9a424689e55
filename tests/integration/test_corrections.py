"""Corrections without rewriting history (issue 17 §3), on SQLite and on PostgreSQL: an act
recorded in error is corrected or annulled by a new event naming it; reports count it once, as
corrected (or not at all); the coherence view and caseloads show the corrected last action; the
audit trail and the as-of view keep both; and every refusal is its own rule."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from uuid import UUID, uuid4

import pytest
from alembic import command
from sqlalchemy import Engine, select, text

from api.settings import Settings
from api.store.migrations import alembic_config, upgrade
from domain.application import Maillage
from domain.errors import (
    AccessDeniedError,
    ActAnnulledError,
    ActNotCorrectableError,
    ActNotFoundError,
    BeneficiaryErasedError,
    CorrectionWindowPassedError,
    MaillageError,
    NothingToCorrectError,
)
from domain.funding import FundedKind
from domain.months import Calendar, Month, MonthRange
from domain.reports import Report
from domain.values import Actor
from projections import reports
from projections.coherence import AsOf, coherence, coherence_as_of
from projections.runner import ProjectionRunner
from projections.tables import audit_entry_view, case_actor_view
from tests.world import NOW, World, ago

PARIS = Calendar.of("Europe/Paris")
NOVEMBER = MonthRange.month(Month(2026, 11))
OCTOBER = MonthRange.month(Month(2026, 10))
IN_OCTOBER = datetime(2026, 10, 28, 9, 0, tzinfo=UTC)  # within the 30-day backdating window


def hire(app: Maillage, world: World, name: str, institution: str) -> Actor:
    """Another professional of an institution (a supervisor, a colleague)."""
    pid = app.register_professional(name=name, profession="chef de service").id
    app.start_employment(
        professional_id=pid, institution_id=world.i(institution), start=date(2020, 1, 1)
    )
    return Actor(pid, world.i(institution))


def project(app: Maillage, engine: Engine) -> None:
    ProjectionRunner(app, engine, batch_size=7).catch_up()


def aemo_report(engine: Engine, period: MonthRange) -> Report:
    with engine.connect() as conn:
        scope = reports.scope(conn, FundedKind.INSTITUTION, AEMO[0])
        return reports.report(conn, scope, period, min_cell=1, calendar=PARIS)


def interventions(engine: Engine, period: MonthRange) -> dict[str, int | None]:
    """The AEMO's report over `period`: its interventions by kind (non-zero), total first."""
    line = aemo_report(engine, period).line("interventions_by_kind")
    return {"total": line.total.value, **{c.label: c.value for c in line.cells if c.value}}


def actions(engine: Engine, period: MonthRange) -> int:
    return aemo_report(engine, period).line("actions_by_basis").total.value or 0


AEMO: list[UUID] = []  # the AEMO of the test's world


@pytest.fixture
def case(store_app: Maillage, store_world: World) -> UUID:
    AEMO[:] = [store_world.i("aemo")]
    return store_world.open_case(occurred_at=ago(10))


def record(app: Maillage, world: World, case_id: UUID, kind: str = "home_visit") -> UUID:
    recorded = app.record_intervention(
        case_id=case_id, by=world.actor("jeanne"), kind=kind, occurred_at=ago(2)
    )
    assert recorded.entity_id is not None
    return recorded.entity_id


def last_action_at(engine: Engine, case_id: UUID, professional_id: UUID) -> datetime:
    with engine.connect() as conn:
        row = conn.execute(
            select(case_actor_view.c.last_action_at).where(
                case_actor_view.c.case_id == str(case_id),
                case_actor_view.c.professional_id == str(professional_id),
            )
        ).one()
    at: datetime = row.last_action_at
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


# --- the corrected state everywhere, counted once ---------------------------------------------


def test_the_author_corrects_kind_and_date_and_every_view_counts_it_once_as_corrected(
    store_app: Maillage, store_world: World, engine: Engine, case: UUID
) -> None:
    act = record(store_app, store_world, case)
    project(store_app, engine)
    assert interventions(engine, NOVEMBER) == {"total": 1, "home_visit": 1}
    assert interventions(engine, OCTOBER) == {"total": 0}
    november_actions = actions(engine, NOVEMBER)
    jeanne = store_world.p("jeanne")
    assert last_action_at(engine, case, jeanne) == ago(2)
    before_correction = datetime.now(tz=UTC)

    corrected = store_app.correct_act(
        case_id=case,
        act_id=act,
        by=store_world.actor("jeanne"),
        reason="consultation au service, saisie comme visite, et à la mauvaise date",
        kind="consultation",
        act_occurred_at=IN_OCTOBER,
    )
    assert corrected.entity_id == act
    project(store_app, engine)

    # Reports: once, under its corrected kind, in its corrected month only.
    assert interventions(engine, NOVEMBER) == {"total": 0}
    assert interventions(engine, OCTOBER) == {"total": 1, "consultation": 1}
    assert actions(engine, NOVEMBER) == november_actions - 1
    quarter = interventions(engine, MonthRange.quarter(2026, 4))
    assert quarter == {"total": 1, "consultation": 1}
    # The network map's presences: Jeanne acted on the case in October now (and only then).
    with engine.connect() as conn:
        october = reports._presences(conn, OCTOBER, PARIS)
    assert [(p.case_id, p.professional_id) for p in october] == [(case, jeanne)]
    # The coherence view and the caseload: her last action is now the opening (ago 10), the
    # intervention being dated earlier.
    assert last_action_at(engine, case, jeanne) == ago(10)
    with engine.connect() as conn:
        view = coherence(conn, case, at=NOW)
    assert view is not None
    (line,) = [a for a in view.actors if a.professional_id == jeanne]
    assert line.last_action_at == ago(10)
    # As recorded before the correction: the original date; after it: the corrected state.
    earlier = coherence_as_of(store_app, case, at=before_correction, question=AsOf.RECORDED)
    later = coherence_as_of(store_app, case, at=datetime.now(tz=UTC), question=AsOf.RECORDED)
    assert earlier is not None
    assert later is not None
    assert [a.last_action_at for a in earlier.actors if a.professional_id == jeanne] == [ago(2)]
    assert [a.last_action_at for a in later.actors if a.professional_id == jeanne] == [ago(10)]
    # The audit trail keeps both: the intervention as recorded, and its correction.
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit_entry_view.c.summary_key, audit_entry_view.c.summary_values)
            .where(audit_entry_view.c.case_id == str(case))
            .order_by(audit_entry_view.c.position)
        ).all()
    keys = [r.summary_key for r in rows]
    assert keys[-2:] == ["intervention_recorded", "act_corrected_kind_date"]
    assert json.loads(rows[-2].summary_values) == {"kind": "home_visit"}
    assert json.loads(rows[-1].summary_values) == {
        "was_kind": "home_visit",  # the act as it stood, named by the sentence (never its id)
        "was_day": ago(2).isoformat(),
        "kind": "consultation",
        "day": IN_OCTOBER.isoformat(),
    }


def test_a_later_date_becomes_the_last_action_and_corrections_chain(
    store_app: Maillage, store_world: World, engine: Engine, case: UUID
) -> None:
    act = record(store_app, store_world, case)
    jeanne = store_world.actor("jeanne")
    store_app.correct_act(
        case_id=case, act_id=act, by=jeanne, reason="date", act_occurred_at=ago(1)
    )
    store_app.correct_act(case_id=case, act_id=act, by=jeanne, reason="type", kind="assessment")
    project(store_app, engine)
    assert last_action_at(engine, case, jeanne.professional_id) == ago(1)
    assert interventions(engine, NOVEMBER) == {"total": 1, "assessment": 1}
    # The second correction worked on the current state: its date is the corrected one.
    with pytest.raises(NothingToCorrectError):
        store_app.correct_act(
            case_id=case,
            act_id=act,
            by=jeanne,
            reason="rien",
            kind="assessment",
            act_occurred_at=ago(1),
        )


def test_an_annulled_intervention_counts_nowhere(
    store_app: Maillage, store_world: World, engine: Engine, case: UUID
) -> None:
    kept = record(store_app, store_world, case, kind="assessment")
    act = record(store_app, store_world, case)
    project(store_app, engine)
    assert interventions(engine, NOVEMBER) == {"total": 2, "assessment": 1, "home_visit": 1}
    november_actions = actions(engine, NOVEMBER)

    store_app.annul_act(
        case_id=case, act_id=act, by=store_world.actor("jeanne"), reason="dossier d'un autre"
    )
    project(store_app, engine)
    assert interventions(engine, NOVEMBER) == {"total": 1, "assessment": 1}
    assert actions(engine, NOVEMBER) == november_actions - 1
    assert kept != act


def test_an_annulled_share_no_longer_raises_its_alert_and_an_annulled_meeting_no_first_meeting(
    store_app: Maillage, store_world: World, engine: Engine, case: UUID
) -> None:
    jeanne = store_world.actor("jeanne")
    store_app.give_consent(
        case_id=case,
        by=jeanne,
        giver="beneficiary",
        recipients=[store_world.i("cmp")],
        categories=["health"],
        occurred_at=ago(9),
    )
    shared = store_app.share_information(  # on consent, with no convention: an alert
        case_id=case,
        by=jeanne,
        recipient_institution_id=store_world.i("cmp"),
        categories=["health"],
        occurred_at=ago(3),
    )
    meeting = store_app.hold_coordination_meeting(
        case_id=case, by=jeanne, attendees=[jeanne], decisions=["suivi"], occurred_at=ago(1)
    )
    project(store_app, engine)
    with engine.connect() as conn:
        view = coherence(conn, case, at=NOW)
        scope = reports.scope(conn, FundedKind.INSTITUTION, store_world.i("aemo"))
        report = reports.report(conn, scope, NOVEMBER, min_cell=1, calendar=PARIS)
    assert view is not None
    assert "exchange_without_convention" in {str(a.kind) for a in view.alerts}
    assert report.median_days_to_first_meeting == 9

    assert shared.entity_id is not None
    assert meeting.entity_id is not None
    with pytest.raises(AccessDeniedError):  # information sent: not its author's to unsay
        store_app.annul_act(case_id=case, act_id=shared.entity_id, by=jeanne, reason="erreur")
    head = hire(store_app, store_world, "Marie Keller", "aemo")
    store_app.annul_act(
        case_id=case, act_id=shared.entity_id, by=head, supervisor=True, reason="erreur"
    )
    store_app.annul_act(case_id=case, act_id=meeting.entity_id, by=jeanne, reason="erreur")
    project(store_app, engine)
    with engine.connect() as conn:
        view = coherence(conn, case, at=NOW)
        report = reports.report(conn, scope, NOVEMBER, min_cell=1, calendar=PARIS)
        keys = set(
            conn.execute(
                select(audit_entry_view.c.summary_key).where(
                    audit_entry_view.c.case_id == str(case)
                )
            ).scalars()
        )
    assert view is not None
    assert "exchange_without_convention" not in {str(a.kind) for a in view.alerts}
    assert report.median_days_to_first_meeting is None
    assert {"act_annulled_share", "act_annulled_meeting"} <= keys


# --- who may -----------------------------------------------------------------------------------


def test_a_supervisor_of_the_acts_institution_corrects_after_the_window_its_author_cannot(
    store_app: Maillage, store_world: World, engine: Engine, case: UUID
) -> None:
    act = record(store_app, store_world, case)
    head = hire(store_app, store_world, "Marie Keller", "aemo")
    later = datetime.now(tz=UTC) + timedelta(hours=73)
    store_app.time = replace(store_app.time, clock=lambda: later, backdating_window=timedelta(60))
    with pytest.raises(CorrectionWindowPassedError) as refused:
        store_app.correct_act(
            case_id=case,
            act_id=act,
            by=store_world.actor("jeanne"),
            reason="trop tard",
            kind="assessment",
        )
    assert refused.value.field == "act_id"
    assert refused.value.details["window_hours"] == 72
    store_app.correct_act(
        case_id=case, act_id=act, by=head, supervisor=True, reason="relu", kind="assessment"
    )
    project(store_app, engine)
    assert interventions(engine, NOVEMBER) == {"total": 1, "assessment": 1}


@pytest.mark.parametrize("who", ["colleague", "other_supervisor"])
def test_another_case_worker_or_a_supervisor_of_another_institution_is_refused(
    store_app: Maillage, store_world: World, case: UUID, who: str
) -> None:
    act = record(store_app, store_world, case)
    by = hire(store_app, store_world, "Nadia Roth", "aemo" if who == "colleague" else "cmp")
    with pytest.raises(AccessDeniedError) as refused:
        store_app.annul_act(
            case_id=case, act_id=act, by=by, supervisor=who != "colleague", reason="non"
        )
    assert refused.value.rule == "access-denied"
    assert refused.value.field == "act_id"


def test_refusals_each_name_their_rule(store_app: Maillage, store_world: World, case: UUID) -> None:
    jeanne = store_world.actor("jeanne")
    act = record(store_app, store_world, case)
    meeting = store_app.hold_coordination_meeting(
        case_id=case, by=jeanne, attendees=[jeanne], decisions=["suivi"], occurred_at=ago(1)
    ).entity_id
    assert meeting is not None
    version = store_app.repository.get(case).version

    def refused(error: type[MaillageError], **kwargs: object) -> MaillageError:
        correcting = {"kind", "act_occurred_at", "summary"} & set(kwargs)
        command = store_app.correct_act if correcting else store_app.annul_act
        with pytest.raises(error) as caught:
            command(case_id=case, by=jeanne, reason="r", **kwargs)  # type: ignore[arg-type]
        return caught.value

    assert refused(ActNotFoundError, act_id=uuid4()).field == "act_id"
    assert refused(ActNotFoundError, act_id=uuid4(), kind="care").rule == "act-not-found"
    assert refused(NothingToCorrectError, act_id=act, kind="home_visit").rule == (
        "nothing-to-correct"
    )
    assert refused(NothingToCorrectError, act_id=act, act_occurred_at=ago(2)).field == "act_id"
    assert refused(ActNotCorrectableError, act_id=meeting, kind="care").field == "act_id"
    future = refused(MaillageError, act_id=act, act_occurred_at=NOW + timedelta(days=2))
    assert (future.rule, future.field) == ("occurred-at-in-future", "act_occurred_at")
    assert store_app.repository.get(case).version == version  # nothing recorded

    store_app.annul_act(case_id=case, act_id=act, by=jeanne, reason="erreur")
    assert refused(ActAnnulledError, act_id=act).rule == "act-annulled"  # annulled twice
    assert refused(ActAnnulledError, act_id=act, kind="care").field == "act_id"  # corrected


def test_no_correction_for_an_erased_beneficiary(
    store_app: Maillage, store_world: World, case: UUID
) -> None:
    act = record(store_app, store_world, case)
    store_app.erase_beneficiary(case_id=case, ground="erasure_request", reference=None,
                                requested_by="admin")  # fmt: skip
    with pytest.raises(BeneficiaryErasedError):
        store_app.annul_act(case_id=case, act_id=act, by=store_world.actor("jeanne"), reason="x")


def test_a_rebuild_gives_the_same_rows_after_corrections(
    store_app: Maillage, store_world: World, engine: Engine, case: UUID
) -> None:
    from tests.integration.test_rebuild import tables

    jeanne = store_world.actor("jeanne")
    act = record(store_app, store_world, case)
    other = record(store_app, store_world, case, kind="assessment")
    store_app.correct_act(
        case_id=case, act_id=act, by=jeanne, reason="r", kind="care", act_occurred_at=IN_OCTOBER
    )
    store_app.annul_act(case_id=case, act_id=other, by=jeanne, reason="r")
    project(store_app, engine)
    incremental = tables(engine)
    ProjectionRunner(store_app, engine, batch_size=1000).rebuild()
    assert tables(engine) == incremental
    assert incremental["report_act_change_view"]


def test_migration_0014_replays_reports_and_coherence_and_drops_snapshots(
    store_app: Maillage,
    store_world: World,
    engine: Engine,
    store_settings: Settings,
    case: UUID,
) -> None:
    """Rows written before it lack the act ids and the acts a case keeps: the migration empties
    both projections and drops their positions (the runner replays them to the same rows), and
    drops the snapshots that lack the acts a case keeps."""
    from tests.integration.test_rebuild import tables

    act = record(store_app, store_world, case)
    store_app.correct_act(
        case_id=case, act_id=act, by=store_world.actor("jeanne"), reason="r", kind="care"
    )
    project(store_app, engine)
    projected = tables(engine)
    store_app.take_snapshot(case)
    snapshots = "stored_snapshots" if engine.dialect.name == "sqlite" else "maillage_snapshots"
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT count(*) FROM {snapshots}")).scalar() == 1
    with engine.connect() as conn:
        config = alembic_config(store_settings)
        config.attributes["connection"] = conn
        command.downgrade(config, "0011")
        conn.commit()
    upgrade(store_settings)

    with engine.connect() as conn:
        for table in ("report_act_view", "case_coherence_view", snapshots):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
        tracked = "SELECT name FROM projection_tracking WHERE name IN ('reports', 'coherence')"
        assert conn.execute(text(tracked)).all() == []
    project(store_app, engine)
    assert tables(engine) == projected
    assert interventions(engine, NOVEMBER) == {"total": 1, "care": 1}


def test_as_it_happened_an_act_counts_at_its_corrected_date(
    store_app: Maillage, store_world: World, case: UUID
) -> None:
    """ "As it happened at T, as known now": corrections are known now, so an act dated after T
    when first recorded, corrected to a date before T, is there at T (and an annulled one not)."""
    jeanne = store_world.actor("jeanne")
    act = record(store_app, store_world, case)  # ago(2)
    store_app.correct_act(case_id=case, act_id=act, by=jeanne, reason="r", act_occurred_at=ago(5))
    at_three = coherence_as_of(store_app, case, at=ago(3), question=AsOf.OCCURRED)
    assert at_three is not None
    (line,) = [a for a in at_three.actors if a.professional_id == jeanne.professional_id]
    assert line.last_action_at == ago(5)
    store_app.annul_act(case_id=case, act_id=act, by=jeanne, reason="r")
    after = coherence_as_of(store_app, case, at=ago(3), question=AsOf.OCCURRED)
    assert after is not None
    (line,) = [a for a in after.actors if a.professional_id == jeanne.professional_id]
    assert line.last_action_at == ago(10)
