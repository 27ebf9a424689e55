"""Projectors: handlers keyed on event classes, reading only the event.

Each projector owns its tables and its position in the log. `apply` receives the event, its
position (notification id) and the batch to write into (`projections.projector`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEvent

from domain.coherence import ActorFacts, CaseFacts, Registry
from domain.event_classes import (
    CaseContentRead,
    CaseEvent,
    CaseOpened,
    ConcerningInformationTransmitted,
    DelegationEvent,
    DelegationGranted,
    DelegationReceived,
    EmploymentEnded,
    EmploymentStarted,
    IdentityRectified,
    InformationShared,
    InstitutionEvent,
    InstitutionIdentified,
    InstitutionRegistered,
    NetworkJoined,
    NetworkLeft,
    PartnershipEntered,
    PartnershipEvent,
    ProfessionalEvent,
    ProfessionalIdentified,
    ProfessionalRegistered,
    ReferralMade,
    TransferRequested,
)
from domain.events import (
    ALL_EVENTS,
    CASE_ACTS,
    CASE_CORRECTIONS,
    CASE_EVENTS,
    CONSULTATION_EVENTS,
    DELEGATION_EVENTS,
    FUNDING_EVENTS,
    IDENTIFIER_CLAIM_EVENTS,
    INSTITUTION_EVENTS,
    NETWORK_EVENTS,
    PARTNERSHIP_EVENTS,
    PROFESSIONAL_EVENTS,
    event_type,
    occurred_at,
)
from projections.batch import Batch, ident
from projections.documents import CASE_FACTS, DELEGATION_TERMS, PARTNERSHIP_TERMS
from projections.projector import Projector
from projections.summaries import summarise
from projections.tables import (
    audit_entry_view,
    case_actor_view,
    case_coherence_view,
    delegation_terms_view,
    institution_view,
    partnership_party_view,
    partnership_terms_view,
    professional_view,
)

__all__ = ["AuditTrail", "CaseCoherence", "Projector", "RegistryNames", "entry_row"]

ACTED = (*CASE_ACTS, *CASE_CORRECTIONS)  # events naming who acted, for whom, on what basis


def _id(value: UUID | None) -> str | None:
    return ident(value) if value is not None else None


class RegistryNames(Projector):
    """Names of institutions and professionals, to show the other views to a person."""

    name = "registry_names"
    tables = (institution_view, professional_view)

    def declare(self) -> None:
        self.on(self.institution, InstitutionRegistered)
        self.on(self.professional, ProfessionalRegistered)
        self.ignore(PartnershipEntered, EmploymentStarted, EmploymentEnded, DelegationReceived)
        self.ignore(NetworkJoined, NetworkLeft)
        self.ignore(*DELEGATION_EVENTS, *PARTNERSHIP_EVENTS, *NETWORK_EVENTS, *CASE_EVENTS)
        self.ignore(*CONSULTATION_EVENTS, *FUNDING_EVENTS, *IDENTIFIER_CLAIM_EVENTS)
        self.on(self.institution_identified, InstitutionIdentified)
        self.on(self.professional_identified, ProfessionalIdentified)

    def institution(self, batch: Batch, e: InstitutionRegistered, _: int) -> None:
        batch.put(
            institution_view,
            {
                "institution_id": str(e.originator_id),
                "name": e.name,
                "sector": str(e.sector),
                "kind": str(e.kind),
                "finess": None,
                "siret": None,
            },
        )

    def professional(self, batch: Batch, e: ProfessionalRegistered, _: int) -> None:
        batch.put(
            professional_view,
            {
                "professional_id": str(e.originator_id),
                "name": e.name,
                "profession": e.profession,
                "rpps": None,
                "adeli": None,
            },
        )

    def institution_identified(self, batch: Batch, e: InstitutionIdentified, _: int) -> None:
        row = batch.get(institution_view, (str(e.originator_id),))
        if row is not None:
            batch.put(institution_view, {**row, "finess": e.finess, "siret": e.siret})

    def professional_identified(self, batch: Batch, e: ProfessionalIdentified, _: int) -> None:
        row = batch.get(professional_view, (str(e.originator_id),))
        if row is not None:
            batch.put(professional_view, {**row, "rpps": e.rpps, "adeli": e.adeli})


class AuditTrail(Projector):
    """Every event, with who acted, for which institution, on what basis, when and when recorded."""

    name = "audit_trail"
    tables = (audit_entry_view,)

    def declare(self) -> None:
        self.on(self.entry, *ALL_EVENTS)

    def entry(self, batch: Batch, event: DomainEvent, position: int) -> None:
        batch.append(audit_entry_view, entry_row(event, position))


def entry_row(event: DomainEvent, position: int) -> dict[str, Any]:
    """One event as a row of the trail: who acted, for which institution, on what basis, when
    and when recorded, and its sentence (the audit trail's and the feed's, `projections.feed`)."""
    act = event if isinstance(event, ACTED) else None
    professional_id, institution_id = _who(event)
    summary = summarise(event)
    return {
        "position": position,
        "aggregate_id": ident(event.originator_id),
        "aggregate_version": event.originator_version,
        "event_type": event_type(event),
        "case_id": _case_of(event),
        "professional_id": _id(professional_id),
        "institution_id": _id(institution_id),
        "counterpart_institution_id": _id(_counterpart(event)),
        "basis_kind": str(act.basis.kind) if act is not None else None,
        "basis_ref": _id(act.basis.ref_id) if act is not None else None,
        "occurred_at": occurred_at(event),
        "recorded_at": event.timestamp,
        "summary_key": summary.key,
        "summary_values": json.dumps(summary.values, sort_keys=True),
    }


def _who(event: DomainEvent) -> tuple[UUID | None, UUID | None]:
    """The professional and the institution an entry of the trail is about."""
    if isinstance(event, ProfessionalEvent):
        at = event if isinstance(event, EmploymentStarted | EmploymentEnded) else None
        return event.originator_id, at.institution_id if at is not None else None
    if isinstance(event, InstitutionEvent):
        return None, event.originator_id
    if isinstance(event, DelegationGranted):
        return event.professional_id, event.institution_id
    if isinstance(event, ACTED):
        return event.by.professional_id, event.by.institution_id
    if isinstance(event, CaseContentRead):
        return event.by.professional_id, event.by.institution_id
    if isinstance(event, IdentityRectified):  # by a data-protection officer of that institution
        return None, event.institution_id
    return None, None


def _case_of(event: DomainEvent) -> str | None:
    if isinstance(event, CaseEvent):
        return ident(event.originator_id)
    if isinstance(event, CaseContentRead):  # a reading of the case's content
        return ident(event.case_id)
    return None


def _counterpart(event: DomainEvent) -> UUID | None:
    """The other institution of an act: who was shared with, referred to, alerted."""
    if isinstance(event, InformationShared):
        return event.recipient_institution_id
    if isinstance(event, ReferralMade):
        return event.to_institution_id
    if isinstance(event, TransferRequested):  # the other side: the one that answers it
        offered = event.by.institution_id == event.from_institution_id
        return event.to_institution_id if offered else event.from_institution_id
    if isinstance(event, ConcerningInformationTransmitted):
        return event.crip_institution_id
    return None


class CaseCoherence(Projector):
    """The facts behind a case's coherence view (`domain.coherence.CaseFacts`, one document per
    case), the registry terms cases refer to, and the case actors drawn from the same facts — the
    rows of a professional's caseload and an institution's involvement."""

    name = "coherence"
    tables = (
        case_coherence_view,
        case_actor_view,
        delegation_terms_view,
        partnership_terms_view,
        partnership_party_view,
    )

    def declare(self) -> None:
        self.on(self._case, *CASE_EVENTS)
        self.on(self._registry, *DELEGATION_EVENTS)
        self.on(self._registry, *PARTNERSHIP_EVENTS)
        self.ignore(*INSTITUTION_EVENTS, *PROFESSIONAL_EVENTS, *NETWORK_EVENTS)
        self.ignore(*CONSULTATION_EVENTS, *FUNDING_EVENTS, *IDENTIFIER_CLAIM_EVENTS)

    def prepare(self, batch: Batch, events: Sequence[DomainEvent]) -> None:
        cases, entries = [], []
        for e in events:
            if isinstance(e, CaseEvent):
                cases.append((ident(e.originator_id),))
            elif isinstance(e, DelegationEvent):
                entries.append((ident(e.originator_id),))
        batch.load_many(case_coherence_view, cases)
        batch.load_many(delegation_terms_view, entries)

    def _case(self, batch: Batch, e: CaseEvent, _: int) -> None:
        cases: dict[UUID, CaseFacts | None] = batch.scratch.setdefault("cases", {})
        case_id = e.originator_id
        if case_id not in cases:
            row = batch.get(case_coherence_view, (ident(case_id),))
            cases[case_id] = CASE_FACTS.load(row["facts"]) if row is not None else None
        facts = cases[case_id]
        if facts is None:
            if not isinstance(e, CaseOpened):
                return  # the log always opens a case first; nothing to attach this to
            cases[case_id] = CaseFacts.opened_by(e)
        else:
            facts.apply(e)
        batch.scratch.setdefault("dirty_cases", set()).add(case_id)

    def _registry(self, batch: Batch, e: DelegationEvent | PartnershipEvent, _: int) -> None:
        registry: Registry = batch.scratch.setdefault("registry", Registry())
        entry = e.originator_id
        if isinstance(e, DelegationEvent) and entry not in registry.delegations:
            row = batch.get(delegation_terms_view, (str(entry),))
            if row is not None:
                registry.delegations[entry] = DELEGATION_TERMS.load(row["terms"])
        if isinstance(e, PartnershipEvent) and entry not in registry.partnerships:
            row = batch.get(partnership_terms_view, (str(entry),))
            if row is not None:
                registry.partnerships[entry] = PARTNERSHIP_TERMS.load(row["terms"])
        registry.apply(e)
        batch.scratch.setdefault("dirty_entries", set()).add(entry)

    def finish(self, batch: Batch) -> None:
        cases: dict[UUID, CaseFacts | None] = batch.scratch.get("cases", {})
        for case_id in batch.scratch.get("dirty_cases", ()):
            facts = cases[case_id]
            assert facts is not None
            batch.put(
                case_coherence_view,
                {
                    "case_id": ident(case_id),
                    "holder_institution_id": ident(facts.holder_institution_id),
                    "version": facts.version,
                    "facts": CASE_FACTS.dump(facts),
                },
            )
            for actor in facts.actors:
                batch.put(case_actor_view, _actor_row(case_id, actor))
        registry: Registry = batch.scratch.get("registry", Registry())
        for entry in batch.scratch.get("dirty_entries", ()):
            if entry in registry.delegations:
                d = registry.delegations[entry]
                batch.put(
                    delegation_terms_view,
                    {
                        "delegation_id": str(entry),
                        "professional_id": str(d.professional_id),
                        "institution_id": str(d.institution_id),
                        "case_id": _id(d.case_id),
                        "terms": DELEGATION_TERMS.dump(d),
                    },
                )
            elif entry in registry.partnerships:
                p = registry.partnerships[entry]
                batch.put(
                    partnership_terms_view,
                    {
                        "partnership_id": str(entry),
                        "kind": p.kind,
                        "terms": PARTNERSHIP_TERMS.dump(p),
                    },
                )
                for party in p.parties:
                    batch.put(
                        partnership_party_view,
                        {"partnership_id": str(entry), "institution_id": str(party)},
                    )


def _actor_row(case_id: UUID, actor: ActorFacts) -> dict[str, Any]:
    return {
        "case_id": ident(case_id),
        "professional_id": ident(actor.professional_id),
        "institution_id": ident(actor.institution_id),
        "role": actor.role,
        "basis_kind": str(actor.basis.kind),
        "basis_ref": _id(actor.basis.ref_id),
        "joined_at": actor.joined_at,
        "left_at": actor.left_at,
        "last_action_at": actor.last_action_at,
        "active": actor.active,
    }
