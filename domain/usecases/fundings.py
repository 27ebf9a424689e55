"""Funding use cases: an administrator records who funds what, over which period."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from domain.funding import FundedKind, Funding
from domain.institution import Institution
from domain.network import Network
from domain.partnership import Partnership
from domain.usecases.base import Recorded, UseCaseBase
from domain.values import parse_enum


class FundingUseCases(UseCaseBase):
    def grant_funding(
        self,
        *,
        funder_id: UUID,
        target_kind: str,
        target_id: UUID,
        valid_from: date,
        valid_until: date | None = None,
        reference: str | None = None,
    ) -> Recorded:
        kind = parse_enum(FundedKind, target_kind, field="target_kind")
        self.load(Institution, funder_id, field="funder_id")
        if kind is FundedKind.PARTNERSHIP:
            self.load(Partnership, target_id, field="target_id")
        elif kind is FundedKind.NETWORK:
            self.load(Network, target_id, field="target_id")
        else:
            self.load(Institution, target_id, field="target_id")
        return self.execute(
            lambda: [
                Funding.grant(
                    funder_id=funder_id,
                    target_kind=kind,
                    target_id=target_id,
                    valid_from=valid_from,
                    valid_until=valid_until,
                    reference=reference,
                )
            ]
        )

    def end_funding(
        self,
        *,
        funding_id: UUID,
        ended_on: date,
        reason: str,
    ) -> Recorded:
        def decide() -> list[Funding]:
            funding = self.load(Funding, funding_id, field="funding_id")
            funding.end(ended_on=ended_on, reason=reason)
            return [funding]

        return self.execute(decide)
