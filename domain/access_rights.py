"""Who exercises a beneficiary's rights (RGPD articles 15 to 17, 20) on one case.

A data-protection officer (`Role.DPO`) names their institution in their token and acts only on
the cases that institution holds or is or was involved in (`CaseState.was_involved`, from the
log); the admissions saying which role may ask at all are in `domain.access`, with the others.
"""

from __future__ import annotations

from domain.access import Admission, Principal
from domain.errors import AccessDeniedError
from domain.wording import N_


def check_rights_officer(principal: Principal, admission: Admission, involved: bool) -> None:
    """Refuse unless `principal` is admitted (a data-protection officer), names an institution,
    and that institution holds the case or is or was involved in it (`involved`)."""
    admission.check(principal)
    if principal.institution_id is None:
        raise AccessDeniedError(
            N_("a data-protection officer's token names their institution"),
            field="institution_id",
        )
    if not involved:
        raise AccessDeniedError(
            N_(
                "a data-protection officer acts only on the cases their institution holds or is "
                "or was involved in"
            )
        )
