"""Partnership use cases: propose, sign, amend, suspend, resume, terminate."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from domain.institution import Institution
from domain.partnership import Partnership, PartyScope
from domain.usecases.base import Recorded, UseCaseBase


class PartnershipUseCases(UseCaseBase):
    def propose_partnership(
        self,
        *,
        kind: str,
        title: str,
        origin: str,
        parties: Sequence[UUID],
        valid_from: date,
        valid_until: date | None = None,
        mandate_reference: str | None = None,
        scopes: Sequence[PartyScope] = (),
        values_statement: str | None = None,
    ) -> Recorded:
        """Each party's institution records that it entered the partnership, atomically."""
        self.check_exists(Institution, parties, field="parties")

        def decide() -> list[Partnership | Institution]:
            partnership = Partnership.propose(
                kind=kind,
                title=title,
                origin=origin,
                parties=parties,
                valid_from=valid_from,
                valid_until=valid_until,
                mandate_reference=mandate_reference,
                scopes=scopes,
                values_statement=values_statement,
            )
            institutions = [self.load(Institution, p) for p in partnership.parties]
            for institution in institutions:
                institution.enter_partnership(partnership.id)
            return [partnership, *institutions]

        return self.execute(decide)

    def sign_partnership(
        self,
        *,
        partnership_id: UUID,
        institution_id: UUID,
        signed_on: date,
        signatory_id: UUID | None = None,
    ) -> Recorded:
        def decide() -> list[Partnership]:
            partnership = self.load(Partnership, partnership_id, field="partnership_id")
            partnership.sign(
                institution_id=institution_id, signed_on=signed_on, signatory_id=signatory_id
            )
            return [partnership]

        return self.execute(decide)

    def amend_partnership(
        self,
        *,
        partnership_id: UUID,
        reference: str,
        valid_until: date | None = None,
        scopes: Sequence[PartyScope] | None = None,
    ) -> Recorded:
        def decide() -> list[Partnership]:
            partnership = self.load(Partnership, partnership_id, field="partnership_id")
            partnership.amend(reference=reference, valid_until=valid_until, scopes=scopes)
            return [partnership]

        return self.execute(decide)

    def suspend_partnership(
        self, *, partnership_id: UUID, reason: str, occurred_at: datetime | None = None
    ) -> Recorded:
        at = self.occurred(occurred_at)

        def decide() -> list[Partnership]:
            partnership = self.load(Partnership, partnership_id, field="partnership_id")
            partnership.suspend(reason=reason, suspended_at=at)
            return [partnership]

        return self.execute(decide)

    def resume_partnership(
        self, *, partnership_id: UUID, occurred_at: datetime | None = None
    ) -> Recorded:
        at = self.occurred(occurred_at)

        def decide() -> list[Partnership]:
            partnership = self.load(Partnership, partnership_id, field="partnership_id")
            partnership.resume(resumed_at=at)
            return [partnership]

        return self.execute(decide)

    def terminate_partnership(
        self, *, partnership_id: UUID, reason: str, terminated_on: date
    ) -> Recorded:
        def decide() -> list[Partnership]:
            partnership = self.load(Partnership, partnership_id, field="partnership_id")
            partnership.terminate(reason=reason, terminated_on=terminated_on)
            return [partnership]

        return self.execute(decide)
