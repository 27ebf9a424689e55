"""The registry as a basis decision reads it (`domain.basis.BasisSources`): through the use
cases' loads, so that what a request already loaded is reused (`UseCaseBase.loads_shared`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.delegation import Delegation
from domain.institution import Institution
from domain.network import Network
from domain.partnership import Partnership
from domain.professional import Professional
from domain.values import Actor

A = TypeVar("A", bound=Aggregate)


class Loads(Protocol):
    """What the sources need of the use cases (`UseCaseBase.load`)."""

    def load(self, cls: type[A], aggregate_id: UUID, *, field: str | None = None) -> A: ...


class RegistrySources:
    """`BasisSources` over the application's repository."""

    def __init__(self, app: Loads, acting: Professional | None = None) -> None:
        self.app = app
        self.acting = acting

    def delegations_of(self, actor: Actor, case_id: UUID) -> Iterable[Delegation]:
        professional = self.acting
        if professional is None or professional.id != actor.professional_id:
            professional = self.app.load(Professional, actor.professional_id)
        for delegation_id in professional.delegations_for_case(case_id, actor.institution_id):
            yield self.app.load(Delegation, delegation_id)

    def partnerships_of(self, institution_id: UUID) -> Iterable[Partnership]:
        institution = self.app.load(Institution, institution_id)
        for partnership_id in institution.partnership_ids:
            yield self.app.load(Partnership, partnership_id)

    def shared_networks(self, a: UUID, b: UUID) -> Iterable[Network]:
        ours = self.app.load(Professional, a).network_ids
        theirs = self.app.load(Professional, b).network_ids
        for network_id in ours:
            if network_id in theirs:
                yield self.app.load(Network, network_id)
