"""Reading a case: the reader's standing towards it, and the record of each reading.

The standing is gathered from the write model (the aggregates, always current), not from a
projection, so a professional who has just joined a case can read it at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from domain.access import CaseStanding, CaseUse, Principal, check_case_access
from domain.basis import BasisDecision
from domain.case import Case
from domain.consultation import Consultation
from domain.delegation import Delegation, delegation_lapse
from domain.errors import NotFoundError
from domain.network import Network
from domain.partnership import Partnership
from domain.professional import Professional
from domain.usecases.base import Recorded, RegistrySources, UseCaseBase
from domain.values import ActionKind, Actor, BasisKind


class ConsultationUseCases(UseCaseBase):
    def case_standing(
        self, principal: Principal, case: Case, at: datetime, use: CaseUse = CaseUse.READ
    ) -> CaseStanding:
        """What the log says about `principal` and `case` at `at` (only what `use` needs)."""
        institution_id = principal.institution_id
        if institution_id is None:
            return CaseStanding()
        try:
            professional = self.load(Professional, principal.subject)
        except NotFoundError:
            return CaseStanding()  # a token for no registered professional has no standing
        if not professional.employed_at(institution_id, at.date()):
            return CaseStanding()
        actor = principal.actor
        participant = case.is_participant(actor)
        holds = not participant and self._holds_delegation(professional, institution_id, case, at)
        linked = (holds or use is CaseUse.JOIN) and self._formally_linked(case, actor, at)
        was_involved = case.was_involved(institution_id)
        return CaseStanding(
            employed=True,
            participant=participant,
            # a delegation opens a case only from an institution that has a standing on it
            delegated=holds and (was_involved or linked),
            institution_on_case=institution_id in case.institutions,
            institution_was_involved=was_involved,
            referred=case.referred_to(institution_id),
            formal_link=linked,
        )

    def _holds_delegation(
        self, professional: Professional, institution_id: UUID, case: Case, at: datetime
    ) -> bool:
        for delegation_id in professional.delegations_for_case(case.id, institution_id):
            delegation = self.load(Delegation, delegation_id)
            lapse = delegation_lapse(
                delegation.valid_from, delegation.valid_until, delegation.revoked_at, at
            )
            if lapse is None:
                return True
        return False

    def _formally_linked(self, case: Case, actor: Actor, at: datetime) -> bool:
        """Would the domain find a basis other than personal trust for them on this case,
        leaving delegations aside (a convention in force with an institution on it, or a
        network shared with its coordinator)?"""
        decision = BasisDecision(actor, ActionKind.CASE_PARTICIPATION, at)
        basis = decision.decide(case, _WithoutDelegations(RegistrySources(self)))
        return basis.kind in (BasisKind.CASE_HOLDER, BasisKind.CONVENTION, BasisKind.NETWORK)

    def authorise_case(self, principal: Principal, case_id: UUID, use: CaseUse) -> Case:
        """Load the case and refuse unless the principal may `use` it; unknown ids are 404s."""
        case = self.load(Case, case_id, field="case_id")
        check_case_access(principal, use, self.case_standing(principal, case, self.time.now(), use))
        return case

    def record_consultation(
        self, *, case_id: UUID, principal: Principal, view: str, purpose: str
    ) -> Recorded:
        """Record that `principal` reads `view` of the case, for `purpose` (before showing it)."""
        at = self.time.now()
        return self.execute(
            lambda: [
                Consultation.record(
                    case_id=case_id,
                    by=principal.actor,
                    role=principal.role,
                    view=view,
                    purpose=purpose,
                    occurred_at=at,
                )
            ]
        )


class _WithoutDelegations:
    """The registry as seen by a basis decision that leaves delegations aside."""

    def __init__(self, sources: RegistrySources) -> None:
        self.sources = sources

    def delegations_of(self, actor: Actor, case_id: UUID) -> Iterable[Delegation]:
        return ()

    def partnerships_of(self, institution_id: UUID) -> Iterable[Partnership]:
        return self.sources.partnerships_of(institution_id)

    def shared_networks(self, a: UUID, b: UUID) -> Iterable[Network]:
        return self.sources.shared_networks(a, b)
