"""Who holds a case and who is its référent de parcours: transfer requests and their answers
(case workers taking part, or supervisors, for an institution on the case), the référent
designated by a supervisor of the holding institution, and an institution's list of transfers to
answer or sent. Each act follows `cases.act_on_case`; the rules are `domain.case_holding`'s."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from sqlalchemy import Connection

from api.http.commands import CommandDep
from api.http.deps import ConnectionDep, MaillageDep, PrincipalDep
from api.http.guard import GuardedRoute, admits
from api.http.params import Cursor, IfMatch, Limit
from api.http.routers.cases import act_on_case
from api.http.schemas.cases import Occurred, Reason
from api.http.schemas.common import CommandResult, Page, page
from api.http.schemas.holding import ReferentAssignment, TransferCreate, TransferEntry
from domain.access import CASE_ADMISSIONS, READING_TRANSFERS, CaseUse, Principal
from domain.application import Maillage
from domain.errors import AccessDeniedError, InvalidValueError, NotEmployedError, NotFoundError
from domain.wording import N_
from projections.names import names
from projections.transfers import transfers

router = APIRouter(tags=["cases"], route_class=GuardedRoute)
TRANSFERRING = admits(CASE_ADMISSIONS[CaseUse.TRANSFER])
_INSTANT = "%Y-%m-%dT%H:%M:%S.%fZ"  # a request's instant in a cursor, in UTC

Box = Annotated[
    Literal["to_answer", "sent"],
    Query(
        description="`to_answer`: the transfers your institution answers (offered to it, or "
        "asked of it as holder). `sent`: those it asked for."
    ),
]
Status = Annotated[
    Literal["pending", "accepted", "declined", "withdrawn"] | None,
    Query(description="Only the transfers in this state."),
]
CaseFilter = Annotated[UUID | None, Query(description="Only the transfers of this case.")]


@router.post(
    "/cases/{case_id}/transfers",
    response_model=CommandResult,
    summary="Offer the case to another institution on it, or ask that yours hold it "
    "(entity_id: the transfer)",
)
@TRANSFERRING
def request_transfer(
    case_id: UUID,
    body: TransferCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "request_transfer",
        case_id,
        CaseUse.TRANSFER,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.request_transfer(
            case_id=case_id,
            by=by,
            to_institution_id=body.to_institution_id,
            reason=body.reason,
            occurred_at=body.occurred_at,
        ),
    )


@router.post(
    "/cases/{case_id}/transfers/{transfer_id}/acceptance",
    response_model=CommandResult,
    summary="Accept a transfer your institution answers: the case changes holder",
)
@TRANSFERRING
def accept_transfer(
    case_id: UUID,
    transfer_id: UUID,
    body: Occurred,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "accept_transfer",
        case_id,
        CaseUse.TRANSFER,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.accept_transfer(
            case_id=case_id, transfer_id=transfer_id, by=by, occurred_at=body.occurred_at
        ),
    )


@router.post(
    "/cases/{case_id}/transfers/{transfer_id}/refusal",
    response_model=CommandResult,
    summary="Decline a transfer your institution answers, with the reason",
)
@TRANSFERRING
def decline_transfer(
    case_id: UUID,
    transfer_id: UUID,
    body: Reason,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "decline_transfer",
        case_id,
        CaseUse.TRANSFER,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.decline_transfer(
            case_id=case_id,
            transfer_id=transfer_id,
            by=by,
            reason=body.reason,
            occurred_at=body.occurred_at,
        ),
    )


@router.post(
    "/cases/{case_id}/transfers/{transfer_id}/withdrawal",
    response_model=CommandResult,
    summary="Withdraw a transfer your institution asked for, before it is answered",
)
@TRANSFERRING
def withdraw_transfer(
    case_id: UUID,
    transfer_id: UUID,
    body: Occurred,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "withdraw_transfer",
        case_id,
        CaseUse.TRANSFER,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.withdraw_transfer(
            case_id=case_id, transfer_id=transfer_id, by=by, occurred_at=body.occurred_at
        ),
    )


@router.post(
    "/cases/{case_id}/referent",
    response_model=CommandResult,
    summary="Designate or replace the case's référent de parcours (supervisors of the holding "
    "institution)",
)
@admits(CASE_ADMISSIONS[CaseUse.ASSIGN_REFERENT])
def assign_referent(
    case_id: UUID,
    body: ReferentAssignment,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "assign_referent",
        case_id,
        CaseUse.ASSIGN_REFERENT,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.assign_referent(
            case_id=case_id,
            by=by,
            referent=body.referent.domain(),
            occurred_at=body.occurred_at,
        ),
    )


@router.get(
    "/transfers",
    response_model=Page[TransferEntry],
    summary="Your institution's transfer requests: to answer, or sent",
)
@admits(READING_TRANSFERS)
def list_transfers(
    principal: PrincipalDep,
    maillage: MaillageDep,
    conn: ConnectionDep,
    box: Box = "to_answer",
    status: Status = None,
    case_id: CaseFilter = None,
    limit: Limit = 100,
    cursor: Cursor = None,
) -> Page[Any]:
    institution_id = _institution_of(principal, maillage)
    return transfer_page(conn, institution_id, box, status, case_id, cursor, limit)


def transfer_page(
    conn: Connection,
    institution_id: UUID,
    box: str,
    status: str | None,
    case_id: UUID | None,
    cursor: str | None,
    limit: int,
) -> Page[Any]:
    """One page of an institution's transfer requests, named (`GET /transfers`, `/me/work`)."""
    rows = transfers(
        conn,
        institution_id,
        box=box,
        status=status,
        case_id=case_id,
        after=_after(cursor),
        limit=limit,
    )
    for row in rows:
        row["key"] = f"{row['requested_at'].strftime(_INSTANT)}|{row['transfer_id']}"
    found = page(rows, limit, "key")
    found.items = _named(conn, found.items)
    return found


