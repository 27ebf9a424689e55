"""Projectors: one handler per event type, reading only the event.

Each projector owns its tables and its position in the log. `apply` receives the event, its
position (notification id) and the batch to write into.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar
from uuid import UUID

from sqlalchemy import Table

from projections.batch import Batch
from projections.summaries import summarise
from projections.tables import (
    as_utc,
    audit_entry_view,
    case_actor_view,
    institution_view,
    professional_view,
)


def event_type(event: Any) -> str:
    return type(event).__qualname__


def _id(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


class Projector:
    name: ClassVar[str]
    tables: ClassVar[tuple[Table, ...]]
    handlers: ClassVar[dict[str, str]] = {}

    def apply(self, batch: Batch, event: Any, position: int) -> None:
        method = self.handlers.get(event_type(event))
        if method is not None:
            getattr(self, method)(batch, event, position)


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
        batch.put(
            audit_entry_view,
            {
                "position": position,
                "aggregate_id": str(event.originator_id),
                "aggregate_version": event.originator_version,
                "event_type": kind,
                "case_id": str(event.originator_id) if aggregate == "Case" else None,
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


class CaseActors(Projector):
    """Who acts on each case, for which institution, on what basis, and when they last acted:
    the rows behind the coherence view, a professional's caseload and an institution's
    involvement."""

    name = "case_actors"
    tables = (case_actor_view,)

    def apply(self, batch: Batch, event: Any, position: int) -> None:
        kind = event_type(event)
        if not kind.startswith("Case."):
            return
        by = getattr(event, "by", None)
        if by is None:
            return
        key = (str(event.originator_id), str(by.professional_id), str(by.institution_id))
        row = batch.get(case_actor_view, key)
        at: datetime = event.occurred_at
        if kind in ("Case.CaseOpened", "Case.ParticipantJoined"):
            batch.put(
                case_actor_view,
                {
                    "case_id": key[0],
                    "professional_id": key[1],
                    "institution_id": key[2],
                    "role": event.role,
                    "basis_kind": str(event.basis.kind),
                    "basis_ref": _id(event.basis.ref_id),
                    "joined_at": at,
                    "left_at": None,
                    "last_action_at": at,
                    "active": True,
                },
            )
            return
        if row is None:  # an act by a non-participant (concerning information): not an actor
            return
        if kind == "Case.ParticipantLeft":
            row.update(active=False, left_at=at)
        if row["last_action_at"] is None or as_utc(row["last_action_at"]) < at:
            row["last_action_at"] = at
        batch.put(case_actor_view, row)


PROJECTORS: tuple[Projector, ...] = (RegistryNames(), AuditTrail(), CaseActors())
