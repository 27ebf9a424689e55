"""Who audits a professional: their acts and their readings of cases, across cases.

Apart from `domain.access` (which keeps the case and institution rules): a professional's
trail is read by a supervisor of an institution the professional is or was employed by, and
shows only what the professional did for that institution — what they did for another
employer is that employer's to audit. The caller gathers the facts (the institutions the
professional is or was employed by, from the registry) and asks.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from domain.access import Admission, Principal, Role
from domain.errors import AccessDeniedError
from domain.wording import N_

AUDITING_A_PROFESSIONAL = Admission(
    N_("auditing a professional"),
    frozenset({Role.SUPERVISOR}),
    {
        Role.CASE_WORKER: N_("auditing a professional's acts and readings is for supervisors"),
        Role.FUNDER: N_("a funder reads aggregate reports, never a case"),
        Role.ADMIN: N_("an administrator keeps the registry and reads no case content"),
        Role.DPO: N_(
            "a data-protection officer exercises the person's rights (export, rectification, "
            "erasure) and reads nothing else"
        ),
        Role.INTEGRATION: N_("a client application reads its institution's feed only"),
    },
)


def professional_audit_scope(principal: Principal, employers: Iterable[UUID]) -> UUID:
    """The institution whose entries `principal` may read in a professional's trail: the
    supervisor's own, if the professional is or was employed there (`employers`: every
    institution of their employments, past ones included). Refused otherwise."""
    AUDITING_A_PROFESSIONAL.check(principal)
    institution = principal.institution_id
    if institution is None:
        raise AccessDeniedError(
            N_("this token names no institution to act for"), field="institution_id"
        )
    if institution not in set(employers):
        raise AccessDeniedError(
            N_(
                "a professional's acts and readings are audited by the supervisors of an "
                "institution that employs or employed them"
            )
        )
    return institution
