"""Funder reports: what a partnership, a network or an institution produced over months.

Computed from facts the read side keeps (one per act on a case, one per case, one per referral),
never from a person's file. A report covers a *scope* and a period of whole months:

- the scope's *members* are institutions (an institution itself; a partnership's parties; a
  formal network's institutions) or professionals (an informal network's members, who act on
  personal engagement for whichever institution employs them);
- a beneficiary is *followed* in the period when at least one member acted on their case in it
  (for a partnership or a network: at least two members, the beneficiaries they follow
  *together*); everything else in the report is about the followed beneficiaries and the acts
  of the members on their cases in the period;
- *newly opened*: their case was opened in the period; *institutions per beneficiary*: the
  distinct institutions (members or not) that acted on their case in the period;
- *interventions*: recorded interventions, by kind and by institution; *actions*: every act on a
  case (joining, intervening, sharing, referring, meeting…), by the basis the domain decided;
- *referrals* made by members in the period, by their outcome as known now;
- the *median days from opening to the first coordination meeting*, over the followed
  beneficiaries whose case had one by the end of the period.

Every figure then goes through small-cell protection (`domain.disclosure`). Months and periods
are in `domain.months` (re-exported here). Facts carry their instants on the service's calendar
(`Calendar.local`, done by whoever reads them from the store): the month an act falls in, and
the days from an opening to a meeting, are those of that calendar's wall clock — calendar days,
so that a meeting at 00:30 the day after an opening at 23:30 is one day later.

Labels are codes (an action kind, a basis, an institution's id…) and English templates marked
with `N_`; they are worded for people where the report is shown (`projections.report_words`).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.disclosure import Figure, Line, protect
from domain.funding import FundedKind
from domain.months import MAX_MONTHS, Month, MonthRange
from domain.values import ActionKind, BasisKind
from domain.wording import N_

__all__ = [
    "MAX_MONTHS",
    "ActFact",
    "CaseFact",
    "Draft",
    "Month",
    "MonthRange",
    "PublishedCell",
    "PublishedLine",
    "ReferralFact",
    "Report",
    "Scope",
    "compute_report",
    "draft_report",
    "publish",
]

INSTITUTION_BUCKETS = ("1", "2", "3", "4", "5 or more")


# --- facts (as the read side keeps them) ------------------------------------------------------


@dataclass(frozen=True)
class ActFact:
    """One act on a case: who, for which institution, on what basis, when (on the service's
    calendar)."""

    case_id: UUID
    occurred_at: datetime
    institution_id: UUID
    professional_id: UUID
    event: str  # the event's name, e.g. InterventionRecorded
    basis_kind: str
    intervention_kind: str | None = None  # an intervention's kind; None for every other act

    @property
    def is_intervention(self) -> bool:
        return self.intervention_kind is not None


@dataclass(frozen=True)
class CaseFact:
    case_id: UUID
    opened_at: datetime
    first_meeting_at: datetime | None


@dataclass(frozen=True)
class ReferralFact:
    referral_id: UUID
    case_id: UUID
    from_institution_id: UUID
    made_by: UUID  # the professional who made it
    made_at: datetime
    status: str  # pending | accepted | declined | revoked


@dataclass(frozen=True)
class Scope:
    kind: FundedKind
    id: UUID
    name: str
    institutions: frozenset[UUID] = frozenset()
    professionals: frozenset[UUID] = frozenset()

    @property
    def together(self) -> int:
        """How many members must act on a case for its beneficiary to count as followed."""
        return 1 if self.kind is FundedKind.INSTITUTION else 2

    def member_of(self, act: ActFact) -> UUID | None:
        if act.institution_id in self.institutions:
            return act.institution_id
        if act.professional_id in self.professionals:
            return act.professional_id
        return None


# --- the report -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedCell:
    label: str  # the figure's code: `home_visit`, `case_holder`, an institution's id…
    value: int | None  # None: withheld
    withheld: bool = False  # that it is, never why (small, or protecting another)
    share: float | None = None  # of the line's total, when both are published


@dataclass(frozen=True)
class PublishedLine:
    name: str
    title: str  # an English template (`TITLES`), worded where it is shown
    unit: str  # a code: beneficiaries, interventions, actions or referrals
    total: PublishedCell
    cells: tuple[PublishedCell, ...]


@dataclass(frozen=True)
class Report:
    scope_kind: str
    scope_id: UUID
    scope_name: str
    period: str
    first_month: str
    last_month: str
    min_cell: int
    lines: tuple[PublishedLine, ...]
    median_days_to_first_meeting: float | None
    median_suppressed: bool

    def line(self, name: str) -> PublishedLine:
        return next(line for line in self.lines if line.name == name)


TITLES = {
    "beneficiaries": (N_("Beneficiaries followed"), "beneficiaries"),
    "institutions_per_beneficiary": (N_("Institutions per beneficiary"), "beneficiaries"),
    "interventions_by_kind": (N_("Interventions by kind"), "interventions"),
    "interventions_by_institution": (N_("Interventions by institution"), "interventions"),
    "actions_by_basis": (N_("Actions by basis"), "actions"),
    "referrals": (N_("Referrals made, by outcome"), "referrals"),
}


@dataclass
class Draft:
    """A report's figures before protection: its lines, and the delays behind its median."""

    scope: Scope
    period: MonthRange
    lines: list[Line]
    delays: list[float]

    def figures(self) -> dict[tuple[str, str | None], Figure]:
        """Every figure by (line, cell label); a line's total under (line, None)."""
        found: dict[tuple[str, str | None], Figure] = {}
        for line in self.lines:
            found[(line.name, None)] = line.total
            for cell in line.cells:
                found[(line.name, cell.label)] = cell
        return found


