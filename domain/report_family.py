"""Reports protected together: whatever one reader gathers, no withheld figure comes back.

A withheld figure of one report could be the difference of figures published in others: a
quarter minus two of its months gives the third; a partnership's total minus one member's cell
minus another member's own report gives the third member's cell. So reports are published on a
fixed grid and protected as a *family*:

- **Periods**: calendar months, quarters and years only (`MonthRange.grid`), so that periods nest
  and never overlap otherwise; a period is published once its figures are final (it ended more
  than the back-dating window ago — `publishable_from`), so that two readings of one report at
  two dates are the same report.
- **Scopes**: a report's family is every scope its figures are tied to — an institution with
  every partnership and network it belongs to (or whose members act for it), each of those with
  its member institutions, and so on (`component`). All of them are protected together.
- **Stages, finest first**: each month of the period is protected first, every scope of the
  family at once (a partnership's figure is tied to its members' own figures of that month);
  then each quarter, with its months' decisions kept (`frozen`: they were, or will be,
  published as they are), tied to them by its own figures (a quarter's count of acts is the sum
  of its months'; of beneficiaries, at most that sum and at least each month's); then the year
  over its quarters. A figure that would let a withheld one of a finer period come back is
  withheld in the coarser one — never the other way round, so that a month's report never
  changes once published.

`domain.disclosure` decides, figure by figure, against an attacker who knows every line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from domain.disclosure import Line, protect, strongest
from domain.errors import InvalidValueError
from domain.funding import FundedKind
from domain.months import UTC_CALENDAR, Calendar, Month, MonthRange
from domain.reports import (
    ActFact,
    CaseFact,
    Draft,
    ReferralFact,
    Report,
    Scope,
    draft_report,
    publish,
)
from domain.wording import N_

# Which of a member institution's own figures a partnership's or network's figure sums.
MEMBER_FIGURE = {
    "interventions_by_kind": "interventions_by_kind",
    "actions_by_basis": "actions_by_basis",
    "referrals": "referrals",
}


class PeriodOffGridError(InvalidValueError):
    rule = "report-period-off-grid"


class PeriodNotPublishedError(InvalidValueError):
    rule = "report-period-not-published"


def reporting_period(period: MonthRange, *, field: str = "query.from") -> MonthRange:
    """`period`, when it is a calendar month, quarter or year (the only periods published)."""
    if period.grid is None:
        raise PeriodOffGridError(
            N_(
                "{period} is not a calendar month, quarter or year: reports are published for "
                "those only (e.g. from=2026-07&to=2026-09), so that no two reports differ by a "
                "few beneficiaries"
            ),
            field=field,
            period=str(period),
        )
    return period


def publishable_from(
    period: MonthRange, back_dating_days: int, calendar: Calendar = UTC_CALENDAR
) -> date:
    """The first day a period's report is published: its figures are final by then (no act
    can be dated in it any more). Days of the service's calendar: the period ends at local
    midnight, and the day it opens begins at least the back-dating window later (a day longer
    when a change of summer time would leave an hour in which an act could still be dated
    in the period)."""
    return calendar.after(period.last.last_day, timedelta(days=back_dating_days))


def check_publishable(
    period: MonthRange, today: date, back_dating_days: int, calendar: Calendar = UTC_CALENDAR
) -> None:
    """`today`: the day of the service's calendar (`Calendar.day` of now)."""
    opens = publishable_from(period, back_dating_days, calendar)
    if today < opens:
        raise PeriodNotPublishedError(
            N_(
                "the report of {period} is published from {published_from}: acts may still be "
                "dated in it until {back_dating_days} days after it ends"
            ),
            field="query.to",
            period=str(period),
            published_from=opens,
            back_dating_days=back_dating_days,
        )


