"""What a partnership's terms are made of, and the one rule of its being in force.

The values its events carry (each party's scope, its signatures, its suspensions) and the rule
deciding whether it is in force at an instant — or why not, as a `ConventionLack` code — shared
by the aggregate (`domain.partnership`) and the read side (`domain.coherence_registry`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.values import ActionKind, InformationCategory, Period, parse_enums


@dataclass(frozen=True)
class PartyScope:
    """What one party of a convention may perform (action kinds) and exchange (categories)."""

    institution_id: UUID
    action_kinds: tuple[str, ...]
    information_categories: tuple[str, ...]

    @classmethod
    def parse(
        cls,
        institution_id: UUID,
        action_kinds: Iterable[str],
        information_categories: Iterable[str],
    ) -> PartyScope:
        return cls(
            institution_id=institution_id,
            action_kinds=tuple(
                str(k) for k in parse_enums(ActionKind, action_kinds, field="scope")
            ),
            information_categories=tuple(
                str(c)
                for c in parse_enums(
                    InformationCategory, information_categories, field="information_categories"
                )
            ),
        )


@dataclass(frozen=True)
class Suspension:
    """A period during which the partnership was not in force; `end` None while it lasts."""

    start: datetime
    end: datetime | None = None

    def covers(self, at: datetime) -> bool:
        return self.start <= at and (self.end is None or at < self.end)


@dataclass(frozen=True)
class Signature:
    institution_id: UUID
    signed_on: date
    signatory_id: UUID | None = None


class ConventionLack(StrEnum):
    """Why a partnership does not cover an act of one party's professional on a case shared with
    another party: the first reason found, in this order (what the partnership is and says
    first, the case last)."""

    CHARTER = "charter"  # a charter states values, it never covers an act
    NOT_SIGNED = "not_signed"  # a party had not signed (yet) that day
    NOT_YET_IN_FORCE = "not_yet_in_force"  # before its first day
    TERMINATED = "terminated"
    EXPIRED = "expired"  # after its last day
    SUSPENDED = "suspended"
    NOT_A_PARTY = "not_a_party"  # the acting institution is not a party
    NO_ACTION_KINDS = "no_action_kinds"  # its scope for the acting party names no action kind
    ACTION_NOT_IN_SCOPE = "action_not_in_scope"  # …names others, not this one
    CATEGORY_NOT_IN_SCOPE = "category_not_in_scope"  # an information category is not in it
    NO_PARTY_ON_CASE = "no_party_on_case"  # none of its other parties is on the case


def signed_by_all_on(
    parties: Iterable[UUID], signatures: Iterable[tuple[UUID, date]]
) -> date | None:
    """The day the last party signed (the first signature of each counts), None until all have."""
    days: dict[UUID, date] = {}
    for institution_id, day in signatures:
        days.setdefault(institution_id, day)
    wanted = list(parties)
    if any(p not in days for p in wanted):
        return None
    return max(days[p] for p in wanted)


def partnership_lapse(
    *,
    signed_on: date | None,
    valid_from: date,
    valid_until: date | None,
    terminated_on: date | None,
    suspensions: Iterable[Suspension],
    at: datetime,
) -> ConventionLack | None:
    """The one rule of a partnership being in force, shared by the aggregate and the read side:
    signed by every party (`signed_on`: the day the last one signed) by that day, within its
    period, not terminated, not suspended; else why not."""
    day = at.date()
    if signed_on is None:
        return ConventionLack.NOT_SIGNED
    if day < valid_from:
        return ConventionLack.NOT_YET_IN_FORCE
    if day < signed_on:  # within its dates, but its last party signed later
        return ConventionLack.NOT_SIGNED
    if terminated_on is not None and day >= terminated_on:
        return ConventionLack.TERMINATED
    if not Period(valid_from, valid_until).contains(day):
        return ConventionLack.EXPIRED
    if any(s.covers(at) for s in suspensions):
        return ConventionLack.SUSPENDED
    return None


def partnership_in_force(**terms: Any) -> bool:
    """`partnership_lapse`, given the same keywords, finds nothing missing."""
    return partnership_lapse(**terms) is None
