"""The vocabulary of `GET /vocabulary`, built from the domain's codes (its enumerations, the
legal grounds of `domain.grounds.FRANCE`), labelled by `domain.labels` and described by
`api.http.vocabulary_labels`, in the language of the `Wording` given."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from api.http.vocabulary_labels import (
    CONDITIONS,
    DESCRIPTIONS,
    FAMILIES,
    GROUNDS,
    OWN_LABELS,
    SOURCES,
)
from domain.grounds import FRANCE, AnyOf, Condition, LegalGround, Requirement
from domain.labels import LABELS
from domain.values import ACKNOWLEDGEABLE_ALERTS, AlertKind
from domain.wording import Wording

# Where a front-end sends a condition of each kind, in a share's `legal_ground`.
SENT_IN: Mapping[str, str | None] = {
    "attested": "legal_ground.attested",
    "stated": "legal_ground.statements",
    "fact": None,
}
# What each kind of scope is made of: the vocabulary lists its codes come from.
MADE_OF: Mapping[str, tuple[str, ...]] = {
    "delegation": ("action_kinds",),
    "convention": ("action_kinds", "information_categories"),
    "consent": ("information_categories",),
}


def terms(words: Wording, name: str) -> list[dict[str, Any]]:
    """One list of the vocabulary, worded: each code of its source, in order, labelled as the
    views label it (`domain.labels`) unless no family of the domain has it."""
    labels = LABELS[FAMILIES[name]] if name in FAMILIES else OWN_LABELS[name]
    descriptions = DESCRIPTIONS.get(name, {})
    found = []
    for code in map(str, SOURCES[name]):
        description = descriptions.get(code)
        found.append(
            {
                "code": code,
                "label": words.gettext(labels[code]),
                "description": words.gettext(description) if description else None,
            }
        )
    return found


def _condition(words: Wording, ground: str, condition: Condition) -> dict[str, Any]:
    label = words.gettext(CONDITIONS[(ground, condition.key)])
    return {"code": condition.key, "kind": condition.kind, "label": label}


def _requirement(words: Wording, ground: str, requirement: Requirement) -> dict[str, Any]:
    if isinstance(requirement, AnyOf):
        codes = "|".join(option.key for option in requirement.options)
        return {
            "any_of": [_condition(words, ground, option) for option in requirement.options],
            "label": words.gettext(CONDITIONS[(ground, codes)]),
        }
    return _condition(words, ground, requirement)


def grounds(words: Wording, catalogue: Mapping[str, LegalGround] = FRANCE) -> list[Any]:
    """The legal grounds for sharing, with their conditions, worded."""
    return [
        {
            "code": ground.code,
            "label": words.gettext(GROUNDS[ground.code]),
            "reference": ground.reference,
            "conditions": [_requirement(words, ground.code, r) for r in ground.requirements],
        }
        for ground in catalogue.values()
    ]


def vocabulary(words: Wording) -> dict[str, Any]:
    """Every list, worded in `words`' language."""
    found: dict[str, Any] = {name: terms(words, name) for name in SOURCES}
    for term in found["alert_kinds"]:
        term["acknowledgeable"] = AlertKind(term["code"]) in ACKNOWLEDGEABLE_ALERTS
    for term in found["scopes"]:
        term["made_of"] = list(MADE_OF[term["code"]])
    for term in found["condition_kinds"]:
        term["sent_in"] = SENT_IN[term["code"]]
    return {"language": words.language, "legal_grounds": grounds(words), **found}
