"""The beneficiary's rights (RGPD art. 15, 16, 20), exercised by a data-protection officer of an
institution that holds the case or is or was involved in it: the export of everything held about
the person (JSON, HTML or PDF), and the rectification of their identity. Erasure (art. 17) is
`POST /cases/{case_id}/erasure` (`api.http.routers.cases`).

The export is a reading of the case: recorded (`CaseContentRead`, view `personal_data`, purpose
`legal_request`) before anything is read, so it lists itself among the readings it shows.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Header, Query, Response
from sqlalchemy import Connection

from api.http.commands import CommandDep
from api.http.deps import ConnectionDep, MaillageDep, PrincipalDep, ProjectionsDep, WordsDep
from api.http.guard import GuardedRoute, admits
from api.http.personal_data_page import render_html, render_pdf
from api.http.problem_document import PROBLEM_JSON, Problem
from api.http.problems import PreconditionError
from api.http.schemas.common import CommandResult
from api.http.schemas.rights import IdentityRectification, PersonalDataRead
from domain.access import EXPORTING_PERSONAL_DATA, RECTIFYING_AN_IDENTITY, ReadPurpose, Role
from domain.wording import N_
from projections import queries
from projections.names import names

router = APIRouter(tags=["rights"], route_class=GuardedRoute)
VIEW = "personal_data"


ExportFormat = Literal["json", "html", "pdf"]  # a format, not a code of the domain
MEDIA_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
EXPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/html": {"schema": {"type": "string"}},
            "application/pdf": {"schema": {"type": "string", "format": "binary"}},
        },
        "description": "The export: JSON (the schema below), a readable HTML document, or PDF.",
    },
    406: {
        "model": Problem,
        "content": {PROBLEM_JSON: {}},
        "description": "PDF asked for where the service cannot render it (`pdf-unavailable`).",
    },
}


def chosen_format(asked: ExportFormat | None, accept: str | None) -> ExportFormat:
    """`format` if given, else the first of PDF, HTML the `Accept` header names, else JSON."""
    if asked is not None:
        return asked
    accepted = (accept or "").lower()
    if "application/pdf" in accepted:
        return "pdf"
    if "text/html" in accepted:
        return "html"
    return "json"


def _check_pdf() -> None:
    try:
        import weasyprint  # noqa: F401  # needs the system's Pango
    except (ImportError, OSError) as error:
        raise PreconditionError(
            406,
            "pdf-unavailable",
            N_("this service cannot render PDF (WeasyPrint or Pango is missing): ask for html"),
            "query.format",
        ) from error


@router.get(
    "/cases/{case_id}/personal-data",
    response_model=PersonalDataRead,
    responses=EXPORT_RESPONSES,
    summary="Export everything held about the case's beneficiary (data-protection officers; "
    "recorded as a reading)",
)
@admits(EXPORTING_PERSONAL_DATA)
def export_personal_data(
    case_id: UUID,
    principal: PrincipalDep,
    maillage: MaillageDep,
    conn: ConnectionDep,
    projections: ProjectionsDep,
    words: WordsDep,
    format: Annotated[
        ExportFormat | None,
        Query(description="json (default), html or pdf; else from the Accept header."),
    ] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Any:
    fmt = chosen_format(format, accept)
    if fmt == "pdf":
        _check_pdf()
    maillage.authorise_rights(principal, case_id, EXPORTING_PERSONAL_DATA)
    reading = maillage.record_consultation(
        case_id=case_id, principal=principal, view=VIEW, purpose=ReadPurpose.LEGAL_REQUEST.value
    )
    # The readings are found through the audit trail once it holds this one, then read from
    # the log: a read side that lags does not give a partial answer.
    position = reading.position if reading.position is not None else projections.head()
    if not projections.wait_for(position, timeout=5.0):
        raise PreconditionError(
            503,
            "read-side-behind",
            N_("the read side has not reached position {after} yet; retry shortly"),
            "query.after",
            details={"after": position},
        )
    readings = [*queries.case_readings(conn, case_id), reading.id]
    export = maillage.personal_data(case_id, readings, principal=principal)
    document = PersonalDataRead.model_validate(export)
    _name_client_readers(conn, document)
    if fmt == "json":
        return document
    page = render_html(document, words)
    if fmt == "html":
        return Response(page, media_type=MEDIA_TYPES[fmt])
    return Response(
        render_pdf(page),
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="personal-data-{case_id}.pdf"'},
    )


def _name_client_readers(conn: Connection, document: PersonalDataRead) -> None:
    """A client application's readings (issue 19, the catch-up feed) name it: the log's
    registry does not know it, the registry of client applications does (`projections.names`)."""
    unnamed = [
        r.reader.professional
        for r in document.readings
        if r.role == Role.INTEGRATION and r.reader.professional.name is None
    ]
    if unnamed:
        found = names(conn, professionals=[n.id for n in unnamed])
        for reader in unnamed:
            reader.name = found.professional(reader.id)


@router.post(
    "/cases/{case_id}/identity-rectification",
    response_model=CommandResult,
    summary="Rectify the beneficiary's identity (data-protection officers; the old value stays "
    "sealed)",
)
@admits(RECTIFYING_AN_IDENTITY)
def rectify_identity(
    case_id: UUID,
    body: IdentityRectification,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
) -> CommandResult:
    maillage.authorise_rights(principal, case_id, RECTIFYING_AN_IDENTITY)
    institution_id = principal.actor.institution_id
    return command.run(
        "rectify_identity",
        lambda: maillage.rectify_identity(
            case_id=case_id,
            requested_by=f"dpo {principal.subject}",
            institution_id=institution_id,
            reason=body.reason,
            first_name=body.first_name,
            last_name=body.last_name,
            birth_date=body.birth_date,
        ),
        target=case_id,
    )
