"""Reading a case: the reader's standing towards it, and the record of each reading.

The standing is gathered from the write model (the aggregates, always current), not from a
projection, so a professional who has just joined a case can read it at once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from domain.access import CaseStanding, CaseUse, Principal, check_case_access
from domain.case import Case
from domain.consultation import Consultation
from domain.delegation import Delegation, delegation_lapse
from domain.errors import MaillageError, NotFoundError
from domain.professional import Professional
from domain.usecases.base import Recorded, UseCaseBase
from domain.values import ActionKind, BasisKind


class ConsultationUseCases(UseCaseBase):
    def case_standing(self, principal: Principal, case: Case, at: datetime) -> CaseStanding:
        institution_id = principal.institution_id
        if institution_id is None:
            return CaseStanding()
        actor = principal.actor
        return CaseStanding(
            participant=case.is_participant(actor),
            delegated=self._holds_delegation(principal.subject, institution_id, case.id, at),
            institution_on_case=institution_id in case.institutions,
            institution_was_involved=case.was_involved(institution_id),
            referred=case.referred_to(institution_id),
        )

    def _holds_delegation(
        self, professional_id: UUID, institution_id: UUID, case_id: UUID, at: datetime
    ) -> bool:
        try:
            professional = self.load(Professional, professional_id)
        except NotFoundError:
            return False
        for delegation_id in professional.delegations_for_case(case_id, institution_id):
            delegation = self.load(Delegation, delegation_id)
            lapse = delegation_lapse(
                delegation.valid_from, delegation.valid_until, delegation.revoked_at, at
            )
            if lapse is None:
                return True
        return False

    def authorise_case(self, principal: Principal, case_id: UUID, use: CaseUse) -> Case:
        """Load the case and refuse unless the principal may `use` it; unknown ids are 404s."""
        case = self.load(Case, case_id, field="case_id")
        at = self.time.now()
        standing = self.case_standing(principal, case, at)
        if use is CaseUse.JOIN and principal.institution_id is not None:
            standing = replace(standing, formal_link=self._formally_linked(case, principal, at))
        check_case_access(principal, use, standing)
        return case

    def _formally_linked(self, case: Case, principal: Principal, at: datetime) -> bool:
        """Would the domain find a formal basis (convention, network) for them to join?"""
        try:
            basis = self.decide_basis(case, principal.actor, ActionKind.CASE_PARTICIPATION, at)
        except MaillageError:
            return False
        return basis.kind in (BasisKind.CONVENTION, BasisKind.NETWORK, BasisKind.DELEGATION)

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
