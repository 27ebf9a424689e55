"""The demo's reports and network map, read from the report projection, equal figures counted
by hand from the demo's script (`api.cli.demo.load_demo`), on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest
from sqlalchemy import Engine

from api.cli.demo import DemoStory, load_demo
from domain.application import Maillage
from domain.funding import FundedKind
from domain.months import UTC_CALENDAR, Calendar, Month
from domain.reports import MonthRange, Report
from projections import reports
from projections.runner import ProjectionRunner
from tests.world import NOW, World

# The demo's cases run from 24 days before NOW (2026-11-20) to the day before.
PERIOD = MonthRange.quarter(2026, 4)
PARIS = Calendar.of("Europe/Paris")


@pytest.fixture
def demo(store_app: Maillage, engine: Engine) -> DemoStory:
    story = load_demo(store_app, now=NOW)
    ProjectionRunner(store_app, engine, batch_size=50).catch_up()
    return story


def _report(engine: Engine, kind: FundedKind, target: UUID, min_cell: int) -> Report:
    with engine.connect() as conn:
        found = reports.scope(conn, kind, target)
        return reports.report(conn, found, PERIOD, min_cell=min_cell, calendar=PARIS)


def _cells(report: Report, line: str) -> dict[str, int | None]:
    """The non-zero figures of a line (withheld ones as None), and its total."""
    found = report.line(line)
    cells = {c.label: c.value for c in found.cells if c.value != 0}
    return {"total": found.total.value, **cells}


def test_the_protocol_report_equals_the_demo_counted_by_hand(
    demo: DemoStory, engine: Engine
) -> None:
    """The departmental protocol (ASE, AEMO, CMP, CRIP), with nothing withheld (threshold 1).

    Léo's case: Jeanne (AEMO) opens it, Karim (ASE, protocol) and Sophie (CMP, delegation)
    join — two parties or more: followed. Inès's case: Karim (ASE) opens it, Jeanne (AEMO) joins:
    followed. Both were opened in the period."""
    report = _report(engine, FundedKind.PARTNERSHIP, demo.partnerships["protocol"], 1)
    assert report.scope_name.startswith("Protocole départemental")
    assert _cells(report, "beneficiaries") == {"total": 2, "newly opened": 2}
    # Léo: AEMO, ASE, CMP, school, hospital, IME = 6; Inès: ASE, AEMO, school = 3.
    assert _cells(report, "institutions_per_beneficiary") == {"total": 2, "3": 1, "5 or more": 1}
    # Parties' interventions. Léo — Jeanne: home visits ×4, educational support ×3 + 1 (a session
    # recorded as a home visit, corrected: counted once, under its corrected kind); Sophie:
    # consultations ×3, assessment ×1; Karim: assessments ×2, home visit ×1. Inès — Karim:
    # assessment, home visits ×2, meeting; Jeanne: educational support, home visit.
    assert _cells(report, "interventions_by_kind") == {
        "total": 21,
        "home_visit": 4 + 1 + 2 + 1,
        "educational_support": 3 + 1 + 1,
        "consultation": 3,
        "assessment": 1 + 2 + 1,
        "meeting": 1,
    }
    i = demo.institutions  # cells by institution: their ids (worded with names when shown)
    by_id = {str(i["aemo"]): 8 + 2, str(i["ase"]): 3 + 4, str(i["cmp"]): 4}
    assert _cells(report, "interventions_by_institution") == {"total": 21, **by_id}
    assert len(report.line("interventions_by_institution").cells) == 4  # the CRIP: 0
    # Every act of a party. Léo — Jeanne (case holder): opening, consent, coordinator, two
    # referrals, 8 interventions, two shares, the meeting = 16 (her correction is no act of its
    # own); Karim (convention): joining + 3; Sophie (delegation): joining + 4. Inès — Karim (case
    # holder): opening, referral, 4 interventions, consent, referral to the CMP = 8; Jeanne
    # (convention): joining + 2; her request to hold the case, informal (the protocol's scope
    # for the AEMO names no coordination).
    basis = _cells(report, "actions_by_basis")
    assert basis == {
        "total": 37,
        "case_holder": 16 + 8,
        "convention": 4 + 3,
        "delegation": 5,
        "informal": 1,
    }
    shares = {c.label: c.share for c in report.line("actions_by_basis").cells if c.value}
    assert shares == {"case_holder": round(24 / 37, 4), "convention": round(7 / 37, 4),
                      "delegation": round(5 / 37, 4), "informal": round(1 / 37, 4)}  # fmt: skip
    # Jeanne to the hospital and to the IME (Léo), Karim to the school (Inès): accepted; Karim
    # to the CMP (Inès): waiting for its answer.
    assert _cells(report, "referrals") == {"total": 4, "accepted": 3, "pending": 1}
    # Léo: opened 24 days before NOW at 10:00, first meeting 6 days before at 14:00: 18
    # calendar days (Paris).
    assert report.median_days_to_first_meeting == 18


def test_the_formal_network_and_an_institution_counted_by_hand(
    demo: DemoStory, engine: Engine
) -> None:
    """The formal network's institutions are the CMP, the ASE and the hospital: together only on
    Léo's case (Sophie, Karim, Luc); Inès has only the ASE of them."""
    network = _report(engine, FundedKind.NETWORK, demo.networks["formal"], 1)
    assert _cells(network, "beneficiaries") == {"total": 1, "newly opened": 1}
    # Sophie: consultations ×3, assessment; Karim: assessments ×2, home visit; Luc: care ×2.
    assert _cells(network, "interventions_by_kind") == {
        "total": 9,
        "consultation": 3,
        "assessment": 1 + 2,
        "home_visit": 1,
        "care": 2,
    }
    # Luc acted informally (he came in on a referral): accepting it, joining, two cares and
    # the share of his emergency report.
    assert _cells(network, "actions_by_basis")["informal"] == 5
    assert _cells(network, "referrals") == {"total": 0}

    aemo = _report(engine, FundedKind.INSTITUTION, demo.institutions["aemo"], 1)
    assert _cells(aemo, "beneficiaries") == {"total": 2, "newly opened": 2}
    assert _cells(aemo, "interventions_by_institution") == {
        "total": 10,
        str(demo.institutions["aemo"]): 10,
    }


