"""A formal delegation: an institution mandates one of its professionals, within a scope.

A delegation naming a case is the institution's mandate to act on that case: it lets its holder
take part in the case (join it, read it) whatever kinds of action its scope names, and covers
the acts of those kinds (`domain.values.scope_allows`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import (
    DelegationExpiredError,
    DelegationNotYetValidError,
    DelegationOutOfScopeError,
    DelegationRevokedError,
    InvalidValueError,
    NotEmployedError,
)
from domain.professional import Professional
from domain.values import (
    ActionKind,
    DelegationGap,
    Period,
    parse_enums,
    require_text,
    scope_allows,
)
from domain.wording import N_

_INVALIDITY = (
    DelegationOutOfScopeError,
    DelegationRevokedError,
    DelegationExpiredError,
    DelegationNotYetValidError,
)


class Lapse(StrEnum):
    """Why a delegation does not hold at an instant."""

    REVOKED = "revoked"
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"


def delegation_lapse(
    valid_from: date, valid_until: date, revoked_at: datetime | None, at: datetime
) -> Lapse | None:
    """The one rule of a delegation's validity, shared by the aggregate and the read side."""
    if revoked_at is not None and at >= revoked_at:
        return Lapse.REVOKED
    day = at.date()
    if day < valid_from:
        return Lapse.NOT_YET_VALID
    if day > valid_until:
        return Lapse.EXPIRED
    return None


