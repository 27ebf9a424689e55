"""The console's case pages: the cases one may open, a case's page (who intervenes, for which
institution, on what basis, since when; consents in force; alerts), the acknowledgement of an
alert with a note — the console's one write — and the case as it stood at two instants.

The API's rules and building blocks, for a browser: the list is `/me/work`'s (kinds of alerts
only, no name before a purpose is given); a case's content is shown only once a purpose is given
and the reading recorded (`read_case`, views `coherence` and `coherence_as_of`), from the same
document as `GET /cases/{id}/coherence`; the acknowledgement runs the API's use case, under the
same admission and authorisation as `POST /cases/{id}/alert-acknowledgements`.
"""

from __future__ import annotations

from collections import Counter
from contextlib import suppress
from datetime import date, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Form, Query
from starlette.responses import RedirectResponse, Response

from api.http.coherence_answer import case_coherence_document
from api.http.console.case_story import (
    BadInstantError,
    basis_words,
    instant,
    local_input,
    participants_who_left,
    timeline,
    typed_instant,
)
from api.http.console.pages import Console
from api.http.console.routing import ConsoleDep, ConsoleRoute
from api.http.guard import admits
from api.http.params import read_case, wait_for_read_side
from api.http.problems import PreconditionError
from api.http.routers.views import coherence_now, idle_after
from api.http.routers.work import case_cursor, desk_cases
from domain.access import CASE_ADMISSIONS, READING_MY_WORK, CaseUse, Principal, ReadPurpose
from domain.coherence import assess
from projections.coherence import AsOf, coherence_as_of, registry_for
from projections.names import names

router = APIRouter(route_class=ConsoleRoute)
NOTE_LENGTH = 2000  # as the API's `Acknowledgement.note`
ListLimit = Annotated[int, Query(ge=1, le=200)]
Text = Annotated[str | None, Query(max_length=100)]


@router.get("/console/cases")
@admits(READING_MY_WORK)
def cases(console: ConsoleDep, limit: ListLimit = 25, cursor: Text = None) -> Response:
    """The open cases on the reader's desk (`/me/work`'s), each with its open alerts by kind."""
    maillage, principal = console.services.maillage, _principal(console)
    at = maillage.time.now()
    idle = idle_after(console.services.settings)
    with console.services.engine.connect() as conn:
        shown: list[tuple[Any, Any]] = []
        next_cursor = None
        for case in desk_cases(conn, principal, case_cursor(cursor), limit + 1):
            if len(shown) == limit:
                next_cursor = str(shown[-1][0].case_id)
                break
            shown.append((case, assess(case.facts, registry_for(conn, case.facts), at, idle)))
        found = names(conn, institutions=[view.holder_institution_id for _, view in shown])
    rows = [
        {
            "case_id": str(case.case_id),
            "holder": found.institution(view.holder_institution_id),
            "opened_at": view.opened_at,
            "role": (case.part or {}).get("role"),
            "basis_kind": (case.part or {}).get("basis_kind"),
            "alerts": sorted(Counter(str(a.kind) for a in view.alerts).items()),
        }
        for case, view in shown
    ]
    more = console.url("/console/cases", cursor=next_cursor, limit=limit) if next_cursor else None
    return console.render("case_list.html", cases=rows, more=more)


@router.get("/console/cases/{case_id}")
@admits(CASE_ADMISSIONS[CaseUse.READ])
def case_page(
    console: ConsoleDep,
    case_id: UUID,
    purpose: Text = None,
    alerts: Text = "open",
    after: Annotated[int | None, Query(ge=0)] = None,
) -> Response:
    """Without a purpose, the question only; with one, the reading recorded, then the case."""
    reason = _purpose(purpose)
    if reason is None:
        return _ask_purpose(console, case_id, purpose, alerts=alerts)
    services = console.services
    maillage, principal = services.maillage, _principal(console)
    case = read_case(
        maillage, principal, case_id, use=CaseUse.READ, view="coherence", purpose=reason
    )
    # A position typed by hand, or a read side slow to follow: the case as it stands.
    with suppress(PreconditionError):
        wait_for_read_side(services.projections, after)
    everything = "all" if alerts == "all" else "open"
    with services.engine.connect() as conn:
        view = coherence_now(case_id, maillage, conn, services.projections, services.settings)
        doc = case_coherence_document(view, case, maillage, conn, console.words, alerts=everything)
        past = participants_who_left(conn, case_id, console.words)
    zone = services.settings.time_zone
    now = maillage.time.now()
    return console.render(
        "case.html",
        **_helpers(console),
        case_id=str(case_id),
        beneficiary=case.beneficiary,
        doc=doc,
        moments=timeline(doc, past, console.words),
        purpose=reason.value,
        alerts=everything,
        may_acknowledge=principal.role in CASE_ADMISSIONS[CaseUse.ACKNOWLEDGE].roles,
        case_versions=_case_versions,
        as_of={
            "at": local_input(now - timedelta(days=7), zone),
            "compare": local_input(now, zone),
            "question": AsOf.RECORDED.value,
        },
    )


