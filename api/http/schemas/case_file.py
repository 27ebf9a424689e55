"""The parts of a case's file as read (`GET /cases/{id}`): each id with its current name, each
code with its label (`api.http.schemas.naming`)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from api.http.schemas.naming import Label, Labels, Name, Names


class BasisRead(BaseModel):
    kind: str
    kind_label: Label
    ref_id: UUID | None = Field(
        description="The delegation, convention or network (or holding institution) it names."
    )
    name: Name = Field(
        description="Its current name: a convention's title, a network's name, the delegating "
        "institution of a delegation, the institution holding the case. Null when informal."
    )


class ActorRead(BaseModel):
    professional_id: UUID
    professional_name: Name
    institution_id: UUID
    institution_name: Name


class ParticipantRead(ActorRead):
    role: str
    basis: BasisRead


class ConsentRead(BaseModel):
    consent_id: UUID
    giver: str
    giver_label: Label
    representative_name: str | None
    recipients: list[UUID] = Field(description="The institutions it allows sharing with.")
    recipient_names: Names
    categories: list[str]
    category_labels: Labels
    given_at: datetime
    valid_until: date | None
    withdrawn_at: datetime | None


class ReferralRead(BaseModel):
    referral_id: UUID
    from_institution_id: UUID
    from_institution_name: Name
    to_institution_id: UUID
    to_institution_name: Name
    status: str
    status_label: Label
