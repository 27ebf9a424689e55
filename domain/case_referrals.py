"""Referrals of a case (*orientation*), both sides: the referring institution refers (sharing
what the referral carries, on a consent or a legal ground, like any share) and may revoke it
before an answer; the referred institution accepts or declines it. Unanswered for the time
`TimePolicy.referral_expiry` gives, it expires: computed from when it was made, never recorded.

The commands check, then call the event methods of `domain.case.Case` (where the events and
their stored topics are); `Case` inherits them through `domain.case_commands.CaseCommands`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from domain.case_rules import check_referral_target, reason_text
from domain.case_state import CaseState
from domain.case_values import Referral, SharingAuthorisation
from domain.errors import (
    NoLegalBasisForSharingError,
    ReferralNotFoundError,
    ReferralNotPendingError,
    WrongInstitutionError,
)
from domain.timing import DEFAULT_REFERRAL_EXPIRY
from domain.values import Actor, Basis
from domain.wording import N_


class CaseReferrals(CaseState):
    """Referral commands and guards of `domain.case.Case`."""

    if TYPE_CHECKING:  # recorded by `Case`'s `@event` methods of the same names
        _referral_made: Callable[..., None]
        _referral_answered: Callable[..., None]
        _referral_declined: Callable[..., None]
        _referral_revoked: Callable[..., None]

    def _set_referral_status(self, referral_id: UUID, status: str) -> None:
        """Applying an answer or a revocation (from `Case`'s event methods)."""
        referral = self.referral(referral_id)
        if referral is not None:
            self.referrals[self.referrals.index(referral)] = replace(referral, status=status)

    def refer(
        self,
        *,
        referral_id: UUID,
        by: Actor,
        basis: Basis,
        to_institution_id: UUID,
        reason: str,
        categories: Sequence[str],
        authorisation: SharingAuthorisation,
        occurred_at: datetime,
    ) -> None:
        """Refer the case, recording what the referral shares and on what (`authorisation`
        comes from `domain.sharing.authorise_sharing`, as for a share)."""
        self.check_can_act(by)
        check_referral_target(by, to_institution_id)
        if not authorisation.consent_ids and authorisation.ground is None:
            raise NoLegalBasisForSharingError(
                N_("a referral shares information: it needs a consent in force or a legal ground"),
                field="legal_ground",
            )
        self._referral_made(
            referral_id=referral_id,
            by=by,
            basis=basis,
            to_institution_id=to_institution_id,
            reason=reason_text(reason),
            occurred_at=occurred_at,
            categories=list(categories),
            consent_ids=list(authorisation.consent_ids),
            legal_ground=authorisation.ground,
            legal_reference=authorisation.ground_reference,
        )

    def accept_referral(
        self,
        *,
        referral_id: UUID,
        by: Actor,
        basis: Basis,
        occurred_at: datetime,
        expiry: timedelta = DEFAULT_REFERRAL_EXPIRY,
    ) -> None:
        self.referral_to_answer(referral_id, by, occurred_at, expiry)
        self._referral_answered(
            referral_id=referral_id, by=by, basis=basis, reason=None, occurred_at=occurred_at
        )

    def decline_referral(
        self,
        *,
        referral_id: UUID,
        by: Actor,
        basis: Basis,
        reason: str,
        occurred_at: datetime,
        expiry: timedelta = DEFAULT_REFERRAL_EXPIRY,
    ) -> None:
        self.referral_to_answer(referral_id, by, occurred_at, expiry)
        self._referral_declined(
            referral_id=referral_id,
            by=by,
            basis=basis,
            reason=reason_text(reason),
            occurred_at=occurred_at,
        )

    def revoke_referral(
        self,
        *,
        referral_id: UUID,
        by: Actor,
        basis: Basis,
        reason: str,
        occurred_at: datetime,
        expiry: timedelta = DEFAULT_REFERRAL_EXPIRY,
    ) -> None:
        """The referring institution's case worker on the case withdraws it before an answer."""
        self.check_can_act(by)
        referral = self.pending_referral(referral_id, occurred_at, expiry)
        if by.institution_id != referral.from_institution_id:
            raise WrongInstitutionError(
                N_("only institution {from_institution_id} revokes this referral"),
                field="institution_id",
                from_institution_id=referral.from_institution_id,
            )
        self._referral_revoked(
            referral_id=referral_id,
            by=by,
            basis=basis,
            reason=reason_text(reason),
            occurred_at=occurred_at,
        )

    # --- guards -------------------------------------------------------------------------------

    def known_referral(self, referral_id: UUID) -> Referral:
        referral = self.referral(referral_id)
        if referral is None:
            raise ReferralNotFoundError(
                N_("case {case_id} has no referral {referral_id}"),
                field="referral_id",
                case_id=self.id,
                referral_id=referral_id,
            )
        return referral

    def pending_referral(self, referral_id: UUID, at: datetime, expiry: timedelta) -> Referral:
        """The referral, still pending at `at` (the act's instant): neither answered, revoked
        nor expired."""
        self.check_open()
        referral = self.known_referral(referral_id)
        status = referral.status_at(at, expiry)
        if status != "pending":
            raise ReferralNotPendingError(
                _NOT_PENDING.get(status, N_("referral {referral_id} is already {status}")),
                field="referral_id",
                referral_id=referral_id,
                status=status,
                expires_at=referral.expires_at(expiry),
            )
        return referral

    def referral_to_answer(
        self, referral_id: UUID, by: Actor, at: datetime, expiry: timedelta
    ) -> Referral:
        """The referral `by` answers: pending, and addressed to their institution."""
        referral = self.pending_referral(referral_id, at, expiry)
        if by.institution_id != referral.to_institution_id:
            raise WrongInstitutionError(
                N_("only institution {to_institution_id} answers this referral"),
                field="institution_id",
                to_institution_id=referral.to_institution_id,
            )
        return referral


def referral_categories(made: Any) -> tuple[str, ...]:
    """What a `ReferralMade` shared: nothing recorded before issue 17 (older events lack the
    field, read as none: no identity was recorded as shared)."""
    return tuple(getattr(made, "categories", None) or ())


_NOT_PENDING = {
    "accepted": N_("referral {referral_id} was already accepted"),
    "declined": N_("referral {referral_id} was already declined"),
    "revoked": N_("referral {referral_id} was revoked by the institution that made it"),
    "expired": N_("referral {referral_id} expired unanswered on {expires_at}"),
}
