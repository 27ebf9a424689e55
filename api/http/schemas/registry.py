"""The bodies and answers of the registry routes (`api.http.routers.registry`)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from api.http.schemas.common import RequestBody
from api.http.schemas.dates import IsoDate, IsoDateTime
from api.http.schemas.identifiers import ADELI, FINESS, RPPS, SIRET, NationalIdentifier
from api.http.schemas.naming import Labels, Name
from domain.professional import Employment
from domain.values import ActionKind, InstitutionKind, Sector


class InstitutionCreate(RequestBody):
    name: str = Field(min_length=1, max_length=200, examples=["Service AEMO de Colmar"])
    sector: Sector
    kind: InstitutionKind
    department: str | None = Field(default=None, max_length=3, examples=["68"])
    finess: str | None = FINESS
    siret: str | None = SIRET


class InstitutionRead(BaseModel):
    id: UUID
    version: int
    name: str
    sector: str
    kind: str
    department: str | None
    partnership_ids: list[UUID]
    finess: str | None = None
    siret: str | None = None
    identifiers: list[NationalIdentifier] = Field(
        default_factory=list, description="Its national identifiers with their FHIR systems."
    )


class InstitutionItem(BaseModel):
    institution_id: UUID
    name: str
    sector: str
    kind: str
    finess: str | None = None
    siret: str | None = None


class ProfessionalCreate(RequestBody):
    name: str = Field(min_length=1, max_length=200, examples=["Claire Martin"])
    profession: str = Field(min_length=1, max_length=100, examples=["éducatrice spécialisée"])
    rpps: str | None = RPPS
    adeli: str | None = ADELI


class ProfessionalRead(BaseModel):
    id: UUID
    version: int
    name: str
    profession: str
    employments: list[Employment]
    network_ids: list[UUID]
    rpps: str | None = None
    adeli: str | None = None
    identifiers: list[NationalIdentifier] = Field(
        default_factory=list, description="Their national identifiers with their FHIR systems."
    )


class ProfessionalItem(BaseModel):
    professional_id: UUID
    name: str
    profession: str
    rpps: str | None = None
    adeli: str | None = None


class EmploymentStart(RequestBody):
    institution_id: UUID
    start: IsoDate
    end: IsoDate | None = None
    position: str | None = Field(default=None, max_length=200)


class EmploymentEnd(RequestBody):
    end: IsoDate


class DelegationGrant(RequestBody):
    institution_id: UUID = Field(description="The delegating institution.")
    professional_id: UUID = Field(description="The delegate, employed by that institution.")
    scope: list[ActionKind] = Field(min_length=1, description="The action kinds delegated.")
    valid_from: IsoDate
    valid_until: IsoDate
    case_id: UUID | None = Field(default=None, description="The case it covers, if any.")
    network_id: UUID | None = Field(default=None, description="The formal network, if any.")
    granted_by: UUID | None = Field(default=None, description="The professional who signs it.")


class DelegationExtension(RequestBody):
    valid_until: IsoDate


class DelegationRevocation(RequestBody):
    reason: str = Field(min_length=1, max_length=2000)
    revoked_by: UUID | None = None
    occurred_at: IsoDateTime | None = None


class DelegationItem(BaseModel):
    """A delegation; names beside ids and labels beside codes (`api.http.schemas.naming`)."""

    delegation_id: UUID
    institution_id: UUID = Field(description="The delegating institution.")
    institution_name: Name
    professional_id: UUID = Field(description="The delegate.")
    professional_name: Name
    case_id: UUID | None
    network_id: UUID | None
    network_name: Name
    scope: list[str]
    scope_labels: Labels
    valid_from: date
    valid_until: date
    revoked_at: datetime | None


class DelegationRead(DelegationItem):
    id: UUID
    version: int
    granted_by: UUID | None
    granted_by_name: Name
    revocation_reason: str | None
