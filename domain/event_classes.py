"""The aggregates' event classes under names mypy knows (grouped in `domain.events`).

The aggregates' events are made by `@event` when their class is created, so mypy cannot see
`Case.InterventionRecorded`. Here each one gets a module-level name bound to the real class at
run time — what dispatch is keyed on, what `isinstance` tests — and, for the type checker only,
a stub listing the fields readers use (`tests/unit/test_event_dispatch.py` checks each stub
against the real class). Nothing here is stored: events are written and decoded by their topic
(`domain.case:Case.InterventionRecorded`), which names the real class.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from eventsourcing.domain import DomainEvent

from domain.case import Case
from domain.consultation import Consultation
from domain.delegation import Delegation
from domain.funding import Funding
from domain.institution import Institution
from domain.network import Network
from domain.partnership import Partnership
from domain.professional import Professional

if TYPE_CHECKING:
    from domain.grounds import GroundClaim
    from domain.network import Invitation, Member
    from domain.partnership import PartyScope, Signature
    from domain.professional import DelegationRef
    from domain.values import Actor, Basis

    # --- a case ---------------------------------------------------------------------------

    class CaseEvent(DomainEvent):
        occurred_at: datetime

    class CaseAct(CaseEvent):
        """An act of a professional on the case: every case event but the erasure."""

        by: Actor
        basis: Basis

    class CaseOpened(CaseAct):
        beneficiary: Any  # sealed in the log (`domain.privacy`)
        legal_framework: str
        role: str

    class ConsentGiven(CaseAct):
        consent_id: UUID
        giver: str
        representative_name: Any  # sealed
        recipients: list[UUID]
        categories: list[str]
        valid_until: date | None

    class ConsentWithdrawn(CaseAct):
        consent_id: UUID

    class ParticipantJoined(CaseAct):
        role: str

    class ParticipantLeft(CaseAct): ...

    class CoordinatorDesignated(CaseAct):
        coordinator: Actor
        replaces: Actor | None

    class InterventionRecorded(CaseAct):
        intervention_id: UUID
        kind: str
        summary: Any  # sealed

    class InformationShared(CaseAct):
        share_id: UUID
        recipient_institution_id: UUID
        recipient_professional_id: UUID | None
        categories: list[str]
        consent_ids: list[UUID]
        legal_ground: GroundClaim | Any | None  # sealed
        legal_reference: str | None
        convention_id: UUID | None
        summary: Any  # sealed

    class ConcerningInformationTransmitted(CaseAct):
        transmission_id: UUID
        crip_institution_id: UUID
        legal_reference: str
        summary: Any  # sealed

    class ReferralMade(CaseAct):
        referral_id: UUID
        to_institution_id: UUID
        reason: Any  # sealed

    class ReferralAccepted(CaseAct):
        referral_id: UUID
        reason: Any  # sealed

    class ReferralDeclined(CaseAct):
        referral_id: UUID
        reason: Any  # sealed

    class CoordinationMeetingHeld(CaseAct):
        meeting_id: UUID
        attendees: list[Actor]
        decisions: list[Any]  # sealed, each

    class AlertAcknowledged(CaseAct):
        alert_kind: str
        versions: list[int]
        note: Any  # sealed

    class ActCorrected(CaseAct):
        act_id: UUID
        reason: Any  # sealed
        kind: str | None
        act_occurred_at: datetime | None
        summary: Any  # sealed, or None

    class ActAnnulled(CaseAct):
        act_id: UUID
        act_type: str  # intervention, coordination_meeting, information_share
        reason: Any  # sealed

    class CaseClosed(CaseAct):
        reason: Any  # sealed

    class CaseReopened(CaseAct):
        reason: Any  # sealed

    class BeneficiaryErased(CaseEvent):
        ground: str
        reference: str | None
        requested_by: str

    # --- a reading of a case's content ----------------------------------------------------

    class ConsultationEvent(DomainEvent): ...

    class CaseContentRead(ConsultationEvent):
        case_id: UUID
        by: Actor
        role: str
        view: str
        purpose: str
        occurred_at: datetime

    # --- the registry -----------------------------------------------------------------------

    class DelegationEvent(DomainEvent): ...

    class DelegationGranted(DelegationEvent):
        institution_id: UUID
        professional_id: UUID
        case_id: UUID | None
        network_id: UUID | None
        scope: list[str]
        valid_from: date
        valid_until: date
        granted_by: UUID | None

    class DelegationExtended(DelegationEvent):
        valid_until: date

    class DelegationRevoked(DelegationEvent):
        reason: str
        revoked_at: datetime
        revoked_by: UUID | None

    class PartnershipEvent(DomainEvent): ...

    class PartnershipProposed(PartnershipEvent):
        kind: str
        title: str
        origin: str
        mandate_reference: str | None
        parties: list[UUID]
        valid_from: date
        valid_until: date | None
        scopes: list[PartyScope]
        values_statement: str | None

    class PartnershipSigned(PartnershipEvent):
        signature: Signature

    class PartnershipAmended(PartnershipEvent):
        reference: str
        valid_until: date | None
        scopes: list[PartyScope] | None

    class PartnershipSuspended(PartnershipEvent):
        reason: str
        suspended_at: datetime

    class PartnershipResumed(PartnershipEvent):
        resumed_at: datetime

    class PartnershipTerminated(PartnershipEvent):
        reason: str
        terminated_on: date

    class InstitutionEvent(DomainEvent): ...

    class InstitutionRegistered(InstitutionEvent):
        name: str
        sector: str
        kind: str
        department: str | None

    class PartnershipEntered(InstitutionEvent):
        partnership_id: UUID

    class ProfessionalEvent(DomainEvent): ...

    class ProfessionalRegistered(ProfessionalEvent):
        name: str
        profession: str

    class EmploymentStarted(ProfessionalEvent):
        institution_id: UUID
        start: date
        end: date | None
        position: str | None

    class EmploymentEnded(ProfessionalEvent):
        institution_id: UUID
        end: date

    class DelegationReceived(ProfessionalEvent):
        ref: DelegationRef

    class NetworkJoined(ProfessionalEvent):
        network_id: UUID

    class NetworkLeft(ProfessionalEvent):
        network_id: UUID

    class NetworkEvent(DomainEvent): ...

    class NetworkFounded(NetworkEvent):
        kind: str
        name: str
        values_statement: str | None
        founding_institutions: list[UUID]
        objectives: list[str]
        founder_id: UUID | None
        founded_at: datetime

    class MemberInvited(NetworkEvent):
        invitation: Invitation

    class InvitationAccepted(NetworkEvent):
        invitee_id: UUID

    class InvitationDeclined(NetworkEvent):
        invitee_id: UUID

    class MemberAdmitted(NetworkEvent):
        member: Member

    class InstitutionJoinedNetwork(NetworkEvent):
        institution_id: UUID

    class NetworkCoordinatorAppointed(NetworkEvent):
        professional_id: UUID

    class NetworkProjectUpdated(NetworkEvent):
        objectives: list[str]

    class NetworkMeetingRecorded(NetworkEvent):
        meeting_id: UUID
        recorded_by: UUID
        held_at: datetime
        attendees: list[UUID]
        decisions: list[str]

    class MemberLeft(NetworkEvent):
        professional_id: UUID

    class NetworkDissolved(NetworkEvent):
        reason: str
        dissolved_at: datetime

    class FundingEvent(DomainEvent): ...

    class FundingGranted(FundingEvent):
        funder_id: UUID
        target_kind: str
        target_id: UUID
        valid_from: date
        valid_until: date | None
        reference: str | None

    class FundingEnded(FundingEvent):
        ended_on: date
        reason: str

else:
    CaseEvent = Case.Event
    CaseOpened = Case.CaseOpened
    ConsentGiven = Case.ConsentGiven
    ConsentWithdrawn = Case.ConsentWithdrawn
    ParticipantJoined = Case.ParticipantJoined
    ParticipantLeft = Case.ParticipantLeft
    CoordinatorDesignated = Case.CoordinatorDesignated
    InterventionRecorded = Case.InterventionRecorded
    InformationShared = Case.InformationShared
    ConcerningInformationTransmitted = Case.ConcerningInformationTransmitted
    ReferralMade = Case.ReferralMade
    ReferralAccepted = Case.ReferralAccepted
    ReferralDeclined = Case.ReferralDeclined
    CoordinationMeetingHeld = Case.CoordinationMeetingHeld
    AlertAcknowledged = Case.AlertAcknowledged
    ActCorrected = Case.ActCorrected
    ActAnnulled = Case.ActAnnulled
    CaseClosed = Case.CaseClosed
    CaseReopened = Case.CaseReopened
    BeneficiaryErased = Case.BeneficiaryErased

    ConsultationEvent = Consultation.Event
    CaseContentRead = Consultation.CaseContentRead

    DelegationEvent = Delegation.Event
    DelegationGranted = Delegation.DelegationGranted
    DelegationExtended = Delegation.DelegationExtended
    DelegationRevoked = Delegation.DelegationRevoked

    PartnershipEvent = Partnership.Event
    PartnershipProposed = Partnership.PartnershipProposed
    PartnershipSigned = Partnership.PartnershipSigned
    PartnershipAmended = Partnership.PartnershipAmended
    PartnershipSuspended = Partnership.PartnershipSuspended
    PartnershipResumed = Partnership.PartnershipResumed
    PartnershipTerminated = Partnership.PartnershipTerminated

    InstitutionEvent = Institution.Event
    InstitutionRegistered = Institution.InstitutionRegistered
    PartnershipEntered = Institution.PartnershipEntered

    ProfessionalEvent = Professional.Event
    ProfessionalRegistered = Professional.ProfessionalRegistered
    EmploymentStarted = Professional.EmploymentStarted
    EmploymentEnded = Professional.EmploymentEnded
    DelegationReceived = Professional.DelegationReceived
    NetworkJoined = Professional.NetworkJoined
    NetworkLeft = Professional.NetworkLeft

    NetworkEvent = Network.Event
    NetworkFounded = Network.NetworkFounded
    MemberInvited = Network.MemberInvited
    InvitationAccepted = Network.InvitationAccepted
    InvitationDeclined = Network.InvitationDeclined
    MemberAdmitted = Network.MemberAdmitted
    InstitutionJoinedNetwork = Network.InstitutionJoinedNetwork
    NetworkCoordinatorAppointed = Network.NetworkCoordinatorAppointed
    NetworkProjectUpdated = Network.NetworkProjectUpdated
    NetworkMeetingRecorded = Network.NetworkMeetingRecorded
    MemberLeft = Network.MemberLeft
    NetworkDissolved = Network.NetworkDissolved

    FundingEvent = Funding.Event
    FundingGranted = Funding.FundingGranted
    FundingEnded = Funding.FundingEnded
