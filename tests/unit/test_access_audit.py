"""Who audits a professional (`domain.access_audit`): a supervisor of an institution that
employs or employed them, for that institution's part only; nobody else."""

from __future__ import annotations

from uuid import uuid4

import pytest

from domain.access import Principal, Role
from domain.access_audit import professional_audit_scope
from domain.errors import AccessDeniedError

AEMO, ASE = uuid4(), uuid4()


def test_a_supervisor_of_an_employer_reads_what_was_done_for_their_institution() -> None:
    supervisor = Principal(uuid4(), Role.SUPERVISOR, AEMO)
    assert professional_audit_scope(supervisor, [ASE, AEMO]) == AEMO


@pytest.mark.parametrize(
    "principal",
    [
        Principal(uuid4(), Role.SUPERVISOR, ASE),  # never employed the professional
        Principal(uuid4(), Role.SUPERVISOR, None),
        Principal(uuid4(), Role.CASE_WORKER, AEMO),  # a colleague, even the professional
        Principal(uuid4(), Role.FUNDER, AEMO),
        Principal(uuid4(), Role.ADMIN, None),
        Principal(uuid4(), Role.DPO, AEMO),
    ],
)
def test_anyone_else_is_refused(principal: Principal) -> None:
    with pytest.raises(AccessDeniedError):
        professional_audit_scope(principal, [AEMO])
