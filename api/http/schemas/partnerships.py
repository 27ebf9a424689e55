"""The bodies and answers of the partnerships routes (`api.http.routers.partnerships`)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from api.http.schemas.dates import IsoDate, IsoDateTime
from domain.partnership import PartyScope, Signature, Suspension
from domain.values import ActionKind, InformationCategory, PartnershipKind, PartnershipOrigin


class Scope(BaseModel):
    """What one party of a convention may perform and exchange."""

    institution_id: UUID
    action_kinds: list[ActionKind] = Field(default_factory=list)
    information_categories: list[InformationCategory] = Field(default_factory=list)

    def domain(self) -> PartyScope:
        return PartyScope.parse(
            self.institution_id,
            [k.value for k in self.action_kinds],
            [c.value for c in self.information_categories],
        )


class PartnershipCreate(BaseModel):
    kind: PartnershipKind
    title: str = Field(min_length=1, max_length=300)
    origin: PartnershipOrigin = Field(
        description="`mandated` when imposed by a law, a scheme or a commissioning body."
    )
    parties: list[UUID] = Field(min_length=2, max_length=100)
    valid_from: IsoDate
    valid_until: IsoDate | None = None
    mandate_reference: str | None = Field(
        default=None, max_length=500, description="Required of a mandated partnership."
    )
    scopes: list[Scope] = Field(default_factory=list, description="Conventions only.")
    values_statement: str | None = Field(default=None, max_length=10000)


class SignatureCreate(BaseModel):
    institution_id: UUID
    signed_on: IsoDate
    signatory_id: UUID | None = None


class Amendment(BaseModel):
    reference: str = Field(min_length=1, max_length=500)
    valid_until: IsoDate | None = None
    scopes: list[Scope] | None = None


class Suspend(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)
    occurred_at: IsoDateTime | None = None


class Resume(BaseModel):
    occurred_at: IsoDateTime | None = None


class Terminate(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)
    terminated_on: IsoDate


class PartnershipRead(BaseModel):
    id: UUID
    version: int
    kind: str
    title: str
    origin: str
    mandate_reference: str | None
    parties: list[UUID]
    valid_from: date
    valid_until: date | None
    scopes: list[PartyScope]
    values_statement: str | None
    signatures: list[Signature]
    suspensions: list[Suspension]
    terminated_on: date | None


class PartnershipItem(BaseModel):
    partnership_id: UUID
    kind: str
    title: str
    parties: list[UUID]
    valid_from: date
    valid_until: date | None
    signed_by: list[UUID]
    terminated_on: date | None
