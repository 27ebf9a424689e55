"""Professional networks: informal (personal engagement, reciprocity) or formal (institutional).

An informal network is made of professionals who recognise shared values; one joins by the
invitation of a member and one's own acceptance. A formal network is founded by institutions
around a common project; its members take part under a delegation from their institution, and its
meetings leave traces (attendees, decisions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.delegation import Delegation
from domain.errors import (
    AlreadyAMemberError,
    InvalidValueError,
    NetworkDissolvedError,
    NetworkKindError,
    NoInvitationError,
    NotAFoundingInstitutionError,
    NotANetworkMemberError,
)
from domain.values import ActionKind, NetworkKind, require_text
from domain.wording import N_


@dataclass(frozen=True)
class Member:
    professional_id: UUID
    institution_id: UUID | None = None
    delegation_id: UUID | None = None


@dataclass(frozen=True)
class Invitation:
    invitee_id: UUID
    inviter_id: UUID


class Network(Aggregate):
    @classmethod
    def found_informal(
        cls, *, name: str, values_statement: str, founder_id: UUID, founded_at: datetime
    ) -> Network:
        return cls(
            kind=NetworkKind.INFORMAL,
            name=require_text(name, field="name", max_length=200),
            values_statement=require_text(
                values_statement, field="values_statement", max_length=4000
            ),
            founding_institutions=[],
            objectives=[],
            founder_id=founder_id,
            founded_at=founded_at,
        )

    @classmethod
    def found_formal(
        cls,
        *,
        name: str,
        founding_institutions: Sequence[UUID],
        objectives: Sequence[str],
        founded_at: datetime,
        values_statement: str | None = None,
    ) -> Network:
        institutions = list(dict.fromkeys(founding_institutions))
        if not institutions:
            raise InvalidValueError(
                N_("a formal network is founded by at least one institution"),
                field="founding_institutions",
            )
        goals = [require_text(o, field="objectives") for o in objectives]
        if not goals:
            raise InvalidValueError(
                N_("a formal network is driven by a common project with objectives"),
                field="objectives",
            )
        return cls(
            kind=NetworkKind.FORMAL,
            name=require_text(name, field="name", max_length=200),
            values_statement=values_statement.strip() if values_statement else None,
            founding_institutions=institutions,
            objectives=goals,
            founder_id=None,
            founded_at=founded_at,
        )

    @event("NetworkFounded")
    def __init__(
        self,
        kind: str,
        name: str,
        values_statement: str | None,
        founding_institutions: list[UUID],
        objectives: list[str],
        founder_id: UUID | None,
        founded_at: datetime,
    ) -> None:
        self.kind = kind
        self.name = name
        self.values_statement = values_statement
        self.institutions = list(founding_institutions)
        self.objectives = list(objectives)
        self.members: list[Member] = []
        if founder_id is not None:
            self.members.append(Member(founder_id))
        self.invitations: list[Invitation] = []
        self.coordinator_id: UUID | None = None
        self.dissolved = False

    # --- reading ----------------------------------------------------------------------------

    @property
    def is_formal(self) -> bool:
        return self.kind == NetworkKind.FORMAL

    def is_member(self, professional_id: UUID) -> bool:
        return self.member(professional_id) is not None

    def member(self, professional_id: UUID) -> Member | None:
        for m in self.members:
            if m.professional_id == professional_id:
                return m
        return None

    def _invitation(self, invitee_id: UUID) -> Invitation | None:
        for i in self.invitations:
            if i.invitee_id == invitee_id:
                return i
        return None

    # --- informal: reciprocity ---------------------------------------------------------------

    def invite(self, *, inviter_id: UUID, invitee_id: UUID) -> None:
        self._check_kind(NetworkKind.INFORMAL)
        self.check_member(inviter_id, field="inviter_id")
        if self.is_member(invitee_id):
            raise AlreadyAMemberError(
                N_("professional {professional_id} is already a member"),
                field="invitee_id",
                professional_id=invitee_id,
            )
        if self._invitation(invitee_id) is not None:
            raise AlreadyAMemberError(
                N_("professional {professional_id} is already invited"),
                field="invitee_id",
                professional_id=invitee_id,
            )
        self._invited(invitation=Invitation(invitee_id, inviter_id))

    @event("MemberInvited")
    def _invited(self, invitation: Invitation) -> None:
        self.invitations.append(invitation)

    def accept_invitation(self, *, invitee_id: UUID) -> None:
        self._check_kind(NetworkKind.INFORMAL)
        self._check_has_invitation(invitee_id)
        self._invitation_accepted(invitee_id=invitee_id)

    @event("InvitationAccepted")
    def _invitation_accepted(self, invitee_id: UUID) -> None:
        invitation = self._invitation(invitee_id)
        if invitation is not None:
            self.invitations.remove(invitation)
        self.members.append(Member(invitee_id))

    def decline_invitation(self, *, invitee_id: UUID) -> None:
        self._check_kind(NetworkKind.INFORMAL)
        self._check_has_invitation(invitee_id)
        self._invitation_declined(invitee_id=invitee_id)

    @event("InvitationDeclined")
    def _invitation_declined(self, invitee_id: UUID) -> None:
        invitation = self._invitation(invitee_id)
        if invitation is not None:
            self.invitations.remove(invitation)

    def _check_has_invitation(self, invitee_id: UUID) -> None:
        self._check_not_dissolved()
        if self._invitation(invitee_id) is None:
            raise NoInvitationError(
                N_(
                    "professional {professional_id} has no pending invitation to network "
                    "{network_id}: joining an informal network needs a member's invitation"
                ),
                field="invitee_id",
                professional_id=invitee_id,
                network_id=self.id,
            )

    # --- formal: institutions, delegations, project, traces ----------------------------------

    def admit(self, *, delegation: Delegation, at: datetime) -> None:
        """Admit a professional to a formal network under their institution's delegation."""
        self._check_kind(NetworkKind.FORMAL)
        if delegation.institution_id not in self.institutions:
            raise NotAFoundingInstitutionError(
                N_("institution {institution_id} takes no part in network {network_id}"),
                field="delegation_id",
                institution_id=delegation.institution_id,
                network_id=self.id,
            )
        delegation.check_covers(
            professional_id=delegation.professional_id,
            institution_id=delegation.institution_id,
            at=at,
            action_kind=ActionKind.COORDINATION,
            network_id=self.id,
        )
        if self.is_member(delegation.professional_id):
            raise AlreadyAMemberError(
                N_("professional {professional_id} is already a member"),
                field="delegation_id",
                professional_id=delegation.professional_id,
            )
        self._admitted(
            member=Member(delegation.professional_id, delegation.institution_id, delegation.id)
        )

    @event("MemberAdmitted")
    def _admitted(self, member: Member) -> None:
        self.members.append(member)

    def add_institution(self, *, institution_id: UUID) -> None:
        self._check_kind(NetworkKind.FORMAL)
        if institution_id in self.institutions:
            raise AlreadyAMemberError(
                N_("institution {institution_id} already takes part"),
                field="institution_id",
                institution_id=institution_id,
            )
        self._institution_joined(institution_id=institution_id)

    @event("InstitutionJoinedNetwork")
    def _institution_joined(self, institution_id: UUID) -> None:
        self.institutions.append(institution_id)

    def appoint_coordinator(self, *, professional_id: UUID) -> None:
        self._check_kind(NetworkKind.FORMAL)
        self.check_member(professional_id, field="professional_id")
        self._coordinator_appointed(professional_id=professional_id)

    @event("NetworkCoordinatorAppointed")
    def _coordinator_appointed(self, professional_id: UUID) -> None:
        self.coordinator_id = professional_id

    def update_project(self, *, objectives: Sequence[str]) -> None:
        self._check_kind(NetworkKind.FORMAL)
        goals = [require_text(o, field="objectives") for o in objectives]
        if not goals:
            raise InvalidValueError(N_("a common project has objectives"), field="objectives")
        self._project_updated(objectives=goals)

    @event("NetworkProjectUpdated")
    def _project_updated(self, objectives: list[str]) -> None:
        self.objectives = list(objectives)

    def record_meeting(
        self,
        *,
        meeting_id: UUID,
        recorded_by: UUID,
        held_at: datetime,
        attendees: Sequence[UUID],
        decisions: Sequence[str],
    ) -> None:
        self._check_kind(NetworkKind.FORMAL)
        self.check_member(recorded_by, field="recorded_by")
        present = list(dict.fromkeys(attendees))
        if not present:
            raise InvalidValueError(N_("a meeting has attendees"), field="attendees")
        for attendee in present:
            self.check_member(attendee, field="attendees")
        self._meeting_recorded(
            meeting_id=meeting_id,
            recorded_by=recorded_by,
            held_at=held_at,
            attendees=present,
            decisions=[require_text(d, field="decisions", max_length=2000) for d in decisions],
        )

    @event("NetworkMeetingRecorded")
    def _meeting_recorded(
        self,
        meeting_id: UUID,
        recorded_by: UUID,
        held_at: datetime,
        attendees: list[UUID],
        decisions: list[str],
    ) -> None:
        """Meetings are traces: kept in the log and the read side, not in the decision state."""

    # --- both kinds -------------------------------------------------------------------------

    def leave(self, *, professional_id: UUID) -> None:
        self.check_member(professional_id, field="professional_id")
        self._member_left(professional_id=professional_id)

    @event("MemberLeft")
    def _member_left(self, professional_id: UUID) -> None:
        member = self.member(professional_id)
        if member is not None:
            self.members.remove(member)
        if self.coordinator_id == professional_id:
            self.coordinator_id = None

    def dissolve(self, *, reason: str, dissolved_at: datetime) -> None:
        self._check_not_dissolved()
        self._dissolved(reason=require_text(reason, field="reason"), dissolved_at=dissolved_at)

    @event("NetworkDissolved")
    def _dissolved(self, reason: str, dissolved_at: datetime) -> None:
        self.dissolved = True

    def check_member(self, professional_id: UUID, *, field: str) -> None:
        self._check_not_dissolved()
        if not self.is_member(professional_id):
            raise NotANetworkMemberError(
                N_("professional {professional_id} is not a member of network {network_id}"),
                field=field,
                professional_id=professional_id,
                network_id=self.id,
            )

    def _check_kind(self, kind: NetworkKind) -> None:
        self._check_not_dissolved()
        if self.kind != kind:
            raise NetworkKindError(
                _KIND_ONLY[kind],
                field="network_id",
                network_id=self.id,
                network_kind=self.kind,
                applies_to=kind,
            )

    def _check_not_dissolved(self) -> None:
        if self.dissolved:
            raise NetworkDissolvedError(
                N_("network {network_id} is dissolved"), field="network_id", network_id=self.id
            )


# A command for one kind of network, asked of the other kind.
_KIND_ONLY = {
    NetworkKind.FORMAL: N_(
        "network {network_id} is informal; this applies to formal networks only"
    ),
    NetworkKind.INFORMAL: N_(
        "network {network_id} is formal; this applies to informal networks only"
    ),
}
