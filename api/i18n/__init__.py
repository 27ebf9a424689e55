"""Words for people, French first: Babel catalogues and the language a request asks for.

Templates are English msgids with `{named}` placeholders (`domain.wording.N_` marks them); the
French text lives in `api/i18n/locales/fr/*.po`, one file per area of the product (errors,
views, reports, vocabulary) so that areas can be worded apart. All files of a language are read
into one catalogue, compiled in memory at first use (no compiled `.mo` kept beside the sources,
so the two can never disagree). English is the msgid itself.

`tests/unit/test_catalogues.py` extracts every marked template from the code and fails when one
has no French, or when a translation's placeholders differ from its template's.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date, datetime
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, get_timezone
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"
# the keywords marking a template, as the extractor reads them (name -> msgid argument positions)
KEYWORDS: dict[str, Any] = {"N_": None, "_": None, "gettext": None, "ngettext": (1, 2)}


def po_files(language: str) -> list[Path]:
    return sorted((LOCALES / language).glob("*.po"))


@lru_cache(maxsize=len(LANGUAGES))
def catalogue(language: str) -> NullTranslations:
    """Every area's catalogue of `language`, merged; the msgids themselves for English."""
    files = po_files(language)
    if language == "en" or not files:
        return NullTranslations()
    merged: Translations | None = None
    for path in files:
        with path.open("rb") as po:
            catalog = read_po(po, locale=language)
        compiled = io.BytesIO()
        write_mo(compiled, catalog)
        compiled.seek(0)
        loaded = Translations(compiled)
        merged = loaded if merged is None else merged.merge(loaded)
    if merged is None:  # unreachable: files is not empty
        return NullTranslations()
    return merged


def negotiate(accept_language: str | None) -> str:
    """The language of `Accept-Language` (RFC 9110 weights honoured) that Maillage speaks, else
    French. `en-GB` is English; `*` or a language it does not speak is French."""
    if not accept_language:
        return DEFAULT_LANGUAGE
    for tag in _by_weight(accept_language):
        try:
            language = Locale.parse(tag.replace("-", "_")).language
        except (ValueError, UnknownLocaleError):
            continue
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def _by_weight(header: str) -> Iterable[str]:
    weighted = []
    for position, part in enumerate(header.split(",")[:20]):  # bounded: it is client input
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if tag and tag != "*" and weight > 0:
            weighted.append((-weight, position, tag))
    return [tag for _, _, tag in sorted(weighted)]


class Words:
    """Sentences, dates and numbers in one language (`domain.wording.Wording`)."""

    def __init__(self, language: str = DEFAULT_LANGUAGE, zone: str | None = None) -> None:
        """`zone`: the service's time zone (`MAILLAGE_TIME_ZONE`); the day of an instant is
        the day there (an act at 23:30 UTC on 31 October is on 1 November in Paris)."""
        if language not in LANGUAGES:
            raise ValueError(f"Maillage does not speak {language!r}")
        self.language = language
        self.zone = zone
        self._catalogue = catalogue(language)

    def gettext(self, template: str, /, **values: Any) -> str:
        return self._catalogue.gettext(template).format(**values)

    def ngettext(self, singular: str, plural: str, n: int, /, **values: Any) -> str:
        return self._catalogue.ngettext(singular, plural, n).format(n=n, **values)

    def date(self, value: date | datetime) -> str:
        """`12 novembre 2026` / `November 12, 2026`; an instant's day in the service's zone."""
        if isinstance(value, datetime):
            if value.tzinfo is not None and self.zone is not None:
                value = value.astimezone(get_timezone(self.zone))
            value = value.date()
        return format_date(value, format="long", locale=self.language)

    def datetime(self, value: datetime, tz: str | None = None) -> str:
        zone = get_timezone(tz) if tz is not None else None
        return format_datetime(value, format="medium", tzinfo=zone, locale=self.language)

    def number(self, value: float | int) -> str:
        return format_decimal(value, locale=self.language)


ENGLISH = Words("en")
FRENCH = Words("fr")
