"""From the domain's coherence view to the answer a person reads: every id it shows named (one
query per kind, `projections.names`: current names), every alert worded
(`api.http.coherence_words`), and the sealed values a reader entitled to the case may see —
representatives' names and acknowledgement notes — opened for them by the caller.

The answer is built as plain JSON values, in the shape and the spelling of `CoherenceRead`
(`api.http.schemas.coherence`, which documents it) as pydantic would write it — ids as strings,
instants in ISO 8601 with `Z` for UTC, dates as ISO dates — and sent as it is: no model is built,
validated, then dumped again on the read path (a test holds the two equal).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from sqlalchemy import Connection

from api.http.coherence_words import CoherenceWords
from api.i18n import Words
from domain.application import Maillage
from domain.case import Case
from domain.coherence import ActorLine, Alert, Coherence, ExchangeLine
from domain.events import EventRef
from domain.grounds import ground_of_reference
from domain.values import Actor, BasisKind, OutsideDelegation
from projections.names import Names, names

Document = dict[str, Any]


def coherence_answer(
    view: Coherence,
    conn: Connection,
    words: Words,
    *,
    representatives: Mapping[UUID, str | None],
    notes: Mapping[int, str] | None,
) -> Document:
    """`notes`: the acknowledgement notes opened (by case version), or None to leave the
    acknowledged alerts out (`alert_history` null). A `CoherenceRead`, as JSON values."""
    history = view.alert_history if notes is not None else ()
    found = names(conn, **mentioned(view, (*view.alerts, *history)))
    w = CoherenceWords(words, found)
    return {
        "case_id": str(view.case_id),
        "at": _instant(view.at),
        "version": view.version,
        "holder_institution_id": str(view.holder_institution_id),
        "holder_institution_name": found.institution(view.holder_institution_id),
        "holder": {
            "institution_id": str(view.holder_institution_id),
            "institution_name": found.institution(view.holder_institution_id),
        },
        "holders": [
            {
                "institution_id": str(h.institution_id),
                "institution_name": found.institution(h.institution_id),
                "since": _instant(h.since),
                "until": _instant(h.until),
            }
            for h in view.holders
        ],
        "legal_framework": view.legal_framework,
        "opened_at": _instant(view.opened_at),
        "closed": view.closed,
        "actors": [_actor_line(a, found) for a in view.actors],
        "coordinator": _actor(view.coordinator, found) if view.coordinator else None,
        "referent": _actor(view.coordinator, found) if view.coordinator else None,
        "consents_in_force": [
            {
                "consent_id": str(c.consent_id),
                "giver": str(c.giver),
                "representative_name": representatives.get(c.consent_id),
                "recipients": [str(i) for i in c.recipients],
                "recipient_names": [found.institution(i) for i in c.recipients],
                "categories": [str(x) for x in c.categories],
                "given_at": _instant(c.given_at),
                "valid_until": _day(c.valid_until),
                "withdrawn_at": _instant(c.withdrawn_at),
            }
            for c in view.consents_in_force
        ],
        "alerts": [_alert(a, w, None) for a in view.alerts],
        "alert_history": (
            [_alert(a, w, notes) for a in view.alert_history] if notes is not None else None
        ),
        "exchanges": [_exchange(e, w) for e in view.exchanges],
    }


def case_coherence_document(
    view: Coherence, case: Case, maillage: Maillage, conn: Connection, words: Words, *, alerts: str
) -> Document:
    """The answer for a reader entitled to `case` (as `read_case` loaded it): the consents'
    representatives opened from the case and, with `alerts="all"`, the acknowledgements' notes
    from the log — the API's coherence view and the console's case page alike."""
    notes = None
    if alerts == "all":
        notes = maillage.acknowledgement_notes(view.case_id, acknowledged_versions(view))
    representatives = {c.consent_id: c.representative_name for c in case.consents}
    return coherence_answer(view, conn, words, representatives=representatives, notes=notes)


def encoded(document: Document) -> bytes:
    """The answer's body, written as FastAPI writes a JSON answer (UTF-8, compact)."""
    return json.dumps(
        document, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")
    ).encode("utf-8")


def acknowledged_versions(view: Coherence) -> list[int]:
    """The case versions of the acknowledgements the view's history shows (their notes)."""
    return sorted({a.acknowledgement.ref.version for a in view.alert_history if a.acknowledgement})


def mentioned(view: Coherence, alerts: Iterable[Alert]) -> dict[str, list[UUID | None]]:
    people: list[UUID | None] = []
    places: list[UUID | None] = [view.holder_institution_id]
    places += [h.institution_id for h in view.holders]
    conventions: list[UUID | None] = []
    actors: list[Actor] = [Actor(a.professional_id, a.institution_id) for a in view.actors]
    if view.coordinator is not None:
        actors.append(view.coordinator)
    for line in view.actors:
        detail = line.basis_detail
        people.append(detail.get("professional_id"))
        places += [detail.get("institution_id"), *detail.get("parties", [])]
        if line.basis.kind == BasisKind.CONVENTION:
            conventions.append(line.basis.ref_id)
        elif line.basis.kind == BasisKind.CASE_HOLDER:
            places.append(line.basis.ref_id)
    for c in view.consents_in_force:
        places += c.recipients
    for a in alerts:
        people.append(a.professional_id)
        places += [a.institution_id, a.counterpart_institution_id]
        conventions.append(a.partnership_id)
        if a.resolved_by is not None:
            conventions.append(a.resolved_by.aggregate_id)
        if a.acknowledgement is not None:
            actors.append(a.acknowledgement.by)
    for e in view.exchanges:
        places += [e.from_institution_id, e.to_institution_id]
        conventions.append(e.convention_id)
    people += [a.professional_id for a in actors]
    places += [a.institution_id for a in actors]
    return {"professionals": people, "institutions": places, "partnerships": conventions}


