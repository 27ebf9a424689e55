"""Network use cases: founding, reciprocity (invite/accept), admission under delegation, traces."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from domain.delegation import Delegation
from domain.institution import Institution
from domain.network import Network
from domain.professional import Professional
from domain.usecases.base import Recorded, UseCaseBase, new_id


class NetworkUseCases(UseCaseBase):
    def found_informal_network(
        self,
        *,
        name: str,
        values_statement: str,
        founder_id: UUID,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        at = self.occurred(occurred_at)

        def decide() -> list[Network | Professional]:
            founder = self.load(Professional, founder_id, field="founder_id")
            network = Network.found_informal(
                name=name, values_statement=values_statement, founder_id=founder_id, founded_at=at
            )
            founder.join_network(network.id)
            return [network, founder]

        return self.execute(decide)

    def found_formal_network(
        self,
        *,
        name: str,
        founding_institutions: Sequence[UUID],
        objectives: Sequence[str],
        values_statement: str | None = None,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        at = self.occurred(occurred_at)
        self.check_exists(Institution, founding_institutions, field="founding_institutions")
        return self.execute(
            lambda: [
                Network.found_formal(
                    name=name,
                    founding_institutions=founding_institutions,
                    objectives=objectives,
                    values_statement=values_statement,
                    founded_at=at,
                )
            ]
        )

    def invite_to_network(
        self, *, network_id: UUID, inviter_id: UUID, invitee_id: UUID
    ) -> Recorded:
        self.load(Professional, invitee_id, field="invitee_id")

        def decide() -> list[Network]:
            network = self.load(Network, network_id, field="network_id")
            network.invite(inviter_id=inviter_id, invitee_id=invitee_id)
            return [network]

        return self.execute(decide)

    def accept_network_invitation(self, *, network_id: UUID, invitee_id: UUID) -> Recorded:
        def decide() -> list[Network | Professional]:
            network = self.load(Network, network_id, field="network_id")
            invitee = self.load(Professional, invitee_id, field="invitee_id")
            network.accept_invitation(invitee_id=invitee_id)
            invitee.join_network(network.id)
            return [network, invitee]

        return self.execute(decide)

    def decline_network_invitation(self, *, network_id: UUID, invitee_id: UUID) -> Recorded:
        def decide() -> list[Network]:
            network = self.load(Network, network_id, field="network_id")
            network.decline_invitation(invitee_id=invitee_id)
            return [network]

        return self.execute(decide)

    def add_institution_to_network(self, *, network_id: UUID, institution_id: UUID) -> Recorded:
        self.load(Institution, institution_id, field="institution_id")

        def decide() -> list[Network]:
            network = self.load(Network, network_id, field="network_id")
            network.add_institution(institution_id=institution_id)
            return [network]

        return self.execute(decide)

    def admit_to_network(
        self, *, network_id: UUID, delegation_id: UUID, occurred_at: datetime | None = None
    ) -> Recorded:
        """A professional enters a formal network under their institution's delegation."""
        at = self.occurred(occurred_at)

        def decide() -> list[Network | Professional]:
            network = self.load(Network, network_id, field="network_id")
            delegation = self.load(Delegation, delegation_id, field="delegation_id")
            member = self.load(Professional, delegation.professional_id)
            member.check_acts_for(delegation.institution_id, at)
            network.admit(delegation=delegation, at=at)
            member.join_network(network.id)
            return [network, member]

        return self.execute(decide)

    def appoint_network_coordinator(self, *, network_id: UUID, professional_id: UUID) -> Recorded:
        def decide() -> list[Network]:
            network = self.load(Network, network_id, field="network_id")
            network.appoint_coordinator(professional_id=professional_id)
            return [network]

        return self.execute(decide)

    def update_network_project(self, *, network_id: UUID, objectives: Sequence[str]) -> Recorded:
        def decide() -> list[Network]:
            network = self.load(Network, network_id, field="network_id")
            network.update_project(objectives=objectives)
            return [network]

        return self.execute(decide)

    def record_network_meeting(
        self,
        *,
        network_id: UUID,
        recorded_by: UUID,
        attendees: Sequence[UUID],
        decisions: Sequence[str],
        occurred_at: datetime | None = None,
    ) -> Recorded:
        at = self.occurred(occurred_at)
        meeting_id = new_id()

        def decide() -> list[Network]:
            network = self.load(Network, network_id, field="network_id")
            network.record_meeting(
                meeting_id=meeting_id,
                recorded_by=recorded_by,
                held_at=at,
                attendees=attendees,
                decisions=decisions,
            )
            return [network]

        return self.execute(decide, entity_id=meeting_id)

    def leave_network(self, *, network_id: UUID, professional_id: UUID) -> Recorded:
        def decide() -> list[Network | Professional]:
            network = self.load(Network, network_id, field="network_id")
            professional = self.load(Professional, professional_id, field="professional_id")
            network.leave(professional_id=professional_id)
            professional.leave_network(network.id)
            return [network, professional]

        return self.execute(decide)

    def dissolve_network(
        self, *, network_id: UUID, reason: str, occurred_at: datetime | None = None
    ) -> Recorded:
        at = self.occurred(occurred_at)

        def decide() -> list[Network]:
            network = self.load(Network, network_id, field="network_id")
            network.dissolve(reason=reason, dissolved_at=at)
            return [network]

        return self.execute(decide)