@router.get("/console/cases/{case_id}/as-of")
@admits(CASE_ADMISSIONS[CaseUse.READ])
def case_as_of(
    console: ConsoleDep,
    case_id: UUID,
    purpose: Text = None,
    at: Text = None,
    compare: Text = None,
    question: Text = AsOf.RECORDED.value,
) -> Response:
    """The case as it stood at `at` and at `compare`, side by side: read from the log as the
    API's `/coherence/as-of` reads it, recorded once (view `coherence_as_of`)."""
    reason = _purpose(purpose)
    if reason is None:
        return _ask_purpose(console, case_id, purpose, at=at, compare=compare, question=question)
    services = console.services
    zone = services.settings.time_zone
    try:
        instants = [typed_instant(at, "at", zone), typed_instant(compare, "compare", zone)]
        asked = AsOf(question or AsOf.RECORDED.value)
    except BadInstantError as bad:
        return _form_error(console, case_id, reason, bad.field)
    except ValueError:
        return _form_error(console, case_id, reason, "question")
    maillage, principal = services.maillage, _principal(console)
    case = read_case(
        maillage, principal, case_id, use=CaseUse.READ, view="coherence_as_of", purpose=reason
    )
    columns: list[dict[str, Any]] = []
    with services.engine.connect() as conn:
        for instant in instants:
            view = coherence_as_of(
                maillage,
                case_id,
                at=instant,
                question=asked,
                idle_after=idle_after(services.settings),
                referral_expiry=maillage.time.referral_expiry,
            )
            doc = (
                case_coherence_document(view, case, maillage, conn, console.words, alerts="open")
                if view is not None
                else None
            )
            columns.append({"at": instant, "doc": doc})
    return console.render(
        "case_as_of.html",
        **_helpers(console),
        case_id=str(case_id),
        beneficiary=case.beneficiary,
        purpose=reason.value,
        columns=columns,
        as_of={
            "at": local_input(instants[0], zone),
            "compare": local_input(instants[1], zone),
            "question": asked.value,
        },
    )


@router.post("/console/cases/{case_id}/alerts/acknowledgement")
@admits(CASE_ADMISSIONS[CaseUse.ACKNOWLEDGE])
def acknowledge(
    console: ConsoleDep,
    case_id: UUID,
    alert_kind: Annotated[str, Form(max_length=100)] = "",
    versions: Annotated[str, Form(max_length=2000)] = "",
    note: Annotated[str, Form(max_length=10 * NOTE_LENGTH)] = "",
    purpose: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Acknowledge an alert about past acts with a note: the API's use case, under the API's
    authorisation (`acknowledge_alert`); then back to the case, where it reads acknowledged."""
    reason = _purpose(purpose) or ReadPurpose.SUPERVISION
    error = None
    if not note.strip():
        error = console.words.gettext("write a note: say what was done about this alert")
    elif len(note) > NOTE_LENGTH:
        error = console.words.gettext(
            "the note is too long: {length} characters at most", length=NOTE_LENGTH
        )
    try:
        named = [int(v) for v in versions.split()]
    except ValueError:
        named = []
    if error is not None or not named:
        return console.render(
            "case_acknowledge.html",
            status=422,
            case_id=str(case_id),
            purpose=reason.value,
            alert_kind=alert_kind,
            versions=versions,
            note=note,
            error=error or console.words.gettext("this form names no alert: open the case again"),
        )
    maillage, principal = console.services.maillage, _principal(console)
    with maillage.loads_shared():
        maillage.authorise_case(principal, case_id, CaseUse.ACKNOWLEDGE)
        recorded = maillage.acknowledge_alert(
            case_id=case_id,
            by=principal.actor,
            alert_kind=alert_kind,
            versions=named,
            note=note,
        )
    back = console.url(
        f"/console/cases/{case_id}",
        purpose=reason.value,
        alerts="all",
        after=recorded.position,
    )
    return RedirectResponse(f"{back}#alerts", status_code=303)


def _helpers(console: Console) -> dict[str, Any]:
    """What the case templates read the answer's values with."""
    return {
        "instant": instant,
        "date": date.fromisoformat,
        "basis_words": lambda basis: basis_words(console.words, basis),
    }


def _principal(console: Console) -> Principal:
    assert console.session is not None  # the route class signed them in
    return console.session.principal


def _purpose(value: str | None) -> ReadPurpose | None:
    try:
        return ReadPurpose(value) if value else None
    except ValueError:
        return None


def _ask_purpose(console: Console, case_id: UUID, purpose: str | None, **kept: Any) -> Response:
    """The purpose form, nothing of the case (422 when the purpose sent is none of the list)."""
    return console.render(
        "case_purpose.html",
        status=422 if purpose else 200,
        action=console.request.url.path,
        purposes=[p.value for p in ReadPurpose],
        hidden=kept,
        wrong=bool(purpose),
        case_id=str(case_id),
    )


def _form_error(console: Console, case_id: UUID, purpose: ReadPurpose, field: str) -> Response:
    """A date of the as-of form that is none: said, nothing read, nothing recorded."""
    return console.render(
        "case_form_error.html",
        status=422,
        field=field,
        back=console.url(f"/console/cases/{case_id}", purpose=purpose.value),
    )


def _case_versions(doc: dict[str, Any], alert: dict[str, Any]) -> str:
    """The versions of the case's events an alert names (what its acknowledgement names)."""
    return " ".join(
        str(e["version"]) for e in alert["events"] if e["aggregate_id"] == doc["case_id"]
    )


__all__ = ["router"]
