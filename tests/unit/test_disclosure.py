"""Small-cell protection: a cell of 3 beneficiaries is withheld, and no combination of the
published figures recovers it.

The attacker knows everything the report publishes, how a report is made (each line's cells add
up to its total; lines may share a total) and that a withheld figure is at least 1 (zeros are
published). They try (1) every difference between a published total and a sum of published
cells of its lines, across lines sharing the total, and (2) every assignment of the withheld
figures that agrees with all of that: the cell is recovered if only one value remains.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.disclosure import Figure, Line, protect
from domain.funding import FundedKind
from domain.reports import (
    ActFact,
    CaseFact,
    Month,
    MonthRange,
    PublishedLine,
    ReferralFact,
    Report,
    Scope,
    compute_report,
)

K = 5
PERIOD = MonthRange(Month(2026, 3), Month(2026, 5))
AT = datetime(2026, 4, 10, 10, tzinfo=UTC)


def fig(label: str, contributors: int, value: int | None = None) -> Figure:
    who = frozenset(range(contributors))
    return Figure(label, contributors if value is None else value, who)


# --- the rule, figure by figure ----------------------------------------------------------------


def test_a_cell_below_the_threshold_and_the_smallest_other_cell_are_withheld() -> None:
    total = fig("total", 30)
    cells = [fig("a", 3), fig("b", 12), fig("c", 15), fig("d", 0)]
    protect([Line("x", total, cells)], K)
    assert [c.suppressed for c in cells] == ["small", "complementary", None, None]
    assert total.suppressed is None
    assert cells[3].published == 0  # nobody behind it: shown


def test_two_withheld_cells_summing_to_their_number_take_one_more() -> None:
    """Two cells of 1 with a published total: the attacker would know both are 1."""
    total = fig("total", 12)
    cells = [fig("a", 1), fig("b", 1), fig("c", 10)]
    protect([Line("x", total, cells)], K)
    assert all(c.suppressed for c in cells) or total.suppressed
    assert _feasible_values(total, cells, 0) != {1}


def test_a_small_total_takes_its_whole_breakdown_and_every_line_sharing_it() -> None:
    total = fig("total", 4, value=40)  # 40 actions by 4 beneficiaries
    first = [fig("a", 4, value=40), fig("b", 0)]
    second = [fig("c", 4, value=25), fig("d", 4, value=15)]
    protect([Line("one", total, first), Line("two", total, second)], K)
    assert total.suppressed == "small"
    assert [c.published for c in first + second] == [None, 0, None, None]
    assert first[1].published == 0  # a zero says nothing of the others


def test_when_no_cell_is_left_to_hide_the_total_goes_and_so_do_its_other_lines() -> None:
    """Five beneficiaries, one in each bucket: every cell is small and exactly 1."""
    total = fig("total", 5)
    buckets = [fig(str(n), 1) for n in range(5)]
    split = [fig("new", 2), fig("old", 3)]
    protect([Line("buckets", total, buckets), Line("split", total, split)], K)
    assert total.suppressed == "total"
    assert all(c.suppressed for c in buckets + split)


def test_a_threshold_of_one_withholds_nothing() -> None:
    total = fig("total", 3)
    cells = [fig("a", 1), fig("b", 2)]
    protect([Line("x", total, cells)], 1)
    assert [total.published, *(c.published for c in cells)] == [3, 1, 2]


def test_a_count_of_actions_is_withheld_by_the_beneficiaries_behind_it() -> None:
    total = fig("total", 20, value=90)
    cells = [fig("a", 2, value=40), fig("b", 18, value=50)]
    protect([Line("x", total, cells)], K)
    assert cells[0].suppressed == "small"  # 40 actions, but only two beneficiaries
    assert cells[1].suppressed == "complementary"


# --- the attack on a whole report ----------------------------------------------------------


def _scene() -> tuple[Scope, list[ActFact], list[CaseFact], list[ReferralFact]]:
    """An institution following 20 beneficiaries, 3 of whom (the target cell) have a CMP and a
    school on their case too; 5 are followed by the CMP only besides it; 12 by it alone."""
    us, cmp, school = uuid4(), uuid4(), uuid4()
    worker, psy, teacher = uuid4(), uuid4(), uuid4()
    acts: list[ActFact] = []
    cases: list[CaseFact] = []
    referrals: list[ReferralFact] = []
    for n in range(20):
        case = uuid4()
        opened = AT - timedelta(days=200 if n < 9 else 5)  # 11 newly opened
        cases.append(CaseFact(case, opened, opened + timedelta(days=10 + n)))
        acts.append(ActFact(case, AT, us, worker, "CaseOpened", "case_holder"))
        kind = "home_visit" if n % 4 else "assessment"
        acts.append(ActFact(case, AT, us, worker, "InterventionRecorded", "case_holder", kind))
        if n < 8:
            acts.append(ActFact(case, AT, cmp, psy, "ParticipantJoined", "convention"))
        if n < 3:
            acts.append(ActFact(case, AT, school, teacher, "ParticipantJoined", "informal"))
            acts.append(ActFact(case, AT, us, worker, "InterventionRecorded", "delegation", "care"))
            referrals.append(ReferralFact(uuid4(), case, us, worker, AT, "declined"))
        if 3 <= n < 12:
            referrals.append(ReferralFact(uuid4(), case, us, worker, AT, "accepted"))
    scope = Scope(FundedKind.INSTITUTION, us, "Service", institutions=frozenset({us}))
    return scope, acts, cases, referrals


def _line_figures(line: PublishedLine) -> list[int | None]:
    return [line.total.value, *(c.value for c in line.cells)]


def _shared_totals(report: Report) -> list[list[PublishedLine]]:
    """Lines that share a total (the attacker knows which do)."""
    groups = {
        "beneficiaries": ["beneficiaries", "institutions_per_beneficiary"],
        "interventions": ["interventions_by_kind", "interventions_by_institution"],
        "actions": ["actions_by_basis"],
        "referrals": ["referrals"],
    }
    return [[report.line(n) for n in names] for names in groups.values()]


def _differences(lines: list[PublishedLine]) -> Iterable[tuple[str, int, int]]:
    """Every total minus a sum of published cells of one of the lines, for every subset of
    them, and the number of cells the subset leaves out: (line, difference, left out)."""
    totals = [line.total.value for line in lines if line.total.value is not None]
    for line in lines:
        published = [c.value for c in line.cells if c.value is not None]
        for total in totals:
            for size in range(len(published) + 1):
                for subset in itertools.combinations(published, size):
                    yield line.name, total - sum(subset), len(line.cells) - size


def _composable(rest: int, parts: int) -> bool:
    """`rest` can be split into `parts` withheld figures of at least 1 each."""
    return rest == 0 if parts == 0 else rest >= parts


def _feasible(
    total: int | None, lines: list[list[int | None]], target: tuple[int, int]
) -> set[int]:
    """Every value the withheld cell `target` (line, cell) can take, given the published cells
    of lines that share one total (`total` None: withheld too, any value from 1 to a bound)."""
    bound = sum(v or 0 for line in lines for v in line) + 50
    totals = [total] if total is not None else range(1, bound + 1)
    values = set()
    for t in totals:
        others_ok = all(
            _composable(t - sum(v for v in line if v is not None), line.count(None))
            for i, line in enumerate(lines)
            if i != target[0]
        )
        if not others_ok:
            continue
        line = lines[target[0]]
        rest, hidden = t - sum(v for v in line if v is not None), line.count(None)
        values |= {v for v in range(1, rest + 1) if _composable(rest - v, hidden - 1)}
    return values


def _feasible_values(total: Figure, cells: list[Figure], index: int) -> set[int]:
    if cells[index].published is not None:
        return {cells[index].value}
    return _feasible(total.published, [[c.published for c in cells]], (0, index))


def feasible_values_in_report(report: Report, line_name: str, label: str) -> set[int]:
    """Feasible values of one withheld cell over the whole report: the lines sharing its total
    are solved together (the total, when withheld, is one more unknown they share)."""
    group = next(g for g in _shared_totals(report) if any(x.name == line_name for x in g))
    lines = [[c.value for c in line.cells] for line in group]
    row = [x.name for x in group].index(line_name)
    column = [c.label for c in group[row].cells].index(label)
    return _feasible(group[0].total.value, lines, (row, column))


def test_a_cell_of_three_beneficiaries_cannot_be_recovered_from_the_published_figures() -> None:
    scope, acts, cases, referrals = _scene()
    raw = compute_report(scope, PERIOD, acts, cases, referrals, min_cell=1)
    # The scene has the cell of 3 the attack is after, under three headings.
    assert raw.line("institutions_per_beneficiary").cells[2].value == 3  # three institutions
    assert next(c for c in raw.line("interventions_by_kind").cells if c.label == "care").value == 3
    assert next(c for c in raw.line("referrals").cells if c.label == "declined").value == 3

    report = compute_report(scope, PERIOD, acts, cases, referrals, min_cell=K)
    targets = [
        ("institutions_per_beneficiary", "3"),
        ("interventions_by_kind", "care"),
        ("actions_by_basis", "delegation"),
        ("referrals", "declined"),
    ]
    for line_name, label in targets:
        cell = next(c for c in report.line(line_name).cells if c.label == label)
        assert cell.value is None, (line_name, label)
        assert cell.withheld, (line_name, label)
        raw_value = next(c for c in raw.line(line_name).cells if c.label == label).value
        assert raw_value == 3

        # (1) every difference of published figures: none is *known* to be the cell alone.
        group = next(g for g in _shared_totals(report) if any(x.name == line_name for x in g))
        for name, _difference, left_out in _differences(group):
            if name == line_name:
                assert left_out != 1 or report.line(line_name).total.value is None, (
                    f"{line_name}: a total minus the published cells leaves one cell alone"
                )
        # (2) every assignment consistent with all published figures: more than one value.
        feasible = feasible_values_in_report(report, line_name, label)
        assert 3 in feasible, (line_name, feasible)
        assert len(feasible) > 1, f"{line_name}/{label} recovered: {feasible}"
    # What is published stays useful: the followed beneficiaries and the interventions.
    assert report.line("beneficiaries").total.value == 20
    assert report.line("interventions_by_kind").total.value == 23
    # Every published figure equals the raw one (withholding never alters a figure).
    for published, exact in zip(report.lines, raw.lines, strict=True):
        for p, r in zip(_line_figures(published), _line_figures(exact), strict=True):
            assert p is None or p == r


@pytest.mark.parametrize("min_cell", [4, 5, 10])
def test_no_withheld_cell_of_any_line_is_ever_pinned_down(min_cell: int) -> None:
    """Every withheld cell of the scene's report, at several thresholds."""
    scope, acts, cases, referrals = _scene()
    report = compute_report(scope, PERIOD, acts, cases, referrals, min_cell=min_cell)
    withheld = 0
    for line in report.lines:
        for cell in line.cells:
            if cell.value is None:
                withheld += 1
                if line.name == "interventions_by_institution":
                    continue  # one cell, equal to its total: withheld only with it
                assert len(feasible_values_in_report(report, line.name, cell.label)) > 1, (
                    line.name,
                    cell.label,
                )
    assert withheld > 0


