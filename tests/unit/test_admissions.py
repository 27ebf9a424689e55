"""Admissions: the roles that may ask for something at all, decided before the facts.

The API checks a route's admission before it reads the request (`api.http.guard`); the rules of
`domain.access` start from the same admissions. Here, for each rule that takes facts, the roles
it lets in under the most favourable facts are exactly its admission's: a route declaring that
admission refuses early no one the rule would let in, and lets in no role the rule always
refuses.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import uuid4

import pytest

from domain.access import (
    ACTING_IN_NETWORKS,
    ANY_ROLE,
    CASE_ADMISSIONS,
    READING_A_CASELOAD,
    READING_FUNDINGS,
    READING_REPORTS,
    READING_THE_NETWORK_MAP,
    Admission,
    CaseStanding,
    CaseUse,
    Principal,
    Role,
    check_case_access,
    check_caseload_reader,
)
from domain.access_networks import check_network_person
from domain.access_reports import check_network_map_reader, check_report_reader, fundings_of
from domain.errors import AccessDeniedError

EVERY_STANDING = CaseStanding(
    employed=True,
    participant=True,
    delegated=True,
    institution_on_case=True,
    holder=True,
    institution_was_involved=True,
    referred=True,
    formal_link=True,
)


def let_in(rule: Callable[[Principal], object]) -> frozenset[Role]:
    """The roles `rule` lets in (a principal of each, with an institution)."""
    found = set()
    for role in Role:
        try:
            rule(Principal(uuid4(), role, uuid4()))
        except AccessDeniedError:
            continue
        found.add(role)
    return frozenset(found)


def test_an_admission_lets_in_its_roles_and_says_why_it_refuses_the_others() -> None:
    admission = Admission("doing it", frozenset({Role.SUPERVISOR, Role.ADMIN}))
    assert let_in(admission.check) == {Role.SUPERVISOR, Role.ADMIN}
    with pytest.raises(AccessDeniedError, match="doing it is for the role supervisor or admin"):
        admission.check(Principal(uuid4(), Role.FUNDER))
    # every person's role; a client application reads its feed and nothing else
    assert let_in(ANY_ROLE.check) == set(Role) - {Role.INTEGRATION}
    with pytest.raises(AccessDeniedError, match="feed only"):
        ANY_ROLE.check(Principal(uuid4(), Role.INTEGRATION, uuid4()))


@pytest.mark.parametrize("use", list(CaseUse))
def test_each_use_of_a_case_admits_the_roles_its_rule_can_let_in(use: CaseUse) -> None:
    assert let_in(lambda p: check_case_access(p, use, EVERY_STANDING)) == (
        CASE_ADMISSIONS[use].roles
    )


def test_a_funder_is_told_it_reaches_no_case_whatever_it_asks() -> None:
    funder = Principal(uuid4(), Role.FUNDER, uuid4())
    for use in CaseUse:
        with pytest.raises(AccessDeniedError, match="never a case"):
            CASE_ADMISSIONS[use].check(funder)


def test_the_other_rules_admit_the_roles_they_can_let_in() -> None:
    def report(p: Principal) -> None:
        first, last = date(2026, 1, 1), date(2026, 3, 31)
        check_report_reader(
            p, {p.institution_id} if p.institution_id else set(), [(first, None)], first, last
        )

    assert let_in(report) == READING_REPORTS.roles
    assert let_in(lambda p: check_caseload_reader(p, p.subject)) == READING_A_CASELOAD.roles
    assert let_in(fundings_of) == READING_FUNDINGS.roles
    assert let_in(check_network_map_reader) == READING_THE_NETWORK_MAP.roles
    acting_for_oneself = let_in(lambda p: check_network_person(p, p.subject, doing="x"))
    assert acting_for_oneself == ACTING_IN_NETWORKS.roles
    for_someone_else = let_in(lambda p: check_network_person(p, uuid4(), doing="x"))
    assert for_someone_else == {Role.ADMIN}
