"""The bodies and answers of the networks routes (`api.http.routers.networks`)."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, Field

from api.http.schemas.common import RequestBody
from api.http.schemas.dates import IsoDateTime
from api.http.schemas.naming import Label, Name, Names


class InformalNetworkCreate(RequestBody):
    name: str = Field(min_length=1, max_length=200)
    values_statement: str = Field(min_length=1, max_length=10000)
    founder_id: UUID | None = Field(
        default=None, description="Yourself by default; another professional: admin only."
    )
    occurred_at: IsoDateTime | None = None


class FormalNetworkCreate(RequestBody):
    name: str = Field(min_length=1, max_length=200)
    founding_institutions: list[UUID] = Field(min_length=1, max_length=100)
    objectives: list[str] = Field(min_length=1, max_length=50)
    values_statement: str | None = Field(default=None, max_length=10000)
    occurred_at: IsoDateTime | None = None


class InvitationCreate(RequestBody):
    invitee_id: UUID
    inviter_id: UUID | None = Field(default=None, description="Yourself by default.")


class InstitutionAdd(RequestBody):
    institution_id: UUID


class Admission(RequestBody):
    delegation_id: UUID = Field(description="The delegation naming this network.")
    occurred_at: IsoDateTime | None = None


class CoordinatorAppointment(RequestBody):
    professional_id: UUID


class Project(RequestBody):
    objectives: list[str] = Field(min_length=1, max_length=50)


class NetworkMeeting(RequestBody):
    attendees: list[UUID] = Field(min_length=1, max_length=200)
    decisions: list[str] = Field(default_factory=list, max_length=100)
    recorded_by: UUID | None = Field(default=None, description="Yourself by default.")
    occurred_at: IsoDateTime | None = None


class Departure(RequestBody):
    professional_id: UUID | None = Field(default=None, description="Yourself by default.")


class Dissolution(RequestBody):
    reason: str = Field(min_length=1, max_length=2000)
    occurred_at: IsoDateTime | None = None


class MemberRead(BaseModel):
    professional_id: UUID
    professional_name: Name
    institution_id: UUID | None = Field(description="Formal networks: the delegating institution.")
    institution_name: Name
    delegation_id: UUID | None


class InvitationRead(BaseModel):
    invitee_id: UUID
    invitee_name: Name
    inviter_id: UUID
    inviter_name: Name


class NetworkRead(BaseModel):
    """A network; names beside ids and labels beside codes (`api.http.schemas.naming`)."""

    id: UUID
    version: int
    kind: str
    kind_label: Label
    name: str
    values_statement: str | None
    institutions: list[UUID]
    institution_names: Names
    objectives: list[str]
    members: list[MemberRead]
    invitations: list[InvitationRead]
    coordinator_id: UUID | None
    coordinator_name: Name
    dissolved: bool
