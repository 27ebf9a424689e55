"""The small-cell attack on a report served from the store: cases recorded through the use
cases, projected, reported — and every withheld cell survives every combination of the
published figures (the attacker of `tests/unit/test_disclosure.py`)."""

from __future__ import annotations

from sqlalchemy import Engine

from domain.application import Maillage
from domain.funding import FundedKind
from domain.months import Calendar
from domain.reports import Month, MonthRange
from projections import reports
from projections.runner import ProjectionRunner
from tests.unit.test_disclosure import feasible_values_in_report
from tests.world import CHILD_PROTECTION, World, ago

NOVEMBER = MonthRange(Month(2026, 11), Month(2026, 11))
PARIS = Calendar.of("Europe/Paris")


def test_three_beneficiaries_with_the_school_too_cannot_be_singled_out(
    store_app: Maillage, engine: Engine
) -> None:
    """Eight children followed by the AEMO in November; for three of them the school came in
    on a referral and Jeanne made an assessment: cells of 3 under three headings."""
    world = World.build(store_app)
    jeanne, paul = world.actor("jeanne"), world.actor("paul")
    for n in range(8):
        case = world.open_case(occurred_at=ago(12))
        store_app.record_intervention(
            case_id=case, by=jeanne, kind="home_visit", occurred_at=ago(11)
        )
        if n < 3:
            referral = store_app.refer(
                case_id=case,
                by=jeanne,
                to_institution_id=world.i("school"),
                reason="Scolarité",
                legal_ground=CHILD_PROTECTION,
                occurred_at=ago(10),
            ).entity_id
            assert referral is not None
            store_app.accept_referral(
                case_id=case, referral_id=referral, by=paul, occurred_at=ago(9)
            )
            store_app.join_case(case_id=case, by=paul, role="enseignant", occurred_at=ago(9))
            store_app.record_intervention(
                case_id=case, by=jeanne, kind="assessment", occurred_at=ago(8)
            )
    ProjectionRunner(store_app, engine).catch_up()
    with engine.connect() as conn:
        aemo = reports.scope(conn, FundedKind.INSTITUTION, world.i("aemo"))
        raw = reports.report(conn, aemo, NOVEMBER, min_cell=1, calendar=PARIS)
        published = reports.report(conn, aemo, NOVEMBER, min_cell=5, calendar=PARIS)

    targets = [
        ("institutions_per_beneficiary", "2"),
        ("interventions_by_kind", "assessment"),
        ("referrals", "accepted"),
    ]
    for line, label in targets:
        exact = next(c for c in raw.line(line).cells if c.label == label)
        assert exact.value == 3, (line, exact)
        shown = next(c for c in published.line(line).cells if c.label == label)
        assert shown.value is None, (line, shown)
    assert published.line("beneficiaries").total.value == 8
    assert published.line("interventions_by_kind").total.value == 11

    withheld = 0
    for line in published.lines:
        for cell in line.cells:
            if cell.value is None and line.name != "interventions_by_institution":
                withheld += 1
                values = feasible_values_in_report(published, line.name, cell.label)
                exact = next(c for c in raw.line(line.name).cells if c.label == cell.label)
                assert exact.value in values, (line.name, cell.label, values)
                assert len(values) > 1, f"{line.name}/{cell.label} recovered: {values}"
    assert withheld >= 5
