"""Partnerships between institutions: a charter of shared values, or an operational convention.

A partnership is in force only from the day every party has signed, within its dates, while
neither suspended nor terminated. Only a convention covers an exchange, and only for the action
kinds and information categories in the acting party's scope.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import (
    AlreadySignedError,
    CharterHasNoScopeError,
    InvalidValueError,
    MandateReferenceRequiredError,
    NotAPartyError,
    PartnershipEndedError,
    PartnershipStateError,
)
from domain.values import (
    ActionKind,
    InformationCategory,
    PartnershipKind,
    PartnershipOrigin,
    Period,
    parse_enum,
    parse_enums,
    require_text,
)


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


class ConventionLack(StrEnum):
    """Why a partnership is not in force at an instant (the first reason found, in this order)."""

    NOT_SIGNED = "not_signed"  # a party had not signed (yet) that day
    NOT_YET_IN_FORCE = "not_yet_in_force"  # before its first day
    TERMINATED = "terminated"
    EXPIRED = "expired"  # after its last day
    SUSPENDED = "suspended"


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
    period, not terminated, not suspended. None: in force; else why not."""
    day = at.date()
    if signed_on is None or day < signed_on:
        return ConventionLack.NOT_SIGNED
    if day < valid_from:
        return ConventionLack.NOT_YET_IN_FORCE
    if terminated_on is not None and day >= terminated_on:
        return ConventionLack.TERMINATED
    if valid_until is not None and day > valid_until:
        return ConventionLack.EXPIRED
    if any(s.covers(at) for s in suspensions):
        return ConventionLack.SUSPENDED
    return None


