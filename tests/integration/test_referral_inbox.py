"""The referral inboxes' read model on the store under test (SQLite, PostgreSQL): written from
the referral events, rebuilt to the same rows, and filled by migration 0012 with the referrals
recorded before it — the coherence projection replayed too, so that expired referrals alert."""

from __future__ import annotations

from datetime import timedelta

from alembic import command
from sqlalchemy import Engine, select, text

from api.settings import Settings
from api.store.migrations import alembic_config, upgrade
from domain.application import Maillage
from domain.values import AlertKind
from projections import referral_queries
from projections.coherence import coherence
from projections.referral_inbox import referral_view
from projections.report_tables import report_referral_view
from projections.runner import ProjectionRunner
from tests.world import NOW, World, ago


def _rows(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as conn:
        found = conn.execute(select(referral_view).order_by(referral_view.c.referral_id))
        return [dict(r) for r in found.mappings()]


def test_the_inbox_follows_the_referral_events_and_rebuilds_the_same(
    store_world: World, store_app: Maillage, engine: Engine
) -> None:
    case = store_world.open_case()
    accepted = store_world.refer(case, "jeanne", "ase", occurred_at=ago(5))
    revoked = store_world.refer(case, "jeanne", "cmp", occurred_at=ago(4), categories=("health",))
    pending = store_world.refer(case, "jeanne", "school", occurred_at=ago(3))
    store_app.accept_referral(case_id=case, referral_id=accepted, by=store_world.actor("karim"))
    store_app.revoke_referral(
        case_id=case, referral_id=revoked, by=store_world.actor("jeanne"), reason="Autre piste"
    )
    runner = ProjectionRunner(store_app, engine)
    runner.catch_up()

    rows = {r["referral_id"]: r for r in _rows(engine)}
    assert {k: r["status"] for k, r in rows.items()} == {
        str(accepted): "accepted",
        str(revoked): "revoked",
        str(pending): "pending",
    }
    assert rows[str(accepted)]["answered_by"] == str(store_world.p("karim"))
    assert rows[str(revoked)]["categories"] == '["health"]'
    assert "Autre piste" not in str(rows)  # the reason stays sealed in the log
    with engine.connect() as conn:  # funder reports count the referrals by outcome
        outcomes = dict(
            conn.execute(
                select(report_referral_view.c.referral_id, report_referral_view.c.status)
            ).all()
        )
    assert outcomes == {str(accepted): "accepted", str(revoked): "revoked", str(pending): "pending"}
    with engine.connect() as conn:
        sent = referral_queries.referrals(
            conn,
            institution_id=store_world.i("aemo"),
            box="sent",
            now=NOW,
            expiry=timedelta(days=30),
        )
        expired = referral_queries.referrals(
            conn,
            institution_id=store_world.i("school"),
            box="received",
            now=NOW,
            expiry=timedelta(days=2),
            status="expired",
        )
    assert [r["referral_id"] for r in sent.rows] == [str(pending), str(revoked), str(accepted)]
    assert [r["referral_id"] for r in expired.rows] == [str(pending)]

    before = _rows(engine)
    runner.rebuild(["referrals"])
    assert _rows(engine) == before


def test_migration_0012_fills_the_inbox_with_earlier_referrals_and_replays_coherence(
    store_world: World, store_app: Maillage, engine: Engine, store_settings: Settings
) -> None:
    case = store_world.open_case(occurred_at=ago(20))
    referral = store_world.refer(case, "jeanne", "ase", occurred_at=ago(19))
    store_app.take_snapshot(case)
    assert list(store_app.snapshots.get(case)) != []  # type: ignore[union-attr]
    runner = ProjectionRunner(store_app, engine)
    runner.catch_up()

    with engine.connect() as conn:
        config = alembic_config(store_settings)
        config.attributes["connection"] = conn
        command.downgrade(config, "0011")
        conn.commit()
    upgrade(store_settings)

    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM referral_view")).scalar() == 0
        tracked = (
            "SELECT count(*) FROM projection_tracking WHERE name IN ('referrals', 'coherence')"
        )
        assert conn.execute(text(tracked)).scalar() == 0
    assert list(store_app.snapshots.get(case)) == []  # type: ignore[union-attr]  # rebuilt from events
    runner.catch_up()
    assert [r["referral_id"] for r in _rows(engine)] == [str(referral)]
    with engine.connect() as conn:
        view = coherence(conn, case, at=NOW, referral_expiry=timedelta(days=10))
    assert view is not None
    assert AlertKind.REFERRAL_EXPIRED in [a.kind for a in view.alerts]
