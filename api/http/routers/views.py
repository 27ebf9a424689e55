"""The read side over HTTP: a case's coherence (now and as of a past instant), its audit trail,
a professional's caseload, an institution's involvement and history.

Every reading of a case's content is recorded (who, when, which view, declared purpose) before
it is shown; supervisors see those readings in the case's audit trail.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import Connection

from api.http.coherence_answer import case_coherence_document, encoded
from api.http.deps import (
    ConnectionDep,
    MaillageDep,
    PrincipalDep,
    ProjectionsDep,
    SettingsDep,
    WordsDep,
)
from api.http.guard import GuardedRoute, admits
from api.http.params import (
    After,
    Cursor,
    Limit,
    Purpose,
    id_cursor,
    log_cursor,
    read_case,
    wait_for_read_side,
)
from api.http.schemas.coherence import CoherenceRead
from api.http.schemas.common import Page, page
from api.http.schemas.dates import IsoDateTime
from api.http.schemas.views import AuditEntry, CaseActor
from api.i18n import Words
from api.settings import Settings
from domain.access import (
    AUDITING_AN_INSTITUTION,
    CASE_ADMISSIONS,
    READING_A_CASELOAD,
    READING_INVOLVEMENT,
    CaseUse,
    check_caseload_reader,
    check_own_institution,
)
from domain.application import Maillage
from domain.case import Case
from domain.coherence import Coherence
from domain.errors import InvalidValueError, NotFoundError
from domain.wording import N_
from projections import queries
from projections.coherence import AsOf, coherence, coherence_as_of
from projections.runner import ProjectionRunner
from projections.view_wording import word_audit, word_case_actors

router = APIRouter(tags=["views"], route_class=GuardedRoute)


Since = Annotated[IsoDateTime | None, Query(description="Entries that occurred at or after.")]
Until = Annotated[IsoDateTime | None, Query(description="Entries that occurred at or before.")]
Kinds = Annotated[
    list[str] | None,
    Query(max_length=20, description="Event types, e.g. InterventionRecorded (repeatable)."),
]
Alerts = Annotated[
    Literal["open", "all"],
    Query(
        description="`open`: the alerts open now. `all`: also the past incoherences already "
        "acknowledged (`alert_history`), with their history and notes."
    ),
]


def idle_after(settings: Settings) -> timedelta:
    return timedelta(days=settings.idle_after_days)


@router.get(
    "/cases/{case_id}/coherence",
    response_model=CoherenceRead,
    summary="Who intervenes, for which institution, on what basis — and the alerts",
)
@admits(CASE_ADMISSIONS[CaseUse.READ])
def case_coherence(
    case_id: UUID,
    purpose: Purpose,
    principal: PrincipalDep,
    maillage: MaillageDep,
    conn: ConnectionDep,
    projections: ProjectionsDep,
    settings: SettingsDep,
    words: WordsDep,
    after: After = None,
    alerts: Alerts = "open",
) -> Response:
    case = read_case(
        maillage, principal, case_id, use=CaseUse.READ, view="coherence", purpose=purpose
    )
    wait_for_read_side(projections, after)
    view = coherence_now(case_id, maillage, conn, projections, settings)
    return _answer(view, case, maillage, conn, words, alerts)


def coherence_now(
    case_id: UUID,
    maillage: Maillage,
    conn: Connection,
    projections: ProjectionRunner,
    settings: Settings,
) -> Coherence:
    """The case's coherence view now, from the read side, for a reader already authorised (the
    API's view and the console's case page)."""

    def now() -> Coherence | None:
        time = maillage.time
        limits = {"idle_after": idle_after(settings), "referral_expiry": time.referral_expiry}
        return coherence(conn, case_id, at=time.now(), **limits)

    view = now()
    if view is None:
        # The case is in the log (it was just authorised), not yet in the read side: wait for
        # it (bounded: 503 with Retry-After past 5 s), then read again on a fresh snapshot.
        conn.rollback()
        wait_for_read_side(projections, projections.head())
        view = now()
    if view is None:
        raise NotFoundError("case", case_id, field="case_id")
    return view


@router.get(
    "/cases/{case_id}/coherence/as-of",
    response_model=CoherenceRead,
    summary="The coherence view as it stood at a past instant",
)
@admits(CASE_ADMISSIONS[CaseUse.READ])
def case_coherence_as_of(
    case_id: UUID,
    at: IsoDateTime,
    purpose: Purpose,
    principal: PrincipalDep,
    maillage: MaillageDep,
    conn: ConnectionDep,
    settings: SettingsDep,
    words: WordsDep,
    question: AsOf = AsOf.RECORDED,
    alerts: Alerts = "open",
) -> Response:
    if at.tzinfo is None:
        raise InvalidValueError(
            N_("`at` needs a time zone (e.g. 2026-11-20T12:00:00Z)"), field="at"
        )
    case = read_case(
        maillage, principal, case_id, use=CaseUse.READ, view="coherence_as_of", purpose=purpose
    )
    view = coherence_as_of(
        maillage,
        case_id,
        at=at,
        question=question,
        idle_after=idle_after(settings),
        referral_expiry=maillage.time.referral_expiry,
    )
    if view is None:
        raise NotFoundError("case at that instant", case_id, field="at")
    return _answer(view, case, maillage, conn, words, alerts)


def _answer(
    view: Coherence, case: Case, maillage: Maillage, conn: Connection, words: Words, alerts: str
) -> Response:
    """Named and worded; the sealed values the reader is entitled to opened: the consents'
    representatives (from the case as loaded) and, with `alerts=all`, the acknowledgements'
    notes (from the log). Sent as built, a `CoherenceRead` in JSON (`api.http.coherence_answer`):
    `response_model` only documents it."""
    document = case_coherence_document(view, case, maillage, conn, words, alerts=alerts)
    return Response(encoded(document), media_type="application/json")


@router.get(
    "/cases/{case_id}/audit",
    response_model=Page[AuditEntry],
    summary="The case's full history, readings included (supervisors)",
)
@admits(CASE_ADMISSIONS[CaseUse.AUDIT])
def case_audit(
    case_id: UUID,
    purpose: Purpose,
    principal: PrincipalDep,
    maillage: MaillageDep,
    conn: ConnectionDep,
    projections: ProjectionsDep,
    words: WordsDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    since: Since = None,
    until: Until = None,
    kinds: Kinds = None,
    after: After = None,
) -> Page[Any]:
    read_case(maillage, principal, case_id, use=CaseUse.AUDIT, view="audit_trail", purpose=purpose)
    wait_for_read_side(projections, after)
    found = queries.audit_trail(
        conn,
        case_id=case_id,
        since=since,
        until=until,
        kinds=kinds or (),
        after=log_cursor(cursor),
        limit=limit,
    )
    return _audit_page(conn, found, words)


@router.get(
    "/institutions/{institution_id}/audit",
    response_model=Page[AuditEntry],
    summary="What an institution's professionals did, and what was addressed to it (its "
    "supervisors)",
)
@admits(AUDITING_AN_INSTITUTION)
def institution_audit(
    institution_id: UUID,
    principal: PrincipalDep,
    conn: ConnectionDep,
    words: WordsDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    since: Since = None,
    until: Until = None,
    kinds: Kinds = None,
) -> Page[Any]:
    check_own_institution(principal, institution_id, doing=N_("auditing an institution"))
    found = queries.audit_trail(
        conn,
        institution_id=institution_id,
        since=since,
        until=until,
        kinds=kinds or (),
        after=log_cursor(cursor),
        limit=limit,
    )
    return _audit_page(conn, found, words)


@router.get(
    "/professionals/{professional_id}/caseload",
    response_model=Page[CaseActor],
    summary="The cases a professional takes part in (themselves, or their supervisor)",
)
@admits(READING_A_CASELOAD)
def caseload(
    professional_id: UUID,
    principal: PrincipalDep,
    conn: ConnectionDep,
    words: WordsDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    include_past: bool = False,
) -> Page[Any]:
    check_caseload_reader(principal, professional_id)
    rows = queries.caseload(conn, professional_id, include_past=include_past)
    # Only the cases where they act for the reader's institution.
    rows = [r for r in rows if r["institution_id"] == str(principal.institution_id)]
    return _paged(conn, rows, limit, cursor, words)


@router.get(
    "/institutions/{institution_id}/involvement",
    response_model=Page[CaseActor],
    summary="The institution's professionals on cases: roles and bases (its supervisors)",
)
@admits(READING_INVOLVEMENT)
def involvement(
    institution_id: UUID,
    principal: PrincipalDep,
    conn: ConnectionDep,
    words: WordsDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    include_past: bool = False,
) -> Page[Any]:
    check_own_institution(principal, institution_id, doing=N_("reading its involvement"))
    rows = queries.involvement(conn, institution_id, include_past=include_past)
    return _paged(conn, rows, limit, cursor, words)


def _paged(
    conn: Connection, rows: list[dict[str, Any]], limit: int, cursor: str | None, words: Words
) -> Page[Any]:
    """One page of case actors, named (one query per kind of id for the page)."""
    for row in rows:
        row["key"] = f"{row['case_id']}/{row['professional_id']}/{row['institution_id']}"
    if (after := id_cursor(cursor, parts=3)) is not None:
        rows = [r for r in rows if r["key"] > after]
    found = page(rows[: limit + 1], limit, "key")
    found.items = word_case_actors(conn, found.items, words)
    return found


def _audit_page(conn: Connection, found: queries.Page, words: Words) -> Page[Any]:
    cursor = str(found.next_cursor) if found.next_cursor is not None else None
    return Page[Any](items=word_audit(conn, found.entries, words), next_cursor=cursor)
