"""The pictures: SVG that parses and names what it shows, in French unless English is asked for;
PNG on request. (How fast the map of 200 institutions is drawn is measured by
`python -m bench.network_map`, never asserted here.)"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4
from xml.etree import ElementTree

import pytest

from api.i18n import ENGLISH, FRENCH, Words
from domain.funding import FundedKind
from domain.network_map import Tie, network_map
from domain.reports import ActFact, Month, MonthRange, Scope, compute_report
from projections.charts import network_map_chart, report_chart
from projections.report_words import word_map, word_report

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
    svg = network_map_chart(word_map(found, FRENCH), FRENCH, "svg")
    shown = texts(svg)
    assert {name for name, _ in institutions.values()} <= set(shown)
    assert any(t.startswith("Qui travaille avec qui — avril 2026") for t in shown)
    assert {"médico-social", "santé", "charte", "réseau formel"} <= set(shown)  # the legend
    assert any(t.startswith("Secteur (point)") for t in shown)
    english = texts(network_map_chart(word_map(found, ENGLISH), ENGLISH, "svg"))
    assert any(t.startswith("Who works with whom — April 2026") for t in english)
    assert {"medico-social", "health", "charter", "formal network"} <= set(english)
    assert network_map_chart(word_map(found, FRENCH), FRENCH, "png").startswith(
        b"\x89PNG\r\n\x1a\n"
    )


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (
            FRENCH,
            {
                "title": "Service AEMO (établissement) — avril 2026",
                "axes": {"nombre d'usagers", "nombre d'interventions", "nombre d'actes"},
                "labels": {"visite à domicile", "soins", "institution détentrice du dossier"},
                "withheld": " masqué",
                "note": "Masqué\u00a0: tout chiffre qui concerne de 1 à 4",
                "panel": "Interventions par nature — total\u00a0: 8",
            },
        ),
        (
            ENGLISH,
            {
                "title": "Service AEMO (institution) — April 2026",
                "axes": {"number of beneficiaries", "number of interventions", "number of actions"},
                "labels": {"home visit", "care", "case holder"},
                "withheld": " withheld",
                "note": "Withheld: a figure with 1 to 4 beneficiaries",
                "panel": "Interventions by kind — total: 8",
            },
        ),
    ],
)
def test_a_report_chart_is_titled_labelled_and_shows_withheld_figures(
    words: Words, expected: dict[str, Any]
) -> None:
    us = uuid4()
    acts = [
        ActFact(case, AT, us, uuid4(), "InterventionRecorded", "case_holder", "home_visit")
        for case in (uuid4() for _ in range(7))
    ]
    acts.append(ActFact(uuid4(), AT, us, uuid4(), "InterventionRecorded", "informal", "care"))
    scope = Scope(FundedKind.INSTITUTION, us, "Service AEMO", institutions=frozenset({us}))
    report = compute_report(scope, APRIL, acts, [], [], min_cell=5)
    shown = texts(report_chart(word_report(report, words, {}), words, "svg"))
    assert any(expected["title"] in t for t in shown)
    assert expected["axes"] <= set(shown)
    assert expected["labels"] <= set(shown)
    # care (one beneficiary) and the home visits protecting it; the same for the informal act
    # among the actions by basis
    assert shown.count(expected["withheld"]) == 4
    assert any(t.startswith(expected["note"]) for t in shown)
    assert expected["panel"] in shown
