"""The audit trail keeps a sentence's key and values and words it when read: rebuilt, it says the
same; it never keeps a name nor a sealed field; an id the registry does not know reads as the
id. The demo's walkthrough prints the views named, in French. Migration 0009 replays the trail."""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, select

from api.cli.demo import load_demo
from api.cli.demo_walkthrough import walkthrough
from api.composition import Services, open_services
from api.i18n import ENGLISH, FRENCH
from api.settings import Settings
from api.store.factory import build_engine
from api.store.migrations import upgrade
from domain.application import Maillage
from domain.timing import TimePolicy
from projections import queries
from projections.runner import ProjectionRunner
from projections.tables import audit_entry_view, projection_tracking
from projections.view_wording import word_audit
from tests.conftest import fresh_store
from tests.world import CHILD_PROTECTION, NOW, World, ago

UUID_IN_TEXT = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
TEST_URL = os.environ.get("MAILLAGE_DATABASE_URL", "")


def _trail(engine: Engine, institution: uuid.UUID, words: Any) -> list[dict[str, Any]]:
    """An institution's whole trail, worded, read 7 entries a page."""
    worded: list[dict[str, Any]] = []
    with engine.connect() as conn:
        after = None
        while True:
            found = queries.audit_trail(conn, institution_id=institution, after=after, limit=7)
            worded += word_audit(conn, found.entries, words)
            if found.next_cursor is None:
                return worded
            after = found.next_cursor


def test_a_rebuilt_trail_says_the_same_in_both_languages(
    store_services: Services, engine: Engine
) -> None:
    app = store_services.maillage
    story = load_demo(app, now=NOW)
    aemo = story.institutions["aemo"]
    runner = ProjectionRunner(app, engine, batch_size=13)
    runner.catch_up()
    before = {lang.language: _trail(engine, aemo, lang) for lang in (FRENCH, ENGLISH)}
    assert len(before["fr"]) > 20
    assert all(not UUID_IN_TEXT.search(e["summary"]) for e in before["fr"] + before["en"])

    runner.rebuild(["audit_trail"])
    after = {lang.language: _trail(engine, aemo, lang) for lang in (FRENCH, ENGLISH)}
    assert after == before
    assert before["fr"] != before["en"]


def test_the_trail_keeps_no_name_and_no_sealed_field(store_app: Maillage, engine: Engine) -> None:
    world = World.build(store_app)
    case_id = world.open_case(occurred_at=ago(5))  # Léo Schmitt
    store_app.record_intervention(
        case_id=case_id,
        by=world.actor("jeanne"),
        kind="home_visit",
        summary="Note confidentielle sur la famille",
        occurred_at=ago(4),
    )
    store_app.refer(
        case_id=case_id,
        by=world.actor("jeanne"),
        to_institution_id=world.i("cmp"),
        reason="Motif sensible",
        legal_ground=CHILD_PROTECTION,
        occurred_at=ago(3),
    )
    store_app.close_case(case_id=case_id, by=world.actor("jeanne"), reason="Départ du département")
    ProjectionRunner(store_app, engine).catch_up()
    with engine.connect() as conn:
        stored = conn.execute(
            select(audit_entry_view.c.summary_key, audit_entry_view.c.summary_values)
        ).all()
        worded = word_audit(conn, queries.audit_trail(conn, case_id=case_id).entries, FRENCH)
    kept = " ".join(f"{key} {values}" for key, values in stored)
    for personal in ("Schmitt", "Léo", "Note confidentielle", "Motif sensible", "Départ"):
        assert personal not in kept
    for name in ("Jeanne", "AEMO Colmar", "CMP Colmar"):  # joined when read, never kept
        assert name not in kept
    assert json.loads(dict(stored)["intervention_recorded"]) == {"kind": "home_visit"}
    assert [e["summary"] for e in worded][1:] == [
        "Jeanne (AEMO Colmar) a enregistré une intervention : visite à domicile",
        "Jeanne (AEMO Colmar) a orienté la personne vers CMP Colmar",
        "Jeanne (AEMO Colmar) a clôturé le dossier",
    ]


def test_an_id_the_registry_does_not_know_reads_as_the_id(
    store_app: Maillage, engine: Engine
) -> None:
    stranger, place = uuid.uuid4(), uuid.uuid4()
    row = {
        "position": 1,
        "aggregate_id": str(uuid.uuid4()),
        "aggregate_version": 1,
        "event_type": "Case.ReferralMade",
        "case_id": None,
        "professional_id": str(stranger),
        "institution_id": str(place),
        "counterpart_institution_id": str(place),
        "basis_kind": "informal",
        "basis_ref": None,
        "occurred_at": NOW,
        "recorded_at": NOW,
        "summary_key": "referral_made",
        "summary_values": json.dumps({"to": str(place)}),
    }
    with engine.connect() as conn:
        [entry] = word_audit(conn, [row], ENGLISH)
    assert entry["professional_name"] is None
    assert entry["institution_name"] is None
    assert entry["basis_kind_label"] == "Informal"
    assert entry["summary"] == f"{stranger} ({place}) referred the person to {place}"


def test_the_demo_walkthrough_shows_named_views_in_french(store_services: Services) -> None:
    story = load_demo(store_services.maillage, now=NOW)
    french = walkthrough(store_services, story)
    english = walkthrough(store_services, story, ENGLISH)
    assert french[0] == "Dossier de Léo, dernières entrées de son historique (piste d'audit) :"
    assert "Dossiers suivis par Jeanne Martin :" in french
    assert any(
        line.startswith("  Léo : Dr Sophie Weber (CMP enfants et adolescents de Colmar), rôle : ")
        and "fondement : délégation (CMP enfants et adolescents de Colmar)" in line
        for line in french
    )
    assert any("a accepté une orientation" in line for line in french)
    assert not [line for line in french + english if UUID_IN_TEXT.search(line)]
    assert "Caseload of Jeanne Martin:" in english


@pytest.fixture
def settings_at_0008(tmp_path: Path) -> Iterator[Settings]:
    """A store migrated up to 0008 only (the audit trail's former shape)."""
    yield from fresh_store(tmp_path, "0008")


def test_migration_0009_words_the_trail_when_read_and_replays_it(
    settings_at_0008: Settings,
) -> None:
    engine = build_engine(settings_at_0008)
    try:
        with engine.begin() as conn:
            conn.execute(
                projection_tracking.insert().values(name="audit_trail", position=7, updated_at=NOW)
            )
        upgrade(settings_at_0008)
        columns = {c["name"] for c in inspect(engine).get_columns("audit_entry_view")}
        assert {"summary_key", "summary_values"} <= columns
        assert "summary" not in columns
        with engine.connect() as conn:
            tracked = conn.execute(select(projection_tracking.c.name)).scalars().all()
        assert "audit_trail" not in tracked  # replayed from the start of the log
        with open_services(settings_at_0008, time=TimePolicy(clock=lambda: NOW)) as services:
            world = World.build(services.maillage)
            world.open_case()
            services.projections.catch_up()
            with services.engine.connect() as conn:
                found = queries.audit_trail(conn, professional_id=world.p("jeanne"))
                worded = word_audit(conn, found.entries, FRENCH)
        assert worded[-1]["summary"].startswith("Jeanne (AEMO Colmar) a ouvert le dossier")
    finally:
        engine.dispose()
