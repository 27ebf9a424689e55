"""Erasing a beneficiary's personal data: the event that says why, then their key destroyed."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from domain.case import Case
from domain.usecases.base import Recorded, UseCaseBase


class ErasureUseCases(UseCaseBase):
    def erase_beneficiary(
        self,
        *,
        case_id: UUID,
        ground: str,
        requested_by: str,
        reference: str | None = None,
        closed_before: datetime | None = None,
    ) -> Recorded:
        """Record the erasure, then destroy the beneficiary's key (`domain.privacy`).

        In that order, so the log says why before anything is lost. An erasure interrupted
        between the two, or whose wipe of the store's leftovers could not run yet, is finished
        by asking again. With `closed_before` (retention), only a case closed since before."""
        case = self.load(Case, case_id, field="case_id")
        if case.erased:  # asked again: finish what an interrupted erasure left, or refuse
            if not self.keyring.is_destroyed(case_id):
                self.keyring.destroy(case_id)
            elif self.keyring.wipe_pending(case_id):
                self.keyring.wipe()
            else:
                case.check_not_erased()  # refuses: erased already
            return Recorded(case.id, case.version, None)
        at = self.time.now()

        def decide() -> list[Case]:
            case = self.load(Case, case_id, field="case_id")
            case.erase_beneficiary(
                ground=ground,
                reference=reference,
                requested_by=requested_by,
                occurred_at=at,
                closed_before=closed_before,
            )
            return [case]

        recorded = self.execute(decide, lock=case_id)
        self.keyring.destroy(case_id)
        return recorded
