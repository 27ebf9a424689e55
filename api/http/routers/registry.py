"""The registry: institutions, professionals and their employments, delegations.

Administrators keep it; every authenticated role may read the directory (names, sectors,
professions). Delegations name cases, so they are shown only to administrators, to the delegate,
and to supervisors of the delegating institution.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from api.http.deps import (
    CommandResult,
    ConnectionDep,
    Cursor,
    IfMatch,
    Limit,
    MaillageDep,
    Page,
    PrincipalDep,
    etag,
    page,
    run_command,
)
from domain.access import Principal, Role, check_role
from domain.delegation import Delegation
from domain.errors import AccessDeniedError
from domain.institution import Institution
from domain.professional import Employment, Professional
from domain.values import ActionKind, InstitutionKind, Sector
from projections.documents import DELEGATION_TERMS
from projections.queries import like_literal
from projections.tables import delegation_terms_view, institution_view, professional_view

router = APIRouter(tags=["registry"])
ADMIN = "keeping the registry"


# --- institutions ---------------------------------------------------------------------------


class InstitutionCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["Service AEMO de Colmar"])
    sector: Sector
    kind: InstitutionKind
    department: str | None = Field(default=None, max_length=3, examples=["68"])


class InstitutionRead(BaseModel):
    id: UUID
    version: int
    name: str
    sector: str
    kind: str
    department: str | None
    partnership_ids: list[UUID]


class InstitutionItem(BaseModel):
    institution_id: UUID
    name: str
    sector: str
    kind: str


@router.post(
    "/institutions",
    status_code=201,
    response_model=CommandResult,
    summary="Register an institution (admin)",
)
def register_institution(
    body: InstitutionCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing=ADMIN)
    result = run_command(
        request,
        response,
        "register_institution",
        lambda: maillage.register_institution(
            name=body.name, sector=body.sector, kind=body.kind, department=body.department
        ),
    )
    response.headers["Location"] = f"/institutions/{result.id}"
    return result


@router.get(
    "/institutions",
    response_model=Page[InstitutionItem],
    summary="List institutions (directory; every role)",
)
def list_institutions(
    principal: PrincipalDep,
    conn: ConnectionDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    sector: Sector | None = None,
    kind: InstitutionKind | None = None,
    name: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
) -> Page[Any]:
    t = institution_view
    query = select(t).order_by(t.c.institution_id).limit(limit + 1)
    if cursor is not None:
        query = query.where(t.c.institution_id > cursor)
    if sector is not None:
        query = query.where(t.c.sector == sector.value)
    if kind is not None:
        query = query.where(t.c.kind == kind.value)
    if name:
        query = query.where(t.c.name.ilike(f"%{like_literal(name)}%", escape="\\"))
    rows = [dict(r) for r in conn.execute(query).mappings()]
    return page(rows, limit, "institution_id")


@router.get(
    "/institutions/{institution_id}",
    response_model=InstitutionRead,
    summary="Read an institution (ETag: its version)",
)
def read_institution(
    institution_id: UUID, principal: PrincipalDep, maillage: MaillageDep, response: Response
) -> InstitutionRead:
    i = maillage.load(Institution, institution_id, field="institution_id")
    etag(response, i.version)
    return InstitutionRead(
        id=i.id,
        version=i.version,
        name=i.name,
        sector=str(i.sector),
        kind=str(i.kind),
        department=i.department,
        partnership_ids=list(i.partnership_ids),
    )


# --- professionals --------------------------------------------------------------------------


class ProfessionalCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, examples=["Claire Martin"])
    profession: str = Field(min_length=1, max_length=100, examples=["éducatrice spécialisée"])


class ProfessionalRead(BaseModel):
    id: UUID
    version: int
    name: str
    profession: str
    employments: list[Employment]
    network_ids: list[UUID]


class ProfessionalItem(BaseModel):
    professional_id: UUID
    name: str
    profession: str


class EmploymentStart(BaseModel):
    institution_id: UUID
    start: date
    end: date | None = None
    position: str | None = Field(default=None, max_length=200)


class EmploymentEnd(BaseModel):
    end: date


@router.post(
    "/professionals",
    status_code=201,
    response_model=CommandResult,
    summary="Register a professional (admin)",
)
def register_professional(
    body: ProfessionalCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing=ADMIN)
    result = run_command(
        request,
        response,
        "register_professional",
        lambda: maillage.register_professional(name=body.name, profession=body.profession),
    )
    response.headers["Location"] = f"/professionals/{result.id}"
    return result


@router.get(
    "/professionals",
    response_model=Page[ProfessionalItem],
    summary="List professionals (directory; every role)",
)
def list_professionals(
    principal: PrincipalDep,
    conn: ConnectionDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    name: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
    profession: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[Any]:
    t = professional_view
    query = select(t).order_by(t.c.professional_id).limit(limit + 1)
    if cursor is not None:
        query = query.where(t.c.professional_id > cursor)
    if name:
        query = query.where(t.c.name.ilike(f"%{like_literal(name)}%", escape="\\"))
    if profession:
        query = query.where(t.c.profession == profession)
    rows = [dict(r) for r in conn.execute(query).mappings()]
    return page(rows, limit, "professional_id")


@router.get(
    "/professionals/{professional_id}",
    response_model=ProfessionalRead,
    summary="Read a professional: employments and networks (ETag: its version)",
)
def read_professional(
    professional_id: UUID, principal: PrincipalDep, maillage: MaillageDep, response: Response
) -> ProfessionalRead:
    p = maillage.load(Professional, professional_id, field="professional_id")
    etag(response, p.version)
    return ProfessionalRead(
        id=p.id,
        version=p.version,
        name=p.name,
        profession=p.profession,
        employments=list(p.employments),
        network_ids=list(p.network_ids),
    )


@router.post(
    "/professionals/{professional_id}/employments",
    status_code=201,
    response_model=CommandResult,
    summary="Start an employment (admin)",
)
def start_employment(
    professional_id: UUID,
    body: EmploymentStart,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing=ADMIN)
    return run_command(
        request,
        response,
        "start_employment",
        lambda: maillage.start_employment(
            professional_id=professional_id,
            institution_id=body.institution_id,
            start=body.start,
            end=body.end,
            position=body.position,
        ),
        target=professional_id,
        expected_version=if_match,
    )


@router.post(
    "/professionals/{professional_id}/employments/{institution_id}/end",
    response_model=CommandResult,
    summary="End an employment (admin)",
)
def end_employment(
    professional_id: UUID,
    institution_id: UUID,
    body: EmploymentEnd,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing=ADMIN)
    return run_command(
        request,
        response,
        "end_employment",
        lambda: maillage.end_employment(
            professional_id=professional_id, institution_id=institution_id, end=body.end
        ),
        target=professional_id,
        expected_version=if_match,
    )


# --- delegations ----------------------------------------------------------------------------


class DelegationGrant(BaseModel):
    institution_id: UUID = Field(description="The delegating institution.")
    professional_id: UUID = Field(description="The delegate, employed by that institution.")
    scope: list[ActionKind] = Field(min_length=1, description="The action kinds delegated.")
    valid_from: date
    valid_until: date
    case_id: UUID | None = Field(default=None, description="The case it covers, if any.")
    network_id: UUID | None = Field(default=None, description="The formal network, if any.")
    granted_by: UUID | None = Field(default=None, description="The professional who signs it.")


class DelegationExtension(BaseModel):
    valid_until: date


class DelegationRevocation(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)
    revoked_by: UUID | None = None
    occurred_at: datetime | None = None


class DelegationRead(BaseModel):
    id: UUID
    version: int
    institution_id: UUID
    professional_id: UUID
    case_id: UUID | None
    network_id: UUID | None
    scope: list[str]
    valid_from: date
    valid_until: date
    granted_by: UUID | None
    revoked_at: datetime | None
    revocation_reason: str | None


class DelegationItem(BaseModel):
    delegation_id: UUID
    institution_id: UUID
    professional_id: UUID
    case_id: UUID | None
    network_id: UUID | None
    scope: list[str]
    valid_from: date
    valid_until: date
    revoked_at: datetime | None


def check_delegation_reader(principal: Principal, institution_id: UUID, delegate: UUID) -> None:
    if principal.role is Role.ADMIN or principal.subject == delegate:
        return
    if principal.role is Role.SUPERVISOR and principal.institution_id == institution_id:
        return
    raise AccessDeniedError(
        "a delegation is shown to administrators, to its delegate and to supervisors of the "
        "delegating institution"
    )


@router.post(
    "/delegations",
    status_code=201,
    response_model=CommandResult,
    summary="Grant a delegation (admin)",
)
def grant_delegation(
    body: DelegationGrant,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing=ADMIN)
    result = run_command(
        request,
        response,
        "grant_delegation",
        lambda: maillage.grant_delegation(
            institution_id=body.institution_id,
            professional_id=body.professional_id,
            scope=[k.value for k in body.scope],
            valid_from=body.valid_from,
            valid_until=body.valid_until,
            case_id=body.case_id,
            network_id=body.network_id,
            granted_by=body.granted_by,
        ),
    )
    response.headers["Location"] = f"/delegations/{result.id}"
    return result


@router.get(
    "/delegations",
    response_model=Page[DelegationItem],
    summary="List delegations (admin: all; supervisor: their institution's; others: their own)",
)
def list_delegations(
    principal: PrincipalDep,
    conn: ConnectionDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    professional_id: UUID | None = None,
    institution_id: UUID | None = None,
    case_id: UUID | None = None,
) -> Page[Any]:
    t = delegation_terms_view
    query = select(t).order_by(t.c.delegation_id).limit(limit + 1)
    if principal.role is Role.SUPERVISOR:
        institution_id = principal.institution_id
    elif principal.role is not Role.ADMIN:
        professional_id = principal.subject
    if cursor is not None:
        query = query.where(t.c.delegation_id > cursor)
    if professional_id is not None:
        query = query.where(t.c.professional_id == str(professional_id))
    if institution_id is not None:
        query = query.where(t.c.institution_id == str(institution_id))
    if case_id is not None:
        query = query.where(t.c.case_id == str(case_id))
    rows = conn.execute(query).mappings().all()
    items: list[dict[str, Any]] = []
    for row in rows:
        terms = DELEGATION_TERMS.load(row["terms"])
        items.append(
            {
                "delegation_id": terms.delegation_id,
                "institution_id": terms.institution_id,
                "professional_id": terms.professional_id,
                "case_id": terms.case_id,
                "network_id": terms.network_id,
                "scope": list(terms.scope),
                "valid_from": terms.valid_from,
                "valid_until": terms.valid_until,
                "revoked_at": terms.revoked_at,
            }
        )
    return page(items, limit, "delegation_id")


@router.get(
    "/delegations/{delegation_id}",
    response_model=DelegationRead,
    summary="Read a delegation (ETag: its version)",
)
def read_delegation(
    delegation_id: UUID, principal: PrincipalDep, maillage: MaillageDep, response: Response
) -> DelegationRead:
    d = maillage.load(Delegation, delegation_id, field="delegation_id")
    check_delegation_reader(principal, d.institution_id, d.professional_id)
    etag(response, d.version)
    return DelegationRead(
        id=d.id,
        version=d.version,
        institution_id=d.institution_id,
        professional_id=d.professional_id,
        case_id=d.case_id,
        network_id=d.network_id,
        scope=[str(k) for k in d.scope],
        valid_from=d.valid_from,
        valid_until=d.valid_until,
        granted_by=d.granted_by,
        revoked_at=d.revoked_at,
        revocation_reason=d.revocation_reason,
    )


@router.post(
    "/delegations/{delegation_id}/extension",
    response_model=CommandResult,
    summary="Extend a delegation (admin)",
)
def extend_delegation(
    delegation_id: UUID,
    body: DelegationExtension,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing=ADMIN)
    return run_command(
        request,
        response,
        "extend_delegation",
        lambda: maillage.extend_delegation(
            delegation_id=delegation_id, valid_until=body.valid_until
        ),
        target=delegation_id,
        expected_version=if_match,
    )


@router.post(
    "/delegations/{delegation_id}/revocation",
    response_model=CommandResult,
    summary="Revoke a delegation (admin)",
)
def revoke_delegation(
    delegation_id: UUID,
    body: DelegationRevocation,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing=ADMIN)
    return run_command(
        request,
        response,
        "revoke_delegation",
        lambda: maillage.revoke_delegation(
            delegation_id=delegation_id,
            reason=body.reason,
            revoked_by=body.revoked_by,
            occurred_at=body.occurred_at,
        ),
        target=delegation_id,
        expected_version=if_match,
    )
