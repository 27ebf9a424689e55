"""The console's pages: Jinja2 templates, in the reader's language (French first).

Every sentence of a template is an English msgid said through `_("…", name=value)` — the same
`{named}` templates as the rest of Maillage, French in `api/i18n/locales/fr/console*.po`
(`tests/unit/test_catalogues.py` extracts them from the templates too). Autoescaping is on:
whatever a person typed (a name, a note) is shown as text, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any
from urllib.parse import urlencode

from babel.dates import format_datetime, get_timezone
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import HTMLResponse

from api.composition import Services
from api.http.console.navigation import sections
from api.http.console.session import ConsoleSession, Sessions
from api.i18n import Words
from domain.labels import label
from projections.tables import institution_view


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("api.http.console", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,  # a name a template misspells fails, never shows blank
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


@dataclass
class Console:
    """What a console page has: the request, the services, who is signed in (None on the
    sign-in pages), the words of the reader's language and the page's CSRF token; whether a
    purpose sent from another site was dropped (`api.http.console.routing`)."""

    request: Request
    services: Services
    sessions: Sessions
    words: Words
    session: ConsoleSession | None
    csrf: str
    headers: dict[str, str] = field(default_factory=dict)
    purpose_dropped: bool = False

    def render(self, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        words = self.words
        page = (
            environment()
            .get_template(template)
            .render(
                _=words.gettext,
                ngettext=words.ngettext,
                day=words.date,
                when=lambda value: _when(words, value),
                number=words.number,
                label=lambda family, code: label(words, family, code) if code is not None else "",
                lang=words.language,
                session=self.session,
                session_institution=self.institution_name(),
                nav=lambda session: sections(session, words),
                csrf=self.csrf,
                path=self.request.url.path,
                purpose_dropped=self.purpose_dropped,
                **context,
            )
        )
        return HTMLResponse(page, status_code=status, headers=self.headers)

    def institution_name(self) -> str | None:
        """The name of the institution signed in for (one query; None when none)."""
        if self.session is None or self.session.institution_id is None:
            return None
        with self.services.engine.connect() as conn:
            name = conn.execute(
                select(institution_view.c.name).where(
                    institution_view.c.institution_id == str(self.session.institution_id)
                )
            ).scalar()
        return str(name) if name is not None else None

    def url(self, path: str, **query: Any) -> str:
        """A console path with its query (values left out when None)."""
        kept = {k: v for k, v in query.items() if v is not None and v != ""}
        return f"{path}?{urlencode(kept, doseq=True)}" if kept else path


def _when(words: Words, value: datetime | date | None) -> str:
    """An instant to the minute in the service's zone (`12 nov. 2026, 14:05`), or a day."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if words.zone is not None:
            return format_datetime(
                value, format="short", tzinfo=get_timezone(words.zone), locale=words.language
            )
        return words.datetime(value)
    return words.date(value)