def latest_published_quarter(
    today: date, back_dating_days: int, calendar: Calendar = UTC_CALENDAR
) -> MonthRange:
    """The default period of a report: the most recent quarter already published."""
    month = Month.of(today)
    quarter = MonthRange.quarter(month.year, (month.month - 1) // 3 + 1)
    while today < publishable_from(quarter, back_dating_days, calendar):
        before = quarter.first.back(3)
        quarter = MonthRange.quarter(before.year, (before.month - 1) // 3 + 1)
    return quarter


def component(
    target: Scope, scopes: Iterable[Scope], acted_for: dict[UUID, set[UUID]]
) -> list[Scope]:
    """The scopes tied to `target`, `target` first: institutions and the partnerships and
    networks they belong to, or whose member professionals act for them (`acted_for`: the
    institutions each professional acted for in the period), transitively."""
    every = {s.id: s for s in scopes}
    every[target.id] = target
    institutions = {s.id: s for s in every.values() if s.kind is FundedKind.INSTITUTION}
    ties = [s for s in every.values() if s.kind is not FundedKind.INSTITUTION]
    tied: dict[UUID, set[UUID]] = {t.id: set(_institutions_of(t, acted_for)) for t in ties}
    found, queue = {target.id}, [target.id]
    while queue:
        current = every[queue.pop()]
        if current.kind is FundedKind.INSTITUTION:
            nearby = {t for t, members in tied.items() if current.id in members}
        else:
            nearby = {i for i in tied[current.id] if i in institutions}
        for other in sorted(nearby - found, key=str):
            found.add(other)
            queue.append(other)
    return [target, *sorted((every[i] for i in found - {target.id}), key=lambda s: str(s.id))]


def _institutions_of(tie: Scope, acted_for: dict[UUID, set[UUID]]) -> set[UUID]:
    found = set(tie.institutions)
    for professional in tie.professionals:
        found |= acted_for.get(professional, set())
    return found


@dataclass(frozen=True)
class Facts:
    """What the read side holds on the cases a family acted on in the period."""

    acts: Sequence[ActFact]
    cases: Sequence[CaseFact]
    referrals: Sequence[ReferralFact]
    institution_names: dict[UUID, str]


def family_report(
    target: Scope, family: Sequence[Scope], period: MonthRange, facts: Facts, *, min_cell: int
) -> Report:
    """The report of `target` over `period` (on the grid), protected with its whole family."""
    return family_reports(family, period, facts, min_cell=min_cell)[(target.id, str(period))]


def family_reports(
    family: Sequence[Scope], period: MonthRange, facts: Facts, *, min_cell: int
) -> dict[tuple[UUID, str], Report]:
    """Every report of the family over `period` and the periods of the grid within it, by
    (scope id, period): each exactly as it is published when asked alone."""
    drafts = _Drafts(family, facts)
    _protect_stage(drafts, period, min_cell)
    return {key: publish(draft, min_cell) for key, draft in drafts.items()}


def _months(period: MonthRange) -> list[Month]:
    found, month = [], period.first
    while month <= period.last:
        found.append(month)
        month = month.next()
    return found


def _protect_stage(drafts: _Drafts, period: MonthRange, min_cell: int) -> list[Line]:
    """Protect the family over `period` after its parts (each protected first, then kept as
    decided); the lines of this stage and of every stage below it, which the attacker holds
    all together."""
    below: list[Line] = []
    parts = period.parts()
    for part in parts:
        below += _protect_stage(drafts, part, min_cell)
    frozen = [f for line in below for f in (line.total, *line.cells)]
    lines = below + _stage(drafts, period, parts)
    protect(lines, min_cell, frozen)
    return lines


def _stage(drafts: _Drafts, period: MonthRange, parts: list[MonthRange]) -> list[Line]:
    """Every line of one stage: the period's reports of the whole family, the ties between
    them, and (`parts`) to the reports of its parts, decided before."""
    lines: list[Line] = []
    for scope in drafts.family:
        draft = drafts.get(scope, period)
        lines += draft.lines
        if parts:
            lines += _over_time(draft, [drafts.get(scope, p) for p in parts])
        if scope.kind is not FundedKind.INSTITUTION:
            lines += _over_members(drafts, scope, period)
    return lines


def _over_time(whole: Draft, parts: list[Draft]) -> list[Line]:
    """A period's figures against its parts' (absent from a part: zero), each tied by the
    strongest relation its figures satisfy: a sum for an institution's acts; for beneficiaries
    (counted once over the period), or a partnership's acts (a case its members follow together
    over a quarter may not be so in any one month), weaker ones — or a sum by coincidence, which
    an attacker may guess."""
    lines: list[Line] = []
    seen: set[int] = set()
    of_parts = [p.figures() for p in parts]
    for (line, label), figure in whole.figures().items():
        if id(figure) in seen:
            continue  # a total two lines share
        seen.add(id(figure))
        cells = [f for found in of_parts if (f := found.get((line, label))) is not None]
        kind = strongest(figure.value, [c.value for c in cells])
        lines.append(Line(f"{line}/{label} over time", figure, cells, kind, cascade=False))
    return lines


def _over_members(drafts: _Drafts, tie: Scope, period: MonthRange) -> list[Line]:
    """A partnership's or network's figures against its member institutions' own, tied by the
    strongest relation they satisfy: mostly at most their sum, exactly it when the members act
    only on cases they follow together (an attacker may guess so); a referral made by a member
    on a case the partnership follows but the member did not act on counts in the partnership's
    report only."""
    members = sorted(_institutions_of(tie, drafts.acted_for(period)) & drafts.institutions, key=str)
    own = {i: drafts.get(drafts.scopes[i], period).figures() for i in members}
    lines: list[Line] = []
    for (line, label), figure in drafts.get(tie, period).figures().items():
        if line in MEMBER_FIGURE:
            cells = [
                f for i in members if (f := own[i].get((MEMBER_FIGURE[line], label))) is not None
            ]
        elif line == "interventions_by_institution" and label is not None:
            cells = [own[i][("interventions_by_kind", None)] for i in members if str(i) == label]
        elif line == "beneficiaries" and label is None:
            cells = [own[i][(line, None)] for i in members]
        else:
            continue
        kind = strongest(figure.value, [c.value for c in cells])
        lines.append(Line(f"{tie.name}/{line}/{label}", figure, cells, kind, cascade=False))
    return lines


class _Drafts:
    """Each scope's report over each period, drafted once."""

    def __init__(self, family: Sequence[Scope], facts: Facts) -> None:
        # One order whatever the request: decisions never depend on which report was asked.
        self.family = sorted(family, key=lambda s: (s.kind.value, str(s.id)))
        self.facts = facts
        self.scopes = {s.id: s for s in family}
        self.institutions = {s.id for s in family if s.kind is FundedKind.INSTITUTION}
        self._drafts: dict[tuple[UUID, str], Draft] = {}
        self._acted_for: dict[str, dict[UUID, set[UUID]]] = {}
        by_month: dict[tuple[int, int], list[ActFact]] = defaultdict(list)
        by_case: dict[UUID, list[ActFact]] = defaultdict(list)
        cases_of: dict[UUID, set[UUID]] = defaultdict(set)  # by institution or professional
        for act in facts.acts:
            by_month[(act.occurred_at.year, act.occurred_at.month)].append(act)
            by_case[act.case_id].append(act)
            cases_of[act.institution_id].add(act.case_id)
            cases_of[act.professional_id].add(act.case_id)
        self._by_month = by_month
        self._by_case = by_case
        self._cases_of = cases_of
        self._case_facts = {c.case_id: c for c in facts.cases}
        self._referrals: dict[UUID, list[ReferralFact]] = defaultdict(list)
        for referral in facts.referrals:
            self._referrals[referral.case_id].append(referral)

    def items(self) -> Iterable[tuple[tuple[UUID, str], Draft]]:
        return self._drafts.items()

    def acts(self, period: MonthRange) -> list[ActFact]:
        return [a for m in _months(period) for a in self._by_month[(m.year, m.month)]]

    def acted_for(self, period: MonthRange) -> dict[UUID, set[UUID]]:
        """The institutions each professional acted for in `period` (a stage's own links)."""
        key = str(period)
        if key not in self._acted_for:
            found: dict[UUID, set[UUID]] = defaultdict(set)
            for act in self.acts(period):
                found[act.professional_id].add(act.institution_id)
            self._acted_for[key] = found
        return self._acted_for[key]

    def get(self, scope: Scope, period: MonthRange) -> Draft:
        key = (scope.id, str(period))
        if key not in self._drafts:
            # Only the cases its members acted on matter to a scope: the others are skipped.
            cases: set[UUID] = set()
            for member in (*scope.institutions, *scope.professionals):
                cases |= self._cases_of.get(member, set())
            ordered = sorted(cases)
            self._drafts[key] = draft_report(
                scope,
                period,
                [a for c in ordered for a in self._by_case[c] if period.contains(a.occurred_at)],
                [self._case_facts[c] for c in ordered if c in self._case_facts],
                [r for c in ordered for r in self._referrals.get(c, ())],
                institution_names=self.facts.institution_names,
            )
        return self._drafts[key]
