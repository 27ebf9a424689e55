"""Case use cases of holding: transfer requests and their answers, and the référent de parcours.

Each follows `CaseActions._act`; the rules are the case's (`domain.case_holding`), who may ask is
`domain.access`'s. A supervisor acting here need not take part in the case: the basis decided
for them is their institution's (the holder's mandate, a convention…), as for any act.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.institution import Institution
from domain.usecases.base import Recorded, new_id
from domain.usecases.case_actions import CaseActions
from domain.values import ActionKind, Actor


class HoldingUseCases(CaseActions):
    def request_transfer(
        self,
        *,
        case_id: UUID,
        by: Actor,
        to_institution_id: UUID,
        reason: str | None = None,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        """The holder offers the case to `to_institution_id`; or an institution on the case asks
        to hold it (`to_institution_id`: its own). `entity_id`: the transfer."""
        self.load(Institution, to_institution_id, field="to_institution_id")
        transfer_id = new_id()
        return self._act(
            case_id,
            by,
            ActionKind.COORDINATION,
            occurred_at,
            lambda case, basis, at: case.request_transfer(
                transfer_id=transfer_id,
                by=by,
                basis=basis,
                to_institution_id=to_institution_id,
                reason=reason,
                occurred_at=at,
            ),
            entity_id=transfer_id,
        )

    def accept_transfer(
        self, *, case_id: UUID, transfer_id: UUID, by: Actor, occurred_at: datetime | None = None
    ) -> Recorded:
        return self._act(
            case_id,
            by,
            ActionKind.COORDINATION,
            occurred_at,
            lambda case, basis, at: case.accept_transfer(
                transfer_id=transfer_id, by=by, basis=basis, occurred_at=at
            ),
            entity_id=transfer_id,
        )

    def decline_transfer(
        self,
        *,
        case_id: UUID,
        transfer_id: UUID,
        by: Actor,
        reason: str,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        return self._act(
            case_id,
            by,
            ActionKind.COORDINATION,
            occurred_at,
            lambda case, basis, at: case.decline_transfer(
                transfer_id=transfer_id, by=by, basis=basis, reason=reason, occurred_at=at
            ),
            entity_id=transfer_id,
        )

    def withdraw_transfer(
        self, *, case_id: UUID, transfer_id: UUID, by: Actor, occurred_at: datetime | None = None
    ) -> Recorded:
        return self._act(
            case_id,
            by,
            ActionKind.COORDINATION,
            occurred_at,
            lambda case, basis, at: case.withdraw_transfer(
                transfer_id=transfer_id, by=by, basis=basis, occurred_at=at
            ),
            entity_id=transfer_id,
        )

    def assign_referent(
        self, *, case_id: UUID, by: Actor, referent: Actor, occurred_at: datetime | None = None
    ) -> Recorded:
        """A supervisor of the holding institution designates (or replaces) the référent de
        parcours, a professional taking part in the case."""
        return self._act(
            case_id,
            by,
            ActionKind.COORDINATION,
            occurred_at,
            lambda case, basis, at: case.assign_referent(
                by=by, basis=basis, referent=referent, occurred_at=at
            ),
        )
