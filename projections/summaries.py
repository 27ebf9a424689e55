"""One human-readable line per event, for the audit trail (no names: joined at read time).

Keyed on event classes (`domain.event_classes`); an event with no line of its own (`BY_NAME`)
reads as its class name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from eventsourcing.domain import DomainEvent

from domain.event_classes import (
    AlertAcknowledged,
    BeneficiaryErased,
    CaseClosed,
    CaseContentRead,
    CaseOpened,
    CaseReopened,
    ConcerningInformationTransmitted,
    ConsentGiven,
    ConsentWithdrawn,
    CoordinationMeetingHeld,
    CoordinatorDesignated,
    DelegationExtended,
    DelegationGranted,
    DelegationReceived,
    DelegationRevoked,
    EmploymentEnded,
    EmploymentStarted,
    FundingEnded,
    FundingGranted,
    InformationShared,
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
    NetworkFounded,
    NetworkJoined,
    NetworkLeft,
    NetworkMeetingRecorded,
    NetworkProjectUpdated,
    ParticipantJoined,
    ParticipantLeft,
    PartnershipAmended,
    PartnershipEntered,
    PartnershipProposed,
    PartnershipResumed,
    PartnershipSigned,
    PartnershipSuspended,
    PartnershipTerminated,
    ProfessionalRegistered,
    ReferralAccepted,
    ReferralDeclined,
    ReferralMade,
)

E = TypeVar("E", bound=DomainEvent)

SUMMARIES: dict[type[DomainEvent], Callable[[Any], str]] = {}
BY_NAME: tuple[type[DomainEvent], ...] = (FundingGranted, FundingEnded)  # shown by name only


def _on(cls: type[E], render: Callable[[E], str]) -> None:
    SUMMARIES[cls] = render


def _kind(value: Any) -> str:
    return str(value).replace("_", " ")


_on(InstitutionRegistered, lambda e: f"Institution registered ({_kind(e.kind)})")
_on(PartnershipEntered, lambda e: "Entered a partnership")
_on(ProfessionalRegistered, lambda e: f"Professional registered ({e.profession})")
_on(EmploymentStarted, lambda e: f"Employment started on {e.start}")
_on(EmploymentEnded, lambda e: f"Employment ended on {e.end}")
_on(DelegationReceived, lambda e: "Received a delegation")
_on(NetworkJoined, lambda e: "Joined a network")
_on(NetworkLeft, lambda e: "Left a network")
_on(
    DelegationGranted,
    lambda e: (
        f"Delegation granted for {', '.join(_kind(k) for k in e.scope)}, "
        f"{e.valid_from} to {e.valid_until}"
    ),
)
_on(DelegationExtended, lambda e: f"Delegation extended to {e.valid_until}")
_on(DelegationRevoked, lambda e: "Delegation revoked")
_on(PartnershipProposed, lambda e: f"{_kind(e.kind).capitalize()} proposed ({e.origin})")
_on(PartnershipSigned, lambda e: f"Partnership signed on {e.signature.signed_on}")
_on(PartnershipAmended, lambda e: f"Partnership amended ({e.reference})")
_on(PartnershipSuspended, lambda e: "Partnership suspended")
_on(PartnershipResumed, lambda e: "Partnership resumed")
_on(PartnershipTerminated, lambda e: f"Partnership terminated on {e.terminated_on}")
_on(NetworkFounded, lambda e: f"{_kind(e.kind).capitalize()} network founded")
_on(MemberInvited, lambda e: "Member invited")
_on(InvitationAccepted, lambda e: "Invitation accepted")
_on(InvitationDeclined, lambda e: "Invitation declined")
_on(MemberAdmitted, lambda e: "Member admitted under delegation")
_on(InstitutionJoinedNetwork, lambda e: "Institution joined the network")
_on(NetworkCoordinatorAppointed, lambda e: "Network coordinator appointed")
_on(NetworkProjectUpdated, lambda e: "Network project updated")
_on(NetworkMeetingRecorded, lambda e: f"Network meeting, {len(e.attendees)} attendees")
_on(MemberLeft, lambda e: "Member left")
_on(NetworkDissolved, lambda e: "Network dissolved")
_on(CaseOpened, lambda e: f"Case opened ({e.legal_framework}) as {e.role}")
_on(
    ConsentGiven,
    lambda e: (
        f"Consent given by the {_kind(e.giver)} for {', '.join(_kind(c) for c in e.categories)}"
    ),
)
_on(ConsentWithdrawn, lambda e: "Consent withdrawn")
_on(ParticipantJoined, lambda e: f"Joined the case as {e.role}")
_on(ParticipantLeft, lambda e: "Left the case")
_on(CoordinatorDesignated, lambda e: "Coordinator designated")
_on(InterventionRecorded, lambda e: f"Intervention: {_kind(e.kind)}")
_on(
    InformationShared,
    lambda e: (
        f"Shared {', '.join(_kind(c) for c in e.categories)} "
        + (f"under {e.legal_reference}" if e.legal_reference else "under consent")
    ),
)
_on(ConcerningInformationTransmitted, lambda e: "Concerning information sent to the CRIP")
_on(ReferralMade, lambda e: "Referral made")
_on(ReferralAccepted, lambda e: "Referral accepted")
_on(ReferralDeclined, lambda e: "Referral declined")
_on(
    CoordinationMeetingHeld,
    lambda e: f"Coordination meeting, {len(e.attendees)} attendees, {len(e.decisions)} decisions",
)
_on(
    AlertAcknowledged,
    lambda e: (
        f"Alert acknowledged ({_kind(e.alert_kind)}) for event(s) "
        + ", ".join(str(v) for v in e.versions)
    ),
)
_on(CaseClosed, lambda e: "Case closed")
_on(CaseReopened, lambda e: "Case reopened")
_on(BeneficiaryErased, lambda e: f"Personal data erased ({_kind(e.ground)})")
_on(
    CaseContentRead,
    lambda e: f"Read the {_kind(e.view)} view as {_kind(e.role)} (purpose: {_kind(e.purpose)})",
)


def summarise(event: DomainEvent) -> str:
    render = SUMMARIES.get(type(event))
    return render(event) if render is not None else type(event).__name__
