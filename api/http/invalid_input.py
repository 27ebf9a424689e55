"""What a 422 `invalid-request` says of each invalid input, in the reader's language.

FastAPI reports invalid input as pydantic errors: a `type` (stable: kept as the error's `type`),
a location (kept as `field`: `body.kind`, `query.limit`) and an English `msg`. The message a
person reads is worded here from the type and its context (`min_length`, the values expected…),
French first: the types clients actually meet have a sentence each; any other keeps pydantic's
English. Values a client must send are shown as they are sent (`case_participation`), never as
a Python object.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from api.i18n import Words
from domain.templates import fill, plain
from domain.wording import N_

_DATE = N_("should be a date (ISO 8601, e.g. 2026-03-01)")
_DATETIME = N_("should be a date and time (ISO 8601, e.g. 2026-03-01T10:00:00+01:00)")
_UUID = N_("should be an id (a UUID such as 0b7c4e1a-2f3d-4c5b-8a9e-1f2d3c4b5a69)")
_INTEGER = N_("should be a whole number")
_NUMBER = N_("should be a number")
_BOOLEAN = N_("should be true or false")
_OBJECT = N_("should be an object")
_ONE_OF = N_("should be one of: {expected}")

MESSAGES: dict[str, str] = {
    "missing": N_("required"),
    "extra_forbidden": N_("not expected: no such field"),
    "string_type": N_("should be a string"),
    "string_pattern_mismatch": N_("should match the pattern {pattern}"),
    "enum": _ONE_OF,
    "literal_error": _ONE_OF,
    "uuid_parsing": _UUID,
    "uuid_type": _UUID,
    "uuid_version": _UUID,
    "date_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "datetime_parsing": _DATETIME,
    "datetime_type": _DATETIME,
    "datetime_from_date_parsing": _DATETIME,
    "timezone_aware": N_("should carry a time zone (e.g. +01:00 or Z)"),
    "iso_8601_date": N_(
        "should be an ISO 8601 date such as {example}; numbers are not read as dates"
    ),
    "iso_8601_datetime": N_(
        "should be an ISO 8601 date and time such as {example}; numbers are not read as dates"
    ),
    "int_parsing": _INTEGER,
    "int_type": _INTEGER,
    "int_from_float": _INTEGER,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "finite_number": N_("should be a finite number"),
    "greater_than": N_("should be greater than {gt}"),
    "greater_than_equal": N_("should be at least {ge}"),
    "less_than": N_("should be less than {lt}"),
    "less_than_equal": N_("should be at most {le}"),
    "bool_parsing": _BOOLEAN,
    "bool_type": _BOOLEAN,
    "json_invalid": N_("the body is not valid JSON"),
    "json_type": N_("should be JSON"),
    "dict_type": _OBJECT,
    "model_type": _OBJECT,
    "model_attributes_type": _OBJECT,
    "list_type": N_("should be a list"),
    "value_error": N_("invalid value: {error}"),
}
OTHER = N_("invalid: {message}")

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def message(words: Words, error: Mapping[str, Any]) -> str:
    """One pydantic error as a person reads it, in `words`' language."""
    kind = str(error.get("type", "value_error"))
    ctx = {str(k): plain(v) for k, v in (error.get("ctx") or {}).items()}
    counted = _counted(words, kind, ctx)
    if counted is not None:
        return counted
    if kind in ("enum", "literal_error"):
        # pydantic says "'a', 'b' or 'c'": the values, as sent, worded as alternatives
        expected = _QUOTED.findall(str(ctx.get("expected", "")))
        if expected:
            ctx["expected"] = {"any_of": expected}
    template = MESSAGES.get(kind)
    if template is None:
        return fill(OTHER, {"message": str(error.get("msg", kind))}, words)
    return fill(template, ctx, words)


# The messages that count something (characters, items): template, the limit's key, counted.
_COUNTED: dict[str, tuple[str, str, bool]] = {
    "string_too_short": (N_("should have at least {count}"), "min_length", True),
    "string_too_long": (N_("should have at most {count}"), "max_length", True),
    "too_short": (N_("should have at least {count}"), "min_length", False),
    "too_long": (N_("should have at most {count}"), "max_length", False),
}


def _counted(words: Words, kind: str, ctx: Mapping[str, Any]) -> str | None:
    if kind not in _COUNTED:
        return None
    template, limit, characters = _COUNTED[kind]
    n = _count(ctx.get(limit))
    if characters:
        count = words.ngettext("{n} character", "{n} characters", n)
    else:
        count = words.ngettext("{n} item", "{n} items", n)
    return fill(template, {"count": count}, words)


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
