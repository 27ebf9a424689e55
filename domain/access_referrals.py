"""Who reads referrals: an institution's lists (received, sent) and one referral's own view.

Apart from `domain.access`, on its admission `READING_REFERRALS`: the case workers and
supervisors of the institution that made or received it, while employed by it. A referral not
yet accepted opens nothing else of the case (`CaseState.referred_to`).
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from domain.access import READING_REFERRALS, Principal, Role
from domain.errors import AccessDeniedError
from domain.wording import N_


def check_referral_reader(
    principal: Principal,
    *,
    employed: bool,
    institutions: Iterable[UUID] | None = None,
    on_case: bool = False,
    referring: bool = False,
) -> None:
    """The referrals an institution made or received (`institutions` None: its lists; else one
    referral's two institutions) are read by its case workers and supervisors while employed;
    one referral of the institution that made it, by its supervisors and by those of its case
    workers who take part in the case (`on_case`) — it carries the person's identity and why
    they are referred, which the rest of that institution has no need to know."""
    READING_REFERRALS.check(principal)
    if not employed:
        raise AccessDeniedError(
            N_("the token's professional is not employed by the institution it names")
        )
    if institutions is not None and principal.institution_id not in set(institutions):
        raise AccessDeniedError(
            N_("a referral is shown to the institution that made it and the one it is made to")
        )
    if referring and not on_case and principal.role is not Role.SUPERVISOR:
        raise AccessDeniedError(
            N_(
                "a referral your institution made is shown to its supervisors and to its case "
                "workers taking part in the case"
            )
        )
