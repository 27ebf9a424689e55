"""Correcting or annulling an act recorded in error: its author within the correction window
after recording it, a supervisor of its institution at any time (`domain.case_corrections`)."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from api.http.commands import CommandDep
from api.http.deps import MaillageDep, PrincipalDep
from api.http.guard import GuardedRoute, admits
from api.http.params import IfMatch
from api.http.routers.cases import act_on_case
from api.http.schemas.common import CommandResult
from api.http.schemas.corrections import ActAnnulment, ActCorrection
from domain.access import CASE_ADMISSIONS, CaseUse, Role

router = APIRouter(tags=["cases"], route_class=GuardedRoute)
CORRECTING = admits(CASE_ADMISSIONS[CaseUse.CORRECT])


@router.post(
    "/cases/{case_id}/acts/{act_id}/correction",
    response_model=CommandResult,
    summary="Correct an intervention recorded in error: its kind, date or summary "
    "(entity_id: the act)",
)
@CORRECTING
def correct_act(
    case_id: UUID,
    act_id: UUID,
    body: ActCorrection,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "correct_act",
        case_id,
        CaseUse.CORRECT,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.correct_act(
            case_id=case_id,
            act_id=act_id,
            by=by,
            supervisor=principal.role is Role.SUPERVISOR,
            reason=body.reason,
            kind=body.kind,
            act_occurred_at=body.act_occurred_at,
            summary=body.summary,
        ),
    )


@router.post(
    "/cases/{case_id}/acts/{act_id}/annulment",
    response_model=CommandResult,
    summary="Annul an intervention, a coordination meeting or a share recorded in error "
    "(entity_id: the act)",
)
@CORRECTING
def annul_act(
    case_id: UUID,
    act_id: UUID,
    body: ActAnnulment,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "annul_act",
        case_id,
        CaseUse.CORRECT,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.annul_act(
            case_id=case_id,
            act_id=act_id,
            by=by,
            supervisor=principal.role is Role.SUPERVISOR,
            reason=body.reason,
        ),
    )