# --- every line, against a reader who knows which withheld cells are the small ones ------------


@st.composite
def lines(draw: st.DrawFn) -> tuple[Line, int, bool]:
    """A line of 2 to 4 cells, counting beneficiaries (value = people) or acts (value ≥ people,
    each with at least one act); people are distinct across cells."""
    k = draw(st.integers(3, 5))
    people = draw(st.booleans())
    cells, next_id = [], 0
    for n in range(draw(st.integers(2, 4))):
        count = draw(st.integers(0, 8))
        value = count if people or count == 0 else count + draw(st.integers(0, 4))
        cells.append(Figure(f"c{n}", value, frozenset(range(next_id, next_id + count))))
        next_id += count
    total = Figure(
        "total", sum(c.value for c in cells), frozenset().union(*(c.contributors for c in cells))
    )
    return Line("x", total, cells), k, people


@given(lines())
@settings(max_examples=300, deadline=None)
def test_no_small_cell_is_ever_pinned_down_by_any_assignment(drawn: tuple[Line, int, bool]) -> None:
    """Brute force: every assignment of the withheld cells within what such a reader knows of
    them (≥ 1; a small one ≤ k − 1 people; one protecting another ≥ k) that adds up."""
    line, k, people = drawn
    protect([line], k)
    if line.total.suppressed:
        assert all(c.suppressed or c.value == 0 for c in line.cells)
        return
    hidden = [c for c in line.cells if c.suppressed]
    rest = line.total.value - sum(c.value for c in line.cells if not c.suppressed)
    assert rest == sum(c.value for c in hidden)

    def bounds(c: Figure) -> range:
        if c.suppressed == "small":
            return range(1, (k - 1 if people else rest) + 1)
        return range(k, rest + 1)

    for index, cell in enumerate(hidden):
        if cell.suppressed != "small":
            continue
        values = {
            combo[index]
            for combo in itertools.product(*(bounds(c) for c in hidden))
            if sum(combo) == rest
        }
        assert cell.value in values
        assert len(values) > 1, (line, values)
