"""Reading a case: the reader's standing towards it, and the record of each reading.

The standing is gathered from the write model (the aggregates, always current), not from a
projection, so a professional who has just joined a case can read it at once.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.access import CaseStanding, CaseUse, Principal, check_case_access
from domain.case import Case
from domain.consultation import Consultation
from domain.delegation import Delegation, delegation_lapse
from domain.errors import NotFoundError
from domain.professional import Professional
from domain.usecases.base import Recorded, UseCaseBase


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
        check_case_access(principal, use, self.case_standing(principal, case, at))
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
