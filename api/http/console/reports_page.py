"""The console's funder reports: the scopes a funder (or a supervisor's institution) may read,
and each report with its chart, its table (withheld figures marked as such, and why) and its
downloads.

Every figure comes through `api.http.report_reading`, the API's own path: the same rule
(`domain.access_reports.check_report_reader`), the same period grid, the same small-cell
withholding, the same CSV and chart builders. The list only spares readers links that would be
refused: opening a report checks the rule again. No page here names a person or links to a case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from api.http.console.pages import Console
from api.http.console.routing import ConsoleDep, ConsoleRoute
from api.http.guard import admits
from api.http.report_reading import read_report, report_csv, worded
from api.http.report_terms import Terms, terms_of
from domain.access import READING_REPORTS, Role
from domain.errors import InvalidValueError
from domain.funding import FundedKind
from domain.months import MonthRange
from domain.report_family import latest_published_quarter
from domain.wording import N_
from projections import reports as queries
from projections.charts import MEDIA_TYPES, report_chart
from projections.report_words import ReportWords, period_name

router = APIRouter(route_class=ConsoleRoute)
KINDS = {  # the path's word (the API's collections) -> the kind of scope
    "institutions": FundedKind.INSTITUTION,
    "partnerships": FundedKind.PARTNERSHIP,
    "networks": FundedKind.NETWORK,
}
PERIODS_OFFERED = 8  # published quarters one may pick
PERIOD = re.compile(r"[0-9]{4}-[0-9]{2}/[0-9]{4}-[0-9]{2}")
# Checked by the page, not the query's pattern: a wrong period gets the console's refusal page
# (422, worded), not the API's JSON.
PeriodQuery = Annotated[str | None, Query(max_length=20)]
KindPath = Annotated[str, Path(pattern="^(institutions|partnerships|networks)$")]


@dataclass(frozen=True)
class ScopeLink:
    """A scope of the list: its kind, name, and what makes it readable (a funding's days)."""

    collection: str
    kind: FundedKind
    scope_id: UUID
    name: str
    since: object | None = None
    until: object | None = None


def terms(console: Console) -> Terms:
    return terms_of(console.services.maillage, console.services.settings)


def published_quarters(found: Terms, count: int = PERIODS_OFFERED) -> list[MonthRange]:
    """The latest published quarters, newest first: the periods a page offers."""
    latest = latest_published_quarter(
        found.calendar.day(found.now), found.back_dating_days, found.calendar
    )
    quarters = [latest]
    while len(quarters) < count:
        before = quarters[-1].first.back(3)
        quarters.append(MonthRange.quarter(before.year, (before.month - 1) // 3 + 1))
    return quarters


def period_bounds(period: str | None) -> tuple[str | None, str | None]:
    """`2026-07/2026-09` -> ("2026-07", "2026-09"); none -> the API's default."""
    if not period:
        return None, None
    if not PERIOD.fullmatch(period):
        raise InvalidValueError(
            N_("a period is a quarter of the list (first and last month: YYYY-MM/YYYY-MM)"),
            field="query.period",
        )
    first, _, last = period.partition("/")
    return first, last


def period_choices(console: Console, found: Terms) -> list[tuple[str, str]]:
    return [
        (f"{q.first}/{q.last}", period_name(q, console.words)) for q in published_quarters(found)
    ]


def _kind(collection: str) -> FundedKind:
    kind = KINDS.get(collection)
    if kind is None:
        raise InvalidValueError(N_("no such kind of report"), field="path.kind")
    return kind


def _scopes(console: Console) -> list[ScopeLink]:
    """A funder's funded scopes (one entry a funding); a supervisor's institution and what it
    is a member of."""
    session = console.session
    assert session is not None
    assert session.institution_id is not None
    collection = {kind: name for name, kind in KINDS.items()}
    found: list[ScopeLink] = []
    with console.services.engine.connect() as conn:
        if session.role is Role.FUNDER:
            for row in queries.fundings(conn, funder_id=session.institution_id):
                kind, target = FundedKind(row["target_kind"]), UUID(row["target_id"])
                name = queries.scope(conn, kind, target).name
                until = row["ended_on"] or row["valid_until"]
                found.append(
                    ScopeLink(collection[kind], kind, target, name, row["valid_from"], until)
                )
        else:
            for scope in queries.all_scopes(conn):
                if session.institution_id in scope.institutions:
                    found.append(
                        ScopeLink(collection[scope.kind], scope.kind, scope.id, scope.name)
                    )
    order = list(FundedKind)
    return sorted(found, key=lambda s: (order.index(s.kind), s.name.casefold()))


@router.get("/console/reports")
@admits(READING_REPORTS)
def reports_list(console: ConsoleDep) -> Response:
    session = console.session
    assert session is not None
    scopes = _scopes(console) if session.institution_id is not None else []
    return console.render("reports.html", scopes=scopes)


def _read(
    console: Console, collection: str, scope_id: UUID, period: str | None
) -> tuple[ReportWords, Terms]:
    """The report, worded, under the API's rule; refused (a page) otherwise."""
    session = console.session
    assert session is not None
    found_terms = terms(console)
    first, last = period_bounds(period)
    with console.services.engine.connect() as conn:
        found = read_report(
            found_terms, session.principal, conn, _kind(collection), scope_id, first, last
        )
        return worded(found, console.words, conn), found_terms


@router.get("/console/reports/{kind}/{scope_id}")
@admits(READING_REPORTS)
def report_page(
    console: ConsoleDep, kind: KindPath, scope_id: UUID, period: PeriodQuery = None
) -> Response:
    report, found_terms = _read(console, kind, scope_id, period)
    chosen = f"{report.first_month}/{report.last_month}"
    base = f"/console/reports/{kind}/{scope_id}"
    return console.render(
        "report.html",
        report=report,
        periods=period_choices(console, found_terms),
        chosen=chosen,
        base=base,
        csv_url=console.url(f"{base}/report.csv", period=chosen),
        chart_url=console.url(f"{base}/chart.png", period=chosen),
    )


@router.get("/console/reports/{kind}/{scope_id}/report.csv")
@admits(READING_REPORTS)
def report_download(
    console: ConsoleDep, kind: KindPath, scope_id: UUID, period: PeriodQuery = None
) -> Response:
    report, _ = _read(console, kind, scope_id, period)
    return report_csv(report, console.words, None)


@router.get("/console/reports/{kind}/{scope_id}/chart.png")
@admits(READING_REPORTS)
def report_picture(
    console: ConsoleDep, kind: KindPath, scope_id: UUID, period: PeriodQuery = None
) -> Response:
    report, _ = _read(console, kind, scope_id, period)
    name = f"report-{report.scope_kind}-{report.first_month}-{report.last_month}.png"
    return Response(
        report_chart(report, console.words, "png"),
        media_type=MEDIA_TYPES["png"],
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )
