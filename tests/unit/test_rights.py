"""The person's rights without a database: who exercises them (a data-protection officer of an
involved institution, refused everywhere else in their own terms), and the rectification of an
identity on the case (given a case → when rectified → then the event, or the refusal)."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from domain.access import (
    AUDITING_AN_INSTITUTION,
    CASE_ADMISSIONS,
    ERASING_PERSONAL_DATA,
    EXPORTING_PERSONAL_DATA,
    READING_A_CASELOAD,
    READING_REPORTS,
    RECTIFYING_AN_IDENTITY,
    Principal,
    Role,
)
from domain.access_rights import check_rights_officer
from domain.case import BeneficiaryIdentity, Case
from domain.errors import (
    AccessDeniedError,
    BeneficiaryErasedError,
    IdentityUnchangedError,
    InvalidValueError,
)
from domain.values import Actor
from tests.world import NOW, ago

DPO = Principal(uuid4(), Role.DPO, uuid4())
RIGHTS_ONLY = (
    "a data-protection officer exercises the person's rights (export, rectification, erasure) "
    "and reads nothing else"
)


def test_a_dpo_is_refused_every_case_reading_and_act_in_their_own_terms() -> None:
    for admission in (
        *CASE_ADMISSIONS.values(),
        READING_A_CASELOAD,
        AUDITING_AN_INSTITUTION,
        READING_REPORTS,
    ):
        with pytest.raises(AccessDeniedError) as refused:
            admission.check(DPO)
        assert refused.value.template == RIGHTS_ONLY


def test_the_rights_are_a_dpos_of_an_involved_institution_and_erasure_no_longer_an_admins() -> None:
    for admission in (EXPORTING_PERSONAL_DATA, RECTIFYING_AN_IDENTITY, ERASING_PERSONAL_DATA):
        check_rights_officer(DPO, admission, involved=True)  # no refusal
        assert admission.roles == {Role.DPO}
        with pytest.raises(AccessDeniedError, match="institution holds or is or was involved"):
            check_rights_officer(DPO, admission, involved=False)
        with pytest.raises(AccessDeniedError, match="names their institution"):
            check_rights_officer(Principal(uuid4(), Role.DPO), admission, involved=True)
    with pytest.raises(AccessDeniedError) as admin:
        ERASING_PERSONAL_DATA.check(Principal(uuid4(), Role.ADMIN))
    assert "not an administrator's" in admin.value.message


def _case() -> Case:
    by = Actor(uuid4(), uuid4())
    return Case.open(
        beneficiary=BeneficiaryIdentity("Léo", "Schmitt", date(2015, 5, 14)),
        legal_framework="judicial",
        opened_by=by,
        role="referent",
        occurred_at=ago(10),
    )


def _rectify(case: Case, **fields: object) -> None:
    values: dict[str, object] = {"first_name": None, "last_name": None, "birth_date": None}
    case.rectify_identity(
        **{**values, **fields},  # type: ignore[arg-type]
        reason="Pièce d'identité",
        requested_by="dpo x",
        institution_id=case.holder_institution_id,
        occurred_at=NOW,
    )


def test_a_rectification_records_the_previous_and_the_new_identity() -> None:
    case = _case()
    _rectify(case, last_name="Schmidt")
    [event] = case.collect_events()[-1:]
    assert type(event).__name__ == "IdentityRectified"
    assert event.previous == BeneficiaryIdentity("Léo", "Schmitt", date(2015, 5, 14))  # type: ignore[attr-defined]
    assert event.beneficiary == BeneficiaryIdentity("Léo", "Schmidt", date(2015, 5, 14))  # type: ignore[attr-defined]
    assert case.beneficiary.last_name == "Schmidt"


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({}, IdentityUnchangedError, "body"),
        ({"first_name": "Léo"}, IdentityUnchangedError, "body"),
        ({"first_name": " "}, InvalidValueError, "first_name"),
        ({"birth_date": date(2030, 1, 1)}, InvalidValueError, "birth_date"),
    ],
)
def test_a_rectification_that_changes_nothing_or_breaks_a_rule_is_refused(
    fields: dict[str, object], error: type[Exception], field: str
) -> None:
    case = _case()
    with pytest.raises(error) as refused:
        _rectify(case, **fields)
    assert refused.value.field == field  # type: ignore[attr-defined]
    assert case.version == 1


def test_an_erased_person_has_nothing_left_to_rectify() -> None:
    case = _case()
    case.erase_beneficiary(
        ground="erasure_request", reference=None, requested_by="dpo x", occurred_at=NOW
    )
    with pytest.raises(BeneficiaryErasedError):
        _rectify(case, first_name="Léon")
