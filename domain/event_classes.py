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
from domain.registry_event_classes import (  # re-exported: every event class in one place
    DelegationEvent as DelegationEvent,
)
from domain.registry_event_classes import (
    DelegationExtended as DelegationExtended,
)
from domain.registry_event_classes import (
    DelegationGranted as DelegationGranted,
)
from domain.registry_event_classes import (
    DelegationReceived as DelegationReceived,
)
from domain.registry_event_classes import (
    DelegationRevoked as DelegationRevoked,
)
from domain.registry_event_classes import (
    EmploymentEnded as EmploymentEnded,
)
from domain.registry_event_classes import (
    EmploymentStarted as EmploymentStarted,
)
from domain.registry_event_classes import (
    FundingEnded as FundingEnded,
)
from domain.registry_event_classes import (
    FundingEvent as FundingEvent,
)
from domain.registry_event_classes import (
    FundingGranted as FundingGranted,
)
from domain.registry_event_classes import (
    IdentifierClaimed as IdentifierClaimed,
)
from domain.registry_event_classes import (
    IdentifierClaimEvent as IdentifierClaimEvent,
)
from domain.registry_event_classes import (
    IdentifierReclaimed as IdentifierReclaimed,
)
from domain.registry_event_classes import (
    IdentifierReleased as IdentifierReleased,
)
from domain.registry_event_classes import (
    InstitutionEvent as InstitutionEvent,
)
from domain.registry_event_classes import (
    InstitutionIdentified as InstitutionIdentified,
)
from domain.registry_event_classes import (
    InstitutionJoinedNetwork as InstitutionJoinedNetwork,
)
from domain.registry_event_classes import (
    InstitutionRegistered as InstitutionRegistered,
)
from domain.registry_event_classes import (
    InvitationAccepted as InvitationAccepted,
)
from domain.registry_event_classes import (
    InvitationDeclined as InvitationDeclined,
)
from domain.registry_event_classes import (
    MemberAdmitted as MemberAdmitted,
)
from domain.registry_event_classes import (
    MemberInvited as MemberInvited,
)
from domain.registry_event_classes import (
    MemberLeft as MemberLeft,
)
from domain.registry_event_classes import (
    NetworkCoordinatorAppointed as NetworkCoordinatorAppointed,
)
from domain.registry_event_classes import (
    NetworkDissolved as NetworkDissolved,
)
from domain.registry_event_classes import (
    NetworkEvent as NetworkEvent,
)
from domain.registry_event_classes import (
    NetworkFounded as NetworkFounded,
)
from domain.registry_event_classes import (
    NetworkJoined as NetworkJoined,
)
from domain.registry_event_classes import (
    NetworkLeft as NetworkLeft,
)
from domain.registry_event_classes import (
    NetworkMeetingRecorded as NetworkMeetingRecorded,
)
from domain.registry_event_classes import (
    NetworkProjectUpdated as NetworkProjectUpdated,
)
from domain.registry_event_classes import (
    PartnershipAmended as PartnershipAmended,
)
from domain.registry_event_classes import (
    PartnershipEntered as PartnershipEntered,
)
from domain.registry_event_classes import (
    PartnershipEvent as PartnershipEvent,
)
from domain.registry_event_classes import (
    PartnershipProposed as PartnershipProposed,
)
from domain.registry_event_classes import (
    PartnershipResumed as PartnershipResumed,
)
from domain.registry_event_classes import (
    PartnershipSigned as PartnershipSigned,
)
from domain.registry_event_classes import (
    PartnershipSuspended as PartnershipSuspended,
)
from domain.registry_event_classes import (
    PartnershipTerminated as PartnershipTerminated,
)
from domain.registry_event_classes import (
    ProfessionalEvent as ProfessionalEvent,
)
from domain.registry_event_classes import (
    ProfessionalIdentified as ProfessionalIdentified,
)
from domain.registry_event_classes import (
    ProfessionalRegistered as ProfessionalRegistered,
)

if TYPE_CHECKING:
    from domain.grounds import GroundClaim
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
        # Since issue 17 (older events lack them: read with `getattr`, see `referral_terms`)
        categories: list[str] | None
        consent_ids: list[UUID] | None
        legal_ground: GroundClaim | Any | None  # sealed
        legal_reference: str | None

    class ReferralAccepted(CaseAct):
        referral_id: UUID
        reason: Any  # sealed

    class ReferralDeclined(CaseAct):
        referral_id: UUID
        reason: Any  # sealed

    class ReferralRevoked(CaseAct):
        referral_id: UUID
        reason: Any  # sealed

    class TransferRequested(CaseAct):
        transfer_id: UUID
        from_institution_id: UUID
        to_institution_id: UUID
        reason: Any  # sealed

    class TransferAccepted(CaseAct):
        transfer_id: UUID

    class TransferDeclined(CaseAct):
        transfer_id: UUID
        reason: Any  # sealed

    class TransferWithdrawn(CaseAct):
        transfer_id: UUID

    class ReferentAssigned(CaseAct):
        referent: Actor
        replaces: Actor | None

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
        was_kind: str | None  # the act as it stood before
        was_occurred_at: datetime | None

    class ActAnnulled(CaseAct):
        act_id: UUID
        act_type: str  # intervention, coordination_meeting, information_share
        reason: Any  # sealed
        was_kind: str | None  # the act as it stood
        was_occurred_at: datetime | None

    class CaseClosed(CaseAct):
        reason: Any  # sealed

    class CaseReopened(CaseAct):
        reason: Any  # sealed

    class BeneficiaryErased(CaseEvent):
        ground: str
        reference: str | None
        requested_by: str

    class IdentityRectified(CaseEvent):
        previous: Any  # sealed
        beneficiary: Any  # sealed
        reason: Any  # sealed
        requested_by: str
        institution_id: UUID

    # --- a reading of a case's content ----------------------------------------------------

    class ConsultationEvent(DomainEvent): ...

    class CaseContentRead(ConsultationEvent):
        case_id: UUID
        by: Actor
        role: str
        view: str
        purpose: str
        occurred_at: datetime

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
    ReferralRevoked = Case.ReferralRevoked
    TransferRequested = Case.TransferRequested
    TransferAccepted = Case.TransferAccepted
    TransferDeclined = Case.TransferDeclined
    TransferWithdrawn = Case.TransferWithdrawn
    ReferentAssigned = Case.ReferentAssigned
    CoordinationMeetingHeld = Case.CoordinationMeetingHeld
    AlertAcknowledged = Case.AlertAcknowledged
    ActCorrected = Case.ActCorrected
    ActAnnulled = Case.ActAnnulled
    CaseClosed = Case.CaseClosed
    CaseReopened = Case.CaseReopened
    BeneficiaryErased = Case.BeneficiaryErased
    IdentityRectified = Case.IdentityRectified

    ConsultationEvent = Consultation.Event
    CaseContentRead = Consultation.CaseContentRead
