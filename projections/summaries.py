"""One human-readable line per event, for the audit trail (no names: joined at read time)."""

from __future__ import annotations

from typing import Any


def _kind(value: Any) -> str:
    return str(value).replace("_", " ")


SUMMARIES: dict[str, Any] = {
    "Institution.InstitutionRegistered": lambda e: f"Institution registered ({_kind(e.kind)})",
    "Institution.PartnershipEntered": lambda e: "Entered a partnership",
    "Professional.ProfessionalRegistered": lambda e: f"Professional registered ({e.profession})",
    "Professional.EmploymentStarted": lambda e: f"Employment started on {e.start}",
    "Professional.EmploymentEnded": lambda e: f"Employment ended on {e.end}",
    "Professional.DelegationReceived": lambda e: "Received a delegation",
    "Professional.NetworkJoined": lambda e: "Joined a network",
    "Professional.NetworkLeft": lambda e: "Left a network",
    "Delegation.DelegationGranted": lambda e: (
        f"Delegation granted for {', '.join(_kind(k) for k in e.scope)}, "
        f"{e.valid_from} to {e.valid_until}"
    ),
    "Delegation.DelegationExtended": lambda e: f"Delegation extended to {e.valid_until}",
    "Delegation.DelegationRevoked": lambda e: "Delegation revoked",
    "Partnership.PartnershipProposed": lambda e: (
        f"{_kind(e.kind).capitalize()} proposed ({e.origin})"
    ),
    "Partnership.PartnershipSigned": lambda e: f"Partnership signed on {e.signature.signed_on}",
    "Partnership.PartnershipAmended": lambda e: f"Partnership amended ({e.reference})",
    "Partnership.PartnershipSuspended": lambda e: "Partnership suspended",
    "Partnership.PartnershipResumed": lambda e: "Partnership resumed",
    "Partnership.PartnershipTerminated": lambda e: f"Partnership terminated on {e.terminated_on}",
    "Network.NetworkFounded": lambda e: f"{_kind(e.kind).capitalize()} network founded",
    "Network.MemberInvited": lambda e: "Member invited",
    "Network.InvitationAccepted": lambda e: "Invitation accepted",
    "Network.InvitationDeclined": lambda e: "Invitation declined",
    "Network.MemberAdmitted": lambda e: "Member admitted under delegation",
    "Network.InstitutionJoinedNetwork": lambda e: "Institution joined the network",
    "Network.NetworkCoordinatorAppointed": lambda e: "Network coordinator appointed",
    "Network.NetworkProjectUpdated": lambda e: "Network project updated",
    "Network.NetworkMeetingRecorded": lambda e: f"Network meeting, {len(e.attendees)} attendees",
    "Network.MemberLeft": lambda e: "Member left",
    "Network.NetworkDissolved": lambda e: "Network dissolved",
    "Case.CaseOpened": lambda e: f"Case opened ({e.legal_framework}) as {e.role}",
    "Case.ConsentGiven": lambda e: (
        f"Consent given by the {_kind(e.giver)} for {', '.join(_kind(c) for c in e.categories)}"
    ),
    "Case.ConsentWithdrawn": lambda e: "Consent withdrawn",
    "Case.ParticipantJoined": lambda e: f"Joined the case as {e.role}",
    "Case.ParticipantLeft": lambda e: "Left the case",
    "Case.CoordinatorDesignated": lambda e: "Coordinator designated",
    "Case.InterventionRecorded": lambda e: f"Intervention: {_kind(e.kind)}",
    "Case.InformationShared": lambda e: (
        f"Shared {', '.join(_kind(c) for c in e.categories)} "
        + (f"under {e.legal_reference}" if e.legal_reference else "under consent")
    ),
    "Case.ConcerningInformationTransmitted": lambda e: "Concerning information sent to the CRIP",
    "Case.ReferralMade": lambda e: "Referral made",
    "Case.ReferralAccepted": lambda e: "Referral accepted",
    "Case.ReferralDeclined": lambda e: "Referral declined",
    "Case.CoordinationMeetingHeld": lambda e: (
        f"Coordination meeting, {len(e.attendees)} attendees, {len(e.decisions)} decisions"
    ),
    "Case.AlertAcknowledged": lambda e: (
        f"Alert acknowledged ({_kind(e.alert_kind)}) for event(s) "
        + ", ".join(str(v) for v in e.versions)
    ),
    "Case.CaseClosed": lambda e: "Case closed",
    "Case.CaseReopened": lambda e: "Case reopened",
    "Case.BeneficiaryErased": lambda e: f"Personal data erased ({_kind(e.ground)})",
    "Consultation.CaseContentRead": lambda e: (
        f"Read the {_kind(e.view)} view as {_kind(e.role)} (purpose: {_kind(e.purpose)})"
    ),
}


def summarise(event_type: str, event: Any) -> str:
    render = SUMMARIES.get(event_type)
    return render(event) if render is not None else event_type.split(".")[-1]
