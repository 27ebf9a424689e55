"""The registry: institutions, professionals and their employments (delegations: in
`delegations`).

Administrators keep it; every authenticated role may read the directory (names, sectors,
professions).
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Query, Response
from sqlalchemy import select

from api.http.commands import CommandDep
from api.http.deps import ConnectionDep, MaillageDep, PrincipalDep
from api.http.guard import GuardedRoute, admits
from api.http.params import Cursor, IfMatch, Limit, etag, id_cursor
from api.http.routers.identifiers import identifier_filters
from api.http.schemas.common import CommandResult, Page, page
from api.http.schemas.identifiers import national_identifiers
from api.http.schemas.registry import (
    EmploymentEnd,
    EmploymentStart,
    InstitutionCreate,
    InstitutionItem,
    InstitutionRead,
    ProfessionalCreate,
    ProfessionalItem,
    ProfessionalRead,
)
from domain.access import ANY_ROLE, KEEPING_THE_REGISTRY
from domain.institution import Institution
from domain.professional import Professional
from domain.values import InstitutionKind, Sector
from projections.queries import like_literal
from projections.tables import institution_view, professional_view

router = APIRouter(tags=["registry"], route_class=GuardedRoute)
KEEPING = admits(KEEPING_THE_REGISTRY)
READING = admits(ANY_ROLE)  # a directory (names, sectors, professions)


# --- institutions ---------------------------------------------------------------------------


@router.post(
    "/institutions",
    status_code=201,
    response_model=CommandResult,
    summary="Register an institution (admin)",
)
@KEEPING
def register_institution(
    body: InstitutionCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
) -> CommandResult:
    return command.run(
        "register_institution",
        lambda: maillage.register_institution(
            name=body.name,
            sector=body.sector,
            kind=body.kind,
            department=body.department,
            finess=body.finess,
            siret=body.siret,
        ),
        created="/institutions",
    )


@router.get(
    "/institutions",
    response_model=Page[InstitutionItem],
    summary="List institutions (directory; every role)",
)
@READING
def list_institutions(
    principal: PrincipalDep,
    conn: ConnectionDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    sector: Sector | None = None,
    kind: InstitutionKind | None = None,
    name: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
    finess: Annotated[str | None, Query(max_length=24, description="A FINESS, whole.")] = None,
    siret: Annotated[str | None, Query(max_length=24, description="A SIRET, whole.")] = None,
) -> Page[Any]:
    t = institution_view
    query = select(t).order_by(t.c.institution_id).limit(limit + 1)
    query = identifier_filters(query, t, finess=finess, siret=siret)
    if (after := id_cursor(cursor)) is not None:
        query = query.where(t.c.institution_id > after)
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
@READING
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
        finess=i.finess,
        siret=i.siret,
        identifiers=national_identifiers(i.identifiers),
    )


# --- professionals --------------------------------------------------------------------------


@router.post(
    "/professionals",
    status_code=201,
    response_model=CommandResult,
    summary="Register a professional (admin)",
)
@KEEPING
def register_professional(
    body: ProfessionalCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
) -> CommandResult:
    return command.run(
        "register_professional",
        lambda: maillage.register_professional(
            name=body.name, profession=body.profession, rpps=body.rpps, adeli=body.adeli
        ),
        created="/professionals",
    )


@router.get(
    "/professionals",
    response_model=Page[ProfessionalItem],
    summary="List professionals (directory; every role)",
)
@READING
def list_professionals(
    principal: PrincipalDep,
    conn: ConnectionDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    name: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
    profession: Annotated[str | None, Query(max_length=100)] = None,
    rpps: Annotated[str | None, Query(max_length=24, description="An RPPS, whole.")] = None,
    adeli: Annotated[str | None, Query(max_length=24, description="An ADELI, whole.")] = None,
) -> Page[Any]:
    t = professional_view
    query = select(t).order_by(t.c.professional_id).limit(limit + 1)
    query = identifier_filters(query, t, rpps=rpps, adeli=adeli)
    if (after := id_cursor(cursor)) is not None:
        query = query.where(t.c.professional_id > after)
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
@READING
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
        rpps=p.rpps,
        adeli=p.adeli,
        identifiers=national_identifiers(p.identifiers),
    )


@router.post(
    "/professionals/{professional_id}/employments",
    status_code=201,
    response_model=CommandResult,
    summary="Start an employment (admin)",
)
@KEEPING
def start_employment(
    professional_id: UUID,
    body: EmploymentStart,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return command.run(
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
@KEEPING
def end_employment(
    professional_id: UUID,
    institution_id: UUID,
    body: EmploymentEnd,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return command.run(
        "end_employment",
        lambda: maillage.end_employment(
            professional_id=professional_id, institution_id=institution_id, end=body.end
        ),
        target=professional_id,
        expected_version=if_match,
    )
