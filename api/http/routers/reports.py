"""Fundings, funder reports and the network map over HTTP.

Administrators record fundings. A report (JSON, CSV, or a chart as SVG or PNG) is for a funder
whose institution funds the scope over the whole period asked, or for a supervisor of one of the
scope's member institutions (`domain.access.check_report_reader`); the network map for
supervisors. Every figure that could single out a person is withheld (`domain.disclosure`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Response
from sqlalchemy import Connection

from api.http.commands import CommandDep
from api.http.deps import ConnectionDep, MaillageDep, PrincipalDep, SettingsDep
from api.http.guard import GuardedRoute, admits
from api.http.params import IfMatch
from api.http.schemas.common import CommandResult
from api.http.schemas.reports import FundingCreate, FundingEnding, FundingItem
from domain.access import (
    KEEPING_THE_REGISTRY,
    READING_FUNDINGS,
    READING_REPORTS,
    READING_THE_NETWORK_MAP,
    Principal,
    Role,
    check_network_map_reader,
    check_report_reader,
    fundings_of,
)
from domain.errors import InvalidValueError
from domain.funding import FundedKind
from domain.network_map import NetworkMap
from domain.report_family import (
    check_publishable,
    latest_published_quarter,
    reporting_period,
)
from domain.reports import Month, MonthRange, Report, csv_rows
from domain.wording import N_
from projections import reports as queries
from projections.charts import MEDIA_TYPES, ImageFormat, network_map_chart
from projections.charts import report_chart as chart_of

router = APIRouter(tags=["reports"], route_class=GuardedRoute)
KEEPING = admits(KEEPING_THE_REGISTRY)  # fundings

_MONTH = r"^[0-9]{4}-[0-9]{2}$"
_GRID = (
    "A calendar month (from=to), quarter (e.g. from=2026-07&to=2026-09) or year "
    "(from=2026-01&to=2026-12), published once acts can no longer be dated in it "
    "(`MAILLAGE_BACKDATING_WINDOW_DAYS` after it ends); give both `from` and `to`, or neither "
    "for the latest published quarter."
)
From = Annotated[
    str | None,
    Query(
        alias="from",
        pattern=_MONTH,
        description=f"First month (YYYY-MM). {_GRID}",
        examples=["2026-07"],
    ),
]
To = Annotated[
    str | None,
    Query(pattern=_MONTH, description=f"Last month (YYYY-MM). {_GRID}", examples=["2026-09"]),
]


# --- fundings ---------------------------------------------------------------------------------


@router.post(
    "/fundings",
    status_code=201,
    response_model=CommandResult,
    summary="Record that an institution funds a partnership, a network or an institution (admin)",
)
@KEEPING
def grant_funding(
    body: FundingCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
) -> CommandResult:
    return command.run(
        "grant_funding",
        lambda: maillage.grant_funding(
            funder_id=body.funder_id,
            target_kind=body.target_kind,
            target_id=body.target_id,
            valid_from=body.valid_from,
            valid_until=body.valid_until,
            reference=body.reference,
        ),
    )


@router.post(
    "/fundings/{funding_id}/ending",
    response_model=CommandResult,
    summary="End a funding early (admin)",
)
@KEEPING
def end_funding(
    funding_id: UUID,
    body: FundingEnding,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    expected: IfMatch = None,
) -> CommandResult:
    return command.run(
        "end_funding",
        lambda: maillage.end_funding(
            funding_id=funding_id, ended_on=body.ended_on, reason=body.reason
        ),
        target=funding_id,
        expected_version=expected,
    )


@router.get(
    "/fundings",
    response_model=list[FundingItem],
    summary="Fundings: all of them (admin), or those of the funder's institution (funder)",
)
@admits(READING_FUNDINGS)
def list_fundings(principal: PrincipalDep, conn: ConnectionDep) -> list[dict[str, Any]]:
    return queries.fundings(conn, funder_id=fundings_of(principal))


# --- reports ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Terms:
    """What a report is computed under: today (the application's clock), how long acts may
    be dated in the past (a period is published once that is over) and the smallest cell shown
    (`report_min_cell`)."""

    today: datetime
    back_dating_days: int
    min_cell: int


async def report_terms(maillage: MaillageDep, settings: SettingsDep) -> Terms:
    policy = maillage.time
    return Terms(policy.now(), policy.backdating_window.days, settings.report_min_cell)


TermsDep = Annotated[Terms, Depends(report_terms)]


def _period(terms: Terms, first: str | None, last: str | None) -> MonthRange:
    """The period asked for, on the reporting grid and published; by default the latest
    published quarter."""
    today = terms.today.date()
    if first is None and last is None:
        return latest_published_quarter(today, terms.back_dating_days)
    if first is None or last is None:
        raise InvalidValueError(
            N_("give both `from` and `to` (a calendar month, quarter or year), or neither"),
            field="query.from" if first is None else "query.to",
        )
    period = reporting_period(
        MonthRange(Month.parse(first, field="query.from"), Month.parse(last, field="query.to"))
    )
    check_publishable(period, today, terms.back_dating_days)
    return period


def _report(
    terms: Terms,
    principal: Principal,
    conn: Connection,
    kind: FundedKind,
    scope_id: UUID,
    first: str | None,
    last: str | None,
) -> Report:
    period = _period(terms, first, last)
    scope = queries.scope(conn, kind, scope_id)
    funded = (
        queries.funded_periods(conn, principal.institution_id, kind, scope_id)
        if principal.role is Role.FUNDER and principal.institution_id is not None
        else []
    )
    check_report_reader(
        principal, scope.institutions, funded, period.first.first_day, period.last.last_day
    )
    return queries.report(conn, scope, period, min_cell=terms.min_cell)


def _csv(report: Report) -> Response:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(csv_rows(report))
    name = f"report-{report.scope_kind}-{report.first_month}-{report.last_month}.csv"
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _image(content: bytes, fmt: ImageFormat) -> Response:
    return Response(content, media_type=MEDIA_TYPES[fmt])


ImageFormatQuery = Annotated[
    Literal["svg", "png"], Query(alias="format", description="svg (default) or png.")
]
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "CSV"}
}
IMAGE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "image/svg+xml": {"schema": {"type": "string"}},
            "image/png": {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "The chart",
    }
}
WHO = "funders of it over the period; supervisors of a member institution"


def _add_report_routes(kind: FundedKind, collection: str, id_name: str) -> None:
    """The JSON, CSV and chart routes of one kind of scope (the same handlers for each kind;
    the path parameter keeps the kind's own name: `institution_id`, `partnership_id`…)."""
    noun = kind.value
    path = f"/reports/{collection}/{{{id_name}}}"
    # A default, not an Annotated alias: this module's annotations are strings, resolved in
    # its globals, where a local alias would not be found.
    scope = Path(alias=id_name, description=f"The {noun}.")

    @admits(READING_REPORTS)
    def report(
        terms: TermsDep,
        principal: PrincipalDep,
        conn: ConnectionDep,
        scope_id: UUID = scope,
        first: From = None,
        to: To = None,
    ) -> Report:
        return _report(terms, principal, conn, kind, scope_id, first, to)

    @admits(READING_REPORTS)
    def report_csv(
        terms: TermsDep,
        principal: PrincipalDep,
        conn: ConnectionDep,
        scope_id: UUID = scope,
        first: From = None,
        to: To = None,
    ) -> Response:
        return _csv(report(terms, principal, conn, scope_id, first, to))

    @admits(READING_REPORTS)
    def report_chart(
        terms: TermsDep,
        principal: PrincipalDep,
        conn: ConnectionDep,
        scope_id: UUID = scope,
        first: From = None,
        to: To = None,
        fmt: ImageFormatQuery = "svg",
    ) -> Response:
        found = report(terms, principal, conn, scope_id, first, to)
        return _image(chart_of(found, fmt), fmt)

    router.add_api_route(
        path,
        report,
        methods=["GET"],
        response_model=Report,
        name=f"{noun}_report",
        summary=f"Report of a {noun}, figures that could single out a person withheld ({WHO})",
    )
    router.add_api_route(
        f"{path}/csv",
        report_csv,
        methods=["GET"],
        response_class=Response,
        responses=CSV_RESPONSE,
        name=f"{noun}_report_csv",
        summary=f"The report of a {noun} as a CSV download ({WHO})",
    )
    router.add_api_route(
        f"{path}/chart",
        report_chart,
        methods=["GET"],
        response_class=Response,
        responses=IMAGE_RESPONSE,
        name=f"{noun}_report_chart",
        summary=f"The report of a {noun} as a chart, SVG or PNG ({WHO})",
    )


_add_report_routes(FundedKind.INSTITUTION, "institutions", "institution_id")
_add_report_routes(FundedKind.PARTNERSHIP, "partnerships", "partnership_id")
_add_report_routes(FundedKind.NETWORK, "networks", "network_id")


# --- the network map --------------------------------------------------------------------------


def _map(
    terms: Terms, principal: Principal, conn: Connection, first: str | None, to: str | None
) -> NetworkMap:
    check_network_map_reader(principal)
    return queries.the_network_map(conn, _period(terms, first, to), min_cell=terms.min_cell)


@router.get(
    "/network-map",
    response_model=NetworkMap,
    summary="Which institutions work together, on how many shared beneficiaries, under which "
    "tie (supervisors)",
)
@admits(READING_THE_NETWORK_MAP)
def network_map(
    terms: TermsDep,
    principal: PrincipalDep,
    conn: ConnectionDep,
    first: From = None,
    to: To = None,
) -> NetworkMap:
    return _map(terms, principal, conn, first, to)


@router.get(
    "/network-map/picture",
    response_class=Response,
    responses=IMAGE_RESPONSE,
    summary="The network map as a picture, SVG or PNG (supervisors)",
)
@admits(READING_THE_NETWORK_MAP)
def network_map_picture(
    terms: TermsDep,
    principal: PrincipalDep,
    conn: ConnectionDep,
    first: From = None,
    to: To = None,
    fmt: ImageFormatQuery = "svg",
) -> Response:
    return _image(network_map_chart(_map(terms, principal, conn, first, to), fmt), fmt)
