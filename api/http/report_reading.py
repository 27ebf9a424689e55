"""Reading a report or the network map: the API's routes and the console's pages both go
through here, so that both answer under the same rule (`domain.access_reports`), with the same
period grid and the same withheld figures."""

from __future__ import annotations

from uuid import UUID

from fastapi import Response
from sqlalchemy import Connection

from api.http.csv_download import Dialect, csv_response
from api.http.report_terms import Terms, reporting_period_of
from domain.access import Principal, Role
from domain.access_reports import check_network_map_reader, check_report_reader
from domain.funding import FundedKind
from domain.reports import Report
from domain.wording import Wording
from projections import reports as queries
from projections.names import names
from projections.report_words import (
    MapWords,
    ReportWords,
    institutions_of,
    report_rows,
    word_map,
    word_report,
)


def read_report(
    terms: Terms,
    principal: Principal,
    conn: Connection,
    kind: FundedKind,
    scope_id: UUID,
    first: str | None,
    last: str | None,
) -> Report:
    """The report of a scope over the period asked for (by default the latest published
    quarter), for whom `check_report_reader` admits; refused otherwise."""
    period = reporting_period_of(terms, first, last)
    scope = queries.scope(conn, kind, scope_id)
    funded = (
        queries.funded_periods(conn, principal.institution_id, kind, scope_id)
        if principal.role is Role.FUNDER and principal.institution_id is not None
        else []
    )
    check_report_reader(
        principal, scope.institutions, funded, period.first.first_day, period.last.last_day
    )
    return queries.report(conn, scope, period, min_cell=terms.min_cell, calendar=terms.calendar)


def worded(report: Report, words: Wording, conn: Connection) -> ReportWords:
    """The report in the reader's language, its institutions named."""
    return word_report(
        report, words, names(conn, institutions=institutions_of(report)).institutions
    )


def report_csv(report: ReportWords, words: Wording, dialect: str | None) -> Response:
    """The report as a CSV download, in `dialect` or the language's own."""
    name = f"report-{report.scope_kind}-{report.first_month}-{report.last_month}.csv"
    chosen = Dialect(dialect) if dialect else Dialect.of_language(words.language)
    return csv_response(report_rows(report, words), chosen, name)


def read_map(
    terms: Terms,
    principal: Principal,
    conn: Connection,
    words: Wording,
    first: str | None,
    to: str | None,
) -> MapWords:
    """The network map over the period asked for, for whom may read it; refused otherwise."""
    check_network_map_reader(principal)
    period = reporting_period_of(terms, first, to)
    found = queries.the_network_map(conn, period, min_cell=terms.min_cell, calendar=terms.calendar)
    return word_map(found, words)
