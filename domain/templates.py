"""Templates filled with values, robustly, in English or through a `Wording`.

A refusal keeps its English template (`N_`) and its values apart (`domain.errors`); the values
also go to clients as the problem's `details`, so they are made plain here — ids, enums, dates
and collections become strings, lists and mappings a JSON encoder takes, never a Python repr
(`<ActionKind.CASE_PARTICIPATION: 'case_participation'>`). A value that is itself words, not a
code (`Term(N_("opening a case"))`), is worded in the sentence's language too. Filling never
fails: a placeholder with no value stays as it is written (`{name}`), so a template and its
values that disagree show the gap instead of turning a refusal into a crash.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any
from uuid import UUID

from domain.wording import N_, Wording

# Alternatives in a sentence: `a, b or c`.
OR = N_("{choices} or {last}")


class Term(str):
    """Words in a value, marked with `N_` where they are written and without placeholders
    (`Term(N_("opening a case"))`): the English phrase in details, translated in a sentence."""

    __slots__ = ()


def plain(value: Any) -> Any:
    """`value` as JSON knows it: str, int, float, bool, None, lists and string-keyed dicts."""
    if isinstance(value, Enum):
        return plain(value.value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(plain(k)): plain(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((plain(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return str(value)


def placeholders(template: str) -> list[str]:
    """The names a template fills (`{kind}`, `{id}`), each once; [] for a malformed template."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return []
    names: list[str] = []
    for _, name, _, _ in parsed:
        if name:
            root = name.split(".")[0].split("[")[0]
            if root and root not in names:
                names.append(root)
    return names


def shown(value: Any, wording: Wording | None = None) -> str:
    """A plain value as a sentence shows it: lists joined, alternatives (`{"any_of": [...]}`)
    as `a or b`, another mapping as JSON, nothing as a dash."""
    if value is None:
        return "—"
    if isinstance(value, Term):
        return _term(value, wording)
    if isinstance(value, list):
        return ", ".join(shown(v, wording) for v in value)
    if isinstance(value, dict) and isinstance(value.get("any_of"), list) and value["any_of"]:
        options = [shown(v, wording) for v in value["any_of"]]
        if len(options) == 1:
            return options[0]
        return fill(OR, {"choices": ", ".join(options[:-1]), "last": options[-1]}, wording)
    if isinstance(value, dict):
        return json.dumps(plain(value), ensure_ascii=False)
    return str(value)


def fill(template: str, values: Mapping[str, Any], wording: Wording | None = None) -> str:
    """`template`, translated by `wording` when given, filled with `values`. A placeholder
    without a value stays `{name}`; a translation that cannot be filled falls back to English;
    a template that cannot be filled at all is returned as written."""
    filled = {
        name: shown(values[name], wording) if name in values else "{" + name + "}"
        for name in placeholders(template)
    }
    if wording is not None:
        try:
            return wording.gettext(template, **filled)
        except (KeyError, IndexError, ValueError, AttributeError):
            pass
    try:
        return template.format(**filled)
    except (KeyError, IndexError, ValueError, AttributeError):
        return template


def _term(term: Term, wording: Wording | None) -> str:
    if wording is None:
        return str(term)
    try:
        return wording.gettext(str(term))
    except (KeyError, IndexError, ValueError, AttributeError):
        return str(term)
