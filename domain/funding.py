"""A funding: a funder pays for a partnership, a network or an institution over a period.

The funder is an institution of the registry (a département, a regional health agency, a
foundation…), the one its staff's tokens name. A funding is what lets a funder read the aggregate
reports of what it funds, and only over the funded period (`domain.access.check_report_reader`).
It is granted for a period of whole days and may be ended early; nothing else changes it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import FundingEndedError, InvalidValueError
from domain.values import Period, parse_enum, require_text
from domain.wording import N_


def last_day(valid_until: date | None, ended_on: date | None) -> date | None:
    """The last day of something valid until one day and perhaps ended earlier: the earlier of
    the two, or None while neither is set."""
    ends = [d for d in (valid_until, ended_on) if d is not None]
    return min(ends) if ends else None


class FundedKind(StrEnum):
    """What a funding pays for (and what a report is about)."""

    PARTNERSHIP = "partnership"
    NETWORK = "network"
    INSTITUTION = "institution"


class Funding(Aggregate):
    @classmethod
    def grant(
        cls,
        *,
        funder_id: UUID,
        target_kind: str,
        target_id: UUID,
        valid_from: date,
        valid_until: date | None = None,
        reference: str | None = None,
    ) -> Funding:
        kind = parse_enum(FundedKind, target_kind, field="target_kind")
        if kind is FundedKind.INSTITUTION and target_id == funder_id:
            raise InvalidValueError(N_("an institution does not fund itself"), field="target_id")
        Period(valid_from, valid_until)
        return cls(
            funder_id=funder_id,
            target_kind=kind,
            target_id=target_id,
            valid_from=valid_from,
            valid_until=valid_until,
            reference=require_text(reference, field="reference", max_length=300)
            if reference and reference.strip()
            else None,
        )

    @event("FundingGranted")
    def __init__(
        self,
        funder_id: UUID,
        target_kind: str,
        target_id: UUID,
        valid_from: date,
        valid_until: date | None,
        reference: str | None,
    ) -> None:
        self.funder_id = funder_id
        self.target_kind = target_kind
        self.target_id = target_id
        self.valid_from = valid_from
        self.valid_until = valid_until
        self.reference = reference
        self.ended_on: date | None = None

    @property
    def last_day(self) -> date | None:
        """The last funded day: the end of its period, or the day it was ended on."""
        return last_day(self.valid_until, self.ended_on)

    def end(self, *, ended_on: date, reason: str) -> None:
        if self.ended_on is not None:
            raise FundingEndedError(
                N_("funding {funding_id} was ended on {ended_on}"),
                field="ended_on",
                funding_id=self.id,
                ended_on=self.ended_on,
            )
        if ended_on < self.valid_from:
            raise InvalidValueError(N_("a funding cannot end before it starts"), field="ended_on")
        self._ended(ended_on=ended_on, reason=require_text(reason, field="reason"))

    @event("FundingEnded")
    def _ended(self, ended_on: date, reason: str) -> None:
        self.ended_on = ended_on
