"""The bodies and answers of the views routes (`api.http.routers.views`)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel


class AuditEntry(BaseModel):
    position: int
    aggregate_id: UUID
    aggregate_version: int
    event_type: str
    case_id: UUID | None
    professional_id: UUID | None
    institution_id: UUID | None
    counterpart_institution_id: UUID | None
    basis_kind: str | None
    basis_ref: UUID | None
    occurred_at: datetime
    recorded_at: datetime
    summary: str


class CaseActor(BaseModel):
    case_id: UUID
    professional_id: UUID
    institution_id: UUID
    role: str
    basis_kind: str
    basis_ref: UUID | None
    joined_at: datetime
    left_at: datetime | None
    last_action_at: datetime | None
    active: bool
