"""What `GET /feed` answers: a page of the catch-up feed (`api.http.routers.feed`).

Names beside ids and labels beside codes: `api.http.schemas.naming`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field

from api.http.schemas.naming import Label, Name


class FeedActor(BaseModel):
    professional_id: UUID = Field(
        description="Who acted: a professional (or a client application, for its readings)."
    )
    professional_name: Name = None


class FeedInstitution(BaseModel):
    institution_id: UUID
    institution_name: Name = None


class FeedBasis(BaseModel):
    kind: str = Field(description="What the act rests on: `GET /vocabulary` (`basis_kind`).")
    kind_label: Label
    ref_id: UUID | None = Field(
        description="The delegation, convention, network or holding institution it rests on."
    )
    name: Name = Field(
        default=None,
        description="What it rests on, by its current name: a convention's title, a network's "
        "name, the delegating institution of a delegation, the holding institution. Null when "
        "informal.",
    )


class FeedItem(BaseModel):
    position: int = Field(description="Its place in the log: pass the last one as `after`.")
    kind: str = Field(description="The event's type, e.g. `Case.InterventionRecorded`.")
    aggregate_id: UUID = Field(description="The record the event belongs to.")
    aggregate_version: int = Field(description="Its version once the event is applied.")
    case_id: UUID | None = Field(description="The case it concerns (null for the registry).")
    occurred_at: datetime = Field(description="When it happened, as recorded.")
    recorded_at: datetime = Field(description="When the log recorded it.")
    actor: FeedActor | None = Field(description="Who acted (null when no one is named).")
    institution: FeedInstitution | None = Field(
        description="The institution acted for (or the event's own institution)."
    )
    counterpart_institution: FeedInstitution | None = Field(
        description="The other institution of an act: shared with, referred to, alerted."
    )
    basis: FeedBasis | None = Field(description="What the act rests on (null: not an act).")
    summary: str = Field(
        description="The event as a sentence in the answer's language, naming people and "
        "institutions by their current names (as the audit trail reads it)."
    )
    personal_data: dict[str, Any] | None = Field(
        default=None,
        description="The event's personal fields (the person's identity, free texts…), present "
        "only when your client's scope includes personal data, and only on the events that "
        "carry some; `[erased]` once the person's data was erased. Each case whose fields a "
        "page opens is recorded as one reading by your client.",
    )


class FeedPage(BaseModel):
    items: list[FeedItem] = Field(description="The events, in log order.")
    next_after: int = Field(
        description="Pass it as `after` for the next page. It may be past the last item's "
        "position: the feed was read that far and held nothing more for you."
    )
    head: int = Field(description="How far in the log the feed's read model has reached.")
    has_more: bool = Field(description="More events are there already: ask again at once.")
