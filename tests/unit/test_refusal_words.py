"""A refusal is worded from a template (`N_`) and its values: English `message`, any language
through `worded`; its details plain JSON (no Python repr); filling never fails."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import pytest

from api.i18n import ENGLISH, FRENCH
from domain.delegation import Delegation
from domain.errors import (
    AccessDeniedError,
    BeneficiaryErasedError,
    DelegationOutOfScopeError,
    InvalidValueError,
    MaillageError,
    NotFoundError,
)
from domain.professional import Professional
from domain.templates import Term, fill
from domain.values import ActionKind, parse_enum
from domain.wording import N_

CASE = UUID("3f2c8a4e-1b7d-4e6f-9a0b-5c4d3e2f1a09")


def test_the_english_message_is_the_template_filled_with_the_details() -> None:
    refused = MaillageError(N_("case {case_id} is closed"), field="case_id", case_id=CASE)
    assert refused.message == f"case {CASE} is closed"
    assert str(refused) == refused.message
    assert refused.template == "case {case_id} is closed"
    assert refused.details == {"case_id": str(CASE)}
    assert refused.worded(ENGLISH) == refused.message
    assert refused.worded(FRENCH) == f"le dossier {CASE} est clos"


def test_a_detail_missing_from_a_template_shows_its_placeholder_and_never_crashes() -> None:
    refused = MaillageError(N_("case {case_id} is closed"), field="case_id")
    assert refused.message == "case {case_id} is closed"
    assert refused.worded(FRENCH) == "le dossier {case_id} est clos"
    assert fill("broken {template", {"x": 1}) == "broken {template"
    assert fill("{x.attribute} and {y[0]}", {"x": "a", "y": "b"}) == "{x.attribute} and {y[0]}"
    assert fill("{0} positional", {}) == "{0} positional"


def test_a_translation_that_cannot_be_filled_falls_back_to_english() -> None:
    class Broken:
        language = "xx"

        def gettext(self, template: str, /, **values: Any) -> str:
            raise KeyError("a translation naming an unknown placeholder")

        def ngettext(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
            raise KeyError(singular)

    assert fill("case {case_id} is open", {"case_id": "7"}, Broken()) == "case 7 is open"


def test_details_are_plain_json_without_a_python_repr() -> None:
    refused = InvalidValueError(
        N_("{kind} {day} {at} {kinds} {ids} {nested}"),
        kind=ActionKind.CASE_PARTICIPATION,
        day=date(2026, 9, 30),
        at=datetime(2026, 9, 30, 8, 0, tzinfo=UTC),
        kinds=(ActionKind.HOME_VISIT, ActionKind.ASSESSMENT),
        ids={CASE},
        nested={"any_of": [ActionKind.CARE, None]},
    )
    assert refused.details == {
        "kind": "case_participation",
        "day": "2026-09-30",
        "at": "2026-09-30T08:00:00+00:00",
        "kinds": ["home_visit", "assessment"],
        "ids": [str(CASE)],
        "nested": {"any_of": ["care", None]},
    }
    assert json.loads(json.dumps(refused.details)) == refused.details
    assert "<" not in refused.message
    assert refused.message.startswith("case_participation 2026-09-30 2026-09-30T08:00:00+00:00")
    assert "home_visit, assessment" in refused.message
    assert refused.message.endswith("care or —")


def test_alternatives_read_as_alternatives_in_each_language() -> None:
    values = {"x": {"any_of": ["a", "b", "c"]}}
    assert fill("{x}", values) == "a, b or c"
    assert fill("{x}", values, FRENCH) == "a, b ou c"
    assert fill("{x}", {"x": {"any_of": ["a"]}}) == "a"
    assert fill("{x}", {"x": {"other": 1}}) == '{"other": 1}'


def test_terms_are_worded_in_the_sentence_s_language() -> None:
    refused = AccessDeniedError(
        N_("{doing} is for the role {roles}, not {role}"),
        doing=Term(N_("opening a case")),
        roles={"any_of": ["case_worker"]},
        role="funder",
    )
    assert refused.details["doing"] == "opening a case"
    assert refused.message == "opening a case is for the role case_worker, not funder"
    assert (
        refused.worded(FRENCH)
        == "ouvrir un dossier : réservé au rôle case_worker, pas au rôle funder"
    )


def test_the_field_may_be_named_in_a_template() -> None:
    refused = InvalidValueError(N_("{field} must not be empty"), field="reason")
    assert refused.message == "reason must not be empty"
    assert refused.details == {}
    assert refused.worded(FRENCH) == "reason ne doit pas être vide"


def test_not_found_names_the_record_in_words_and_keeps_kind_as_a_code() -> None:
    refused = NotFoundError("delegation", CASE, field="delegation_id")
    assert refused.details == {"kind": "delegation", "id": str(CASE)}
    assert refused.message == f"delegation {CASE} does not exist"
    assert refused.worded(FRENCH) == f"la délégation {CASE} n'existe pas"
    other = NotFoundError("spaceship", "x1")
    assert other.message == "spaceship x1 does not exist"
    erased = BeneficiaryErasedError.of_case(CASE)
    assert erased.details == {"case_id": str(CASE)}
    assert erased.worded(FRENCH) == f"les données de l'usager du dossier {CASE} ont été effacées"


def test_an_enum_refused_shows_the_value_sent_and_the_codes_expected() -> None:
    with pytest.raises(InvalidValueError) as refused:
        parse_enum(ActionKind, {"not": "a kind"}, field="kind")
    assert refused.value.details["value"] == "{'not': 'a kind'}"
    assert "case_participation" in refused.value.details["expected"]
    assert "<ActionKind" not in refused.value.message


def test_a_delegation_missing_a_scope_names_the_action_kind_by_its_code() -> None:
    """The issue's 4f: `<ActionKind.CASE_PARTICIPATION: 'case_participation'>` in a 422 (any kind
    outside the scope; taking part itself is allowed by any scope naming an act)."""
    holder = Professional(name="Sophie", profession="psychiatrist")
    institution = UUID(int=1)
    holder.start_employment(institution_id=institution, start=date(2020, 1, 1), position=None)
    delegation = Delegation.grant(
        institution_id=institution,
        holder=holder,
        scope=["home_visit"],
        valid_from=date(2026, 1, 1),
        valid_until=date(2027, 1, 1),
        case_id=CASE,
    )
    with pytest.raises(DelegationOutOfScopeError) as refused:
        delegation.check_covers(
            professional_id=holder.id,
            institution_id=institution,
            at=datetime(2026, 6, 1, tzinfo=UTC),
            action_kind=ActionKind.ASSESSMENT,
            case_id=CASE,
        )
    assert refused.value.details["action_kind"] == "assessment"
    assert "<" not in refused.value.message
    assert "type d'action assessment" in refused.value.worded(FRENCH)
