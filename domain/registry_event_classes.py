"""The registry's event classes under names mypy knows: delegations, partnerships, institutions,
professionals, networks, fundings, identifier claims (`domain.event_classes` re-exports them
beside the case's; see it for why the names exist).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from eventsourcing.domain import DomainEvent

from domain.delegation import Delegation
from domain.funding import Funding
from domain.identifier_claim import IdentifierClaim
from domain.institution import Institution
from domain.network import Network
from domain.partnership import Partnership
from domain.professional import Professional

if TYPE_CHECKING:
    from uuid import UUID

    from domain.network import Invitation, Member
    from domain.partnership import PartyScope, Signature
    from domain.professional import DelegationRef

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

    class InstitutionIdentified(InstitutionEvent):
        finess: str | None
        siret: str | None

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

    class ProfessionalIdentified(ProfessionalEvent):
        rpps: str | None
        adeli: str | None

    class IdentifierClaimEvent(DomainEvent): ...

    class IdentifierClaimed(IdentifierClaimEvent):
        scheme: str
        number: str
        holder_id: UUID

    class IdentifierReclaimed(IdentifierClaimEvent):
        scheme: str
        number: str
        holder_id: UUID

    class IdentifierReleased(IdentifierClaimEvent):
        scheme: str
        number: str
        holder_id: UUID

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
    InstitutionIdentified = Institution.InstitutionIdentified

    ProfessionalEvent = Professional.Event
    ProfessionalRegistered = Professional.ProfessionalRegistered
    EmploymentStarted = Professional.EmploymentStarted
    EmploymentEnded = Professional.EmploymentEnded
    DelegationReceived = Professional.DelegationReceived
    NetworkJoined = Professional.NetworkJoined
    NetworkLeft = Professional.NetworkLeft
    ProfessionalIdentified = Professional.ProfessionalIdentified

    IdentifierClaimEvent = IdentifierClaim.Event
    IdentifierClaimed = IdentifierClaim.IdentifierClaimed
    IdentifierReclaimed = IdentifierClaim.IdentifierReclaimed
    IdentifierReleased = IdentifierClaim.IdentifierReleased

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
