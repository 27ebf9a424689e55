"""Bodies and answers of the holding routes (`api.http.routers.holding`): transfer requests, the
référent de parcours, and the list of an institution's transfers."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.http.schemas.cases import ActorRef, Occurred
from api.http.schemas.naming import Name


class TransferCreate(Occurred):
    to_institution_id: UUID = Field(
        description="The institution that would hold the case: another institution on the case "
        "when the holder offers it, your own when you ask to hold it."
    )
    reason: str | None = Field(
        default=None,
        max_length=2000,
        description="Why (sealed in the log with the person's data; the other side reads it).",
    )


class ReferentAssignment(Occurred):
    referent: ActorRef = Field(
        description="The professional, taking part in the case for an institution (any), who "
        "becomes the référent de parcours."
    )


class TransferEntry(BaseModel):
    """A transfer request, named: the institutions, who asked and who answered."""

    transfer_id: UUID
    case_id: UUID
    from_institution_id: UUID = Field(description="The holder when it was requested.")
    from_institution_name: Name
    to_institution_id: UUID = Field(description="The institution that would hold the case.")
    to_institution_name: Name
    requested_by: UUID = Field(description="The professional who asked.")
    requested_by_name: Name
    requesting_institution_id: UUID
    requesting_institution_name: Name
    answering_institution_id: UUID = Field(description="The other side, which answers it.")
    answering_institution_name: Name
    status: Literal["pending", "accepted", "declined", "withdrawn"]
    requested_at: datetime
    answered_by: UUID | None = Field(description="Who accepted, declined or withdrew it.")
    answered_by_name: Name
    answered_at: datetime | None
