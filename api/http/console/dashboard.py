"""The institution's dashboard, for its supervisors (issue 18, page 1).

Counts first, from the read models, as `/me/work` reads them (`projections.work`, the referral
inbox, the transfer requests, the delegations' terms): the institution's open cases, the
referrals waiting for its answer, the transfer requests it answers, its delegations expiring
soon, and the alerts open on its cases by kind and by age (days since each was raised). Alerts
are assessed at the instant of reading from each case's coherence facts, as the coherence view
does. Counts name no one, so nothing is recorded for them.

The alerts' sentences name people and say what was shared with whom: the coherence view's
content. They are shown only after the reader says why, a page of cases at a time, and each case
whose sentences are shown is authorised and its reading recorded first — the recording of
`GET /cases/{id}/coherence` (`api.http.params.read_case`, view `coherence`). A case the reader
may not read is left out, and said to be, by the refusal's reason alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from sqlalchemy import Connection
from starlette.responses import Response

from api.http.coherence_answer import mentioned
from api.http.coherence_words import CoherenceWords
from api.http.console.agreements import EXPIRING_WITHIN_DAYS, delegation_standing
from api.http.console.pages import Console
from api.http.console.routing import ConsoleDep, ConsoleRoute
from api.http.guard import admits
from api.http.params import read_case
from api.http.problems import answer_for
from api.http.routers.delegations import readable_delegations
from domain.access import READING_INVOLVEMENT, CaseUse, Principal, ReadPurpose
from domain.coherence import Alert, Coherence, assess
from domain.errors import MaillageError
from domain.values import AlertKind
from projections import referral_queries, work
from projections.coherence import registry_for
from projections.names import names
from projections.transfers import transfers

router = APIRouter(route_class=ConsoleRoute)

SCAN_LIMIT = 2000  # open cases assessed per page at most (counted "at least" beyond)
COUNTED = 500  # referrals, transfers and delegations counted at most ("more than" beyond)
CASES_PER_PAGE = 20
BANDS = ("under_7", "7_to_30", "over_30")  # an alert's age, in days since it was raised
# Purposes a supervisor reads alerts for, the likeliest first.
PURPOSES = (
    ReadPurpose.SUPERVISION,
    ReadPurpose.AUDIT,
    ReadPurpose.COORDINATION,
    ReadPurpose.FOLLOW_UP,
    ReadPurpose.LEGAL_REQUEST,
    ReadPurpose.EMERGENCY,
)


def age_band(days: int) -> str:
    if days < 7:
        return "under_7"
    return "7_to_30" if days <= 30 else "over_30"


@dataclass
class AlertCounts:
    """Open alerts by kind and by age band; the total."""

    cells: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, alerts: tuple[Alert, ...], now: datetime) -> None:
        for a in alerts:
            self.cells[(str(a.kind), age_band((now - a.raised_at).days))] += 1

    def rows(self) -> list[dict[str, Any]]:
        """One row per kind with an alert open, in the kinds' order."""
        found = []
        for kind in AlertKind:
            bands = {b: self.cells[(str(kind), b)] for b in BANDS}
            if any(bands.values()):
                found.append({"kind": str(kind), "bands": bands, "total": sum(bands.values())})
        return found

    def band_totals(self) -> dict[str, int]:
        return {b: sum(n for (_, band), n in self.cells.items() if band == b) for b in BANDS}

    @property
    def total(self) -> int:
        return sum(self.cells.values())


@dataclass(frozen=True)
class Bounded:
    """A count, and whether there were more than it counted."""

    n: int
    more: bool = False


@router.get("/console/dashboard")
@admits(READING_INVOLVEMENT)
def dashboard(
    console: ConsoleDep,
    purpose: Annotated[str | None, Query(max_length=40)] = None,
    kind: Annotated[str | None, Query(max_length=60)] = None,
    cursor: Annotated[str | None, Query(max_length=60)] = None,
    limit: Annotated[int, Query()] = CASES_PER_PAGE,
) -> Response:
    assert console.session is not None  # the route class signed them in
    principal = console.session.principal
    maillage = console.services.maillage
    why = next((p for p in ReadPurpose if p.value == purpose), None)
    alert_kind = next((k for k in AlertKind if k.value == kind), None)
    after = _case_id(cursor)
    limit = max(1, min(limit, 100))
    now = maillage.time.now()
    with console.services.engine.connect() as conn:
        counts, open_cases = _counts(console, conn, principal, now)
        shown: dict[str, Any] | None = None
        if why is not None:
            shown = _alerts_shown(console, conn, principal, why, alert_kind, after, limit, now)
        return console.render(
            "dashboard.html",
            alerts=counts,
            open_cases=open_cases,
            referrals=_referrals(console, conn, principal, now),
            transfers=_transfers(conn, principal),
            expiring=_expiring(console, conn, principal, now),
            within=EXPIRING_WITHIN_DAYS,
            bands=BANDS,
            kinds=[str(k) for k in AlertKind],
            purposes=[p.value for p in PURPOSES],
            purpose=why.value if why else None,
            kind=alert_kind.value if alert_kind else None,
            limit=limit,
            shown=shown,
            page_url=lambda **query: console.url("/console/dashboard", **query),
        )