class Delegation(Aggregate):
    """Granted for a formal network and/or a case, for a scope of action kinds and a period."""

    @classmethod
    def grant(
        cls,
        *,
        institution_id: UUID,
        holder: Professional,
        scope: Iterable[str],
        valid_from: date,
        valid_until: date,
        case_id: UUID | None = None,
        network_id: UUID | None = None,
        granted_by: UUID | None = None,
    ) -> Delegation:
        if case_id is None and network_id is None:
            raise InvalidValueError(
                N_("a delegation is granted for a formal network, a case, or both"),
                field="case_id",
            )
        kinds = parse_enums(ActionKind, scope, field="scope")
        if not kinds:
            raise InvalidValueError(
                N_("a delegation needs at least one action kind"), field="scope"
            )
        Period(valid_from, valid_until)  # refuses an inverted period
        if not holder.employed_at(institution_id, valid_from):
            raise NotEmployedError(
                N_(
                    "institution {institution_id} can only delegate to its own professionals: "
                    "{professional_id} is not employed there on {on}"
                ),
                field="professional_id",
                institution_id=institution_id,
                professional_id=holder.id,
                on=valid_from,
            )
        return cls(
            institution_id=institution_id,
            professional_id=holder.id,
            case_id=case_id,
            network_id=network_id,
            scope=[str(k) for k in kinds],
            valid_from=valid_from,
            valid_until=valid_until,
            granted_by=granted_by,
        )

    @event("DelegationGranted")
    def __init__(
        self,
        institution_id: UUID,
        professional_id: UUID,
        case_id: UUID | None,
        network_id: UUID | None,
        scope: list[str],
        valid_from: date,
        valid_until: date,
        granted_by: UUID | None,
    ) -> None:
        self.institution_id = institution_id
        self.professional_id = professional_id
        self.case_id = case_id
        self.network_id = network_id
        self.scope = list(scope)
        self.valid_from = valid_from
        self.valid_until = valid_until
        self.granted_by = granted_by
        self.revoked_at: datetime | None = None
        self.revocation_reason: str | None = None

    # --- validity ---------------------------------------------------------------------------

    def check_valid_at(self, at: datetime) -> None:
        lapse = delegation_lapse(self.valid_from, self.valid_until, self.revoked_at, at)
        if lapse is Lapse.REVOKED:
            assert self.revoked_at is not None
            raise DelegationRevokedError(
                N_("delegation {delegation_id} was revoked on {revoked_at}"),
                field="delegation_id",
                delegation_id=self.id,
                revoked_at=self.revoked_at,
            )
        if lapse is Lapse.NOT_YET_VALID:
            raise DelegationNotYetValidError(
                N_("delegation {delegation_id} is valid from {valid_from}"),
                field="delegation_id",
                delegation_id=self.id,
                valid_from=self.valid_from,
            )
        if lapse is Lapse.EXPIRED:
            raise DelegationExpiredError(
                N_("delegation {delegation_id} expired on {valid_until}"),
                field="delegation_id",
                delegation_id=self.id,
                valid_until=self.valid_until,
            )

    def check_covers(
        self,
        *,
        professional_id: UUID,
        institution_id: UUID,
        at: datetime,
        action_kind: str,
        case_id: UUID | None = None,
        network_id: UUID | None = None,
    ) -> None:
        """Refuse, naming the rule, unless this delegation covers the given action."""
        if professional_id != self.professional_id or institution_id != self.institution_id:
            raise DelegationOutOfScopeError(
                N_(
                    "delegation {delegation_id} was not granted to this professional for this "
                    "institution"
                ),
                field="delegation_id",
                delegation_id=self.id,
            )
        if case_id is not None and self.case_id != case_id:
            raise DelegationOutOfScopeError(
                N_("delegation {delegation_id} does not cover case {case_id}"),
                field="delegation_id",
                delegation_id=self.id,
                case_id=case_id,
            )
        if network_id is not None and self.network_id != network_id:
            raise DelegationOutOfScopeError(
                N_("delegation {delegation_id} does not cover network {network_id}"),
                field="delegation_id",
                delegation_id=self.id,
                network_id=network_id,
            )
        if not scope_allows(self.scope, action_kind):
            raise DelegationOutOfScopeError(
                N_(
                    "delegation {delegation_id} does not cover the action kind {action_kind} "
                    "(its scope: {scope})"
                ),
                field="delegation_id",
                delegation_id=self.id,
                action_kind=action_kind,
                scope=list(self.scope),
            )
        self.check_valid_at(at)

    def gap(self, *, at: datetime, action_kind: str) -> DelegationGap | None:
        """Why this delegation does not cover an act of `action_kind` at `at` (its holder's, on
        its case), or None if it does: its validity first (revoked, not yet valid, expired),
        then its scope."""
        lapse = delegation_lapse(self.valid_from, self.valid_until, self.revoked_at, at)
        if lapse is not None:
            return DelegationGap(str(lapse))
        if not scope_allows(self.scope, action_kind):
            return DelegationGap.OUTSIDE_SCOPE
        return None

    def covers(
        self,
        *,
        professional_id: UUID,
        institution_id: UUID,
        at: datetime,
        action_kind: str,
        case_id: UUID | None = None,
        network_id: UUID | None = None,
    ) -> bool:
        try:
            self.check_covers(
                professional_id=professional_id,
                institution_id=institution_id,
                at=at,
                action_kind=action_kind,
                case_id=case_id,
                network_id=network_id,
            )
        except _INVALIDITY:
            return False
        return True

    # --- lifecycle --------------------------------------------------------------------------

    def extend(self, *, valid_until: date) -> None:
        self._check_not_revoked()
        if valid_until <= self.valid_until:
            raise InvalidValueError(
                N_("an extension must end after the current end ({current_end})"),
                field="valid_until",
                current_end=self.valid_until,
            )
        self._extended(valid_until=valid_until)

    @event("DelegationExtended")
    def _extended(self, valid_until: date) -> None:
        self.valid_until = valid_until

    def revoke(self, *, reason: str, revoked_at: datetime, revoked_by: UUID | None) -> None:
        self._check_not_revoked()
        self._revoked(
            reason=require_text(reason, field="reason"),
            revoked_at=revoked_at,
            revoked_by=revoked_by,
        )

    @event("DelegationRevoked")
    def _revoked(self, reason: str, revoked_at: datetime, revoked_by: UUID | None) -> None:
        self.revoked_at = revoked_at
        self.revocation_reason = reason

    def _check_not_revoked(self) -> None:
        if self.revoked_at is not None:
            raise DelegationRevokedError(
                N_("delegation {delegation_id} is already revoked"),
                field="delegation_id",
                delegation_id=self.id,
            )
