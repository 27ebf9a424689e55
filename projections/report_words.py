"""Reports and the network map in words: every code they show, labelled in the reader's language.

The domain keeps codes (`home_visit`, `case_holder`, an institution's id, `charter`…) and English
templates; here each is worded with the `Wording` the API passes in (French first, English on
request) — for the JSON answers, which keep the codes beside their labels, the CSV downloads and
the charts alike. Institutions are named, never shown by id (unless the registry does not know
the id).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from uuid import UUID

from domain.months import Month, MonthRange
from domain.network_map import NetworkMap
from domain.reports import PublishedCell, PublishedLine, Report
from domain.wording import N_, Wording

ACTION_KINDS = {
    "home_visit": N_("home visit"),
    "assessment": N_("assessment"),
    "consultation": N_("consultation"),
    "educational_support": N_("educational support"),
    "care": N_("care"),
    "school_support": N_("school support"),
    "meeting": N_("meeting"),
    "referral": N_("referral"),
    "information_sharing": N_("information sharing"),
    "coordination": N_("coordination"),
    "case_participation": N_("taking part in the case"),
    "other": N_("other"),
}
BASES = {
    "delegation": N_("delegation"),
    "case_holder": N_("case holder"),
    "convention": N_("convention"),
    "network": N_("network"),
    "informal": N_("informal"),
}
SECTORS = {
    "social": N_("social"),
    "medico_social": N_("medico-social"),
    "health": N_("health"),
    "education": N_("education"),
    "justice": N_("justice"),
    "other": N_("other"),
}
SCOPE_KINDS = {
    "institution": N_("institution"),
    "partnership": N_("partnership"),
    "network": N_("network"),
}
TIES = {
    "convention": N_("convention"),
    "charter": N_("charter"),
    "formal_network": N_("formal network"),
    "informal_network": N_("informal network only"),
    "none": N_("shared beneficiaries, no partnership"),
}
CELLS = {  # the other cells' codes
    "newly opened": N_("newly opened"),
    "already open": N_("already open"),
    "5 or more": N_("5 or more"),
    "accepted": N_("accepted"),
    "declined": N_("declined"),
    "revoked": N_("revoked"),
    "pending": N_("pending"),
}
UNITS = {
    "beneficiaries": N_("beneficiaries"),
    "interventions": N_("interventions"),
    "actions": N_("actions"),
    "referrals": N_("referrals"),
}
AXES = {
    "beneficiaries": N_("number of beneficiaries"),
    "interventions": N_("number of interventions"),
    "actions": N_("number of actions"),
    "referrals": N_("number of referrals"),
}
MONTHS = (
    N_("January {year}"),
    N_("February {year}"),
    N_("March {year}"),
    N_("April {year}"),
    N_("May {year}"),
    N_("June {year}"),
    N_("July {year}"),
    N_("August {year}"),
    N_("September {year}"),
    N_("October {year}"),
    N_("November {year}"),
    N_("December {year}"),
)
LABELS_BY_LINE = {
    "interventions_by_kind": ACTION_KINDS,
    "actions_by_basis": BASES,
}


DECIMAL_MARKS = {"fr": ","}


def decimal(value: float, words: Wording) -> str:
    """`18,5` in French, `18.5` in English (`18` for 18.0)."""
    return f"{value:g}".replace(".", DECIMAL_MARKS.get(words.language, "."))


def month_name(month: Month, words: Wording) -> str:
    return words.gettext(MONTHS[month.month - 1], year=month.year)


def period_name(period: MonthRange, words: Wording) -> str:
    """`novembre 2026`, `T4 2026`, `2026` — or `octobre 2026 – janvier 2027` off the grid."""
    grid = period.grid
    if grid == "month":
        return month_name(period.first, words)
    if grid == "quarter":
        quarter = (period.first.month - 1) // 3 + 1
        return words.gettext("Q{quarter} {year}", quarter=quarter, year=period.first.year)
    if grid == "year":
        return str(period.first.year)
    return f"{month_name(period.first, words)} – {month_name(period.last, words)}"


def period_of(first_month: str, last_month: str) -> MonthRange:
    return MonthRange(Month.parse(first_month, field="from"), Month.parse(last_month, field="to"))


# --- a report ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellWords:
    code: str
    label: str
    value: int | None
    withheld: bool
    share: float | None


@dataclass(frozen=True)
class LineWords:
    name: str
    title: str
    unit: str
    unit_label: str
    axis_label: str
    total: CellWords
    cells: tuple[CellWords, ...]


@dataclass(frozen=True)
class ReportWords:
    language: str
    scope_kind: str
    scope_kind_label: str
    scope_id: UUID
    scope_name: str
    period: str
    period_label: str
    first_month: str
    last_month: str
    min_cell: int
    lines: tuple[LineWords, ...]
    median_days_to_first_meeting: float | None
    median_suppressed: bool
    median_label: str
    withheld_label: str
    withheld_note: str

    def line(self, name: str) -> LineWords:
        return next(line for line in self.lines if line.name == name)


def institutions_of(report: Report) -> set[UUID]:
    """The institutions a report's cells name (by id): those the reader wants named."""
    return {UUID(c.label) for c in report.line("interventions_by_institution").cells}


