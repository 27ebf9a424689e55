"""CSV downloads that a French office's spreadsheet opens as it should, and that run no formula.

Every CSV the service produces is written here.

- **Dialect** (`?dialect=`): `fr` — cells separated by `;` and numbers with a decimal comma
  (`0,3333`), as French Excel and LibreOffice expect; `en` — `,` and a decimal point, as in
  RFC 4180. Both are UTF-8 with a byte-order mark (without it, Excel reads UTF-8 as Windows-1252
  and spoils every accent) and CRLF line ends. The dialect is the format only: the words, headers
  included, follow `Accept-Language` like every answer; without `dialect`, the language's own
  dialect is used (`fr` unless English is asked for).
- **Formula injection** (CWE-1236; OWASP's *CSV Injection* and ASVS 1.2.10): a text cell that
  begins with `=`, `+`, `-`, `@`, a tab, a carriage return or a NUL is read by spreadsheets as a
  formula (`=HYPERLINK(…)` sending the sheet away); such a text gets a leading apostrophe, which
  spreadsheets show as text. A name is text, whatever it looks like: `-x`, `+33 6…` and `-5`
  alike. Numbers are written from numbers, never from text, and are never escaped — so a
  negative number still reads as a number (OWASP notes that blind escaping breaks them).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import StrEnum

from fastapi import Response

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
MEDIA_TYPE = "text/csv; charset=utf-8"


class Dialect(StrEnum):
    FR = "fr"
    EN = "en"

    @classmethod
    def of_language(cls, language: str) -> Dialect:
        return cls.EN if language == "en" else cls.FR

    @property
    def separator(self) -> str:
        return ";" if self is Dialect.FR else ","

    @property
    def decimal_mark(self) -> str:
        return "," if self is Dialect.FR else "."


Cell = str | int | float | None


def neutralise(text: str) -> str:
    """A text a spreadsheet cannot take for a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def number(value: int | float, dialect: Dialect) -> str:
    """A number as the dialect writes it, never in exponent form (`1e-05`)."""
    if isinstance(value, bool):
        raise TypeError("a truth value is not a number of a report")
    written = str(value) if isinstance(value, int) else format(Decimal(repr(value)), "f")
    return written.replace(".", dialect.decimal_mark)


def cell(value: Cell, dialect: Dialect) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    return number(value, dialect)


def csv_text(rows: Iterable[Sequence[Cell]], dialect: Dialect) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=dialect.separator, lineterminator="\r\n")
    writer.writerows([cell(value, dialect) for value in row] for row in rows)
    return out.getvalue()


def csv_response(rows: Iterable[Sequence[Cell]], dialect: Dialect, filename: str) -> Response:
    return Response(
        csv_text(rows, dialect).encode("utf-8"),
        media_type=MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
