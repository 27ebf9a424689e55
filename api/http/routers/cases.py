"""A beneficiary's shared case: every act of a case worker, recorded with who acted, for which
institution and on what basis (decided by the domain, never sent by the client).

The actor is the token's professional and institution. A case worker acts on the cases they take
part in or hold a delegation for; they join a case their institution is on or was referred to
(or with a delegation for it); reading the case's file is recorded with its purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from fastapi import APIRouter, Response

from api.http.commands import Command, CommandDep
from api.http.deps import ConnectionDep, MaillageDep, PrincipalDep, WordsDep
from api.http.guard import GuardedRoute, admits
from api.http.naming import case_file
from api.http.params import IfMatch, Purpose, etag, read_case
from api.http.schemas.cases import (
    CaseCreate,
    CaseRead,
    CoordinatorDesignation,
    ErasureCreate,
    Join,
    Occurred,
    Reason,
)
from api.http.schemas.common import CommandResult
from domain.access import (
    CASE_ADMISSIONS,
    ERASING_PERSONAL_DATA,
    OPENING_A_CASE,
    CaseUse,
    Principal,
)
from domain.application import Maillage, Recorded
from domain.values import Actor

router = APIRouter(tags=["cases"], route_class=GuardedRoute)
READING = admits(CASE_ADMISSIONS[CaseUse.READ])
ACTING = admits(CASE_ADMISSIONS[CaseUse.ACT])


def act_on_case(
    name: str,
    case_id: UUID,
    use: CaseUse,
    principal: Principal,
    maillage: Maillage,
    command: Command,
    if_match: int | None,
    action: Callable[[Actor], Recorded],
) -> CommandResult:
    """Authorise the caller, then run the action: the case, the acting professional and what
    the basis needs are loaded once for both (`Maillage.loads_shared`)."""
    with maillage.loads_shared():
        maillage.authorise_case(principal, case_id, use)
        actor = principal.actor
        return command.run(name, lambda: action(actor), target=case_id, expected_version=if_match)


@router.post(
    "/cases",
    status_code=201,
    response_model=CommandResult,
    summary="Open a case for a beneficiary (you become its referent)",
)
@admits(OPENING_A_CASE)
def open_case(
    body: CaseCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
) -> CommandResult:
    actor = principal.actor
    return command.run(
        "open_case",
        lambda: body.record(maillage, actor),
        created="/cases",
    )


@router.get(
    "/cases/{case_id}",
    response_model=CaseRead,
    summary="Read a case's file (recorded with your purpose; ETag: its version)",
)
@READING
def read_case_file(
    case_id: UUID,
    purpose: Purpose,
    principal: PrincipalDep,
    maillage: MaillageDep,
    conn: ConnectionDep,
    words: WordsDep,
    response: Response,
) -> CaseRead:
    case = read_case(maillage, principal, case_id, use=CaseUse.READ, view="file", purpose=purpose)
    etag(response, case.version)
    time = maillage.time
    return case_file(case, conn, words, at=time.now(), referral_expiry=time.referral_expiry)


@router.post("/cases/{case_id}/closure", response_model=CommandResult, summary="Close the case")
@ACTING
def close_case(
    case_id: UUID,
    body: Reason,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "close_case",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.close_case(
            case_id=case_id, by=by, reason=body.reason, occurred_at=body.occurred_at
        ),
    )


@router.post(
    "/cases/{case_id}/reopening", response_model=CommandResult, summary="Reopen a closed case"
)
@ACTING
def reopen_case(
    case_id: UUID,
    body: Reason,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "reopen_case",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.reopen_case(
            case_id=case_id, by=by, reason=body.reason, occurred_at=body.occurred_at
        ),
    )


@router.post(
    "/cases/{case_id}/participants",
    response_model=CommandResult,
    summary="Join the case (your institution is on it, was referred to it, or you hold a "
    "delegation for it)",
)
@admits(CASE_ADMISSIONS[CaseUse.JOIN])
def join_case(
    case_id: UUID,
    body: Join,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "join_case",
        case_id,
        CaseUse.JOIN,
        principal,
        maillage,
        command,
        if_match,
        lambda by: body.record(maillage, case_id, by),
    )


@router.post("/cases/{case_id}/departure", response_model=CommandResult, summary="Leave the case")
@ACTING
def leave_case(
    case_id: UUID,
    body: Occurred,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "leave_case",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.leave_case(case_id=case_id, by=by, occurred_at=body.occurred_at),
    )


@router.post(
    "/cases/{case_id}/coordinator",
    response_model=CommandResult,
    summary="Designate the case's coordinator (a participant)",
)
@ACTING
def designate_coordinator(
    case_id: UUID,
    body: CoordinatorDesignation,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "designate_coordinator",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.designate_coordinator(
            case_id=case_id,
            by=by,
            coordinator=body.coordinator.domain(),
            occurred_at=body.occurred_at,
        ),
    )


@router.post(
    "/cases/{case_id}/erasure",
    response_model=CommandResult,
    summary="Erase the beneficiary's personal data (data-protection officers; recorded, "
    "irreversible)",
)
@admits(ERASING_PERSONAL_DATA)
def erase_beneficiary(
    case_id: UUID,
    body: ErasureCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
) -> CommandResult:
    maillage.authorise_rights(principal, case_id, ERASING_PERSONAL_DATA)
    return command.run(
        "erase_beneficiary",
        lambda: maillage.erase_beneficiary(
            case_id=case_id,
            ground=body.ground,
            reference=body.reference,
            requested_by=f"dpo {principal.subject}",
        ),
    )