def compute_report(
    scope: Scope,
    period: MonthRange,
    acts: Iterable[ActFact],
    cases: Iterable[CaseFact],
    referrals: Iterable[ReferralFact],
    *,
    min_cell: int,
    institution_names: dict[UUID, str] | None = None,
) -> Report:
    """The report of `scope` over `period`, protected on its own (`domain.report_family`
    protects it together with every report linked to it). `acts` may hold acts of anyone on any
    case (they are filtered here); `cases` and `referrals` those of the cases concerned."""
    draft = draft_report(scope, period, acts, cases, referrals, institution_names=institution_names)
    protect(draft.lines, min_cell)
    return publish(draft, min_cell)


def draft_report(
    scope: Scope,
    period: MonthRange,
    acts: Iterable[ActFact],
    cases: Iterable[CaseFact],
    referrals: Iterable[ReferralFact],
    *,
    institution_names: dict[UUID, str] | None = None,
) -> Draft:
    """The figures of `scope` over `period`, nothing withheld yet."""
    names = institution_names or {}
    in_period = [a for a in acts if period.contains(a.occurred_at)]
    members: dict[UUID, set[UUID]] = defaultdict(set)
    for act in in_period:
        member = scope.member_of(act)
        if member is not None:
            members[act.case_id].add(member)
    followed = {case for case, who in members.items() if len(who) >= scope.together}
    scoped = [a for a in in_period if a.case_id in followed and scope.member_of(a) is not None]
    institutions_on: dict[UUID, set[UUID]] = defaultdict(set)
    for act in in_period:
        if act.case_id in followed:
            institutions_on[act.case_id].add(act.institution_id)
    case_facts = {c.case_id: c for c in cases if c.case_id in followed}

    # beneficiaries: newly opened or already open
    beneficiaries = Figure("followed", len(followed), frozenset(followed))
    new = {c for c in followed if c in case_facts and period.contains(case_facts[c].opened_at)}
    lines = [
        Line(
            "beneficiaries",
            beneficiaries,
            [
                Figure("newly opened", len(new), frozenset(new)),
                Figure("already open", len(followed - new), frozenset(followed - new)),
            ],
        )
    ]
    buckets: dict[str, set[UUID]] = {label: set() for label in INSTITUTION_BUCKETS}
    for case in followed:
        count = min(len(institutions_on[case]), len(INSTITUTION_BUCKETS))
        buckets[INSTITUTION_BUCKETS[count - 1]].add(case)
    lines.append(
        Line(
            "institutions_per_beneficiary",
            beneficiaries,
            [Figure(label, len(cs), frozenset(cs)) for label, cs in buckets.items()],
        )
    )

    interventions = [a for a in scoped if a.is_intervention]
    total = _figure("interventions", interventions)
    lines.append(
        Line(
            "interventions_by_kind",
            total,
            [
                _figure(str(kind), [a for a in interventions if a.intervention_kind == kind])
                for kind in ActionKind
            ],
        )
    )
    by_institution = sorted(
        scope.institutions | {a.institution_id for a in interventions},
        key=lambda i: (names.get(i, ""), str(i)),
    )
    lines.append(
        Line(
            "interventions_by_institution",
            total,
            [
                _figure(str(inst), [a for a in interventions if a.institution_id == inst])
                for inst in by_institution
            ],
        )
    )
    lines.append(
        Line(
            "actions_by_basis",
            _figure("actions", scoped),
            [_figure(str(kind), [a for a in scoped if a.basis_kind == kind]) for kind in BasisKind],
        )
    )
    made = [
        r
        for r in referrals
        if r.case_id in followed
        and period.contains(r.made_at)
        and (r.from_institution_id in scope.institutions or r.made_by in scope.professionals)
    ]
    lines.append(
        Line(
            "referrals",
            _referral_figure("made", made),
            [
                _referral_figure(status, [r for r in made if r.status == status])
                for status in ("accepted", "declined", "revoked", "pending")
            ],
        )
    )
    for line in lines:
        line.check()
    end = period.last.last_day
    delays: list[float] = [
        (f.first_meeting_at.date() - f.opened_at.date()).days  # calendar days
        for f in case_facts.values()
        if f.first_meeting_at is not None and f.first_meeting_at.date() <= end
    ]
    return Draft(scope, period, lines, delays)


