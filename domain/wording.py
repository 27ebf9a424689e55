"""How the domain's sentences reach people in their language, without the domain knowing any.

A sentence a person reads (a refusal, an alert) is written once, in English, as a template with
named `{placeholders}`, and marked with `N_` so the catalogue extractor finds it. The outer rooms
translate it (`api.i18n`, Babel catalogues, French first) and fill the placeholders; the
domain keeps the template and its values apart so that either language can be rendered.
Codes and field names are never translated.
"""

from __future__ import annotations

from typing import Any, Protocol


def N_(template: str) -> str:  # noqa: N802 - the gettext convention extractors look for
    """Mark a template for the catalogues; it is translated where it is shown."""
    return template


class Wording(Protocol):
    """What a projection or a chart needs to word a label: translate and fill a template."""

    language: str

    def gettext(self, template: str, /, **values: Any) -> str: ...

    def ngettext(self, singular: str, plural: str, n: int, /, **values: Any) -> str: ...
