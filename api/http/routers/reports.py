"""Fundings, funder reports and the network map over HTTP.

Administrators record fundings. A report (JSON, CSV, or a chart as SVG or PNG) is for a funder
whose institution funds the scope over the whole period asked, or for a supervisor of one of the
scope's member institutions (`domain.access_reports.check_report_reader`); the network map for
supervisors. Every figure that could single out a person is withheld (`domain.disclosure`).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Path, Query, Response

from api.http.commands import CommandDep
from api.http.csv_download import MEDIA_TYPE as CSV_MEDIA_TYPE
from api.http.deps import ConnectionDep, MaillageDep, PrincipalDep, WordsDep
from api.http.guard import GuardedRoute, admits
from api.http.params import IfMatch
from api.http.report_reading import read_map, read_report, worded
from api.http.report_reading import report_csv as csv_of
from api.http.report_terms import TermsDep
from api.http.schemas.common import CommandResult
from api.http.schemas.reports import (
    FundingCreate,
    FundingEnding,
    FundingItem,
    NetworkMapRead,
    ReportRead,
)
from domain.access import (
    KEEPING_THE_REGISTRY,
    READING_FUNDINGS,
    READING_REPORTS,
    READING_THE_NETWORK_MAP,
)
from domain.access_reports import fundings_of
from domain.funding import FundedKind
from projections import reports as queries
from projections.charts import MEDIA_TYPES, ImageFormat, network_map_chart
from projections.charts import report_chart as chart_of
from projections.report_words import (
    MapWords,
    ReportWords,
)

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


def _image(content: bytes, fmt: ImageFormat) -> Response:
    return Response(content, media_type=MEDIA_TYPES[fmt])


ImageFormatQuery = Annotated[
    Literal["svg", "png"], Query(alias="format", description="svg (default) or png.")
]
DialectQuery = Annotated[  # a format, not a code of the domain: no schema of its own
    Literal["fr", "en"] | None,
    Query(
        description="`fr`: `;` between cells, decimal comma; `en`: `,` and a decimal point. Both "
        "UTF-8 with a byte-order mark. Default: the language's (`Accept-Language`), which also "
        "words the headers and labels."
    ),
]
CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}}},
        "description": "The report as CSV: one row per figure, withheld ones marked; a text "
        "that a spreadsheet could take for a formula starts with an apostrophe.",
    }
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
        words: WordsDep,
        scope_id: UUID = scope,
        first: From = None,
        to: To = None,
    ) -> ReportWords:
        found = read_report(terms, principal, conn, kind, scope_id, first, to)
        return worded(found, words, conn)

    @admits(READING_REPORTS)
    def report_csv(
        terms: TermsDep,
        principal: PrincipalDep,
        conn: ConnectionDep,
        words: WordsDep,
        scope_id: UUID = scope,
        first: From = None,
        to: To = None,
        dialect: DialectQuery = None,
    ) -> Response:
        found = report(terms, principal, conn, words, scope_id, first, to)
        return csv_of(found, words, dialect)

    @admits(READING_REPORTS)
    def report_chart(
        terms: TermsDep,
        principal: PrincipalDep,
        conn: ConnectionDep,
        words: WordsDep,
        scope_id: UUID = scope,
        first: From = None,
        to: To = None,
        fmt: ImageFormatQuery = "svg",
    ) -> Response:
        found = report(terms, principal, conn, words, scope_id, first, to)
        return _image(chart_of(found, words, fmt), fmt)

    router.add_api_route(
        path,
        report,
        methods=["GET"],
        response_model=ReportRead,
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


@router.get(
    "/network-map",
    response_model=NetworkMapRead,
    summary="Which institutions work together, on how many shared beneficiaries, under which "
    "tie (supervisors)",
)
@admits(READING_THE_NETWORK_MAP)
def network_map(
    terms: TermsDep,
    principal: PrincipalDep,
    conn: ConnectionDep,
    words: WordsDep,
    first: From = None,
    to: To = None,
) -> MapWords:
    return read_map(terms, principal, conn, words, first, to)


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
    words: WordsDep,
    first: From = None,
    to: To = None,
    fmt: ImageFormatQuery = "svg",
) -> Response:
    found = read_map(terms, principal, conn, words, first, to)
    return _image(network_map_chart(found, words, fmt), fmt)
