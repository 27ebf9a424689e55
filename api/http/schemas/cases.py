"""The bodies and answers of the cases routes (`api.http.routers.cases`)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from api.http.schemas.case_file import (
    ActorRead,
    ConsentRead,
    HolderRead,
    HoldingInstitutionRead,
    ParticipantRead,
    ReferralRead,
    TransferRead,
)
from api.http.schemas.common import RequestBody
from api.http.schemas.dates import IsoDate, IsoDateTime
from api.http.schemas.naming import Label, Name
from domain.application import Maillage, Recorded
from domain.case import BeneficiaryIdentity
from domain.case_values import ErasureGround
from domain.grounds import GroundClaim
from domain.values import (
    ActionKind,
    Actor,
    AlertKind,
    ConsentGiver,
    InformationCategory,
    LegalFramework,
)


class Occurred(RequestBody):
    occurred_at: IsoDateTime | None = Field(
        default=None,
        description="When it happened, if not now (within the backdating window). With a zone.",
    )


class Beneficiary(RequestBody):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    birth_date: IsoDate | None = None


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
    valid_until: IsoDate | None = None


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


class ActorRef(RequestBody):
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


class LegalGround(RequestBody):
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
    categories: list[InformationCategory] | None = Field(
        default=None,
        min_length=1,
        description="What the referral shares about the person (information categories); "
        '`["identity"]` when omitted. A consent in force must cover the referred institution '
        "for each, unless `legal_ground` is given.",
    )
    legal_ground: LegalGround | None = Field(
        default=None, description="Instead of consent: the legal ground the referral shares under."
    )

    def record(self, maillage: Maillage, case_id: UUID, by: Actor) -> Recorded:
        return maillage.refer(
            case_id=case_id,
            by=by,
            to_institution_id=self.to_institution_id,
            reason=self.reason,
            categories=[c.value for c in self.categories] if self.categories else None,
            legal_ground=self.legal_ground.domain() if self.legal_ground else None,
            occurred_at=self.occurred_at,
        )


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
    """A case's file: every id with the registry's current name beside it, every code with its
    label in the answer's language (`api.http.schemas.naming`)."""

    id: UUID
    version: int
    beneficiary: BeneficiaryRead
    legal_framework: str
    legal_framework_label: Label
    holder_institution_id: UUID
    holder_institution_name: Name
    holder: HoldingInstitutionRead = Field(description="The institution holding the case now.")
    holders: list[HolderRead] = Field(
        description="Each institution that held the case, with its dates, the current one last."
    )
    participants: list[ParticipantRead]
    coordinator: ActorRead | None = Field(
        description="The référent de parcours (kept under this name too: `referent`)."
    )
    referent: ActorRead | None = Field(
        description="The référent de parcours: the professional responsible for the coherence "
        "of the person's path, designated by the holding institution (the same as "
        "`coordinator`)."
    )
    consents: list[ConsentRead]
    referrals: list[ReferralRead]
    transfers: list[TransferRead] = Field(
        description="Every request that another institution hold the case, and its answer."
    )
    closed: bool
    erased: bool = Field(
        description="The beneficiary's personal data was erased: the identity reads `[erased]`."
    )


class ErasureCreate(RequestBody):
    ground: ErasureGround = Field(
        description="Why: the person's request (RGPD art. 17), an expired retention period, or "
        "a court order."
    )
    reference: str | None = Field(
        default=None, max_length=200, examples=["DPO-2026-114"], description="Its reference."
    )