def word_report(report: Report, words: Wording, names: Mapping[UUID, str]) -> ReportWords:
    """`report` labelled in `words`' language; `names`: the institutions' display names."""
    k = report.min_cell
    if k > 1:
        note = words.ngettext(
            "Withheld: a figure with 1 beneficiary behind it, or one that would let such a "
            "figure be recovered. Zeros are shown: they single out nobody.",
            "Withheld: a figure with 1 to {n} beneficiaries behind it, or one that would let "
            "such a figure be recovered. Zeros are shown: they single out nobody.",
            k - 1,
        )
    else:
        note = words.gettext("Nothing is withheld (smallest figure shown: 1).")
    return ReportWords(
        language=words.language,
        scope_kind=report.scope_kind,
        scope_kind_label=words.gettext(SCOPE_KINDS[report.scope_kind]),
        scope_id=report.scope_id,
        scope_name=report.scope_name,
        period=report.period,
        period_label=period_name(period_of(report.first_month, report.last_month), words),
        first_month=report.first_month,
        last_month=report.last_month,
        min_cell=k,
        lines=tuple(_line(line, words, names) for line in report.lines),
        median_days_to_first_meeting=report.median_days_to_first_meeting,
        median_suppressed=report.median_suppressed,
        median_label=words.gettext(
            "Median days from opening to the first coordination meeting (calendar days)"
        ),
        withheld_label=words.gettext("withheld"),
        withheld_note=note,
    )


def _line(line: PublishedLine, words: Wording, names: Mapping[UUID, str]) -> LineWords:
    def cell(c: PublishedCell, label: str) -> CellWords:
        return CellWords(c.label, label, c.value, c.withheld, c.share)

    return LineWords(
        name=line.name,
        title=words.gettext(line.title),
        unit=line.unit,
        unit_label=words.gettext(UNITS[line.unit]),
        axis_label=words.gettext(AXES[line.unit]),
        total=cell(line.total, words.gettext("total")),
        cells=tuple(cell(c, _cell_label(line.name, c.label, words, names)) for c in line.cells),
    )


def _cell_label(line: str, code: str, words: Wording, names: Mapping[UUID, str]) -> str:
    if line == "interventions_by_institution":
        return names.get(UUID(code)) or code
    template = LABELS_BY_LINE.get(line, CELLS).get(code)
    return words.gettext(template) if template is not None else code  # "1" to "4"


Cell = str | int | float | None


def report_rows(report: ReportWords, words: Wording) -> list[list[Cell]]:
    """The report as a table (a header, then one row per figure, withheld ones marked), the
    numbers left as numbers for the CSV writer to format."""
    rows: list[list[Cell]] = [
        [
            words.gettext("Scope"),
            words.gettext("Period"),
            words.gettext("Section"),
            words.gettext("Figure"),
            words.gettext("Code"),
            words.gettext("Value"),
            words.gettext("Share"),
            words.gettext("Withheld"),
        ]
    ]
    where = [report.scope_name, report.period_label]
    for line in report.lines:
        for c in (line.total, *line.cells):
            marker = report.withheld_label if c.withheld else ""
            rows.append([*where, line.title, c.label, c.code, c.value, c.share, marker])
    median = report.median_days_to_first_meeting
    marker = report.withheld_label if report.median_suppressed else ""
    rows.append(
        [*where, report.median_label, words.gettext("median"), "median", median, None, marker]
    )
    return rows


# --- the network map --------------------------------------------------------------------------


@dataclass(frozen=True)
class NodeWords:
    institution_id: UUID
    name: str
    sector: str
    sector_label: str


@dataclass(frozen=True)
class EdgeWords:
    source: UUID
    source_name: str
    target: UUID
    target_name: str
    weight: int | None
    few: bool
    tie: str
    tie_label: str
    ties: tuple[str, ...]
    unbound: bool


@dataclass(frozen=True)
class MapWords:
    language: str
    period: str
    period_label: str
    first_month: str
    last_month: str
    min_cell: int
    nodes: tuple[NodeWords, ...]
    edges: tuple[EdgeWords, ...]


def word_map(found: NetworkMap, words: Wording) -> MapWords:
    named = {node.institution_id: node.name for node in found.nodes}
    return MapWords(
        language=words.language,
        period=found.period,
        period_label=period_name(period_of(found.first_month, found.last_month), words),
        first_month=found.first_month,
        last_month=found.last_month,
        min_cell=found.min_cell,
        nodes=tuple(
            NodeWords(n.institution_id, n.name, n.sector, sector_label(n.sector, words))
            for n in found.nodes
        ),
        edges=tuple(
            EdgeWords(
                source=e.source,
                source_name=named.get(e.source, str(e.source)),
                target=e.target,
                target_name=named.get(e.target, str(e.target)),
                weight=e.weight,
                few=e.few,
                tie=e.tie,
                tie_label=words.gettext(TIES[e.tie]),
                ties=e.ties,
                unbound=e.unbound,
            )
            for e in found.edges
        ),
    )


def sector_label(sector: str, words: Wording) -> str:
    template = SECTORS.get(sector)
    return words.gettext(template) if template is not None else sector
