"""Projectors: one handler per event type, reading only the event.

Each projector owns its tables and its position in the log. `apply` receives the event, its
position (notification id) and the batch to write into.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import Table

from domain.coherence import ActorFacts, CaseFacts, Registry, event_type
from projections.batch import Batch
from projections.documents import CASE_FACTS, DELEGATION_TERMS, PARTNERSHIP_TERMS
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


def _id(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


def _case_of(aggregate: str, event: Any) -> str | None:
    if aggregate == "Case":
        return str(event.originator_id)
    if aggregate == "Consultation":  # a reading of the case's content
        return str(event.case_id)
    return None


class Projector:
    name: ClassVar[str]
    tables: ClassVar[tuple[Table, ...]]
    handlers: ClassVar[dict[str, str]] = {}

    def apply(self, batch: Batch, event: Any, position: int) -> None:
        method = self.handlers.get(event_type(event))
        if method is not None:
            getattr(self, method)(batch, event, position)

    def prepare(self, batch: Batch, events: Sequence[Any]) -> None:
        """Called once per batch before its events: load in one query what they will touch."""

    def finish(self, batch: Batch) -> None:
        """Called once per batch, after the last event and before the rows are written."""


class RegistryNames(Projector):
    """Names of institutions and professionals, to show the other views to a person."""

    name = "registry_names"
    tables = (institution_view, professional_view)
    handlers = {
        "Institution.InstitutionRegistered": "institution",
        "Professional.ProfessionalRegistered": "professional",
    }

    def institution(self, batch: Batch, e: Any, _: int) -> None:
        batch.put(
            institution_view,
            {
                "institution_id": str(e.originator_id),
                "name": e.name,
                "sector": str(e.sector),
                "kind": str(e.kind),
            },
        )

    def professional(self, batch: Batch, e: Any, _: int) -> None:
        batch.put(
            professional_view,
            {"professional_id": str(e.originator_id), "name": e.name, "profession": e.profession},
        )


class AuditTrail(Projector):
    """Every event, with who acted, for which institution, on what basis, when and when recorded."""

    name = "audit_trail"
    tables = (audit_entry_view,)

    def apply(self, batch: Batch, event: Any, position: int) -> None:
        kind = event_type(event)
        by = getattr(event, "by", None)
        basis = getattr(event, "basis", None)
        aggregate = kind.split(".")[0]
        professional_id = by.professional_id if by is not None else None
        institution_id = by.institution_id if by is not None else None
        if aggregate == "Professional":
            professional_id = event.originator_id
            institution_id = getattr(event, "institution_id", None)
        elif aggregate == "Institution":
            institution_id = event.originator_id
        elif aggregate == "Delegation" and kind.endswith("Granted"):
            professional_id, institution_id = event.professional_id, event.institution_id
        counterpart = (
            getattr(event, "recipient_institution_id", None)
            or getattr(event, "to_institution_id", None)
            or getattr(event, "crip_institution_id", None)
        )
        timestamp: datetime = event.timestamp
        batch.append(
            audit_entry_view,
            {
                "position": position,
                "aggregate_id": str(event.originator_id),
                "aggregate_version": event.originator_version,
                "event_type": kind,
                "case_id": _case_of(aggregate, event),
                "professional_id": _id(professional_id),
                "institution_id": _id(institution_id),
                "counterpart_institution_id": _id(counterpart),
                "basis_kind": str(basis.kind) if basis is not None else None,
                "basis_ref": _id(basis.ref_id) if basis is not None else None,
                "occurred_at": getattr(event, "occurred_at", None) or timestamp,
                "recorded_at": timestamp,
                "summary": summarise(kind, event),
            },
        )


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

    def apply(self, batch: Batch, event: Any, position: int) -> None:
        kind = event_type(event)
        aggregate = kind.split(".")[0]
        if aggregate == "Case":
            self._case(batch, event, kind)
        elif aggregate in ("Delegation", "Partnership"):
            self._registry(batch, event, kind)

    def prepare(self, batch: Batch, events: Sequence[Any]) -> None:
        cases, entries = [], []
        for e in events:
            aggregate = event_type(e).split(".")[0]
            if aggregate == "Case":
                cases.append((str(e.originator_id),))
            elif aggregate == "Delegation":
                entries.append((str(e.originator_id),))
        batch.load_many(case_coherence_view, cases)
        batch.load_many(delegation_terms_view, entries)

    def _case(self, batch: Batch, e: Any, kind: str) -> None:
        cases: dict[UUID, CaseFacts | None] = batch.scratch.setdefault("cases", {})
        case_id = e.originator_id
        if case_id not in cases:
            row = batch.get(case_coherence_view, (str(case_id),))
            cases[case_id] = CASE_FACTS.load(row["facts"]) if row is not None else None
        facts = cases[case_id]
        if facts is None:
            if kind != "Case.CaseOpened":
                return  # the log always opens a case first; nothing to attach this to
            cases[case_id] = CaseFacts.opened_by(e)
        else:
            facts.apply(e)
        batch.scratch.setdefault("dirty_cases", set()).add(case_id)

    def _registry(self, batch: Batch, e: Any, kind: str) -> None:
        registry: Registry = batch.scratch.setdefault("registry", Registry())
        entry = e.originator_id
        if kind.startswith("Delegation.") and entry not in registry.delegations:
            row = batch.get(delegation_terms_view, (str(entry),))
            if row is not None:
                registry.delegations[entry] = DELEGATION_TERMS.load(row["terms"])
        if kind.startswith("Partnership.") and entry not in registry.partnerships:
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
                    "case_id": str(case_id),
                    "holder_institution_id": str(facts.holder_institution_id),
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
        "case_id": str(case_id),
        "professional_id": str(actor.professional_id),
        "institution_id": str(actor.institution_id),
        "role": actor.role,
        "basis_kind": str(actor.basis.kind),
        "basis_ref": _id(actor.basis.ref_id),
        "joined_at": actor.joined_at,
        "left_at": actor.left_at,
        "last_action_at": actor.last_action_at,
        "active": actor.active,
    }


# The report projection subclasses `Projector`: imported once it is defined.
from projections.report_projector import Reports  # noqa: E402

PROJECTORS: tuple[Projector, ...] = (RegistryNames(), AuditTrail(), CaseCoherence(), Reports())
