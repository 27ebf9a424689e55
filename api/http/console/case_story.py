"""What the console's case page shows, built from the API's coherence answer
(`api.http.coherence_answer`): the same document the API sends, turned into a timeline of who
intervened, for which institution, on what basis, since when — and the instants a reader types
in the as-of form, read in the service's time zone.

Nothing here reads a case on its own: the page has authorised and recorded the reading
(`api.http.params.read_case`) and built the document before it calls in here. The one other
source is the read model of the case's participants (`case_actor_view`), for those who left:
the coherence view keeps only those on the case now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select

from api.i18n import Words
from domain.labels import label
from projections.names import names
from projections.tables import as_utc, case_actor_view

Document = dict[str, Any]
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200  # an instant typed outside these is a typing error


@dataclass(frozen=True)
class Moment:
    """One line of the timeline: when, what (a sentence with names), for which institution, on
    what basis; `incoherent` marks, with a word on the page, what the coherence view flags."""

    at: datetime
    text: str
    institution: str | None = None
    basis: str | None = None
    incoherent: bool = False


def instant(value: str | None) -> datetime | None:
    """An instant of the answer (ISO 8601), aware."""
    return datetime.fromisoformat(value) if value else None


def basis_words(words: Words, basis: dict[str, Any]) -> str:
    """A basis in words: its kind (delegation, convention, charter, personal trust…) and what
    it names (the delegating institution, the convention's title, the holder)."""
    kind = label(words, "basis_kind", basis.get("kind"))
    name = basis.get("name")
    return words.gettext("{kind}: {name}", kind=kind, name=name) if name else kind


def timeline(doc: Document, past: list[Moment], words: Words) -> list[Moment]:
    """The case's story as the coherence answer tells it, oldest first: the holders, each
    participant's joining and latest act (on which basis, valid or not), the consents, the
    exchanges of information, the alerts raised, resolved and acknowledged — and `past`, the
    participants who left."""
    _ = words.gettext
    found: list[Moment] = [
        Moment(instant(doc["opened_at"]) or _EPOCH, _("The case is opened."), _holder(doc))
    ]
    for h in doc["holders"]:
        found.append(
            Moment(instant(h["since"]) or _EPOCH, _("Holds the case."), h["institution_name"])
        )
        if h["until"]:
            found.append(
                Moment(
                    instant(h["until"]) or _EPOCH,
                    _("No longer holds the case."),
                    h["institution_name"],
                )
            )
    for a in doc["actors"]:
        basis = basis_words(words, a["basis"])
        who = {"name": a["professional_name"], "role": a["role"]}
        found.append(
            Moment(
                instant(a["joined_at"]) or _EPOCH,
                _("{name} joins the case as {role}.", **who),
                a["institution_name"],
                basis,
            )
        )
        if a["last_action_at"] and a["last_action_at"] != a["joined_at"]:
            found.append(
                Moment(
                    instant(a["last_action_at"]) or _EPOCH,
                    _("{name} acts on the case (their latest act).", name=a["professional_name"]),
                    a["institution_name"],
                    basis,
                    incoherent=not a["basis_valid"],
                )
            )
        elif not a["basis_valid"]:
            found[-1] = Moment(found[-1].at, found[-1].text, found[-1].institution, basis, True)
    for c in doc["consents_in_force"]:
        giver = c["representative_name"] or label(words, "consent_giver", c["giver"])
        found.append(
            Moment(
                instant(c["given_at"]) or _EPOCH,
                _("Consent given by {giver}.", giver=giver),
                ", ".join(n or "" for n in c["recipient_names"]),
            )
        )
    for e in doc["exchanges"]:
        found.append(
            Moment(
                instant(e["occurred_at"]) or _EPOCH,
                e["statement"],
                e["from_institution_name"],
                e["convention_name"] or e["legal_reference"],
                incoherent=not e["regular"],
            )
        )
    for a in [*doc["alerts"], *(doc["alert_history"] or [])]:
        for step in a["history"]:
            text = a["message"] if step["step"] == "raised" else step["message"]
            found.append(
                Moment(
                    instant(step["at"]) or _EPOCH,
                    text,
                    a["institution_name"],
                    incoherent=step["step"] == "raised",
                )
            )
    return sorted([*found, *past], key=lambda m: m.at)


def participants_who_left(conn: Connection, case_id: UUID, words: Words) -> list[Moment]:
    """The joining and the leaving of those no longer on the case (the read model of the
    case's participants), named."""
    t = case_actor_view
    rows = (
        conn.execute(
            select(t)
            .where(t.c.case_id == str(case_id), t.c.active.is_(False))
            .order_by(t.c.joined_at)
        )
        .mappings()
        .all()
    )
    found = names(
        conn,
        professionals=[UUID(r["professional_id"]) for r in rows],
        institutions=[UUID(r["institution_id"]) for r in rows],
    )
    moments: list[Moment] = []
    for r in rows:
        name = found.professional(UUID(r["professional_id"]))
        place = found.institution(UUID(r["institution_id"]))
        basis = label(words, "basis_kind", r["basis_kind"])
        moments.append(
            Moment(
                as_utc(r["joined_at"]),
                words.gettext("{name} joins the case as {role}.", name=name, role=r["role"]),
                place,
                basis,
            )
        )
        if r["left_at"] is not None:
            moments.append(
                Moment(
                    as_utc(r["left_at"]),
                    words.gettext("{name} leaves the case.", name=name),
                    place,
                    basis,
                )
            )
    return moments


class BadInstantError(ValueError):
    """What was typed in the field `field` is no instant."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


def typed_instant(value: str | None, field: str, zone: str) -> datetime:
    """An instant typed in a `datetime-local` field (`2026-11-20T14:05`), in the service's
    time zone; an offset typed with it is kept."""
    text = (value or "").strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise BadInstantError(field) from None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise BadInstantError(field)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=ZoneInfo(zone))


def local_input(value: datetime, zone: str) -> str:
    """An instant as a `datetime-local` field shows it, in the service's time zone."""
    return value.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")


def _holder(doc: Document) -> str | None:
    holders = doc["holders"]
    name = holders[0]["institution_name"] if holders else doc["holder_institution_name"]
    return str(name) if name is not None else None


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
