"""The bodies and answers of the partnerships routes (`api.http.routers.partnerships`)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from api.http.schemas.common import RequestBody
from api.http.schemas.dates import IsoDate, IsoDateTime
from api.http.schemas.naming import Label, Labels, Name, Names
from domain.partnership import PartyScope, Suspension
from domain.values import ActionKind, InformationCategory, PartnershipKind, PartnershipOrigin


class Scope(RequestBody):
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


class PartnershipCreate(RequestBody):
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


class SignatureCreate(RequestBody):
    institution_id: UUID
    signed_on: IsoDate
    signatory_id: UUID | None = None


class Amendment(RequestBody):
    reference: str = Field(min_length=1, max_length=500)
    valid_until: IsoDate | None = None
    scopes: list[Scope] | None = None


class Suspend(RequestBody):
    reason: str = Field(min_length=1, max_length=2000)
    occurred_at: IsoDateTime | None = None


class Resume(RequestBody):
    occurred_at: IsoDateTime | None = None


class Terminate(RequestBody):
    reason: str = Field(min_length=1, max_length=2000)
    terminated_on: IsoDate


class ScopeRead(BaseModel):
    institution_id: UUID
    institution_name: Name
    action_kinds: list[str]
    action_kind_labels: Labels
    information_categories: list[str]
    information_category_labels: Labels


class SignatureRead(BaseModel):
    institution_id: UUID
    institution_name: Name
    signed_on: date
    signatory_id: UUID | None
    signatory_name: Name


class PartnershipRead(BaseModel):
    """A partnership; names beside ids and labels beside codes (`api.http.schemas.naming`)."""

    id: UUID
    version: int
    kind: str
    kind_label: Label
    title: str
    origin: str
    origin_label: Label
    mandate_reference: str | None
    parties: list[UUID]
    party_names: Names
    valid_from: date
    valid_until: date | None
    scopes: list[ScopeRead]
    values_statement: str | None
    signatures: list[SignatureRead]
    suspensions: list[Suspension]
    terminated_on: date | None


class PartnershipItem(BaseModel):
    """A partnership in a list; names beside ids (`api.http.schemas.naming`)."""

    partnership_id: UUID
    kind: str
    kind_label: Label
    title: str
    parties: list[UUID]
    party_names: Names
    valid_from: date
    valid_until: date | None
    signed_by: list[UUID]
    signed_by_names: Names
    terminated_on: date | None
