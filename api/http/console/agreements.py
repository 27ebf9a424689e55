"""The institution's delegations and partnerships, each with its state in words (issue 18, page 6).

What a reader sees is what the registry's lists show them (`GET /delegations`,
`GET /partnerships`, through the same functions): a supervisor their institution's delegations,
a case worker their own; the partnerships their institution is party to. A state is the
domain's own lapse rule at the instant of reading (`DelegationTerms.lapse_at`,
`PartnershipTerms.lapse_at`), said in words; "expiring" is a reading aid: in force, its last day
within `EXPIRING_WITHIN_DAYS`.

No case content here: a delegation for a case names no one of the case, only links to its page
(which asks why before anything is shown).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from sqlalchemy import Connection
from starlette.responses import Response

from api.http.console.routing import ConsoleDep, ConsoleRoute
from api.http.guard import admits
from api.http.registry_naming import delegation_items, partnership_items
from api.http.routers.delegations import readable_delegations
from api.http.routers.partnerships import listed_partnerships
from api.i18n import Words
from domain.access import READING_AGREEMENTS, Role
from domain.coherence_registry import DelegationTerms, PartnershipTerms
from domain.delegation import Lapse
from domain.partnership import ConventionLack

router = APIRouter(route_class=ConsoleRoute)

EXPIRING_WITHIN_DAYS = 30  # "expiring soon": in force, its last day within this many days
SHOWN = 200  # delegations, and partnerships, listed at most (an institution has a few dozen)
StateFilter = Literal["in_force", "expiring", "suspended", "not_yet", "ended"]
STATE_FILTERS: tuple[StateFilter, ...] = ("in_force", "expiring", "suspended", "not_yet", "ended")
# Listed in this order: what needs acting on first, what ended last.
_ORDER: dict[str, int] = {"expiring": 0, "suspended": 1, "in_force": 2, "not_yet": 3, "ended": 4}


@dataclass(frozen=True)
class Standing:
    """Where a delegation or a partnership stands today: a state (one of `STATE_FILTERS`, but
    `in_force` for an expiring one too) and the sentence that says it, with its date."""

    state: StateFilter
    in_force: bool
    text: str

    def shown_for(self, wanted: StateFilter | None) -> bool:
        if wanted is None or wanted == self.state:
            return True
        return wanted == "in_force" and self.in_force


def expiring_horizon(now: datetime) -> date:
    """The last day an agreement in force may end on to count as expiring soon."""
    return now.date() + timedelta(days=EXPIRING_WITHIN_DAYS)


def delegation_standing(terms: DelegationTerms, now: datetime, words: Words) -> Standing:
    lapse = terms.lapse_at(now)
    until = terms.valid_until
    if lapse is None:
        return _in_force(until, now, words)
    if lapse == Lapse.REVOKED and terms.revoked_at is not None:
        text = words.gettext("Revoked on {date}", date=words.date(terms.revoked_at))
        return Standing("ended", False, text)
    if lapse == Lapse.NOT_YET_VALID:
        text = words.gettext("Not yet in force: from {date}", date=words.date(terms.valid_from))
        return Standing("not_yet", False, text)
    return Standing("ended", False, words.gettext("Ended on {date}", date=words.date(until)))


def partnership_standing(terms: PartnershipTerms, now: datetime, words: Words) -> Standing:
    lapse = terms.lapse_at(now)
    if lapse is None:
        return _in_force(terms.valid_until, now, words)
    day = terms.lapse_day(lapse, now)
    said = words.date(day) if day is not None else "?"
    if lapse == ConventionLack.SUSPENDED:
        return Standing("suspended", False, words.gettext("Suspended since {date}", date=said))
    if lapse == ConventionLack.TERMINATED:
        return Standing("ended", False, words.gettext("Terminated on {date}", date=said))
    if lapse == ConventionLack.EXPIRED:
        return Standing("ended", False, words.gettext("Ended on {date}", date=said))
    if lapse == ConventionLack.NOT_YET_IN_FORCE:
        text = words.gettext("Not yet in force: from {date}", date=said)
        return Standing("not_yet", False, text)
    text = words.gettext(
        "Not in force: signed by {signed} of its {parties} parties",
        signed=words.number(len(terms.signed_by)),
        parties=words.number(len(terms.parties)),
    )
    return Standing("not_yet", False, text)


def _in_force(until: date | None, now: datetime, words: Words) -> Standing:
    if until is None:
        return Standing("in_force", True, words.gettext("In force, with no end date"))
    if until <= expiring_horizon(now):
        days = (until - now.date()).days
        text = words.ngettext(
            "Expiring: its last day is {date}, in {n} day",
            "Expiring: its last day is {date}, in {n} days",
            days,
            date=words.date(until),
        )
        return Standing("expiring", True, text)
    return Standing(
        "in_force", True, words.gettext("In force until {date}", date=words.date(until))
    )


@router.get("/console/agreements")
@admits(READING_AGREEMENTS)
def agreements(
    console: ConsoleDep,
    state: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    wanted = next((s for s in STATE_FILTERS if s == state), None)  # an unknown one: all
    assert console.session is not None  # the route class signed them in
    principal = console.session.principal
    maillage = console.services.maillage
    now = maillage.time.now()
    words = console.words
    with console.services.engine.connect() as conn:
        delegations = readable_delegations(conn, principal, limit=SHOWN)
        partnerships = listed_partnerships(
            conn, limit=SHOWN, institution_id=principal.institution_id
        )
        delegation_rows = _delegations(conn, delegations[:SHOWN], now, words, wanted)
        partnership_rows = _partnerships(conn, partnerships[:SHOWN], now, words, wanted)
    return console.render(
        "agreements.html",
        state=wanted,
        states=STATE_FILTERS,
        within=EXPIRING_WITHIN_DAYS,
        delegations=delegation_rows,
        partnerships=partnership_rows,
        more_delegations=len(delegations) > SHOWN,
        more_partnerships=len(partnerships) > SHOWN,
        shown=SHOWN,
        supervisor=principal.role is Role.SUPERVISOR,
        today=now.date(),
    )


def _delegations(
    conn: Connection,
    found: list[DelegationTerms],
    now: datetime,
    words: Words,
    wanted: StateFilter | None,
) -> list[dict[str, Any]]:
    standings = {t.delegation_id: delegation_standing(t, now, words) for t in found}
    kept = sorted(
        (t for t in found if standings[t.delegation_id].shown_for(wanted)),
        key=lambda t: (_ORDER[standings[t.delegation_id].state], t.valid_until),
    )
    items = [
        {
            "delegation_id": t.delegation_id,
            "institution_id": t.institution_id,
            "professional_id": t.professional_id,
            "case_id": t.case_id,
            "network_id": t.network_id,
            "scope": list(t.scope),
            "valid_from": t.valid_from,
            "valid_until": t.valid_until,
        }
        for t in kept
    ]
    named = delegation_items(conn, items, words)
    return [{**item, "standing": standings[item["delegation_id"]]} for item in named]


def _partnerships(
    conn: Connection,
    found: list[PartnershipTerms],
    now: datetime,
    words: Words,
    wanted: StateFilter | None,
) -> list[dict[str, Any]]:
    standings = {t.partnership_id: partnership_standing(t, now, words) for t in found}
    kept = sorted(
        (t for t in found if standings[t.partnership_id].shown_for(wanted)),
        key=lambda t: (_ORDER[standings[t.partnership_id].state], t.valid_until or date.max),
    )
    items = [
        {
            "partnership_id": t.partnership_id,
            "kind": t.kind,
            "title": t.title,
            "parties": list(t.parties),
            "signed_by": list(t.signed_by),
            "valid_from": t.valid_from,
            "valid_until": t.valid_until,
        }
        for t in kept
    ]
    return [
        {
            **item,
            "parties_named": [
                n or str(i) for n, i in zip(item["party_names"], item["parties"], strict=True)
            ],
            "standing": standings[item["partnership_id"]],
        }
        for item in partnership_items(conn, items, words)
    ]


__all__ = [
    "EXPIRING_WITHIN_DAYS",
    "delegation_standing",
    "expiring_horizon",
    "partnership_standing",
    "router",
]
