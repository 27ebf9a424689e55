"""The audit trail's sentences for the registry: institutions, professionals, delegations,
partnerships, networks, fundings (`projections.summaries` gathers them with the cases')."""

from __future__ import annotations

from domain import event_classes as ev
from domain.wording import N_
from projections.sentence import (
    INSTITUTION,
    NETWORK,
    PARTNERSHIP,
    PROFESSIONAL,
    Actors,
    Code,
    Codes,
    Count,
    Day,
    Delegated,
    Format,
    Lines,
    Speech,
    Text,
    actor,
    ident,
    iso,
)

LINES = Lines()


def _attendees(words: Speech, n: int) -> str:
    return words.ngettext("{n} attendee", "{n} attendees", n)


def _objectives(words: Speech, n: int) -> str:
    return words.ngettext("{n} objective", "{n} objectives", n)


LINES.on(
    ev.InstitutionRegistered,
    LINES.say(
        "institution_registered",
        N_("Institution registered: {institution} ({kind})"),
        institution=INSTITUTION,
        kind=Code("institution_kind"),
    ),
    lambda e: {"institution": ident(e.originator_id), "kind": str(e.kind)},
)
LINES.on(
    ev.PartnershipEntered,
    LINES.say(
        "partnership_entered",
        N_("{institution} became a party to “{partnership}”"),
        institution=INSTITUTION,
        partnership=PARTNERSHIP,
    ),
    lambda e: {"institution": ident(e.originator_id), "partnership": ident(e.partnership_id)},
)
LINES.on(
    ev.ProfessionalRegistered,
    LINES.say(
        "professional_registered",
        N_("Professional registered: {professional} ({profession})"),
        professional=PROFESSIONAL,
        profession=Text(),
    ),
    lambda e: {"professional": ident(e.originator_id), "profession": e.profession},
)
_EMPLOYMENT: dict[str, Format] = {
    "professional": PROFESSIONAL,
    "institution": INSTITUTION,
    "day": Day(),
}
LINES.on(
    ev.EmploymentStarted,
    LINES.say(
        "employment_started",
        N_("{professional} started working for {institution} on {day}"),
        **_EMPLOYMENT,
    ),
    lambda e: {
        "professional": ident(e.originator_id),
        "institution": ident(e.institution_id),
        "day": iso(e.start),
    },
)
LINES.on(
    ev.EmploymentEnded,
    LINES.say(
        "employment_ended",
        N_("{professional} stopped working for {institution} on {day}"),
        **_EMPLOYMENT,
    ),
    lambda e: {
        "professional": ident(e.originator_id),
        "institution": ident(e.institution_id),
        "day": iso(e.end),
    },
)
LINES.on(
    ev.DelegationReceived,
    LINES.say(
        "delegation_received",
        N_("{professional} received a delegation from {institution}"),
        professional=PROFESSIONAL,
        institution=INSTITUTION,
    ),
    lambda e: {"professional": ident(e.originator_id), "institution": ident(e.ref.institution_id)},
)
_IN_NETWORK: dict[str, Format] = {"professional": PROFESSIONAL, "network": NETWORK}
LINES.say("network_joined", N_("{professional} joined the network “{network}”"), **_IN_NETWORK)
LINES.say("network_left", N_("{professional} left the network “{network}”"), **_IN_NETWORK)
LINES.on(
    ev.NetworkJoined,
    "network_joined",
    lambda e: {"professional": ident(e.originator_id), "network": ident(e.network_id)},
)
LINES.on(
    ev.NetworkLeft,
    "network_left",
    lambda e: {"professional": ident(e.originator_id), "network": ident(e.network_id)},
)
LINES.on(
    ev.DelegationGranted,
    LINES.say(
        "delegation_granted",
        N_(
            "{institution} delegated to {professional}: {scope}, from {valid_from} to {valid_until}"
        ),
        institution=INSTITUTION,
        professional=PROFESSIONAL,
        scope=Codes("action_kind"),
        valid_from=Day(),
        valid_until=Day(),
    ),
    lambda e: {
        "institution": ident(e.institution_id),
        "professional": ident(e.professional_id),
        "scope": [str(k) for k in e.scope],
        "valid_from": iso(e.valid_from),
        "valid_until": iso(e.valid_until),
    },
)
LINES.on(
    ev.DelegationExtended,
    LINES.say(
        "delegation_extended",
        N_("Delegation to {delegate} extended until {valid_until}"),
        delegate=Delegated(),
        valid_until=Day(),
    ),
    lambda e: {"delegate": ident(e.originator_id), "valid_until": iso(e.valid_until)},
)
LINES.on(
    ev.DelegationRevoked,
    LINES.say(
        "delegation_revoked",
        N_("Delegation to {delegate} revoked on {day}"),
        delegate=Delegated(),
        day=Day(),
    ),
    lambda e: {"delegate": ident(e.originator_id), "day": iso(e.revoked_at)},
)
LINES.on(
    ev.PartnershipProposed,
    LINES.say(
        "partnership_proposed",
        N_("{kind} “{partnership}” proposed ({origin})"),
        kind=Code("partnership_kind", lower=False),
        partnership=PARTNERSHIP,
        origin=Code("partnership_origin"),
    ),
    lambda e: {
        "kind": str(e.kind),
        "partnership": ident(e.originator_id),
        "origin": str(e.origin),
    },
)
LINES.on(
    ev.PartnershipSigned,
    LINES.say(
        "partnership_signed",
        N_("“{partnership}” signed by {institution} on {day}"),
        partnership=PARTNERSHIP,
        institution=INSTITUTION,
        day=Day(),
    ),
    lambda e: {
        "partnership": ident(e.originator_id),
        "institution": ident(e.signature.institution_id),
        "day": iso(e.signature.signed_on),
    },
)
LINES.on(
    ev.PartnershipAmended,
    LINES.say(
        "partnership_amended",
        N_("“{partnership}” amended ({reference})"),
        partnership=PARTNERSHIP,
        reference=Text(),
    ),
    lambda e: {"partnership": ident(e.originator_id), "reference": e.reference},
)
_ON_DAY: dict[str, Format] = {"partnership": PARTNERSHIP, "day": Day()}
LINES.on(
    ev.PartnershipSuspended,
    LINES.say("partnership_suspended", N_("“{partnership}” suspended on {day}"), **_ON_DAY),
    lambda e: {"partnership": ident(e.originator_id), "day": iso(e.suspended_at)},
)
LINES.on(
    ev.PartnershipResumed,
    LINES.say("partnership_resumed", N_("“{partnership}” back in force on {day}"), **_ON_DAY),
    lambda e: {"partnership": ident(e.originator_id), "day": iso(e.resumed_at)},
)
LINES.on(
    ev.PartnershipTerminated,
    LINES.say("partnership_terminated", N_("“{partnership}” terminated on {day}"), **_ON_DAY),
    lambda e: {"partnership": ident(e.originator_id), "day": iso(e.terminated_on)},
)
LINES.on(
    ev.NetworkFounded,
    LINES.say(
        "network_founded",
        N_("Network “{network}” founded ({kind})"),
        network=NETWORK,
        kind=Code("network_kind"),
    ),
    lambda e: {"network": ident(e.originator_id), "kind": str(e.kind)},
)
_INVITATION: dict[str, Format] = {"invitee": PROFESSIONAL, "network": NETWORK}
LINES.on(
    ev.MemberInvited,
    LINES.say(
        "member_invited",
        N_("{inviter} invited {invitee} to the network “{network}”"),
        inviter=PROFESSIONAL,
        **_INVITATION,
    ),
    lambda e: {
        "inviter": ident(e.invitation.inviter_id),
        "invitee": ident(e.invitation.invitee_id),
        "network": ident(e.originator_id),
    },
)
LINES.on(
    ev.InvitationAccepted,
    LINES.say(
        "invitation_accepted",
        N_("{invitee} accepted to join the network “{network}”"),
        **_INVITATION,
    ),
    lambda e: {"invitee": ident(e.invitee_id), "network": ident(e.originator_id)},
)
LINES.on(
    ev.InvitationDeclined,
    LINES.say(
        "invitation_declined",
        N_("{invitee} declined to join the network “{network}”"),
        **_INVITATION,
    ),
    lambda e: {"invitee": ident(e.invitee_id), "network": ident(e.originator_id)},
)
LINES.on(
    ev.MemberAdmitted,
    LINES.say(
        "member_admitted",
        N_("{member} admitted to the network “{network}” under a delegation"),
        member=Actors(),
        network=NETWORK,
    ),
    lambda e: {
        "member": [actor(e.member)],
        "network": ident(e.originator_id),
    },
)
LINES.on(
    ev.InstitutionJoinedNetwork,
    LINES.say(
        "institution_joined_network",
        N_("{institution} joined the network “{network}”"),
        institution=INSTITUTION,
        network=NETWORK,
    ),
    lambda e: {"institution": ident(e.institution_id), "network": ident(e.originator_id)},
)
LINES.on(
    ev.NetworkCoordinatorAppointed,
    LINES.say(
        "network_coordinator_appointed",
        N_("{professional} appointed coordinator of the network “{network}”"),
        **_IN_NETWORK,
    ),
    lambda e: {"professional": ident(e.professional_id), "network": ident(e.originator_id)},
)
LINES.on(
    ev.NetworkProjectUpdated,
    LINES.say(
        "network_project_updated",
        N_("Project of the network “{network}” updated: {objectives}"),
        network=NETWORK,
        objectives=Count(_objectives),
    ),
    lambda e: {"network": ident(e.originator_id), "objectives": len(e.objectives)},
)
LINES.on(
    ev.NetworkMeetingRecorded,
    LINES.say(
        "network_meeting_recorded",
        N_("Meeting of the network “{network}” on {day}: {attendees}"),
        network=NETWORK,
        day=Day(),
        attendees=Count(_attendees),
    ),
    lambda e: {
        "network": ident(e.originator_id),
        "day": iso(e.held_at),
        "attendees": len(e.attendees),
    },
)
LINES.on(
    ev.MemberLeft,
    "network_left",
    lambda e: {"professional": ident(e.professional_id), "network": ident(e.originator_id)},
)
LINES.on(
    ev.NetworkDissolved,
    LINES.say(
        "network_dissolved",
        N_("Network “{network}” dissolved on {day}"),
        network=NETWORK,
        day=Day(),
    ),
    lambda e: {"network": ident(e.originator_id), "day": iso(e.dissolved_at)},
)
LINES.on(
    ev.FundingGranted,
    LINES.say(
        "funding_granted",
        N_("Funding by {funder} ({target}) from {day}"),
        funder=INSTITUTION,
        target=Code("funded_kind"),
        day=Day(),
    ),
    lambda e: {
        "funder": ident(e.funder_id),
        "target": str(e.target_kind),
        "day": iso(e.valid_from),
    },
)
LINES.on(
    ev.FundingEnded,
    LINES.say("funding_ended", N_("Funding ended on {day}"), day=Day()),
    lambda e: {"day": iso(e.ended_on)},
)
