"""Delegations in the registry: a professional acting for an institution on named cases.

Administrators grant, extend and revoke them. Delegations name cases, so they are shown only to
administrators, to the delegate, and to supervisors of the delegating institution.
"""

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response
from sqlalchemy import Connection, select

from api.http.commands import CommandDep
from api.http.deps import ConnectionDep, MaillageDep, PrincipalDep, WordsDep
from api.http.guard import GuardedRoute, admits
from api.http.params import Cursor, IfMatch, Limit, etag, id_cursor
from api.http.registry_naming import delegation_items, delegation_read
from api.http.schemas.common import CommandResult, Page, page
from api.http.schemas.registry import (
    DelegationExtension,
    DelegationGrant,
    DelegationItem,
    DelegationRead,
    DelegationRevocation,
)
from domain.access import ANY_ROLE, KEEPING_THE_REGISTRY, Principal, Role
from domain.coherence_registry import DelegationTerms
from domain.delegation import Delegation
from domain.errors import AccessDeniedError
from domain.wording import N_
from projections.documents import DELEGATION_TERMS
from projections.tables import delegation_terms_view

router = APIRouter(tags=["registry"], route_class=GuardedRoute)
KEEPING = admits(KEEPING_THE_REGISTRY)
READING = admits(ANY_ROLE)  # each reader sees only their part


def check_delegation_reader(principal: Principal, institution_id: UUID, delegate: UUID) -> None:
    if principal.role is Role.ADMIN or principal.subject == delegate:
        return
    if principal.role is Role.SUPERVISOR and principal.institution_id == institution_id:
        return
    raise AccessDeniedError(
        N_(
            "a delegation is shown to administrators, to its delegate and to supervisors of "
            "the delegating institution"
        )
    )


def readable_delegations(
    conn: Connection,
    principal: Principal,
    *,
    limit: int,
    cursor: str | None = None,
    professional_id: UUID | None = None,
    institution_id: UUID | None = None,
    case_id: UUID | None = None,
) -> list[DelegationTerms]:
    """The delegations `principal` may list, by id, up to `limit + 1` (one more says there is a
    next page): an administrator all of them, a supervisor their institution's, anyone else
    their own — whatever filters they asked for (the list route, the console's agreements)."""
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
    return [DELEGATION_TERMS.load(row["terms"]) for row in conn.execute(query).mappings()]


@router.post(
    "/delegations",
    status_code=201,
    response_model=CommandResult,
    summary="Grant a delegation (admin)",
)
@KEEPING
def grant_delegation(
    body: DelegationGrant,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
) -> CommandResult:
    return command.run(
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
        created="/delegations",
    )


@router.get(
    "/delegations",
    response_model=Page[DelegationItem],
    summary="List delegations (admin: all; supervisor: their institution's; others: their own)",
)
@READING
def list_delegations(
    principal: PrincipalDep,
    conn: ConnectionDep,
    words: WordsDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    professional_id: UUID | None = None,
    institution_id: UUID | None = None,
    case_id: UUID | None = None,
) -> Page[Any]:
    items: list[dict[str, Any]] = [
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
        for terms in readable_delegations(
            conn,
            principal,
            limit=limit,
            cursor=id_cursor(cursor),
            professional_id=professional_id,
            institution_id=institution_id,
            case_id=case_id,
        )
    ]
    found = page(items, limit, "delegation_id")
    found.items = delegation_items(conn, found.items, words)
    return found


@router.get(
    "/delegations/{delegation_id}",
    response_model=DelegationRead,
    summary="Read a delegation (ETag: its version)",
)
@READING
def read_delegation(
    delegation_id: UUID,
    principal: PrincipalDep,
    maillage: MaillageDep,
    conn: ConnectionDep,
    words: WordsDep,
    response: Response,
) -> DelegationRead:
    d = maillage.load(Delegation, delegation_id, field="delegation_id")
    check_delegation_reader(principal, d.institution_id, d.professional_id)
    etag(response, d.version)
    return delegation_read(d, conn, words)


@router.post(
    "/delegations/{delegation_id}/extension",
    response_model=CommandResult,
    summary="Extend a delegation (admin)",
)
@KEEPING
def extend_delegation(
    delegation_id: UUID,
    body: DelegationExtension,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return command.run(
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
@KEEPING
def revoke_delegation(
    delegation_id: UUID,
    body: DelegationRevocation,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return command.run(
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
