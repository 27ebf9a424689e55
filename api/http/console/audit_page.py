"""The audit timelines: a case's, an institution's, a professional's — acts and readings (who
read, why), filtered by period and kind, page after page, and as the French CSV.

The same rules as the API, from the same code: a case's history is for those the API lets
audit it (`CASE_ADMISSIONS[CaseUse.AUDIT]`), asked its purpose first, the reading recorded
(`read_case`, view `audit_trail`) before anything of the case is shown — the CSV is a reading
too; an institution's is for its own supervisors (`check_own_institution`, as the API's
`institution_audit`); a professional's for the supervisors of an institution that employs or
employed them, who see what the professional did for it (`domain.access_audit`).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from sqlalchemy import select
from starlette.responses import Response

from api.http.console.audit_trail import (
    PAGE_SIZE,
    Filters,
    Found,
    csv_rows,
    kind_options,
    read_all,
    read_page,
)
from api.http.console.pages import Console
from api.http.console.routing import ConsoleDep, ConsoleRoute
from api.http.csv_download import Dialect, csv_response
from api.http.guard import admits
from api.http.params import read_case
from domain.access import (
    AUDITING_AN_INSTITUTION,
    CASE_ADMISSIONS,
    CaseUse,
    ReadPurpose,
    check_own_institution,
)
from domain.access_audit import AUDITING_A_PROFESSIONAL, professional_audit_scope
from domain.errors import InvalidValueError
from domain.professional import Professional
from domain.wording import N_
from projections.names import names
from projections.tables import institution_view

router = APIRouter(route_class=ConsoleRoute)
AUDITING_A_CASE = CASE_ADMISSIONS[CaseUse.AUDIT]
READ_SIDE_WAIT = 5.0  # seconds: the reading just recorded shows in the trail it opens

Text = Annotated[str | None, Query(max_length=40)]


def _filters(
    kind: str | None, since: str | None, until: str | None, cursor: str | None, limit: str | None
) -> Filters:
    """The filters as sent, checked: what the page did not offer is refused with a page."""
    size = PAGE_SIZE
    if limit:
        if not (limit.isascii() and limit.isdigit()):
            raise InvalidValueError(N_("a page holds 1 to 500 entries"), field="limit")
        size = int(limit)
    return Filters(kind or None, since or None, until or None, cursor or None, size).checked()


def _purpose(text: str | None) -> ReadPurpose | None:
    if not text:
        return None
    try:
        return ReadPurpose(text)
    except ValueError:
        raise InvalidValueError(
            N_("'{value}' is not a purpose of reading"), field="purpose", value=text
        ) from None


# --- a case -------------------------------------------------------------------------------


@router.get("/console/cases/{case_id}/audit")
@admits(AUDITING_A_CASE)
def case_audit(
    console: ConsoleDep,
    case_id: UUID,
    purpose: Text = None,
    kind: Text = None,
    since: Text = None,
    until: Text = None,
    cursor: Text = None,
    limit: Text = None,
) -> Response:
    filters = _filters(kind, since, until, cursor, limit)
    why = _purpose(purpose)
    path = f"/console/cases/{case_id}/audit"
    if why is None:
        return _ask_purpose(console, path, filters)
    title = _read_case(console, case_id, why)
    return _page(console, filters, path, title, why, case_id=case_id)


@router.get("/console/cases/{case_id}/audit.csv")
@admits(AUDITING_A_CASE)
def case_audit_csv(
    console: ConsoleDep,
    case_id: UUID,
    purpose: Text = None,
    kind: Text = None,
    since: Text = None,
    until: Text = None,
) -> Response:
    filters = _filters(kind, since, until, None, None)
    why = _purpose(purpose)
    if why is None:
        return _ask_purpose(console, f"/console/cases/{case_id}/audit.csv", filters)
    _read_case(console, case_id, why)
    return _csv(console, filters, f"audit-case-{case_id}.csv", case_id=case_id)


def _ask_purpose(console: Console, action: str, filters: Filters) -> Response:
    """The purpose form, the filters kept: nothing of the case, nothing recorded."""
    hidden = {k: v for k, v in filters.kept().items() if v is not None}
    return console.render(
        "audit_purpose.html", action=action, hidden=hidden, purposes=list(ReadPurpose)
    )


def _read_case(console: Console, case_id: UUID, why: ReadPurpose) -> str:
    """Authorise and record the reading (the API's `read_case`), then wait until the trail
    holds it; the page's title, naming the person."""
    session = console.session
    assert session is not None  # an admitted page has a session
    services = console.services
    case = read_case(
        services.maillage,
        session.principal,
        case_id,
        use=CaseUse.AUDIT,
        view="audit_trail",
        purpose=why,
    )
    services.projections.wait_for(services.projections.head(), timeout=READ_SIDE_WAIT)
    person = f"{case.beneficiary.first_name} {case.beneficiary.last_name}"
    return console.words.gettext("Audit trail of {person}'s case", person=person)


# --- an institution -----------------------------------------------------------------------


@router.get("/console/institutions/{institution_id}/audit")
@admits(AUDITING_AN_INSTITUTION)
def institution_audit(
    console: ConsoleDep,
    institution_id: UUID,
    kind: Text = None,
    since: Text = None,
    until: Text = None,
    cursor: Text = None,
    limit: Text = None,
) -> Response:
    filters = _institution(console, institution_id, kind, since, until, cursor, limit)
    name = _institution_name(console, institution_id)
    title = console.words.gettext("Audit trail of {institution}", institution=name)
    path = f"/console/institutions/{institution_id}/audit"
    return _page(console, filters, path, title, None, institution_id=institution_id)


@router.get("/console/institutions/{institution_id}/audit.csv")
@admits(AUDITING_AN_INSTITUTION)
def institution_audit_csv(
    console: ConsoleDep,
    institution_id: UUID,
    kind: Text = None,
    since: Text = None,
    until: Text = None,
) -> Response:
    filters = _institution(console, institution_id, kind, since, until, None, None)
    name = f"audit-institution-{institution_id}.csv"
    return _csv(console, filters, name, institution_id=institution_id)


def _institution(console: Console, institution_id: UUID, *filters: Any) -> Filters:
    session = console.session
    assert session is not None
    check_own_institution(session.principal, institution_id, doing=N_("auditing an institution"))
    return _filters(*filters)


def _institution_name(console: Console, institution_id: UUID) -> str:
    with console.services.engine.connect() as conn:
        name = conn.execute(
            select(institution_view.c.name).where(
                institution_view.c.institution_id == str(institution_id)
            )
        ).scalar()
    return str(name) if name is not None else str(institution_id)


# --- a professional -----------------------------------------------------------------------


@router.get("/console/professionals/{professional_id}/audit")
@admits(AUDITING_A_PROFESSIONAL)
def professional_audit(
    console: ConsoleDep,
    professional_id: UUID,
    kind: Text = None,
    since: Text = None,
    until: Text = None,
    cursor: Text = None,
    limit: Text = None,
) -> Response:
    acting_for, person = _professional(console, professional_id)
    filters = _filters(kind, since, until, cursor, limit)
    with console.services.engine.connect() as conn:
        institution = names(conn, institutions=[acting_for]).institution(acting_for)
    title = console.words.gettext(
        "Audit trail of {professional}, for {institution}",
        professional=person,
        institution=institution or str(acting_for),
    )
    path = f"/console/professionals/{professional_id}/audit"
    subject = {"professional_id": professional_id, "acting_for": acting_for}
    return _page(console, filters, path, title, None, **subject)


@router.get("/console/professionals/{professional_id}/audit.csv")
@admits(AUDITING_A_PROFESSIONAL)
def professional_audit_csv(
    console: ConsoleDep,
    professional_id: UUID,
    kind: Text = None,
    since: Text = None,
    until: Text = None,
) -> Response:
    acting_for, _person = _professional(console, professional_id)
    filters = _filters(kind, since, until, None, None)
    name = f"audit-professional-{professional_id}.csv"
    return _csv(console, filters, name, professional_id=professional_id, acting_for=acting_for)


def _professional(console: Console, professional_id: UUID) -> tuple[UUID, str]:
    """The institution whose entries the reader sees (the domain's rule, over the
    professional's employments from the registry), and the professional's name."""
    session = console.session
    assert session is not None
    found = console.services.maillage.load(Professional, professional_id, field="professional_id")
    employers = [e.institution_id for e in found.employments]
    return professional_audit_scope(session.principal, employers), found.name


# --- shown --------------------------------------------------------------------------------


def _page(
    console: Console,
    filters: Filters,
    path: str,
    title: str,
    purpose: ReadPurpose | None,
    **subject: Any,
) -> Response:
    services, words = console.services, console.words
    with services.engine.connect() as conn:
        found: Found = read_page(conn, filters, services.settings.calendar, words, **subject)
    why = purpose.value if purpose else None
    session = console.session
    own = str(session.institution_id) if session and session.institution_id else None
    return console.render(
        "audit.html",
        title=title,
        path_of_page=path,
        filters=filters,
        kinds=kind_options(words),
        purpose=why,
        rows=found.rows,
        own_institution=own,
        next_url=console.url(path, **filters.kept(purpose=why, cursor=found.next_cursor))
        if found.next_cursor
        else None,
        first_url=console.url(path, **filters.kept(purpose=why)) if filters.cursor else None,
        csv_url=console.url(f"{path}.csv", **{**filters.kept(purpose=why), "limit": None}),
        case_page=subject.get("case_id"),
    )


def _csv(console: Console, filters: Filters, filename: str, **subject: Any) -> Response:
    services, words = console.services, console.words
    calendar = services.settings.calendar
    with services.engine.connect() as conn:
        rows = list(
            csv_rows(read_all(conn, filters, calendar, words, **subject), words, calendar.local)
        )
    return csv_response(rows, Dialect.of_language(words.language), filename)
