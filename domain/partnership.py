"""Partnerships between institutions: a charter of shared values, or an operational convention.

A partnership is in force only from the day every party has signed, within its dates, while
neither suspended nor terminated. Only a convention covers an exchange, and only for the action
kinds and information categories in the acting party's scope. Its scope for a party says what
that party's professionals may do on a case shared with another party: taking part in it
(joining) comes with any action kind the scope names (`domain.values.scope_allows`). When a
convention does not cover, `Partnership.why_not_covering` says why, as a `ConventionLack` code.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
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
from domain.partnership_terms import (
    ConventionLack,
    PartyScope,
    Signature,
    Suspension,
    partnership_in_force,
    partnership_lapse,
    signed_by_all_on,
)
from domain.values import (
    PartnershipKind,
    PartnershipOrigin,
    Period,
    parse_enum,
    require_text,
    scope_allows,
)
from domain.wording import N_

__all__ = [
    "ConventionLack",
    "Partnership",
    "PartyScope",
    "Signature",
    "Suspension",
    "partnership_in_force",
    "partnership_lapse",
    "signed_by_all_on",
]


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
                N_("a partnership needs at least two institutions"), field="parties"
            )
        Period(valid_from, valid_until)
        reference = mandate_reference.strip() if mandate_reference else None
        if origin_ is PartnershipOrigin.MANDATED and not reference:
            raise MandateReferenceRequiredError(
                N_(
                    "a mandated partnership names the law, scheme or commissioning body imposing it"
                ),
                field="mandate_reference",
            )
        if kind_ is PartnershipKind.CHARTER and scopes:
            raise CharterHasNoScopeError(
                N_("a charter states shared values and carries no operational scope"),
                field="scopes",
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
        lack = self.why_not_covering(
            acting_institution_id=acting_institution_id,
            on_case=(other_institution_id,),
            at=at,
            action_kind=action_kind,
            categories=categories,
        )
        return lack is None

    def why_not_covering(
        self,
        *,
        acting_institution_id: UUID,
        on_case: Iterable[UUID],
        at: datetime,
        action_kind: str,
        categories: Iterable[str] = (),
    ) -> ConventionLack | None:
        """Why this partnership does not cover `action_kind` (and `categories`) by a professional
        of the acting institution on a case where the institutions `on_case` are; None if it
        does. The case is looked at last: a reason about the case is given only for a convention
        that would otherwise cover."""
        if not self.is_convention:
            return ConventionLack.CHARTER
        lapse = self.lapse_at(at)
        if lapse is not None:
            return lapse
        if acting_institution_id not in self.parties:
            return ConventionLack.NOT_A_PARTY
        scope = self.scope_of(acting_institution_id)
        if scope is None or not scope.action_kinds:
            return ConventionLack.NO_ACTION_KINDS
        if not scope_allows(scope.action_kinds, action_kind):
            return ConventionLack.ACTION_NOT_IN_SCOPE
        if not all(c in scope.information_categories for c in categories):
            return ConventionLack.CATEGORY_NOT_IN_SCOPE
        if not any(i in self.parties for i in on_case if i != acting_institution_id):
            return ConventionLack.NO_PARTY_ON_CASE
        return None

    # --- lifecycle --------------------------------------------------------------------------

    def sign(self, *, institution_id: UUID, signed_on: date, signatory_id: UUID | None) -> None:
        self._check_not_terminated()
        if institution_id not in self.parties:
            raise NotAPartyError(
                N_("institution {institution_id} is not a party to partnership {partnership_id}"),
                field="institution_id",
                institution_id=institution_id,
                partnership_id=self.id,
            )
        if any(s.institution_id == institution_id for s in self.signatures):
            raise AlreadySignedError(
                N_("institution {institution_id} has already signed partnership {partnership_id}"),
                field="institution_id",
                institution_id=institution_id,
                partnership_id=self.id,
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
            raise InvalidValueError(N_("an amendment changes the end date or the scopes"))
        if scopes is not None:
            if not self.is_convention:
                raise CharterHasNoScopeError(
                    N_("a charter carries no operational scope"), field="scopes"
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
            raise PartnershipStateError(
                N_("partnership {partnership_id} is already suspended"), partnership_id=self.id
            )
        self._suspended(reason=require_text(reason, field="reason"), suspended_at=suspended_at)

    @event("PartnershipSuspended")
    def _suspended(self, reason: str, suspended_at: datetime) -> None:
        self.suspensions.append(Suspension(suspended_at))

    def resume(self, *, resumed_at: datetime) -> None:
        self._check_not_terminated()
        since = self.suspended_since
        if since is None:
            raise PartnershipStateError(
                N_("partnership {partnership_id} is not suspended"), partnership_id=self.id
            )
        if resumed_at < since:
            raise InvalidValueError(
                N_("a partnership cannot resume before it was suspended ({suspended_at})"),
                field="occurred_at",
                suspended_at=since,
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
                N_("a partnership cannot end before it starts"), field="terminated_on"
            )
        self._terminated(reason=require_text(reason, field="reason"), terminated_on=terminated_on)

    @event("PartnershipTerminated")
    def _terminated(self, reason: str, terminated_on: date) -> None:
        self.terminated_on = terminated_on

    def _check_not_terminated(self) -> None:
        if self.terminated_on is not None:
            raise PartnershipEndedError(
                N_("partnership {partnership_id} is terminated"), partnership_id=self.id
            )


def _check_scopes(scopes: Sequence[PartyScope], parties: Sequence[UUID]) -> None:
    if not scopes:
        raise InvalidValueError(
            N_("a convention states what each party may do and exchange"), field="scopes"
        )
    seen: set[UUID] = set()
    for scope in scopes:
        if scope.institution_id not in parties:
            raise NotAPartyError(
                N_("scope given for institution {institution_id}, which is not a party"),
                field="scopes",
                institution_id=scope.institution_id,
            )
        if scope.institution_id in seen:
            raise InvalidValueError(
                N_("two scopes given for institution {institution_id}"),
                field="scopes",
                institution_id=scope.institution_id,
            )
        seen.add(scope.institution_id)