class Partnership(Aggregate):
    @classmethod
    def propose(
        cls,
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
    ) -> Partnership:
        kind_ = parse_enum(PartnershipKind, kind, field="kind")
        origin_ = parse_enum(PartnershipOrigin, origin, field="origin")
        distinct = list(dict.fromkeys(parties))
        if len(distinct) < 2:
            raise InvalidValueError(
                "a partnership needs at least two institutions", field="parties"
            )
        Period(valid_from, valid_until)
        reference = mandate_reference.strip() if mandate_reference else None
        if origin_ is PartnershipOrigin.MANDATED and not reference:
            raise MandateReferenceRequiredError(
                "a mandated partnership names the law, scheme or commissioning body imposing it",
                field="mandate_reference",
            )
        if kind_ is PartnershipKind.CHARTER and scopes:
            raise CharterHasNoScopeError(
                "a charter states shared values and carries no operational scope", field="scopes"
            )
        if kind_ is PartnershipKind.CONVENTION:
            _check_scopes(scopes, distinct)
        return cls(
            kind=kind_,
            title=require_text(title, field="title", max_length=300),
            origin=origin_,
            mandate_reference=reference,
            parties=distinct,
            valid_from=valid_from,
            valid_until=valid_until,
            scopes=list(scopes),
            values_statement=values_statement.strip() if values_statement else None,
        )

    @event("PartnershipProposed")
    def __init__(
        self,
        kind: str,
        title: str,
        origin: str,
        mandate_reference: str | None,
        parties: list[UUID],
        valid_from: date,
        valid_until: date | None,
        scopes: list[PartyScope],
        values_statement: str | None,
    ) -> None:
        self.kind = kind
        self.title = title
        self.origin = origin
        self.mandate_reference = mandate_reference
        self.parties = list(parties)
        self.valid_from = valid_from
        self.valid_until = valid_until
        self.scopes = list(scopes)
        self.values_statement = values_statement
        self.signatures: list[Signature] = []
        self.suspensions: list[Suspension] = []
        self.terminated_on: date | None = None

    # --- reading ----------------------------------------------------------------------------

    @property
    def is_convention(self) -> bool:
        return self.kind == PartnershipKind.CONVENTION

    @property
    def fully_signed(self) -> bool:
        return self.signed_on is not None

    @property
    def signed_on(self) -> date | None:
        """The day the last party signed; None while a party has not."""
        return signed_by_all_on(
            self.parties, ((s.institution_id, s.signed_on) for s in self.signatures)
        )

    def in_force_at(self, at: datetime) -> bool:
        return self.lapse_at(at) is None

    def lapse_at(self, at: datetime) -> ConventionLack | None:
        return partnership_lapse(
            signed_on=self.signed_on,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            terminated_on=self.terminated_on,
            suspensions=self.suspensions,
            at=at,
        )

    @property
    def suspended_since(self) -> datetime | None:
        """Start of the suspension in progress, if any."""
        if self.suspensions and self.suspensions[-1].end is None:
            return self.suspensions[-1].start
        return None

    def scope_of(self, institution_id: UUID) -> PartyScope | None:
        for s in self.scopes:
            if s.institution_id == institution_id:
                return s
        return None

    def covers_exchange(
        self,
        *,
        acting_institution_id: UUID,
        other_institution_id: UUID,
        at: datetime,
        action_kind: str,
        categories: Iterable[str] = (),
    ) -> bool:
        """A convention in force, signed by both, whose acting party's scope has this action."""
        if not self.is_convention or not self.in_force_at(at):
            return False
        if acting_institution_id not in self.parties or other_institution_id not in self.parties:
            return False
        scope = self.scope_of(acting_institution_id)
        if scope is None or action_kind not in scope.action_kinds:
            return False
        return all(c in scope.information_categories for c in categories)

    # --- lifecycle --------------------------------------------------------------------------

    def sign(self, *, institution_id: UUID, signed_on: date, signatory_id: UUID | None) -> None:
        self._check_not_terminated()
        if institution_id not in self.parties:
            raise NotAPartyError(
                f"institution {institution_id} is not a party to partnership {self.id}",
                field="institution_id",
            )
        if any(s.institution_id == institution_id for s in self.signatures):
            raise AlreadySignedError(
                f"institution {institution_id} has already signed partnership {self.id}",
                field="institution_id",
            )
        self._signed(signature=Signature(institution_id, signed_on, signatory_id))

    @event("PartnershipSigned")
    def _signed(self, signature: Signature) -> None:
        self.signatures.append(signature)

    def amend(
        self,
        *,
        reference: str,
        valid_until: date | None = None,
        scopes: Sequence[PartyScope] | None = None,
    ) -> None:
        """An amendment changes the end date and/or the scopes; signatures stay."""
        self._check_not_terminated()
        if valid_until is None and scopes is None:
            raise InvalidValueError("an amendment changes the end date or the scopes", field=None)
        if scopes is not None:
            if not self.is_convention:
                raise CharterHasNoScopeError(
                    "a charter carries no operational scope", field="scopes"
                )
            _check_scopes(scopes, self.parties)
        if valid_until is not None:
            Period(self.valid_from, valid_until)
        self._amended(
            reference=require_text(reference, field="reference"),
            valid_until=valid_until,
            scopes=list(scopes) if scopes is not None else None,
        )

    @event("PartnershipAmended")
    def _amended(
        self, reference: str, valid_until: date | None, scopes: list[PartyScope] | None
    ) -> None:
        if valid_until is not None:
            self.valid_until = valid_until
        if scopes is not None:
            self.scopes = list(scopes)

    def suspend(self, *, reason: str, suspended_at: datetime) -> None:
        self._check_not_terminated()
        if self.suspended_since is not None:
            raise PartnershipStateError(f"partnership {self.id} is already suspended")
        self._suspended(reason=require_text(reason, field="reason"), suspended_at=suspended_at)

    @event("PartnershipSuspended")
    def _suspended(self, reason: str, suspended_at: datetime) -> None:
        self.suspensions.append(Suspension(suspended_at))

    def resume(self, *, resumed_at: datetime) -> None:
        self._check_not_terminated()
        since = self.suspended_since
        if since is None:
            raise PartnershipStateError(f"partnership {self.id} is not suspended")
        if resumed_at < since:
            raise InvalidValueError(
                f"a partnership cannot resume before it was suspended ({since.isoformat()})",
                field="occurred_at",
            )
        self._resumed(resumed_at=resumed_at)

    @event("PartnershipResumed")
    def _resumed(self, resumed_at: datetime) -> None:
        if self.suspensions and self.suspensions[-1].end is None:
            self.suspensions[-1] = replace(self.suspensions[-1], end=resumed_at)

    def terminate(self, *, reason: str, terminated_on: date) -> None:
        self._check_not_terminated()
        if terminated_on < self.valid_from:
            raise InvalidValueError(
                "a partnership cannot end before it starts", field="terminated_on"
            )
        self._terminated(reason=require_text(reason, field="reason"), terminated_on=terminated_on)

    @event("PartnershipTerminated")
    def _terminated(self, reason: str, terminated_on: date) -> None:
        self.terminated_on = terminated_on

    def _check_not_terminated(self) -> None:
        if self.terminated_on is not None:
            raise PartnershipEndedError(f"partnership {self.id} is terminated")


def _check_scopes(scopes: Sequence[PartyScope], parties: Sequence[UUID]) -> None:
    if not scopes:
        raise InvalidValueError(
            "a convention states what each party may do and exchange", field="scopes"
        )
    seen: set[UUID] = set()
    for scope in scopes:
        if scope.institution_id not in parties:
            raise NotAPartyError(
                f"scope given for institution {scope.institution_id}, which is not a party",
                field="scopes",
            )
        if scope.institution_id in seen:
            raise InvalidValueError(
                f"two scopes given for institution {scope.institution_id}", field="scopes"
            )
        seen.add(scope.institution_id)
