"""The parts of a case's file as read (`GET /cases/{id}`): each id with its current name, each
code with its label (`api.http.schemas.naming`)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from api.http.schemas.naming import Label, Labels, Name, Names
from domain.values import OutsideDelegation


class OutsideDelegationRead(BaseModel):
    delegation_id: UUID = Field(description="The delegation held for the case that did not cover.")
    reason: str = Field(description="outside_scope, not_yet_valid, expired or revoked.")
    action_kind: str

    @classmethod
    def of(cls, outside: OutsideDelegation | None) -> OutsideDelegationRead | None:
        if outside is None:
            return None
        return cls(
            delegation_id=outside.delegation_id,
            reason=outside.reason,
            action_kind=outside.action_kind,
        )


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
    outside_delegation: OutsideDelegationRead | None = Field(
        default=None,
        description="The act rested on this basis because the delegation the professional "
        "holds for the case did not cover it (the same as in the coherence view).",
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


class HoldingInstitutionRead(BaseModel):
    institution_id: UUID
    institution_name: Name


class HolderRead(HoldingInstitutionRead):
    """An institution that held the case, with its dates."""

    since: datetime | None = Field(
        description="When it began holding the case: the opening, or the transfer accepted "
        "(null only for a case whose history predates this record)."
    )
    until: datetime | None = Field(description="When it stopped holding it (null: it holds it).")


class TransferRead(BaseModel):
    """A request that another institution hold the case, and its answer."""

    transfer_id: UUID
    from_institution_id: UUID = Field(description="The holder when it was requested.")
    from_institution_name: Name
    to_institution_id: UUID = Field(description="The institution that would hold it.")
    to_institution_name: Name
    requesting_institution_id: UUID
    requesting_institution_name: Name
    answering_institution_id: UUID = Field(description="The other side, which answers it.")
    answering_institution_name: Name
    status: Literal["pending", "accepted", "declined", "withdrawn"]
    requested_at: datetime
