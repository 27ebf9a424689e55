"""Dates and instants as input: ISO 8601 strings only.

pydantic's lax mode also reads a date or a date-time from a number, or from a string of digits,
as a Unix timestamp: `{"valid_from": 0}` would open a funder's window in 1970, and an
`occurred_at` given as an epoch integer would arrive with a UTC zone nobody wrote, passing the
"time zone required" rule. Every date and date-time a client or an import line sends is one of
the two types below: the value must be a string that starts as an ISO 8601 calendar date
(`YYYY-MM-DD`); anything else is refused with a 422 naming the field (`body.valid_from`,
`query.at`, an import line's `occurred_at`). What such a string may be beyond that is left to
pydantic's own rules, unchanged: a date-time without a zone still reads as a naive instant, for
the domain (`occurred_at`) or the route (`at`) to refuse where a zone is required.

The OpenAPI schema still says `format: date` / `format: date-time`. Answers (the `*Read`,
`*Item` models) keep plain `date` / `datetime`: they are built from values, not read from text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

_CALENDAR_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # how every ISO 8601 value here begins


def _iso_8601_only(kind: str, example: str) -> Callable[[Any], Any]:
    def check(value: Any) -> Any:
        if isinstance(value, date):  # built in Python (a date or a datetime), not read from text
            return value
        if isinstance(value, str) and _CALENDAR_DATE.match(value):
            return value
        raise PydanticCustomError(
            f"iso_8601_{kind.replace('-', '')}",
            "Input should be an ISO 8601 {kind} string such as {example}; "
            "numbers are not read as dates",
            {"kind": kind, "example": example},
        )

    return check


IsoDate = Annotated[date, BeforeValidator(_iso_8601_only("date", "2026-03-01"))]
"""A calendar day, `YYYY-MM-DD`."""

IsoDateTime = Annotated[
    datetime, BeforeValidator(_iso_8601_only("date-time", "2026-03-01T10:00:00+01:00"))
]
"""An instant, `YYYY-MM-DDTHH:MM[:SS[.ffffff]]` with a zone (`Z` or `±HH:MM`) where one is
required."""
