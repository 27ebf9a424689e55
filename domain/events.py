"""The events the read side folds, grouped by aggregate, and how readers name them.

The classes themselves are in `domain.event_classes`. Nothing here is stored: `event_type`
gives the short name kept in the read tables and in `EventRef` (`Case.InterventionRecorded`),
computed from the class; events are written and decoded by their topic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from eventsourcing.domain import DomainEvent

from domain.case import Case
from domain.consultation import Consultation
from domain.delegation import Delegation
from domain.event_classes import (
    ActAnnulled,
    ActCorrected,
    AlertAcknowledged,
    BeneficiaryErased,
    CaseClosed,
    CaseContentRead,
    CaseEvent,
    CaseOpened,
    CaseReopened,
    ConcerningInformationTransmitted,
    ConsentGiven,
    ConsentWithdrawn,
    ConsultationEvent,
    CoordinationMeetingHeld,
    CoordinatorDesignated,
    DelegationEvent,
    DelegationExtended,
    DelegationGranted,
    DelegationReceived,
    DelegationRevoked,
    EmploymentEnded,
    EmploymentStarted,
    FundingEnded,
    FundingEvent,
    FundingGranted,
    IdentifierClaimed,
    IdentifierClaimEvent,
    IdentifierReclaimed,
    IdentifierReleased,
    IdentityRectified,
    InformationShared,
    InstitutionEvent,
    InstitutionIdentified,
    InstitutionJoinedNetwork,
    InstitutionRegistered,
    InterventionRecorded,
    InvitationAccepted,
    InvitationDeclined,
    MemberAdmitted,
    MemberInvited,
    MemberLeft,
    NetworkCoordinatorAppointed,
    NetworkDissolved,
    NetworkEvent,
    NetworkFounded,
    NetworkJoined,
    NetworkLeft,
    NetworkMeetingRecorded,
    NetworkProjectUpdated,
    ParticipantJoined,
    ParticipantLeft,
    PartnershipAmended,
    PartnershipEntered,
    PartnershipEvent,
    PartnershipProposed,
    PartnershipResumed,
    PartnershipSigned,
    PartnershipSuspended,
    PartnershipTerminated,
    ProfessionalEvent,
    ProfessionalIdentified,
    ProfessionalRegistered,
    ReferentAssigned,
    ReferralAccepted,
    ReferralDeclined,
    ReferralMade,
    ReferralRevoked,
    TransferAccepted,
    TransferDeclined,
    TransferRequested,
    TransferWithdrawn,
)
from domain.funding import Funding
from domain.identifier_claim import IdentifierClaim
from domain.institution import Institution
from domain.network import Network
from domain.partnership import Partnership
from domain.professional import Professional

if TYPE_CHECKING:
    from domain.event_classes import CaseAct

# Every event a case records that a professional did (all but the erasure), then all of them.
CASE_ACTS: tuple[type[CaseAct], ...] = (
    CaseOpened,
    ConsentGiven,
    ConsentWithdrawn,
    ParticipantJoined,
    ParticipantLeft,
    CoordinatorDesignated,
    InterventionRecorded,
    InformationShared,
    ConcerningInformationTransmitted,
    ReferralMade,
    ReferralAccepted,
    ReferralDeclined,
    ReferralRevoked,
    TransferRequested,
    TransferAccepted,
    TransferDeclined,
    TransferWithdrawn,
    ReferentAssigned,
    CoordinationMeetingHeld,
    AlertAcknowledged,
    CaseClosed,
    CaseReopened,
)
# A data-protection officer's acts on the person's data (RGPD): no professional acts, no basis.
CASE_RIGHTS_EVENTS: tuple[type[CaseEvent], ...] = (IdentityRectified, BeneficiaryErased)
# Corrections of an act recorded in error: done by a professional, on a basis, but no act on the
# beneficiary of their own (not counted as one, never an actor's last action).
CASE_CORRECTIONS: tuple[type[CaseAct], ...] = (ActCorrected, ActAnnulled)
CASE_EVENTS: tuple[type[CaseEvent], ...] = (*CASE_ACTS, *CASE_CORRECTIONS, *CASE_RIGHTS_EVENTS)
CONSULTATION_EVENTS: tuple[type[ConsultationEvent], ...] = (CaseContentRead,)
DELEGATION_EVENTS: tuple[type[DelegationEvent], ...] = (
    DelegationGranted,
    DelegationExtended,
    DelegationRevoked,
)
PARTNERSHIP_EVENTS: tuple[type[PartnershipEvent], ...] = (
    PartnershipProposed,
    PartnershipSigned,
    PartnershipAmended,
    PartnershipSuspended,
    PartnershipResumed,
    PartnershipTerminated,
)
INSTITUTION_EVENTS: tuple[type[InstitutionEvent], ...] = (
    InstitutionRegistered,
    PartnershipEntered,
    InstitutionIdentified,
)
PROFESSIONAL_EVENTS: tuple[type[ProfessionalEvent], ...] = (
    ProfessionalRegistered,
    EmploymentStarted,
    EmploymentEnded,
    DelegationReceived,
    NetworkJoined,
    NetworkLeft,
    ProfessionalIdentified,
)
NETWORK_EVENTS: tuple[type[NetworkEvent], ...] = (
    NetworkFounded,
    MemberInvited,
    InvitationAccepted,
    InvitationDeclined,
    MemberAdmitted,
    InstitutionJoinedNetwork,
    NetworkCoordinatorAppointed,
    NetworkProjectUpdated,
    NetworkMeetingRecorded,
    MemberLeft,
    NetworkDissolved,
)
FUNDING_EVENTS: tuple[type[FundingEvent], ...] = (FundingGranted, FundingEnded)
# Who holds each national identifier (`domain.identifier_claim`): the registry's bookkeeping.
IDENTIFIER_CLAIM_EVENTS: tuple[type[IdentifierClaimEvent], ...] = (
    IdentifierClaimed,
    IdentifierReclaimed,
    IdentifierReleased,
)

ALL_EVENTS: tuple[type[DomainEvent], ...] = (
    *INSTITUTION_EVENTS,
    *PROFESSIONAL_EVENTS,
    *DELEGATION_EVENTS,
    *PARTNERSHIP_EVENTS,
    *NETWORK_EVENTS,
    *CASE_EVENTS,
    *CONSULTATION_EVENTS,
    *FUNDING_EVENTS,
    *IDENTIFIER_CLAIM_EVENTS,
)
"""Every event class the application records (the aggregates' `Event` and `Created` bases are
never recorded themselves)."""

AGGREGATES = (
    Institution,
    Professional,
    Delegation,
    Partnership,
    Network,
    Case,
    Consultation,
    Funding,
    IdentifierClaim,
)


EventClass = type[DomainEvent]


def event_type(event: DomainEvent | EventClass) -> str:
    """`Case.InterventionRecorded`, `Delegation.DelegationRevoked`, … (of an event or a class)."""
    cls = event if isinstance(event, type) else type(event)
    return cls.__qualname__


def occurred_at(event: DomainEvent) -> datetime:
    """When it happened: the instant an actor gave for an act on a case or a reading of one,
    else when it was recorded."""
    if isinstance(event, CaseEvent | CaseContentRead):
        return event.occurred_at
    return event.timestamp


@dataclass(frozen=True)
class EventRef:
    """An event named by its aggregate, version and type: the same whether facts were built by
    the projection or from the log on demand, and the key of the audit trail."""

    aggregate_id: UUID
    version: int
    type: str

    @classmethod
    def of(cls, event: DomainEvent) -> EventRef:
        return cls(event.originator_id, event.originator_version, event_type(event))

    def is_a(self, *classes: EventClass) -> bool:
        return any(self.type == event_type(c) for c in classes)
