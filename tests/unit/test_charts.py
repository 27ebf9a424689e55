"""The pictures: SVG that parses and names what it shows; PNG on request. (How fast the map of
200 institutions is drawn is measured by `python -m bench.network_map`, never asserted here.)"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from uuid import uuid4
from xml.etree import ElementTree

from domain.funding import FundedKind
from domain.network_map import Tie, network_map
from domain.reports import ActFact, Month, MonthRange, Scope, compute_report
from projections.charts import network_map_chart, report_chart

SVG = "{http://www.w3.org/2000/svg}"
AT = datetime(2026, 4, 10, 10, tzinfo=UTC)
APRIL = MonthRange(Month(2026, 4), Month(2026, 4))
SECTORS = ["social", "medico_social", "health", "education", "justice", "other"]


def texts(svg: bytes) -> list[str]:
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_the_map_of_200_institutions_parses_and_names_every_one() -> None:
    rng = random.Random(5)
    institutions = {
        uuid4(): (f"Établissement n° {n} — {rng.choice(SECTORS)} de Colmar", rng.choice(SECTORS))
        for n in range(200)
    }
    ids = list(institutions)
    acts = [
        ActFact(case, AT, inst, uuid4(), "ParticipantJoined", "informal")
        for case in (uuid4() for _ in range(1500))
        for inst in rng.sample(ids, rng.randint(2, 5))
    ]
    ties = [
        Tie(kind, uuid4(), kind, frozenset(rng.sample(ids, 3)), frozenset(), None, None, True)
        for kind in ("convention", "charter", "formal_network") * 20
    ]
    found = network_map(APRIL, acts, institutions, ties, min_cell=5)
    assert len(found.nodes) == 200
    svg = network_map_chart(found, "svg")
    shown = texts(svg)
    assert {name for name, _ in institutions.values()} <= set(shown)
    assert any(t.startswith("Who works with whom — 2026-04") for t in shown)
    assert network_map_chart(found, "png").startswith(b"\x89PNG\r\n\x1a\n")


def test_a_report_chart_is_titled_labelled_and_shows_withheld_figures() -> None:
    us = uuid4()
    acts = [
        ActFact(case, AT, us, uuid4(), "InterventionRecorded", "case_holder", "home_visit")
        for case in (uuid4() for _ in range(7))
    ]
    acts.append(ActFact(uuid4(), AT, us, uuid4(), "InterventionRecorded", "informal", "care"))
    scope = Scope(FundedKind.INSTITUTION, us, "Service AEMO", institutions=frozenset({us}))
    report = compute_report(scope, APRIL, acts, [], [], min_cell=5)
    shown = texts(report_chart(report, "svg"))
    assert any("Service AEMO (institution) — 2026-04" in t for t in shown)
    for axis in ("number of beneficiaries", "number of interventions", "number of actions"):
        assert axis in shown
    # care (one beneficiary) and the home visits protecting it; the same for the informal act
    # among the actions by basis
    assert shown.count(" withheld") == 4
    assert any(t.startswith("Withheld: a figure with 1 to 4 beneficiaries") for t in shown)
    assert "Interventions by kind — total: 8" in shown
