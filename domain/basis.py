"""Deciding the basis of an action: the domain says on what a professional acts, and records it.

In order: a valid delegation covering the case and action kind; the acting institution holds the
case; an active convention between the acting institution and one already on the case covering
that kind (taking part in the case: any kind of the acting party's scope,
`domain.values.scope_allows`); a network shared with the case's coordinator; otherwise
`informal` — recorded, never refused. Sources are read lazily so that the common case (a
delegation, or the holder) loads nothing more.

When the professional holds a delegation for the case that does not cover the act (outside its
scope, not yet valid, expired, revoked), the basis decided otherwise says which one and why
(`explained`): a delegate's act outside their delegation is recorded, and flagged, as such.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.case import Case
from domain.delegation import Delegation
from domain.network import Network
from domain.partnership import ConventionLack, Partnership
from domain.values import Actor, Basis, BasisKind, OutsideDelegation


class BasisSources(Protocol):
    """Where the decision reads the registry; the application implements it on its repository."""

    def delegations_of(self, actor: Actor, case_id: UUID) -> Iterable[Delegation]: ...

    def partnerships_of(self, institution_id: UUID) -> Iterable[Partnership]: ...

    def shared_networks(self, a: UUID, b: UUID) -> Iterable[Network]: ...


@dataclass(frozen=True)
class BasisDecision:
    actor: Actor
    action_kind: str
    at: datetime

    def decide(self, case: Case, sources: BasisSources) -> Basis:
        for delegation in sources.delegations_of(self.actor, case.id):
            if delegation.covers(
                professional_id=self.actor.professional_id,
                institution_id=self.actor.institution_id,
                at=self.at,
                action_kind=self.action_kind,
                case_id=case.id,
            ):
                return Basis(BasisKind.DELEGATION, delegation.id)
        if self.actor.institution_id == case.holder_institution_id:
            return Basis(BasisKind.CASE_HOLDER, case.holder_institution_id)
        convention = self.convention(case, sources)
        if convention is not None:
            return Basis(BasisKind.CONVENTION, convention)
        coordinator = case.coordinator
        if coordinator is not None and coordinator.professional_id != self.actor.professional_id:
            for network in sources.shared_networks(
                self.actor.professional_id, coordinator.professional_id
            ):
                if (
                    not network.dissolved
                    and network.is_member(self.actor.professional_id)
                    and network.is_member(coordinator.professional_id)
                ):
                    return Basis(BasisKind.NETWORK, network.id)
        return Basis.informal()

    def conventions(
        self, case: Case, sources: BasisSources
    ) -> Iterator[tuple[UUID, ConventionLack | None]]:
        """The partnerships of the acting institution, each with why it does not cover this
        action on this case (None: it does)."""
        others = [i for i in case.institutions if i != self.actor.institution_id]
        for partnership in sources.partnerships_of(self.actor.institution_id):
            yield (
                partnership.id,
                partnership.why_not_covering(
                    acting_institution_id=self.actor.institution_id,
                    on_case=others,
                    at=self.at,
                    action_kind=self.action_kind,
                ),
            )

    def convention(self, case: Case, sources: BasisSources) -> UUID | None:
        """The first convention covering this action on this case, if any."""
        return next((p for p, lack in self.conventions(case, sources) if lack is None), None)

    def explained(self, case: Case, sources: BasisSources) -> Basis:
        """`decide`, and — when the basis is not a delegation — the first delegation the
        professional holds for the case that did not cover the act, with why."""
        basis = self.decide(case, sources)
        if basis.kind == BasisKind.DELEGATION:
            return basis
        for delegation in sources.delegations_of(self.actor, case.id):
            gap = delegation.gap(at=self.at, action_kind=self.action_kind)
            if gap is not None:
                outside = OutsideDelegation(delegation.id, str(gap), str(self.action_kind))
                return replace(basis, outside_delegation=outside)
        return basis
