"""The person's rights on their case (RGPD art. 16): rectifying their identity.

A data-protection officer rectifies the identity the case holds; the event keeps the previous
identity, the new one and the reason, all sealed under the person's key (`domain.privacy`), so
that the history is there to show them and goes with the key on erasure. Erasure itself is in
`domain.case_commands`. `domain.case_commands.CaseCommands` inherits these commands.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from domain.case_state import CaseState
from domain.case_values import BeneficiaryIdentity
from domain.errors import IdentityUnchangedError, InvalidValueError
from domain.values import require_text
from domain.wording import N_


class CaseRights(CaseState):
    if TYPE_CHECKING:  # recorded by `Case`'s `@event` method of the same name
        _identity_rectified: Callable[..., None]

    def rectify_identity(
        self,
        *,
        first_name: str | None,
        last_name: str | None,
        birth_date: date | None,
        reason: str,
        requested_by: str,
        institution_id: UUID,
        occurred_at: datetime,
    ) -> None:
        """Rectify the fields given (None: unchanged), checked as at the opening
        (`domain.case_rules.opening_identity`): named, not born in the future. At least one
        must change; an erased person has nothing left to rectify."""
        self.check_not_erased()
        previous = self.beneficiary
        rectified = BeneficiaryIdentity(  # the rules of the opening, on the body's fields
            first_name=previous.first_name
            if first_name is None
            else require_text(first_name, field="first_name"),
            last_name=previous.last_name
            if last_name is None
            else require_text(last_name, field="last_name"),
            birth_date=previous.birth_date if birth_date is None else birth_date,
        )
        if rectified.birth_date is not None and rectified.birth_date > occurred_at.date():
            raise InvalidValueError(
                N_("the beneficiary's birth date is in the future"), field="birth_date"
            )
        if rectified == previous:
            raise IdentityUnchangedError(
                N_("the rectification changes nothing in the identity of case {case_id}"),
                field="body",
                case_id=self.id,
            )
        self._identity_rectified(
            previous=previous,
            beneficiary=rectified,
            reason=require_text(reason, field="reason", max_length=2000),
            requested_by=require_text(requested_by, field="requested_by", max_length=100),
            institution_id=institution_id,
            occurred_at=occurred_at,
        )
