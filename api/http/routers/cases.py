"""A beneficiary's shared case: every act of a case worker, recorded with who acted, for which
institution and on what basis (decided by the domain, never sent by the client).

The actor is the token's professional and institution. A case worker acts on the cases they take
part in or hold a delegation for; they join a case their institution is on or was referred to
(or with a delegation for it); reading the case's file is recorded with its purpose.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from uuid import UUID

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from api.http.deps import (
    CommandResult,
    IfMatch,
    MaillageDep,
    PrincipalDep,
    Purpose,
    etag,
    read_case,
    run_command,
)
from domain.access import CaseUse, Principal, Role, check_role
from domain.application import Maillage, Recorded
from domain.case import BeneficiaryIdentity, Consent, ErasureGround, Participant, Referral
from domain.grounds import GroundClaim
from domain.values import (
    ActionKind,
    Actor,
    AlertKind,
    ConsentGiver,
    InformationCategory,
    LegalFramework,
)

router = APIRouter(tags=["cases"])
ACTING = "acting on a case"


class Occurred(BaseModel):
    occurred_at: datetime | None = Field(
        default=None,
        description="When it happened, if not now (within the backdating window). With a zone.",
    )


class Beneficiary(BaseModel):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    birth_date: date | None = None


class CaseCreate(Occurred):
    beneficiary: Beneficiary
    legal_framework: LegalFramework
    role: str = Field(default="referent", min_length=1, max_length=100)

    def record(self, maillage: Maillage, by: Actor, case_id: UUID | None = None) -> Recorded:
        return maillage.open_case(
            beneficiary=BeneficiaryIdentity(
                self.beneficiary.first_name, self.beneficiary.last_name, self.beneficiary.birth_date
            ),
            legal_framework=self.legal_framework,
            by=by,
            role=self.role,
            occurred_at=self.occurred_at,
            case_id=case_id,
        )


class Reason(Occurred):
    reason: str = Field(min_length=1, max_length=2000)


class ConsentCreate(Occurred):
    giver: ConsentGiver
    recipients: list[UUID] = Field(min_length=1, max_length=100, description="Institutions.")
    categories: list[InformationCategory] = Field(min_length=1)
    representative_name: str | None = Field(default=None, max_length=200)
    valid_until: date | None = None


class Join(Occurred):
    role: str = Field(min_length=1, max_length=100, examples=["psychologue référente"])
    delegation_id: UUID | None = Field(
        default=None, description="The delegation you join under, if you hold one."
    )

    def record(self, maillage: Maillage, case_id: UUID, by: Actor) -> Recorded:
        return maillage.join_case(
            case_id=case_id,
            by=by,
            role=self.role,
            delegation_id=self.delegation_id,
            occurred_at=self.occurred_at,
        )


class ActorRef(BaseModel):
    professional_id: UUID
    institution_id: UUID

    def domain(self) -> Actor:
        return Actor(self.professional_id, self.institution_id)


class CoordinatorDesignation(Occurred):
    coordinator: ActorRef


class InterventionCreate(Occurred):
    kind: ActionKind
    summary: str | None = Field(default=None, max_length=10000)
    delegation_id: UUID | None = None

    def record(self, maillage: Maillage, case_id: UUID, by: Actor) -> Recorded:
        return maillage.record_intervention(
            case_id=case_id,
            by=by,
            kind=self.kind,
            summary=self.summary,
            delegation_id=self.delegation_id,
            occurred_at=self.occurred_at,
        )


class LegalGround(BaseModel):
    code: str = Field(min_length=1, max_length=100, examples=["shared_secrecy_child_protection"])
    attested: list[str] = Field(default_factory=list, description="Conditions you attest.")
    statements: dict[str, str] = Field(default_factory=dict)

    def domain(self) -> GroundClaim:
        return GroundClaim(self.code, tuple(self.attested), dict(self.statements))


class ShareCreate(Occurred):
    recipient_institution_id: UUID
    categories: list[InformationCategory] = Field(min_length=1)
    recipient_professional_id: UUID | None = None
    legal_ground: LegalGround | None = Field(
        default=None, description="Instead of consent: the legal ground you share under."
    )
    summary: str | None = Field(default=None, max_length=10000)
    delegation_id: UUID | None = None

    def record(self, maillage: Maillage, case_id: UUID, by: Actor) -> Recorded:
        return maillage.share_information(
            case_id=case_id,
            by=by,
            recipient_institution_id=self.recipient_institution_id,
            categories=[c.value for c in self.categories],
            recipient_professional_id=self.recipient_professional_id,
            legal_ground=self.legal_ground.domain() if self.legal_ground else None,
            summary=self.summary,
            delegation_id=self.delegation_id,
            occurred_at=self.occurred_at,
        )


class ConcerningInformation(Occurred):
    crip_institution_id: UUID
    summary: str = Field(min_length=1, max_length=10000)


class ReferralCreate(Occurred):
    to_institution_id: UUID
    reason: str = Field(min_length=1, max_length=2000)


class CoordinationMeeting(Occurred):
    attendees: list[ActorRef] = Field(min_length=1, max_length=200)
    decisions: list[str] = Field(default_factory=list, max_length=100)

    def record(self, maillage: Maillage, case_id: UUID, by: Actor) -> Recorded:
        return maillage.hold_coordination_meeting(
            case_id=case_id,
            by=by,
            attendees=[a.domain() for a in self.attendees],
            decisions=self.decisions,
            occurred_at=self.occurred_at,
        )


class Acknowledgement(Occurred):
    alert_kind: AlertKind
    versions: list[int] = Field(min_length=1, description="The case versions the alert named.")
    note: str = Field(min_length=1, max_length=2000)


class BeneficiaryRead(BaseModel):
    first_name: str
    last_name: str
    birth_date: date | None


class CaseRead(BaseModel):
    id: UUID
    version: int
    beneficiary: BeneficiaryRead
    legal_framework: str
    holder_institution_id: UUID
    participants: list[Participant]
    coordinator: Actor | None
    consents: list[Consent]
    referrals: list[Referral]
    closed: bool
    erased: bool = Field(
        description="The beneficiary's personal data was erased: the identity reads `[erased]`."
    )


def _act(
    name: str,
    case_id: UUID,
    use: CaseUse,
    principal: Principal,
    maillage: Maillage,
    request: Request,
    response: Response,
    if_match: int | None,
    action: Callable[[Actor], Recorded],
) -> CommandResult:
    check_role(principal, Role.CASE_WORKER, doing=ACTING)
    maillage.authorise_case(principal, case_id, use)
    actor = principal.actor
    return run_command(
        request, response, name, lambda: action(actor), target=case_id, expected_version=if_match
    )


@router.post(
    "/cases",
    status_code=201,
    response_model=CommandResult,
    summary="Open a case for a beneficiary (you become its referent)",
)
def open_case(
    body: CaseCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
) -> CommandResult:
    check_role(principal, Role.CASE_WORKER, doing="opening a case")
    actor = principal.actor
    result = run_command(
        request,
        response,
        "open_case",
        lambda: body.record(maillage, actor),
    )
    response.headers["Location"] = f"/cases/{result.id}"
    return result


@router.get(
    "/cases/{case_id}",
    response_model=CaseRead,
    summary="Read a case's file (recorded with your purpose; ETag: its version)",
)
def read_case_file(
    case_id: UUID,
    purpose: Purpose,
    principal: PrincipalDep,
    maillage: MaillageDep,
    response: Response,
) -> CaseRead:
    case = read_case(maillage, principal, case_id, use=CaseUse.READ, view="file", purpose=purpose)
    etag(response, case.version)
    b = case.beneficiary
    return CaseRead(
        id=case.id,
        version=case.version,
        beneficiary=BeneficiaryRead(
            first_name=b.first_name, last_name=b.last_name, birth_date=b.birth_date
        ),
        legal_framework=str(case.legal_framework),
        holder_institution_id=case.holder_institution_id,
        participants=list(case.participants),
        coordinator=case.coordinator,
        consents=list(case.consents),
        referrals=list(case.referrals),
        closed=case.closed,
        erased=case.erased,
    )


@router.post("/cases/{case_id}/closure", response_model=CommandResult, summary="Close the case")
def close_case(
    case_id: UUID,
    body: Reason,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _act(
        "close_case",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        request,
        response,
        if_match,
        lambda by: maillage.close_case(
            case_id=case_id, by=by, reason=body.reason, occurred_at=body.occurred_at
        ),
    )


@router.post(
    "/cases/{case_id}/reopening", response_model=CommandResult, summary="Reopen a closed case"
)
def reopen_case(
    case_id: UUID,
    body: Reason,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _act(
        "reopen_case",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        request,
        response,
        if_match,
        lambda by: maillage.reopen_case(
            case_id=case_id, by=by, reason=body.reason, occurred_at=body.occurred_at
        ),
    )


@router.post(
    "/cases/{case_id}/consents",
    response_model=CommandResult,
    summary="Record a consent to share (entity_id: the consent)",
)
def give_consent(
    case_id: UUID,
    body: ConsentCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _act(
        "give_consent",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        request,
        response,
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
def withdraw_consent(
    case_id: UUID,
    consent_id: UUID,
    body: Occurred,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _act(
        "withdraw_consent",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        request,
        response,
        if_match,
        lambda by: maillage.withdraw_consent(
            case_id=case_id, consent_id=consent_id, by=by, occurred_at=body.occurred_at
        ),
    )


@router.post(
    "/cases/{case_id}/participants",
    response_model=CommandResult,
    summary="Join the case (your institution is on it, was referred to it, or you hold a "
    "delegation for it)",
)
def join_case(
    case_id: UUID,
    body: Join,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _act(
        "join_case",
        case_id,
        CaseUse.JOIN,
        principal,
        maillage,
        request,
        response,
        if_match,
        lambda by: body.record(maillage, case_id, by),
    )


@router.post("/cases/{case_id}/departure", response_model=CommandResult, summary="Leave the case")
def leave_case(
    case_id: UUID,
    body: Occurred,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _act(
        "leave_case",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        request,
        response,
        if_match,
        lambda by: maillage.leave_case(case_id=case_id, by=by, occurred_at=body.occurred_at),
    )


@router.post(
    "/cases/{case_id}/coordinator",
    response_model=CommandResult,
    summary="Designate the case's coordinator (a participant)",
)
def designate_coordinator(
    case_id: UUID,
    body: CoordinatorDesignation,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _act(
        "designate_coordinator",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        request,
        response,
        if_match,
        lambda by: maillage.designate_coordinator(
            case_id=case_id,
            by=by,
            coordinator=body.coordinator.domain(),
            occurred_at=body.occurred_at,
        ),
    )


@router.post(
    "/cases/{case_id}/interventions",
    response_model=CommandResult,
    summary="Record an intervention",
)
def record_intervention(
    case_id: UUID,
    body: InterventionCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _act(
        "record_intervention",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        request,
        response,
        if_match,
        lambda by: body.record(maillage, case_id, by),
    )


@router.post(
    "/cases/{case_id}/shares",
    response_model=CommandResult,
    summary="Share information with another institution (under consent or a legal ground)",
)
def share_information(
    case_id: UUID,
    body: ShareCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _act(
        "share_information",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        request,
        response,
        if_match,
        lambda by: body.record(maillage, case_id, by),
    )


@router.post(
    "/cases/{case_id}/concerning-information",
    response_model=CommandResult,
    summary="Transmit concerning information to the département's CRIP",
)
def transmit_concerning_information(
    case_id: UUID,
    body: ConcerningInformation,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _act(
        "transmit_concerning_information",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        request,
        response,
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
def refer(
    case_id: UUID,
    body: ReferralCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _act(
        "refer",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        request,
        response,
        if_match,
        lambda by: maillage.refer(
            case_id=case_id,
            by=by,
            to_institution_id=body.to_institution_id,
            reason=body.reason,
            occurred_at=body.occurred_at,
        ),
    )


@router.post(
    "/cases/{case_id}/referrals/{referral_id}/acceptance",
    response_model=CommandResult,
    summary="Accept a referral made to your institution",
)
def accept_referral(
    case_id: UUID,
    referral_id: UUID,
    body: Occurred,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _act(
        "accept_referral",
        case_id,
        CaseUse.ANSWER_REFERRAL,
        principal,
        maillage,
        request,
        response,
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
def decline_referral(
    case_id: UUID,
    referral_id: UUID,
    body: Reason,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _act(
        "decline_referral",
        case_id,
        CaseUse.ANSWER_REFERRAL,
        principal,
        maillage,
        request,
        response,
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
def hold_coordination_meeting(
    case_id: UUID,
    body: CoordinationMeeting,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _act(
        "hold_coordination_meeting",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        request,
        response,
        if_match,
        lambda by: body.record(maillage, case_id, by),
    )


@router.post(
    "/cases/{case_id}/alert-acknowledgements",
    response_model=CommandResult,
    summary="Acknowledge an alert about past acts (the holding institution)",
)
def acknowledge_alert(
    case_id: UUID,
    body: Acknowledgement,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    return _act(
        "acknowledge_alert",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        request,
        response,
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


class ErasureCreate(BaseModel):
    ground: ErasureGround = Field(
        description="Why: the person's request (RGPD art. 17), an expired retention period, or "
        "a court order."
    )
    reference: str | None = Field(
        default=None, max_length=200, examples=["DPO-2026-114"], description="Its reference."
    )


@router.post(
    "/cases/{case_id}/erasure",
    response_model=CommandResult,
    summary="Erase the beneficiary's personal data (administrators; recorded, irreversible)",
    description=(
        "Records the erasure with its ground, closes the case for good, then destroys the "
        "beneficiary's key: every personal field of the case's events (identity, names, free "
        "texts) becomes unreadable, without rewriting the log. Acts, bases, institutions and "
        "counts stay. Asking again finishes an interrupted erasure, else answers 409."
    ),
)
def erase_beneficiary(
    case_id: UUID,
    body: ErasureCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing="erasing a beneficiary's personal data")
    return run_command(
        request,
        response,
        "erase_beneficiary",
        lambda: maillage.erase_beneficiary(
            case_id=case_id,
            ground=body.ground,
            reference=body.reference,
            requested_by=f"admin {principal.subject}",
        ),
    )
