"""Partnerships between institutions: charters of shared values and operational conventions.

Administrators propose, sign, amend, suspend, resume and terminate them; every role reads them
(funders included: partnerships are what they finance, not a person's file).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response
from sqlalchemy import Connection, select

from api.http.commands import Command, CommandDep
from api.http.deps import ConnectionDep, MaillageDep, PrincipalDep, WordsDep
from api.http.guard import GuardedRoute, admits
from api.http.params import Cursor, IfMatch, Limit, etag, id_cursor
from api.http.registry_naming import partnership_items, partnership_read
from api.http.schemas.common import CommandResult, Page, page
from api.http.schemas.partnerships import (
    Amendment,
    PartnershipCreate,
    PartnershipItem,
    PartnershipRead,
    Resume,
    SignatureCreate,
    Suspend,
    Terminate,
)
from domain.access import ANY_ROLE, KEEPING_THE_REGISTRY
from domain.coherence_registry import PartnershipTerms
from domain.partnership import Partnership
from domain.values import PartnershipKind
from projections.documents import PARTNERSHIP_TERMS
from projections.tables import partnership_party_view, partnership_terms_view

router = APIRouter(tags=["partnerships"], route_class=GuardedRoute)
KEEPING = admits(KEEPING_THE_REGISTRY)
READING = admits(ANY_ROLE)  # funders too: partnerships are what they finance


def listed_partnerships(
    conn: Connection,
    *,
    limit: int,
    cursor: str | None = None,
    institution_id: UUID | None = None,
    kind: PartnershipKind | None = None,
) -> list[PartnershipTerms]:
    """Partnerships by id, up to `limit + 1` (one more says there is a next page): those
    `institution_id` is party to, of `kind` (the list route, the console's agreements)."""
    t = partnership_terms_view
    query = select(t).order_by(t.c.partnership_id).limit(limit + 1)
    if cursor is not None:
        query = query.where(t.c.partnership_id > cursor)
    if kind is not None:
        query = query.where(t.c.kind == kind.value)
    if institution_id is not None:
        parties = partnership_party_view
        query = query.where(
            t.c.partnership_id.in_(
                select(parties.c.partnership_id).where(
                    parties.c.institution_id == str(institution_id)
                )
            )
        )
    return [PARTNERSHIP_TERMS.load(row["terms"]) for row in conn.execute(query).mappings()]


@router.post(
    "/partnerships", status_code=201, response_model=CommandResult, summary="Propose (admin)"
)
@KEEPING
def propose_partnership(
    body: PartnershipCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
) -> CommandResult:
    return command.run(
        "propose_partnership",
        lambda: maillage.propose_partnership(
            kind=body.kind,
            title=body.title,
            origin=body.origin,
            parties=body.parties,
            valid_from=body.valid_from,
            valid_until=body.valid_until,
            mandate_reference=body.mandate_reference,
            scopes=[s.domain() for s in body.scopes],
            values_statement=body.values_statement,
        ),
        created="/partnerships",
    )


@router.get(
    "/partnerships",
    response_model=Page[PartnershipItem],
    summary="List partnerships, by party or kind (every role)",
)
@READING
def list_partnerships(
    principal: PrincipalDep,
    conn: ConnectionDep,
    words: WordsDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    institution_id: UUID | None = None,
    kind: PartnershipKind | None = None,
) -> Page[Any]:
    items = [
        {
            "partnership_id": terms.partnership_id,
            "kind": terms.kind,
            "title": terms.title,
            "parties": list(terms.parties),
            "valid_from": terms.valid_from,
            "valid_until": terms.valid_until,
            "signed_by": list(terms.signed_by),
            "terminated_on": terms.terminated_on,
        }
        for terms in listed_partnerships(
            conn, limit=limit, cursor=id_cursor(cursor), institution_id=institution_id, kind=kind
        )
    ]
    found = page(items, limit, "partnership_id")
    found.items = partnership_items(conn, found.items, words)
    return found


@router.get(
    "/partnerships/{partnership_id}",
    response_model=PartnershipRead,
    summary="Read a partnership (ETag: its version)",
)
@READING
def read_partnership(
    partnership_id: UUID,
    principal: PrincipalDep,
    maillage: MaillageDep,
    conn: ConnectionDep,
    words: WordsDep,
    response: Response,
) -> PartnershipRead:
    p = maillage.load(Partnership, partnership_id, field="partnership_id")
    etag(response, p.version)
    return partnership_read(p, conn, words)


def _change(
    name: str,
    partnership_id: UUID,
    command: Command,
    if_match: int | None,
    action: Any,
) -> CommandResult:
    return command.run(name, action, target=partnership_id, expected_version=if_match)


@router.post(
    "/partnerships/{partnership_id}/signatures",
    response_model=CommandResult,
    summary="Record a party's signature (admin)",
)
@KEEPING
def sign_partnership(
    partnership_id: UUID,
    body: SignatureCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return _change(
        "sign_partnership",
        partnership_id,
        command,
        if_match,
        lambda: maillage.sign_partnership(
            partnership_id=partnership_id,
            institution_id=body.institution_id,
            signed_on=body.signed_on,
            signatory_id=body.signatory_id,
        ),
    )


@router.post(
    "/partnerships/{partnership_id}/amendments",
    response_model=CommandResult,
    summary="Amend its end or scopes (admin)",
)
@KEEPING
def amend_partnership(
    partnership_id: UUID,
    body: Amendment,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return _change(
        "amend_partnership",
        partnership_id,
        command,
        if_match,
        lambda: maillage.amend_partnership(
            partnership_id=partnership_id,
            reference=body.reference,
            valid_until=body.valid_until,
            scopes=[s.domain() for s in body.scopes] if body.scopes is not None else None,
        ),
    )


@router.post(
    "/partnerships/{partnership_id}/suspension",
    response_model=CommandResult,
    summary="Suspend it (admin)",
)
@KEEPING
def suspend_partnership(
    partnership_id: UUID,
    body: Suspend,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return _change(
        "suspend_partnership",
        partnership_id,
        command,
        if_match,
        lambda: maillage.suspend_partnership(
            partnership_id=partnership_id, reason=body.reason, occurred_at=body.occurred_at
        ),
    )


@router.post(
    "/partnerships/{partnership_id}/resumption",
    response_model=CommandResult,
    summary="Resume it after a suspension (admin)",
)
@KEEPING
def resume_partnership(
    partnership_id: UUID,
    body: Resume,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return _change(
        "resume_partnership",
        partnership_id,
        command,
        if_match,
        lambda: maillage.resume_partnership(
            partnership_id=partnership_id, occurred_at=body.occurred_at
        ),
    )


@router.post(
    "/partnerships/{partnership_id}/termination",
    response_model=CommandResult,
    summary="Terminate it (admin)",
)
@KEEPING
def terminate_partnership(
    partnership_id: UUID,
    body: Terminate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return _change(
        "terminate_partnership",
        partnership_id,
        command,
        if_match,
        lambda: maillage.terminate_partnership(
            partnership_id=partnership_id,
            reason=body.reason,
            terminated_on=body.terminated_on,
        ),
    )
