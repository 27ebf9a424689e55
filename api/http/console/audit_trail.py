"""What the console's audit pages share: the filters a reader sets (period, kind, page), the
kinds of entries in words, the rows as the pages and the French CSV show them.

The entries are the API's (`projections.queries.audit_trail`, worded by
`projections.view_wording.word_audit`); a kind in words stands for the event types the API's
`kinds` parameter takes. Days are those of the service's calendar (`MAILLAGE_TIME_ZONE`):
`until` includes its whole day.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from eventsourcing.domain import DomainEvent
from sqlalchemy import Connection

from api.http.csv_download import Cell
from api.http.params import log_cursor
from api.i18n import Words
from domain import event_classes as ev
from domain.errors import InvalidValueError
from domain.events import (
    CASE_ACTS,
    CASE_CORRECTIONS,
    CASE_RIGHTS_EVENTS,
    DELEGATION_EVENTS,
    FUNDING_EVENTS,
    INSTITUTION_EVENTS,
    NETWORK_EVENTS,
    PARTNERSHIP_EVENTS,
    PROFESSIONAL_EVENTS,
    event_type,
)
from domain.labels import label
from domain.months import Calendar
from domain.wording import N_
from projections import queries
from projections.view_wording import word_audit

PAGE_SIZE = 50
CSV_MAX_ROWS = 10_000
_Classes = tuple[type[DomainEvent], ...]

# The kinds a reader filters on, most specific first: an entry's kind is the first that names
# its type ("acts" gathers every act on a case, hence comes after the acts' own kinds).
KINDS: dict[str, tuple[str, _Classes]] = {
    "readings": (N_("Readings of a case"), (ev.CaseContentRead,)),
    "consents": (N_("Consents"), (ev.ConsentGiven, ev.ConsentWithdrawn)),
    "interventions": (
        N_("Interventions and meetings"),
        (ev.InterventionRecorded, ev.CoordinationMeetingHeld),
    ),
    "sharing": (
        N_("Information shared"),
        (ev.InformationShared, ev.ConcerningInformationTransmitted),
    ),
    "referrals": (
        N_("Referrals and transfers"),
        (
            ev.ReferralMade,
            ev.ReferralAccepted,
            ev.ReferralDeclined,
            ev.ReferralRevoked,
            ev.TransferRequested,
            ev.TransferAccepted,
            ev.TransferDeclined,
            ev.TransferWithdrawn,
        ),
    ),
    "participants": (
        N_("Participants and coordination"),
        (
            ev.ParticipantJoined,
            ev.ParticipantLeft,
            ev.CoordinatorDesignated,
            ev.ReferentAssigned,
        ),
    ),
    "alerts": (N_("Alerts acknowledged"), (ev.AlertAcknowledged,)),
    "case_life": (N_("Cases opened and closed"), (ev.CaseOpened, ev.CaseClosed, ev.CaseReopened)),
    "corrections": (N_("Corrections of acts"), CASE_CORRECTIONS),
    "rights": (N_("The person's rights"), CASE_RIGHTS_EVENTS),
    "acts": (N_("Every act on a case"), (*CASE_ACTS, *CASE_CORRECTIONS)),
    "registry": (
        N_("Registry: employments, delegations, partnerships, networks"),
        (
            *INSTITUTION_EVENTS,
            *PROFESSIONAL_EVENTS,
            *DELEGATION_EVENTS,
            *PARTNERSHIP_EVENTS,
            *NETWORK_EVENTS,
            *FUNDING_EVENTS,
        ),
    ),
}
_KIND_OF: dict[str, str] = {}
for _code, (_, _classes) in KINDS.items():
    for _cls in _classes:
        _KIND_OF.setdefault(event_type(_cls), _code)
# A reading's purpose and view are in the values of its sentence (`projections.sentences_case`).
_READINGS = ("case_content_read", "case_read_through_feed", "personal_data_exported")


@dataclass(frozen=True)
class Filters:
    """The filters of an audit page, as the reader sent them (texts of a GET form)."""

    kind: str | None = None
    since: str | None = None
    until: str | None = None
    cursor: str | None = None
    limit: int = PAGE_SIZE

    def checked(self) -> Filters:
        """Refuse a kind, a day or a cursor this page did not offer (before anything is read)."""
        if self.kind and self.kind not in KINDS:
            raise InvalidValueError(
                N_("this kind of entry is not one the page offers"), field="kind"
            )
        first, last = _day(self.since, "since"), _day(self.until, "until")
        if first is not None and last is not None and last < first:
            raise InvalidValueError(N_("the period ends before it starts"), field="until")
        log_cursor(self.cursor)
        if not 1 <= self.limit <= queries.MAX_PAGE:
            raise InvalidValueError(N_("a page holds 1 to 500 entries"), field="limit")
        return self

    def query(self, calendar: Calendar) -> dict[str, Any]:
        """The arguments of `queries.audit_trail` (but the subject and the page's size)."""
        first, last = _day(self.since, "since"), _day(self.until, "until")
        return {
            "since": calendar.start(first) if first else None,
            "until": calendar.start(last + timedelta(days=1)) - timedelta(microseconds=1)
            if last
            else None,
            "kinds": [event_type(c) for c in KINDS[self.kind][1]] if self.kind else (),
        }

    def kept(self, **more: Any) -> dict[str, Any]:
        """The filters, for a link that keeps them (the next page, the CSV)."""
        limit = self.limit if self.limit != PAGE_SIZE else None
        return {"kind": self.kind, "since": self.since, "until": self.until, "limit": limit, **more}


def _day(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not 1900 <= day.year <= 2200:  # the calendar's instants stay in range
        raise InvalidValueError(
            N_("'{value}' is not a day (YYYY-MM-DD)"), field=field, value=text
        ) from None
    return day


@dataclass
class Found:
    """One page of entries, worded, and the cursor of the next one (None: the last page)."""

    rows: list[dict[str, Any]]
    next_cursor: str | None


def read_page(
    conn: Connection, filters: Filters, calendar: Calendar, words: Words, **subject: Any
) -> Found:
    """One page of the trail of `subject` (`case_id=`, `institution_id=`, or `professional_id=`
    with `acting_for=`), as the page shows it."""
    found = queries.audit_trail(
        conn,
        **subject,
        **filters.query(calendar),
        after=log_cursor(filters.cursor),
        limit=filters.limit,
    )
    cursor = str(found.next_cursor) if found.next_cursor is not None else None
    return Found(_shown(conn, found.entries, words), cursor)


def read_all(
    conn: Connection, filters: Filters, calendar: Calendar, words: Words, **subject: Any
) -> Iterator[dict[str, Any]]:
    """Every entry the filters keep, page after page (at most `CSV_MAX_ROWS`)."""
    after, given = None, 0
    while given < CSV_MAX_ROWS:
        found = queries.audit_trail(
            conn, **subject, **filters.query(calendar), after=after, limit=queries.MAX_PAGE
        )
        yield from _shown(conn, found.entries, words)
        given += len(found.entries)
        if found.next_cursor is None:
            return
        after = found.next_cursor


def _shown(
    conn: Connection, entries: Sequence[dict[str, Any]], words: Words
) -> list[dict[str, Any]]:
    """The API's worded entries, with the kind in words and, for a reading, its purpose."""
    worded = word_audit(conn, entries, words)
    for raw, entry in zip(entries, worded, strict=True):
        code = _KIND_OF.get(entry["event_type"])
        entry["kind_label"] = words.gettext(KINDS[code][0]) if code else ""
        entry["reading"] = raw["summary_key"] in _READINGS
        values = json.loads(raw["summary_values"]) if entry["reading"] else {}
        purpose = values.get("purpose")
        entry["purpose_label"] = label(words, "read_purpose", purpose) if purpose else ""
        view = values.get("view")
        entry["view_label"] = label(words, "case_view", view) if view else ""
    return worded


def kind_options(words: Words) -> list[tuple[str, str]]:
    return [(code, words.gettext(text)) for code, (text, _) in KINDS.items()]


def csv_rows(
    entries: Iterator[dict[str, Any]], words: Words, local: Callable[[datetime], datetime]
) -> Iterator[list[Cell]]:
    """The French CSV of the trail: a header, then one row per entry (instants on the
    service's clock, `YYYY-MM-DD HH:MM:SS`)."""
    _ = words.gettext
    yield [
        _("Date"),
        _("Recorded at"),
        _("Kind"),
        _("Entry"),
        _("Professional"),
        _("Acting for"),
        _("Other institution"),
        _("Basis"),
        _("Purpose of the reading"),
        _("Case reference"),
        _("Position in the log"),
    ]
    given = 0
    for e in entries:
        given += 1
        basis = " — ".join(x for x in (e["basis_kind_label"], e["basis_name"]) if x)
        yield [
            _instant(local, e["occurred_at"]),
            _instant(local, e["recorded_at"]),
            e["kind_label"],
            e["summary"],
            e["professional_name"],
            e["institution_name"],
            e["counterpart_institution_name"],
            basis,
            e["purpose_label"],
            e["case_id"],
            e["position"],
        ]
    if given >= CSV_MAX_ROWS:
        yield [
            _(
                "The list stops at {count} entries: narrow the period.",
                count=words.number(CSV_MAX_ROWS),
            )
        ]


def _instant(local: Callable[[datetime], datetime], value: datetime | None) -> str:
    return local(value).strftime("%Y-%m-%d %H:%M:%S") if value is not None else ""
