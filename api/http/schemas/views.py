"""The bodies and answers of the views routes (`api.http.routers.views`).

Names beside ids and labels beside codes: `api.http.schemas.naming`.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from api.http.schemas.naming import MaybeLabel, Name


class AuditEntry(BaseModel):
    position: int
    aggregate_id: UUID
    aggregate_version: int
    event_type: str
    case_id: UUID | None
    professional_id: UUID | None
    professional_name: Name = None
    institution_id: UUID | None
    institution_name: Name = None
    counterpart_institution_id: UUID | None
    counterpart_institution_name: Name = None
    basis_kind: str | None
    basis_kind_label: MaybeLabel = None
    basis_ref: UUID | None
    basis_name: Name = Field(
        default=None,
        description="What the act rests on, by its current name: a convention's title, a "
        "network's name, the delegating institution of a delegation, the institution holding "
        "the case (`case_holder`). Null when informal.",
    )
    occurred_at: datetime
    recorded_at: datetime
    summary: str = Field(
        description="The entry as a sentence, worded when read: in the answer's language, with "
        "the registry's current names (an id only where the registry does not know it)."
    )


class CaseActor(BaseModel):
    case_id: UUID
    professional_id: UUID
    professional_name: Name = None
    institution_id: UUID
    institution_name: Name = None
    role: str
    basis_kind: str
    basis_kind_label: MaybeLabel = None
    basis_ref: UUID | None
    basis_name: Name = Field(
        default=None,
        description="What the actor's latest act rests on, by its current name: a convention's "
        "title, a network's name, the delegating institution of a delegation, the institution "
        "holding the case (`case_holder`). Null when informal.",
    )
    holder_institution_id: UUID | None = Field(
        default=None, description="The institution holding the case (détenteur du dossier)."
    )
    holder_institution_name: Name = None
    joined_at: datetime
    left_at: datetime | None
    last_action_at: datetime | None
    active: bool
