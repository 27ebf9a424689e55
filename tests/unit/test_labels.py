"""Labels beside codes (`domain.labels`) and the audit trail's sentences
(`projections.summaries`): complete, in French first, English on request."""

from __future__ import annotations

import string
from enum import StrEnum

import pytest

import domain.values
from api.i18n import ENGLISH, FRENCH, catalogue
from domain.access import ReadPurpose, Role
from domain.case_values import ErasureGround
from domain.funding import FundedKind
from domain.labels import ENUMS, LABELS, label, labels
from projections.sentence import lower_first
from projections.summaries import SENTENCES


def test_every_enumeration_a_person_reads_has_its_family_of_labels() -> None:
    in_values = {
        v for v in vars(domain.values).values() if isinstance(v, type) and issubclass(v, StrEnum)
    } - {StrEnum}
    assert in_values | {Role, ReadPurpose, ErasureGround, FundedKind} == set(ENUMS.values())


@pytest.mark.parametrize("family", sorted(ENUMS))
def test_every_code_of_the_domain_has_a_french_label(family: str) -> None:
    codes = {member.value for member in ENUMS[family]}
    assert set(LABELS[family]) == codes
    for code in codes:
        french, english = label(FRENCH, family, code), label(ENGLISH, family, code)
        assert french
        assert english
        assert french != code  # a label, not the code again
    assert len({label(FRENCH, family, c) for c in codes}) == len(codes)  # none taken twice


def test_a_label_is_french_by_default_english_on_request() -> None:
    assert label(FRENCH, "action_kind", "home_visit") == "Visite à domicile"
    assert label(ENGLISH, "action_kind", domain.values.ActionKind.HOME_VISIT) == "Home visit"
    assert label(FRENCH, "basis_kind", "case_holder") == "Détenteur du dossier"
    assert labels(FRENCH, "information_category", ["health", "family_situation"]) == [
        "Santé",
        "Situation familiale",
    ]
    assert label(FRENCH, "case_view", "audit_trail") == "Piste d'audit"
    assert label(FRENCH, "referral_status", "pending") == "En attente"


def test_an_unknown_code_reads_as_itself_an_unknown_family_is_an_error() -> None:
    assert label(FRENCH, "action_kind", "juggling") == "juggling"
    with pytest.raises(KeyError):
        label(FRENCH, "colour", "red")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(SENTENCES))
def test_each_sentence_says_every_value_it_keeps_and_nothing_else(key: str) -> None:
    """`{who}` (the entry's actor) and `{event}` (its type) come from the entry; every other
    placeholder from a stored value with its format, and every stored value is said."""
    said = SENTENCES[key]
    assert _placeholders(said.template) - {"who", "event"} == set(said.formats)
    french = catalogue("fr").gettext(said.template)
    assert french != said.template  # worded in French
    assert _placeholders(french) == _placeholders(said.template)


def test_a_label_inside_a_sentence_starts_lower_case_but_an_acronym_does_not() -> None:
    assert lower_first("Visite à domicile") == "visite à domicile"
    assert lower_first("CMP Colmar") == "CMP Colmar"
    assert lower_first("") == ""