def _assessed(
    console: Console, conn: Connection, institution_id: UUID, after: str | None, now: datetime
) -> Iterator[tuple[work.WorkCase, Coherence]]:
    """The institution's open cases from `after` on, by id, each with its coherence now."""
    settings, time = console.services.settings, console.services.maillage.time
    idle_after = timedelta(days=settings.idle_after_days)
    for case in work.cases_of_institution(conn, institution_id, after=after, batch=200):
        view = assess(
            case.facts, registry_for(conn, case.facts), now, idle_after, time.referral_expiry
        )
        yield case, view


def _counts(
    console: Console, conn: Connection, principal: Principal, now: datetime
) -> tuple[AlertCounts, Bounded]:
    counts = AlertCounts()
    scanned = 0
    for scanned, (_, view) in enumerate(
        _assessed(console, conn, principal.actor.institution_id, None, now), 1
    ):
        counts.add(view.alerts, now)
        if scanned == SCAN_LIMIT:
            return counts, Bounded(scanned, more=True)
    return counts, Bounded(scanned)


def _alerts_shown(
    console: Console,
    conn: Connection,
    principal: Principal,
    purpose: ReadPurpose,
    kind: AlertKind | None,
    after: str | None,
    limit: int,
    now: datetime,
) -> dict[str, Any]:
    """One page of cases with open alerts (of `kind`), each read — authorised and recorded —
    before its alerts are worded; those refused are left out, their reasons kept."""
    page: list[tuple[work.WorkCase, Coherence, list[Alert]]] = []
    next_cursor: str | None = None
    cases = _assessed(console, conn, principal.actor.institution_id, after, now)
    for scanned, (case, view) in enumerate(cases, 1):
        alerts = [a for a in view.alerts if kind is None or a.kind == kind]
        if alerts:
            if len(page) == limit:  # one more than the page: there is a next one
                next_cursor = str(page[-1][0].case_id)
                break
            page.append((case, view, alerts))
        if scanned == SCAN_LIMIT:  # go on from here next time
            next_cursor = str(case.case_id)
            break
    maillage, words = console.services.maillage, console.words
    read: list[tuple[Coherence, list[Alert]]] = []
    refused: Counter[str] = Counter()
    for case, view, alerts in page:
        try:
            read_case(
                maillage,
                principal,
                case.case_id,
                use=CaseUse.READ,
                view="coherence",
                purpose=purpose,
            )
        except MaillageError as error:
            answer = answer_for(error)
            refused[answer.worded(words)] += 1
            continue
        read.append((view, alerts))
    mentions: dict[str, list[UUID | None]] = {}
    for view, alerts in read:
        for family, ids in mentioned(view, alerts).items():
            mentions.setdefault(family, []).extend(ids)
    w = CoherenceWords(words, names(conn, **mentions))
    groups: dict[str, list[dict[str, Any]]] = {}
    for view, alerts in read:
        for a in alerts:
            days = (now - a.raised_at).days
            groups.setdefault(str(a.kind), []).append(
                {
                    "sentence": w.alert(a),
                    "raised_at": a.raised_at,
                    "days": days,
                    "case_id": view.case_id,
                    "holder": w.institution(view.holder_institution_id),
                    "opened_at": view.opened_at,
                }
            )
    return {
        "groups": [
            (str(k), sorted(groups[str(k)], key=lambda r: r["raised_at"]))
            for k in AlertKind
            if str(k) in groups
        ],
        "cases": len(read),
        "refused": sorted(refused.items()),
        "next_cursor": next_cursor,
        "first": after is None,
    }


def _referrals(console: Console, conn: Connection, principal: Principal, now: datetime) -> Bounded:
    """The referrals made to the institution, waiting for its answer (not expired)."""
    found = referral_queries.referrals(
        conn,
        institution_id=principal.actor.institution_id,
        box="received",
        now=now,
        expiry=console.services.maillage.time.referral_expiry,
        status="pending",
        limit=COUNTED,
    )
    return Bounded(len(found.rows), more=found.next_cursor is not None)


def _transfers(conn: Connection, principal: Principal) -> Bounded:
    """The transfer requests the institution answers, still pending."""
    rows = transfers(
        conn,
        principal.actor.institution_id,
        box="to_answer",
        status="pending",
        case_id=None,
        after=None,
        limit=COUNTED,
    )
    return Bounded(min(len(rows), COUNTED), more=len(rows) > COUNTED)


def _expiring(console: Console, conn: Connection, principal: Principal, now: datetime) -> Bounded:
    """The institution's delegations in force whose last day is near (those its supervisors
    may list: `GET /delegations`)."""
    found = readable_delegations(conn, principal, limit=COUNTED)
    soon = [
        t for t in found[:COUNTED] if delegation_standing(t, now, console.words).state == "expiring"
    ]
    return Bounded(len(soon), more=len(found) > COUNTED)


def _case_id(cursor: str | None) -> str | None:
    """A page's cursor is the id of the last case the previous page showed (else: the first)."""
    if cursor is None:
        return None
    try:
        return str(UUID(cursor))
    except ValueError:
        return None
