"""The shape every action on a case takes, shared by the case use cases.

Each action: check `occurred_at`; load the case and the acting professional; check that they act
for an institution that employs them; decide the basis; let the case decide (the `step`); save.
A retry after a conflicting write decides everything again on the fresh state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from domain.case import Case
from domain.usecases.base import Recorded, UseCaseBase
from domain.values import Actor, Basis

CaseStep = Callable[[Case, Basis, datetime], None]


class CaseActions(UseCaseBase):
    def _act(
        self,
        case_id: UUID,
        by: Actor,
        action_kind: str,
        occurred_at: datetime | None,
        step: CaseStep,
        *,
        delegation_id: UUID | None = None,
        entity_id: UUID | None = None,
    ) -> Recorded:
        at = self.occurred(occurred_at)

        def decide() -> list[Case]:
            case = self.load(Case, case_id, field="case_id")
            professional = self.acting_professional(by, at)
            basis = self.decide_basis(case, by, action_kind, at, delegation_id, professional)
            step(case, basis, at)
            return [case]

        return self.execute(decide, entity_id=entity_id, lock=case_id)
