"""Caseload, involvement and audit trails read from the projected tables."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from api.i18n import ENGLISH, FRENCH
from domain.application import Maillage
from projections.queries import audit_trail, caseload, involvement
from projections.runner import ProjectionRunner
from projections.view_wording import word_audit
from tests.world import World, ago


def test_caseload_involvement_and_audit_trail(store_app: Maillage, engine: Engine) -> None:
    world = World.build(store_app)
    first = world.open_case(occurred_at=ago(10))
    second = world.open_case(occurred_at=ago(9))
    world.convention("ase", "aemo")
    store_app.join_case(case_id=first, by=world.actor("karim"), role="ASE", occurred_at=ago(8))
    store_app.join_case(case_id=second, by=world.actor("karim"), role="ASE", occurred_at=ago(8))
    store_app.leave_case(case_id=second, by=world.actor("karim"), occurred_at=ago(7))
    for days in (6, 5, 4):
        store_app.record_intervention(
            case_id=first, by=world.actor("karim"), kind="home_visit", occurred_at=ago(days)
        )
    store_app.give_consent(
        case_id=first,
        by=world.actor("jeanne"),
        giver="beneficiary",
        recipients=[world.i("cmp")],
        categories=["health"],
        occurred_at=ago(3),
    )
    store_app.share_information(
        case_id=first,
        by=world.actor("jeanne"),
        recipient_institution_id=world.i("cmp"),
        categories=["health"],
        occurred_at=ago(2),
    )
    ProjectionRunner(store_app, engine).catch_up()

    with engine.connect() as conn:
        load = caseload(conn, world.p("karim"))
        assert [r["case_id"] for r in load] == [str(first)]
        assert load[0]["basis_kind"] == "convention"
        assert load[0]["last_action_at"] == ago(4)
        assert len(caseload(conn, world.p("karim"), include_past=True)) == 2
        assert {r["professional_id"] for r in involvement(conn, world.i("aemo"))} == {
            str(world.p("jeanne"))
        }

        page = audit_trail(conn, case_id=first, limit=3)
        assert [e["event_type"] for e in page.entries] == [
            "Case.CaseOpened",
            "Case.ParticipantJoined",
            "Case.InterventionRecorded",
        ]
        assert page.next_cursor is not None
        rest = audit_trail(conn, case_id=first, after=page.next_cursor, limit=100)
        assert rest.next_cursor is None
        assert len(page.entries) + len(rest.entries) == 7
        positions = [e["position"] for e in page.entries + rest.entries]
        assert positions == sorted(positions)

        visits = audit_trail(
            conn, case_id=first, kinds=["InterventionRecorded"], since=ago(5), until=ago(4)
        )
        assert [e["occurred_at"] for e in visits.entries] == [ago(5), ago(4)]
        worded = word_audit(conn, visits.entries, FRENCH)
        assert {e["summary"] for e in worded} == {
            "Karim (ASE 68) a enregistré une intervention : visite à domicile"
        }
        assert all(e["recorded_at"] >= e["occurred_at"] for e in visits.entries)

        cmp_history = audit_trail(conn, institution_id=world.i("cmp"))
        shared = [e for e in cmp_history.entries if e["event_type"] == "Case.InformationShared"]
        assert len(shared) == 1
        assert word_audit(conn, shared, ENGLISH)[0]["summary"] == (
            "Jeanne (AEMO Colmar) shared health with CMP Colmar, with the person's consent"
        )

        karim = audit_trail(conn, professional_id=world.p("karim"), kinds=["ParticipantLeft"])
        assert [e["case_id"] for e in karim.entries] == [str(second)]

    with pytest.raises(ValueError, match="exactly one"), engine.connect() as conn:
        audit_trail(conn, case_id=first, institution_id=world.i("cmp"))


def test_a_professionals_trail_acting_for_one_institution(
    store_app: Maillage, engine: Engine
) -> None:
    """`acting_for` keeps what the professional did for that institution (what a supervisor of
    one of their employers reads), not what they did for another."""
    world = World.build(store_app)
    case_id = world.open_case(occurred_at=ago(10))
    world.convention("ase", "aemo")
    store_app.start_employment(
        professional_id=world.p("karim"), institution_id=world.i("aemo"), start=ago(30).date()
    )
    store_app.join_case(case_id=case_id, by=world.actor("karim"), role="ASE", occurred_at=ago(8))
    ProjectionRunner(store_app, engine).catch_up()

    with engine.connect() as conn:
        for_aemo = audit_trail(conn, professional_id=world.p("karim"), acting_for=world.i("aemo"))
        for_ase = audit_trail(conn, professional_id=world.p("karim"), acting_for=world.i("ase"))
    assert {e["institution_id"] for e in for_aemo.entries} == {str(world.i("aemo"))}
    assert [e["event_type"] for e in for_aemo.entries] == ["Professional.EmploymentStarted"]
    assert {e["institution_id"] for e in for_ase.entries} == {str(world.i("ase"))}
    assert "Case.ParticipantJoined" in [e["event_type"] for e in for_ase.entries]
