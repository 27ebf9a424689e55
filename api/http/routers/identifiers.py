"""National identifiers of the registry (FINESS, SIRET, RPPS, ADELI): set or changed by an
administrator after registration, and the search filters of the directory.

A number belongs to one institution or professional at a time: a number held by another is
refused (409 `identifier-taken`, naming the field), a number given up is free again.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter
from sqlalchemy import Select, Table

from api.http.commands import CommandDep
from api.http.deps import MaillageDep, PrincipalDep
from api.http.guard import GuardedRoute, admits
from api.http.params import IfMatch
from api.http.schemas.common import CommandResult
from api.http.schemas.identifiers import InstitutionIdentifiers, ProfessionalIdentifiers
from domain.access import KEEPING_THE_REGISTRY
from domain.identifiers import Scheme, parse_identifier

router = APIRouter(tags=["registry"], route_class=GuardedRoute)
KEEPING = admits(KEEPING_THE_REGISTRY)


@router.post(
    "/institutions/{institution_id}/identifiers",
    response_model=CommandResult,
    summary="Set an institution's FINESS and SIRET (admin)",
)
@KEEPING
def identify_institution(
    institution_id: UUID,
    body: InstitutionIdentifiers,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return command.run(
        "identify_institution",
        lambda: maillage.identify_institution(
            institution_id=institution_id, finess=body.finess, siret=body.siret
        ),
        target=institution_id,
        expected_version=if_match,
    )


@router.post(
    "/professionals/{professional_id}/identifiers",
    response_model=CommandResult,
    summary="Set a professional's RPPS and ADELI numbers (admin)",
)
@KEEPING
def identify_professional(
    professional_id: UUID,
    body: ProfessionalIdentifiers,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return command.run(
        "identify_professional",
        lambda: maillage.identify_professional(
            professional_id=professional_id, rpps=body.rpps, adeli=body.adeli
        ),
        target=professional_id,
        expected_version=if_match,
    )


def identifier_filters(query: Select[Any], table: Table, **numbers: str | None) -> Select[Any]:
    """`query` narrowed to the rows holding each number given (as people write it: checked and
    compacted first, so a malformed one is refused naming its parameter, never just unmatched)."""
    for field, value in numbers.items():
        if value is not None:
            query = query.where(table.c[field] == parse_identifier(Scheme(field), value))
    return query