def _institution_of(principal: Principal, maillage: Maillage) -> UUID:
    """The token's institution, if the registry says its professional is employed there now."""
    actor = principal.actor
    try:
        maillage.acting_professional(actor, maillage.time.now())
    except (NotFoundError, NotEmployedError):
        raise AccessDeniedError(
            N_("the token's professional is not employed by the institution it names")
        ) from None
    return actor.institution_id


def _after(cursor: str | None) -> tuple[datetime, str] | None:
    if cursor is None:
        return None
    at, _, transfer_id = cursor.partition("|")
    try:
        instant = datetime.fromisoformat(at)
        UUID(transfer_id)
    except ValueError:
        raise InvalidValueError(
            N_("this cursor is not one this list returned"), field="cursor"
        ) from None
    if instant.tzinfo is None:
        raise InvalidValueError(N_("this cursor is not one this list returned"), field="cursor")
    try:
        instant = instant.astimezone(UTC)  # 0001-01-01T00:00+05:00 has no UTC instant
    except OverflowError:
        raise InvalidValueError(
            N_("this cursor is not one this list returned"), field="cursor"
        ) from None
    return instant, transfer_id


def _named(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each row with the current names of its institutions and people (one query per kind)."""
    places = ("from_institution_id", "to_institution_id", "requesting_institution_id")
    people = [UUID(r[k]) for r in rows for k in ("requested_by", "answered_by") if r[k]]
    institutions = [UUID(r[k]) for r in rows for k in (*places, "answering_institution_id")]
    found = names(conn, professionals=people, institutions=institutions)
    named = []
    for r in rows:
        entry = {k: v for k, v in r.items() if k != "key"}
        for k in (*places, "answering_institution_id"):
            entry[k.removesuffix("_id") + "_name"] = found.institution(UUID(r[k]))
        for k in ("requested_by", "answered_by"):
            entry[f"{k}_name"] = found.professional(UUID(r[k])) if r[k] else None
        named.append(entry)
    return named
