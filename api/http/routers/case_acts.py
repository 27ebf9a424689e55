"""What case workers record on a case, each under the same rules as every act on it
(`cases.act_on_case`): consents, interventions, shares of information, concerning information,
referrals and their answers, coordination meetings — and what supervisors record on it: their
acknowledgements of alerts about past acts."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter

from api.http.commands import CommandDep
from api.http.deps import MaillageDep, PrincipalDep
from api.http.guard import GuardedRoute, admits
from api.http.params import IfMatch
from api.http.routers.cases import ACTING, act_on_case
from api.http.schemas.cases import (
    Acknowledgement,
    ConcerningInformation,
    ConsentCreate,
    CoordinationMeeting,
    InterventionCreate,
    Occurred,
    Reason,
    ReferralCreate,
    ShareCreate,
)
from api.http.schemas.common import CommandResult
from domain.access import CASE_ADMISSIONS, CaseUse

router = APIRouter(tags=["cases"], route_class=GuardedRoute)
ANSWERING = admits(CASE_ADMISSIONS[CaseUse.ANSWER_REFERRAL])
ACKNOWLEDGING = admits(CASE_ADMISSIONS[CaseUse.ACKNOWLEDGE])


@router.post(
    "/cases/{case_id}/consents",
    response_model=CommandResult,
    summary="Record a consent to share (entity_id: the consent)",
)
@ACTING
def give_consent(
    case_id: UUID,
    body: ConsentCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "give_consent",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.give_consent(
            case_id=case_id,
            by=by,
            giver=body.giver,
            recipients=body.recipients,
            categories=[c.value for c in body.categories],
            representative_name=body.representative_name,
            valid_until=body.valid_until,
            occurred_at=body.occurred_at,
        ),
    )


@router.post(
    "/cases/{case_id}/consents/{consent_id}/withdrawal",
    response_model=CommandResult,
    summary="Record that a consent was withdrawn",
)
@ACTING
def withdraw_consent(
    case_id: UUID,
    consent_id: UUID,
    body: Occurred,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "withdraw_consent",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.withdraw_consent(
            case_id=case_id, consent_id=consent_id, by=by, occurred_at=body.occurred_at
        ),
    )


@router.post(
    "/cases/{case_id}/interventions",
    response_model=CommandResult,
    summary="Record an intervention",
)
@ACTING
def record_intervention(
    case_id: UUID,
    body: InterventionCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "record_intervention",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        command,
        if_match,
        lambda by: body.record(maillage, case_id, by),
    )


@router.post(
    "/cases/{case_id}/shares",
    response_model=CommandResult,
    summary="Share information with another institution (under consent or a legal ground)",
)
@ACTING
def share_information(
    case_id: UUID,
    body: ShareCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "share_information",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        command,
        if_match,
        lambda by: body.record(maillage, case_id, by),
    )


@router.post(
    "/cases/{case_id}/concerning-information",
    response_model=CommandResult,
    summary="Transmit concerning information to the département's CRIP",
)
@ACTING
def transmit_concerning_information(
    case_id: UUID,
    body: ConcerningInformation,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "transmit_concerning_information",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.transmit_concerning_information(
            case_id=case_id,
            by=by,
            crip_institution_id=body.crip_institution_id,
            summary=body.summary,
            occurred_at=body.occurred_at,
        ),
    )


@router.post(
    "/cases/{case_id}/referrals",
    response_model=CommandResult,
    summary="Refer the case to another institution (entity_id: the referral)",
)
@ACTING
def refer(
    case_id: UUID,
    body: ReferralCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "refer",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        command,
        if_match,
        lambda by: body.record(maillage, case_id, by),
    )


@router.post(
    "/cases/{case_id}/referrals/{referral_id}/acceptance",
    response_model=CommandResult,
    summary="Accept a referral made to your institution",
)
@ANSWERING
def accept_referral(
    case_id: UUID,
    referral_id: UUID,
    body: Occurred,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "accept_referral",
        case_id,
        CaseUse.ANSWER_REFERRAL,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.accept_referral(
            case_id=case_id, referral_id=referral_id, by=by, occurred_at=body.occurred_at
        ),
    )


@router.post(
    "/cases/{case_id}/referrals/{referral_id}/decline",
    response_model=CommandResult,
    summary="Decline a referral made to your institution",
)
@ANSWERING
def decline_referral(
    case_id: UUID,
    referral_id: UUID,
    body: Reason,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "decline_referral",
        case_id,
        CaseUse.ANSWER_REFERRAL,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.decline_referral(
            case_id=case_id,
            referral_id=referral_id,
            by=by,
            reason=body.reason,
            occurred_at=body.occurred_at,
        ),
    )


@router.post(
    "/cases/{case_id}/coordination-meetings",
    response_model=CommandResult,
    summary="Record a coordination meeting on the case",
)
@ACTING
def hold_coordination_meeting(
    case_id: UUID,
    body: CoordinationMeeting,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "hold_coordination_meeting",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        command,
        if_match,
        lambda by: body.record(maillage, case_id, by),
    )


@router.post(
    "/cases/{case_id}/alert-acknowledgements",
    response_model=CommandResult,
    summary="Acknowledge an alert about past acts, with a note (supervisors of an institution on "
    "the case)",
)
@ACKNOWLEDGING
def acknowledge_alert(
    case_id: UUID,
    body: Acknowledgement,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "acknowledge_alert",
        case_id,
        CaseUse.ACKNOWLEDGE,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.acknowledge_alert(
            case_id=case_id,
            by=by,
            alert_kind=body.alert_kind,
            versions=body.versions,
            note=body.note,
            occurred_at=body.occurred_at,
        ),
    )
