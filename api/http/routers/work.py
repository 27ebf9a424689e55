"""A case worker's day in one call (`GET /me/work`), served from the read models: the open cases
they are on with the alerts open on each (a supervisor: the open cases their institution holds
or works on), paged by case, and the referrals and transfer requests waiting for their
institution's answer.

Alerts are assessed at the instant of reading from each case's coherence facts, as the coherence
view does, and shown by kind only: their sentences name people and say what was shared with
whom — the coherence view's content, read there with a purpose, recorded. No case content is
read here (no identity, no free text, no alert's detail), so nothing is recorded as a reading.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query
from sqlalchemy import Connection

from api.http.coherence_answer import mentioned
from api.http.coherence_words import CoherenceWords
from api.http.deps import ConnectionDep, MaillageDep, PrincipalDep, SettingsDep, WordsDep
from api.http.guard import GuardedRoute, admits
from api.http.params import Cursor
from api.http.routers.holding import transfer_page
from api.http.routers.referrals import referral_item
from api.http.schemas.common import Page
from api.http.schemas.referrals import ReferralItem
from api.http.schemas.work import MyWork, WorkAlert, WorkCase
from domain.access import READING_MY_WORK, Principal, Role
from domain.coherence import Coherence, assess
from domain.errors import InvalidValueError
from domain.labels import label
from domain.wording import N_
from projections import referral_queries, work
from projections.coherence import registry_for
from projections.names import names

router = APIRouter(tags=["views"], route_class=GuardedRoute)

SCAN_LIMIT = 2000  # cases assessed per request at most, when only those with alerts are wanted
WorkLimit = Annotated[int, Query(ge=1, le=200, description="Cases per page.")]
WithAlerts = Annotated[bool, Query(description="Only the cases with at least one open alert.")]


@router.get("/me/work", response_model=MyWork, summary="My day: my open cases and their alerts")
@admits(READING_MY_WORK)
def my_work(
    principal: PrincipalDep,
    maillage: MaillageDep,
    conn: ConnectionDep,
    settings: SettingsDep,
    words: WordsDep,
    limit: WorkLimit = 50,
    cursor: Cursor = None,
    with_alerts: WithAlerts = False,
    referrals_cursor: Cursor = None,
    transfers_cursor: Cursor = None,
) -> dict[str, Any]:
    maillage.check_claims(principal)  # employed now by the institution the token names
    actor = principal.actor
    at = maillage.time.now()
    idle_after = timedelta(days=settings.idle_after_days)
    batch = 200 if with_alerts else limit + 1
    shown: list[tuple[work.WorkCase, Coherence]] = []
    next_cursor: str | None = None
    for scanned, case in enumerate(desk_cases(conn, principal, case_cursor(cursor), batch), 1):
        view = assess(case.facts, registry_for(conn, case.facts), at, idle_after)
        if view.alerts or not with_alerts:
            if len(shown) == limit:  # one more than the page: there is a next one
                next_cursor = str(shown[-1][0].case_id)
                break
            shown.append((case, view))
        if scanned == SCAN_LIMIT:  # go on from here next time
            next_cursor = str(case.case_id)
            break
    waiting = referral_queries.referrals(
        conn,
        institution_id=actor.institution_id,
        box="received",
        now=at,
        expiry=maillage.time.referral_expiry,
        status="pending",
        cursor=referrals_cursor,
        limit=limit,
    )
    found = names(
        conn,
        **_merged(
            [mentioned(view, view.alerts) for _, view in shown],
            professionals=[
                actor.professional_id,
                *(UUID(r["referred_by"]) for r in waiting.rows),
            ],
            institutions=[
                actor.institution_id,
                *(UUID(r["from_institution_id"]) for r in waiting.rows),
            ],
        ),
    )
    w = CoherenceWords(words, found)
    return MyWork(
        at=at,
        professional_id=actor.professional_id,
        professional_name=found.professional(actor.professional_id),
        institution_id=actor.institution_id,
        institution_name=found.institution(actor.institution_id),
        cases=Page[WorkCase](
            items=[_case(case, view, w) for case, view in shown], next_cursor=next_cursor
        ),
        referrals_waiting=Page[ReferralItem](
            items=[referral_item(row, found, words) for row in waiting.rows],
            next_cursor=waiting.next_cursor,
        ),
        transfers_to_answer=transfer_page(
            conn, actor.institution_id, "to_answer", "pending", None, transfers_cursor, limit
        ),
    ).model_dump(mode="json")


def desk_cases(
    conn: Connection, principal: Principal, after: str | None, batch: int
) -> Iterator[work.WorkCase]:
    """The open cases on the principal's desk after the case `after` (`/me/work` and the
    console's list of cases): theirs, or for a supervisor their institution's."""
    actor = principal.actor
    if principal.role is Role.SUPERVISOR:
        return work.cases_of_institution(conn, actor.institution_id, after=after, batch=batch)
    return work.cases_of_professional(
        conn, actor.professional_id, actor.institution_id, after=after, batch=batch
    )


def _case(case: work.WorkCase, view: Coherence, w: CoherenceWords) -> WorkCase:
    part = case.part or {}
    return WorkCase(
        case_id=case.case_id,
        holder_institution_id=view.holder_institution_id,
        holder_institution_name=w.found.institution(view.holder_institution_id),
        opened_at=view.opened_at,
        role=part.get("role"),
        basis_kind=part.get("basis_kind"),
        last_action_at=part.get("last_action_at"),
        alerts=[
            WorkAlert(
                kind=str(a.kind),
                label=label(w.words, "alert_kind", a.kind),
                acknowledgeable=a.acknowledgeable,
                raised_at=a.raised_at,
            )
            for a in view.alerts
        ],
    )


def case_cursor(cursor: str | None) -> str | None:
    """A page's cursor is the id of the last case it showed."""
    if cursor is None:
        return None
    try:
        return str(UUID(cursor))
    except ValueError:
        raise InvalidValueError(
            N_("this cursor is not one this list returned"), field="cursor"
        ) from None


def _merged(
    mentions: Iterable[dict[str, list[UUID | None]]], **more: list[UUID | None]
) -> dict[str, list[UUID | None]]:
    merged: dict[str, list[UUID | None]] = defaultdict(list)
    for found in (*mentions, more):
        for kind, ids in found.items():
            merged[kind] += ids
    return dict(merged)
