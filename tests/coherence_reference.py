"""The coherence answer as the service built it before issue 16 — pydantic models, validated,
then dumped by FastAPI (with issue 17's holder, holders and referent) — kept as the reference
the raw JSON answer (`api.http.coherence_answer`) must equal
(`tests/e2e/test_coherence_json.py`)."""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from sqlalchemy import Connection

from api.http.coherence_answer import basis_named, mentioned
from api.http.coherence_words import CoherenceWords
from api.http.schemas.case_file import (
    ActorRead,
    HolderRead,
    HoldingInstitutionRead,
    OutsideDelegationRead,
)
from api.http.schemas.coherence import (
    AcknowledgementRead,
    ActorBasisRead,
    ActorLineRead,
    AlertRead,
    CoherenceRead,
    ConsentInForceRead,
    ExchangeRead,
    HistoryStep,
)
from api.i18n import Words
from domain.coherence import ActorLine, Alert, Coherence, ExchangeLine
from domain.grounds import ground_of_reference
from domain.values import Actor
from projections.names import Names, names


def reference_answer(
    view: Coherence,
    conn: Connection,
    words: Words,
    *,
    representatives: Mapping[UUID, str | None],
    notes: Mapping[int, str] | None,
) -> CoherenceRead:
    """`notes`: the acknowledgement notes opened (by case version), or None to leave the
    acknowledged alerts out (`alert_history` null)."""
    history = view.alert_history if notes is not None else ()
    found = names(conn, **mentioned(view, (*view.alerts, *history)))
    w = CoherenceWords(words, found)
    return CoherenceRead(
        case_id=view.case_id,
        at=view.at,
        version=view.version,
        holder_institution_id=view.holder_institution_id,
        holder_institution_name=found.institution(view.holder_institution_id),
        holder=HoldingInstitutionRead(
            institution_id=view.holder_institution_id,
            institution_name=found.institution(view.holder_institution_id),
        ),
        holders=[
            HolderRead(
                institution_id=h.institution_id,
                institution_name=found.institution(h.institution_id),
                since=h.since,
                until=h.until,
            )
            for h in view.holders
        ],
        legal_framework=view.legal_framework,
        opened_at=view.opened_at,
        closed=view.closed,
        actors=[_actor_line(a, found) for a in view.actors],
        coordinator=_actor(view.coordinator, found) if view.coordinator else None,
        referent=_actor(view.coordinator, found) if view.coordinator else None,
        consents_in_force=[
            ConsentInForceRead(
                consent_id=c.consent_id,
                giver=str(c.giver),
                representative_name=representatives.get(c.consent_id),
                recipients=list(c.recipients),
                recipient_names=[found.institution(i) for i in c.recipients],
                categories=list(c.categories),
                given_at=c.given_at,
                valid_until=c.valid_until,
                withdrawn_at=c.withdrawn_at,
            )
            for c in view.consents_in_force
        ],
        alerts=[_alert(a, w, None) for a in view.alerts],
        alert_history=(
            [_alert(a, w, notes) for a in view.alert_history] if notes is not None else None
        ),
        exchanges=[_exchange(e, w) for e in view.exchanges],
    )


def _actor(actor: Actor, found: Names) -> ActorRead:
    return ActorRead(
        professional_id=actor.professional_id,
        professional_name=found.professional(actor.professional_id),
        institution_id=actor.institution_id,
        institution_name=found.institution(actor.institution_id),
    )


def _actor_line(line: ActorLine, found: Names) -> ActorLineRead:
    basis = line.basis
    name, detail = basis_named(line, found)
    outside = basis.outside_delegation
    return ActorLineRead(
        **_actor(Actor(line.professional_id, line.institution_id), found).model_dump(),
        role=line.role,
        basis=ActorBasisRead(
            kind=str(basis.kind),
            ref_id=basis.ref_id,
            name=name,
            outside_delegation=OutsideDelegationRead.of(outside),
        ),
        basis_valid=line.basis_valid,
        basis_detail=detail,
        joined_at=line.joined_at,
        last_action_at=line.last_action_at,
        last_action=line.last_action,
    )


def _alert(alert: Alert, w: CoherenceWords, notes: Mapping[int, str] | None) -> AlertRead:
    ack = alert.acknowledgement
    note = notes.get(ack.ref.version) if ack is not None and notes is not None else None
    found = w.found
    return AlertRead(
        kind=str(alert.kind),
        message=w.alert(alert),
        status="open" if alert.open else "acknowledged",
        acknowledgeable=alert.acknowledgeable,
        events=list(alert.events),
        related=list(alert.related),
        professional_id=alert.professional_id,
        professional_name=found.professional(alert.professional_id),
        institution_id=alert.institution_id,
        institution_name=found.institution(alert.institution_id),
        counterpart_institution_id=alert.counterpart_institution_id,
        counterpart_institution_name=found.institution(alert.counterpart_institution_id),
        delegation_id=alert.delegation_id,
        partnership_id=alert.partnership_id,
        partnership_name=found.partnership(alert.partnership_id),
        reason=alert.reason,
        reason_since=alert.reason_since,
        count=alert.count,
        categories=list(alert.categories),
        action_kinds=list(alert.action_kinds),
        raised_at=alert.raised_at,
        raised_by=alert.raised_by,
        resolved_at=alert.resolved_at,
        resolved_by=alert.resolved_by,
        acknowledgement=(
            AcknowledgementRead(
                event=ack.ref, by=_actor(ack.by, found), at=ack.occurred_at, note=note
            )
            if ack is not None
            else None
        ),
        history=[
            HistoryStep(step=step, at=at, message=message)
            for step, at, message in w.history(alert, note)
        ],
    )


def _exchange(line: ExchangeLine, w: CoherenceWords) -> ExchangeRead:
    ground = ground_of_reference(line.legal_reference) if line.lawful_on == "legal_ground" else None
    return ExchangeRead(
        event=line.event,
        occurred_at=line.occurred_at,
        from_institution_id=line.from_institution_id,
        from_institution_name=w.found.institution(line.from_institution_id),
        to_institution_id=line.to_institution_id,
        to_institution_name=w.found.institution(line.to_institution_id),
        categories=list(line.categories),
        lawful_on=line.lawful_on,
        legal_ground=ground.code if ground is not None else None,
        legal_reference=line.legal_reference,
        consent_ids=list(line.consent_ids),
        convention_id=line.convention_id,
        convention_name=w.found.partnership(line.convention_id),
        regular=line.regular,
        statement=w.exchange(line),
    )