def publish(draft: Draft, min_cell: int) -> Report:
    """The report of a protected draft: withheld figures as None, shares, the median."""
    scope, period, lines, delays = draft.scope, draft.period, draft.lines, draft.delays
    median_hidden = min_cell > 1 and len(delays) < min_cell
    median = round(float(statistics.median(delays)), 1) if delays and not median_hidden else None
    return Report(
        scope_kind=str(scope.kind),
        scope_id=scope.id,
        scope_name=scope.name,
        period=str(period),
        first_month=str(period.first),
        last_month=str(period.last),
        min_cell=min_cell,
        lines=tuple(_publish(line) for line in lines),
        median_days_to_first_meeting=median,
        median_suppressed=median_hidden and bool(delays),
    )


def _figure(label: str, acts: Sequence[ActFact]) -> Figure:
    return Figure(label, len(acts), frozenset(a.case_id for a in acts))


def _referral_figure(label: str, referrals: Sequence[ReferralFact]) -> Figure:
    return Figure(label, len(referrals), frozenset(r.case_id for r in referrals))


def _publish(line: Line) -> PublishedLine:
    title, unit = TITLES[line.name]
    total = line.total.published

    def cell(f: Figure) -> PublishedCell:
        value = f.published
        share = (
            round(value / total, 4) if value is not None and total is not None and total else None
        )
        return PublishedCell(f.label, value, f.suppressed is not None, share)

    return PublishedLine(
        line.name,
        title,
        unit,
        PublishedCell(line.total.label, total, line.total.suppressed is not None),
        tuple(cell(c) for c in line.cells),
    )
