"""Every template marked for people (`N_`, `gettext`, `ngettext`) has its French, with the same
placeholders; no French is kept for a template the code no longer says; languages negotiate."""

from __future__ import annotations

import re
import string
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from api.i18n import KEYWORDS, Words, negotiate, po_files

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "projections", "api")
# Python modules, and the console's templates (`{{ _("…", name=value) }}`, Jinja2's extractor).
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]


def _templates() -> dict[str, str]:
    """msgid -> where it is said, for every marked template of the code."""
    found: dict[str, str] = {}
    for package in PACKAGES:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            ROOT / package,
            method_map=METHODS,
            keywords=KEYWORDS,
            comment_tags=(),
            strip_comment_tags=True,
        ):
            for msgid in message if isinstance(message, tuple) else (message,):
                if msgid:
                    found.setdefault(msgid, f"{package}/{filename}:{lineno}")
    return found


def _french() -> dict[str, list[str]]:
    entries: dict[str, list[str]] = {}
    for path in po_files("fr"):
        with path.open("rb") as po:
            catalog = read_po(po, locale="fr")
        for m in catalog:
            if not m.id:
                continue
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            strings = [s for s in (m.string if isinstance(m.string, tuple) else (m.string,))]
            if m.fuzzy:
                strings = []
            for msgid in ids:
                entries[msgid] = strings
    return entries


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_template_has_its_french_with_the_same_placeholders() -> None:
    french = _french()
    missing = {m: where for m, where in _templates().items() if not any(french.get(m, []))}
    assert not missing, "no French for (add to an api/i18n/locales/fr/*.po):\n" + "\n".join(
        f'#: {where}\nmsgid "{m}"\nmsgstr ""\n' for m, where in sorted(missing.items())
    )
    wrong = {
        m: s
        for m, strings in french.items()
        for s in strings
        if s and _placeholders(s) - _placeholders(m) - {"n"}
    }
    assert not wrong, f"a translation names a placeholder its template does not: {wrong}"


def test_no_french_is_kept_for_a_template_the_code_no_longer_says() -> None:
    said = set(_templates()) | {"Maillage speaks French (default) and English."}
    stale = sorted(set(_french()) - said)
    assert not stale, f"French kept for templates no code says any more: {stale}"


def test_each_template_has_one_french_in_the_whole_catalogue() -> None:
    """The files of a language are merged into one catalogue: a msgid said twice (in two files,
    or twice in one) would read one way or the other depending on load order."""
    said_in: dict[str, list[tuple[str, object]]] = {}
    for path in po_files("fr"):
        with path.open("rb") as po:
            catalog = read_po(po, locale="fr")
        entries = [m for m in catalog if m.id]
        written = len(re.findall(r"^msgid ", path.read_text(encoding="utf-8"), flags=re.M))
        assert written - 1 == len(entries), f"{path.name} says a msgid twice"  # - the header
        for m in entries:
            msgid = m.id[0] if isinstance(m.id, tuple) else m.id
            said_in.setdefault(msgid, []).append((path.name, m.string))
    twice = {msgid: where for msgid, where in said_in.items() if len(where) > 1}
    assert not twice, "translated in more than one file (keep one):\n" + "\n".join(
        f"{msgid!r}: {where}" for msgid, where in sorted(twice.items())
    )


def test_the_catalogue_files_are_well_formed_po() -> None:
    for path in po_files("fr"):
        text = path.read_text(encoding="utf-8")
        assert re.search(r'"Language: fr\\n"', text), path
        assert "Plural-Forms: nplurals=2; plural=(n > 1);" in text, path


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "fr"),
        ("", "fr"),
        ("en", "en"),
        ("en-GB,en;q=0.9", "en"),
        ("de-DE, en;q=0.5", "en"),
        ("de, it", "fr"),
        ("fr-CA;q=0.4, en;q=0.8", "en"),
        ("en;q=0, fr", "fr"),
        ("*", "fr"),
        ("en;q=bogus", "fr"),
        ("!!, en", "en"),
    ],
)
def test_the_language_asked_is_negotiated(header: str | None, language: str) -> None:
    assert negotiate(header) == language


def test_words_render_french_first_and_english_on_request() -> None:
    said = "Maillage speaks French (default) and English."
    assert Words().gettext(said).startswith("Maillage parle")
    assert Words("en").gettext(said).startswith("Maillage speaks")

    assert Words().date(date(2026, 11, 12)) == "12 novembre 2026"
    assert Words("en").date(date(2026, 11, 12)) == "November 12, 2026"
    assert Words().number(1234.5) == "1\u202f234,5"


def test_the_day_of_an_instant_is_the_day_in_the_services_time_zone() -> None:
    late = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)  # already 1 November in Paris
    assert Words(zone="Europe/Paris").date(late) == "1 novembre 2026"
    assert Words("en", zone="Europe/Paris").date(late) == "November 1, 2026"
    assert Words(zone="UTC").date(late) == "31 octobre 2026"
    assert Words(zone="Europe/Paris").date(date(2026, 10, 31)) == "31 octobre 2026"  # a day