def _instant(value: datetime | None) -> str | None:
    """As pydantic writes a datetime: ISO 8601, `Z` for a zero offset."""
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _id(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


def _ref(ref: EventRef | None) -> dict[str, Any] | None:
    if ref is None:
        return None
    return {"aggregate_id": str(ref.aggregate_id), "version": ref.version, "type": ref.type}


def _plain(value: Any) -> Any:
    """A free-form value (a basis' detail) as pydantic writes `Any` in JSON mode."""
    if isinstance(value, str | bool | int | float) or value is None:
        return value.value if isinstance(value, Enum) else value
    if isinstance(value, datetime):
        return _instant(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, Enum):
        return _plain(value.value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Iterable):
        return [_plain(v) for v in value]
    raise TypeError(f"no JSON form for {type(value).__name__}")


def _actor(actor: Actor, found: Names) -> dict[str, Any]:
    return {
        "professional_id": str(actor.professional_id),
        "professional_name": found.professional(actor.professional_id),
        "institution_id": str(actor.institution_id),
        "institution_name": found.institution(actor.institution_id),
    }


def _outside(outside: OutsideDelegation | None) -> dict[str, Any] | None:
    if outside is None:
        return None
    return {
        "delegation_id": str(outside.delegation_id),
        "reason": str(outside.reason),
        "action_kind": str(outside.action_kind),
    }


def basis_named(line: ActorLine, found: Names) -> tuple[str | None, dict[str, Any]]:
    """The name of an actor's basis, and its detail with the names of the ids it holds."""
    basis, detail = line.basis, dict[str, Any](line.basis_detail)
    name = None
    if basis.kind == BasisKind.CONVENTION:
        name = found.partnership(basis.ref_id)
        detail["party_names"] = [found.institution(p) for p in detail.get("parties", [])]
    elif basis.kind == BasisKind.DELEGATION:
        name = found.institution(detail.get("institution_id"))
        if "institution_id" in detail:
            detail["institution_name"] = name
            detail["professional_name"] = found.professional(detail.get("professional_id"))
    elif basis.kind == BasisKind.CASE_HOLDER:
        name = found.institution(basis.ref_id)
    return name, detail


def _actor_line(line: ActorLine, found: Names) -> dict[str, Any]:
    basis = line.basis
    name, detail = basis_named(line, found)
    return {
        **_actor(Actor(line.professional_id, line.institution_id), found),
        "role": line.role,
        "basis": {
            "kind": str(basis.kind),
            "ref_id": _id(basis.ref_id),
            "name": name,
            "outside_delegation": _outside(basis.outside_delegation),
        },
        "basis_valid": line.basis_valid,
        "basis_detail": _plain(detail),
        "joined_at": _instant(line.joined_at),
        "last_action_at": _instant(line.last_action_at),
        "last_action": _ref(line.last_action),
    }


def _alert(alert: Alert, w: CoherenceWords, notes: Mapping[int, str] | None) -> dict[str, Any]:
    ack = alert.acknowledgement
    note = notes.get(ack.ref.version) if ack is not None and notes is not None else None
    found = w.found
    return {
        "kind": str(alert.kind),
        "message": w.alert(alert),
        "status": "open" if alert.open else "acknowledged",
        "acknowledgeable": alert.acknowledgeable,
        "events": [_ref(e) for e in alert.events],
        "related": [_ref(e) for e in alert.related],
        "professional_id": _id(alert.professional_id),
        "professional_name": found.professional(alert.professional_id),
        "institution_id": _id(alert.institution_id),
        "institution_name": found.institution(alert.institution_id),
        "counterpart_institution_id": _id(alert.counterpart_institution_id),
        "counterpart_institution_name": found.institution(alert.counterpart_institution_id),
        "delegation_id": _id(alert.delegation_id),
        "partnership_id": _id(alert.partnership_id),
        "partnership_name": found.partnership(alert.partnership_id),
        "reason": alert.reason,
        "reason_since": _day(alert.reason_since),
        "count": alert.count,
        "categories": [str(c) for c in alert.categories],
        "action_kinds": [str(k) for k in alert.action_kinds],
        "raised_at": _instant(alert.raised_at),
        "raised_by": _ref(alert.raised_by),
        "resolved_at": _instant(alert.resolved_at),
        "resolved_by": _ref(alert.resolved_by),
        "acknowledgement": (
            {
                "event": _ref(ack.ref),
                "by": _actor(ack.by, found),
                "at": _instant(ack.occurred_at),
                "note": note,
            }
            if ack is not None
            else None
        ),
        "history": [
            {"step": step, "at": _instant(at), "message": message}
            for step, at, message in w.history(alert, note)
        ],
    }


def _exchange(line: ExchangeLine, w: CoherenceWords) -> dict[str, Any]:
    ground = ground_of_reference(line.legal_reference) if line.lawful_on == "legal_ground" else None
    return {
        "event": _ref(line.event),
        "occurred_at": _instant(line.occurred_at),
        "from_institution_id": str(line.from_institution_id),
        "from_institution_name": w.found.institution(line.from_institution_id),
        "to_institution_id": str(line.to_institution_id),
        "to_institution_name": w.found.institution(line.to_institution_id),
        "categories": [str(c) for c in line.categories],
        "lawful_on": line.lawful_on,
        "legal_ground": ground.code if ground is not None else None,
        "legal_reference": line.legal_reference,
        "consent_ids": [str(c) for c in line.consent_ids],
        "convention_id": _id(line.convention_id),
        "convention_name": w.found.partnership(line.convention_id),
        "regular": line.regular,
        "statement": w.exchange(line),
    }
