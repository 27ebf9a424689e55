"""Partnerships between institutions: charters of shared values and operational conventions.

Administrators propose, sign, amend, suspend, resume and terminate them; every role reads them
(funders included: partnerships are what they finance, not a person's file).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response
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
from domain.access import Role, check_role
from domain.partnership import Partnership, PartyScope, Signature, Suspension
from domain.values import ActionKind, InformationCategory, PartnershipKind, PartnershipOrigin
from projections.documents import PARTNERSHIP_TERMS
from projections.tables import partnership_party_view, partnership_terms_view

router = APIRouter(tags=["partnerships"])
ADMIN = "keeping the partnerships"


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
    valid_from: date
    valid_until: date | None = None
    mandate_reference: str | None = Field(
        default=None, max_length=500, description="Required of a mandated partnership."
    )
    scopes: list[Scope] = Field(default_factory=list, description="Conventions only.")
    values_statement: str | None = Field(default=None, max_length=10000)


class SignatureCreate(BaseModel):
    institution_id: UUID
    signed_on: date
    signatory_id: UUID | None = None


class Amendment(BaseModel):
    reference: str = Field(min_length=1, max_length=500)
    valid_until: date | None = None
    scopes: list[Scope] | None = None


class Suspend(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)
    occurred_at: datetime | None = None


class Resume(BaseModel):
    occurred_at: datetime | None = None


class Terminate(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)
    terminated_on: date


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


@router.post(
    "/partnerships", status_code=201, response_model=CommandResult, summary="Propose (admin)"
)
def propose_partnership(
    body: PartnershipCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing=ADMIN)
    result = run_command(
        request,
        response,
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
    )
    response.headers["Location"] = f"/partnerships/{result.id}"
    return result


@router.get(
    "/partnerships",
    response_model=Page[PartnershipItem],
    summary="List partnerships, by party or kind (every role)",
)
def list_partnerships(
    principal: PrincipalDep,
    conn: ConnectionDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    institution_id: UUID | None = None,
    kind: PartnershipKind | None = None,
) -> Page[Any]:
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
    items = []
    for row in conn.execute(query).mappings():
        terms = PARTNERSHIP_TERMS.load(row["terms"])
        items.append(
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
        )
    return page(items, limit, "partnership_id")


@router.get(
    "/partnerships/{partnership_id}",
    response_model=PartnershipRead,
    summary="Read a partnership (ETag: its version)",
)
def read_partnership(
    partnership_id: UUID, principal: PrincipalDep, maillage: MaillageDep, response: Response
) -> PartnershipRead:
    p = maillage.load(Partnership, partnership_id, field="partnership_id")
    etag(response, p.version)
    return PartnershipRead(
        id=p.id,
        version=p.version,
        kind=str(p.kind),
        title=p.title,
        origin=str(p.origin),
        mandate_reference=p.mandate_reference,
        parties=list(p.parties),
        valid_from=p.valid_from,
        valid_until=p.valid_until,
        scopes=list(p.scopes),
        values_statement=p.values_statement,
        signatures=list(p.signatures),
        suspensions=list(p.suspensions),
        terminated_on=p.terminated_on,
    )


def _change(
    name: str,
    partnership_id: UUID,
    principal: PrincipalDep,
    request: Request,
    response: Response,
    if_match: int | None,
    action: Any,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing=ADMIN)
    return run_command(
        request, response, name, action, target=partnership_id, expected_version=if_match
    )


@router.post(
    "/partnerships/{partnership_id}/signatures",
    response_model=CommandResult,
    summary="Record a party's signature (admin)",
)
def sign_partnership(
    partnership_id: UUID,
    body: SignatureCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _change(
        "sign_partnership",
        partnership_id,
        principal,
        request,
        response,
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
def amend_partnership(
    partnership_id: UUID,
    body: Amendment,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _change(
        "amend_partnership",
        partnership_id,
        principal,
        request,
        response,
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
def suspend_partnership(
    partnership_id: UUID,
    body: Suspend,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _change(
        "suspend_partnership",
        partnership_id,
        principal,
        request,
        response,
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
def resume_partnership(
    partnership_id: UUID,
    body: Resume,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _change(
        "resume_partnership",
        partnership_id,
        principal,
        request,
        response,
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
def terminate_partnership(
    partnership_id: UUID,
    body: Terminate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _change(
        "terminate_partnership",
        partnership_id,
        principal,
        request,
        response,
        if_match,
        lambda: maillage.terminate_partnership(
            partnership_id=partnership_id,
            reason=body.reason,
            terminated_on=body.terminated_on,
        ),
    )