def test_the_demo_is_too_small_to_publish_any_count_of_beneficiaries(
    demo: DemoStory, engine: Engine
) -> None:
    """Two beneficiaries: at the default threshold (5) nothing about them is published, the
    zeros aside; the median neither."""
    report = _report(engine, FundedKind.PARTNERSHIP, demo.partnerships["protocol"], 5)
    for line in report.lines:
        assert line.total.value is None, line.name
        assert {c.value for c in line.cells} <= {None, 0}, line.name
        assert any(c.value is None for c in line.cells), line.name
    assert report.median_days_to_first_meeting is None
    assert report.median_suppressed is True


def test_the_demo_network_map_shows_the_incoherent_tie(demo: DemoStory, engine: Engine) -> None:
    with engine.connect() as conn:
        found = reports.the_network_map(conn, PERIOD, min_cell=1, calendar=PARIS)
    i = demo.institutions
    named = {n.institution_id: n.name for n in found.nodes}
    # Every institution that acted on a case, or bound by a tie in force: all but the court
    # (which does neither), and not the funders.
    assert set(named) == set(i.values()) - {i["court"]}
    assert not set(named) & set(demo.funders.values())

    def edge(a: str, b: str) -> tuple[str, int | None, bool]:
        ends = {i[a], i[b]}
        e = next(e for e in found.edges if {e.source, e.target} == ends)
        return e.tie, e.weight, e.unbound

    assert edge("aemo", "ase") == ("convention", 2, False)  # the protocol, Léo and Inès
    assert edge("aemo", "school") == ("charter", 2, False)
    assert edge("cmp", "hospital") == ("formal_network", 1, False)  # their convention: unsigned
    assert edge("ase", "school") == ("none", 2, True)  # Inès and Léo, no partnership at all
    assert edge("aemo", "crip") == ("convention", 0, False)  # a tie, no shared beneficiary


def test_a_network_is_in_force_from_the_day_of_the_services_calendar_it_was_founded(
    store_app: Maillage, engine: Engine
) -> None:
    """Founded at 23:30 UTC on 31 October: on 1 November in Paris — October's map shows no tie
    between its institutions there, and does on UTC's calendar (migration 0010 keeps the
    instant; the projection replays from the start)."""
    world = World.build(store_app)
    store_app.found_formal_network(
        name="Réseau santé mentale",
        founding_institutions=[world.i("cmp"), world.i("hospital")],
        objectives=["Coordonner les soins"],
        occurred_at=datetime(2026, 10, 31, 23, 30, tzinfo=UTC),
    )
    ProjectionRunner(store_app, engine).catch_up()
    october, november = MonthRange.month(Month(2026, 10)), MonthRange.month(Month(2026, 11))
    pair = {world.i("cmp"), world.i("hospital")}

    def tie(period: MonthRange, calendar: Calendar) -> str | None:
        with engine.connect() as conn:
            found = reports.the_network_map(conn, period, min_cell=1, calendar=calendar)
        return next((e.tie for e in found.edges if {e.source, e.target} == pair), None)

    assert tie(october, PARIS) is None
    assert tie(november, PARIS) == "formal_network"
    assert tie(october, UTC_CALENDAR) == "formal_network"
