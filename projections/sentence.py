"""A sentence kept as a template and its values, worded when read, in the reader's language.

A projection stores a sentence's key and its values — codes, ids, dates, counts, never a name
nor a personal field — and the reader words it (`Sentence.word`): codes become labels
(`domain.labels`), ids current names (`projections.names`), dates dates of the language. Each
value says how it reads (a `Format`), and which ids it needs named, so that a whole page of
sentences is named with one query per kind of id.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID

from domain.labels import label
from domain.wording import Wording
from projections.names import Names


class Speech(Wording, Protocol):
    """Translation and dates in one language (`api.i18n.Words` is one)."""

    def date(self, value: date) -> str: ...


@dataclass(frozen=True)
class Context:
    words: Speech
    names: Names

    def actor(self, professional: object, institution: object | None) -> str:
        """`Jeanne Martin (AEMO Colmar)`; an id the registry does not know reads as the id."""
        person = self.name("professionals", professional)
        if institution is None:
            return person
        place = self.name("institutions", institution)
        return self.words.gettext(
            "{professional} ({institution})", professional=person, institution=place
        )

    def name(self, kind: str, ident: object) -> str:
        found = _NAMERS[kind](self.names, UUID(str(ident)))
        return found if found is not None else str(ident)

    def delegate(self, ident: object) -> str:
        holder = self.names.delegation(UUID(str(ident)))
        if holder is None:
            return str(ident)
        return self.actor(holder.professional_id, holder.institution_id)


_NAMERS: dict[str, Callable[[Names, UUID], str | None]] = {
    "professionals": Names.professional,
    "institutions": Names.institution,
    "partnerships": Names.partnership,
    "networks": Names.network,
}


class Format(Protocol):
    """How one stored value reads, and the ids (kind, id) it needs named."""

    def ids(self, value: Any) -> Iterable[tuple[str, str]]: ...

    def word(self, value: Any, ctx: Context) -> str: ...


class _NoIds:
    def ids(self, value: Any) -> Iterable[tuple[str, str]]:
        return ()


def lower_first(text: str) -> str:
    """`Visite à domicile` inside a sentence: `visite à domicile` (`CMP…` stays as it is)."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class Code(_NoIds):
    """A code of `domain.labels`: its label (lower-case first, as it sits inside a sentence)."""

    family: str
    lower: bool = True

    def word(self, value: Any, ctx: Context) -> str:
        text = label(ctx.words, self.family, value)
        return lower_first(text) if self.lower else text


@dataclass(frozen=True)
class Codes(_NoIds):
    family: str

    def word(self, value: Any, ctx: Context) -> str:
        return ", ".join(lower_first(label(ctx.words, self.family, v)) for v in value)


class Day(_NoIds):
    """A date (or the day of an instant), ISO in the store."""

    def word(self, value: Any, ctx: Context) -> str:
        text = str(value)
        if len(text) > 10:  # an instant: its day where the service is (`Words.zone`)
            return ctx.words.date(datetime.fromisoformat(text))
        return ctx.words.date(date.fromisoformat(text))


class Text(_NoIds):
    """A text that is not personal (a legal reference, a profession, a participant's role)."""

    def word(self, value: Any, ctx: Context) -> str:
        return str(value)


class Numbers(_NoIds):
    def word(self, value: Any, ctx: Context) -> str:
        return ", ".join(str(v) for v in value)


@dataclass(frozen=True)
class Count(_NoIds):
    """A number in words with its plural (`words.ngettext` over a literal pair)."""

    words: Callable[[Speech, int], str]

    def word(self, value: Any, ctx: Context) -> str:
        return self.words(ctx.words, int(value))


@dataclass(frozen=True)
class Named:
    """An id of `kind` (professionals, institutions, partnerships, networks): its current name."""

    kind: str

    def ids(self, value: Any) -> Iterable[tuple[str, str]]:
        return [(self.kind, str(value))]

    def word(self, value: Any, ctx: Context) -> str:
        return ctx.name(self.kind, value)


@dataclass(frozen=True)
class NamedList:
    kind: str

    def ids(self, value: Any) -> Iterable[tuple[str, str]]:
        return [(self.kind, str(v)) for v in value]

    def word(self, value: Any, ctx: Context) -> str:
        return ", ".join(ctx.name(self.kind, v) for v in value)


class Actors:
    """Professionals acting for institutions: `[[professional, institution], …]`."""

    def ids(self, value: Any) -> Iterable[tuple[str, str]]:
        for professional, institution in value:
            yield "professionals", str(professional)
            if institution is not None:
                yield "institutions", str(institution)

    def word(self, value: Any, ctx: Context) -> str:
        return ", ".join(ctx.actor(p, i) for p, i in value)


class Delegated:
    """A delegation, named by its delegate and delegating institution."""

    def ids(self, value: Any) -> Iterable[tuple[str, str]]:
        return [("delegations", str(value))]

    def word(self, value: Any, ctx: Context) -> str:
        return ctx.delegate(value)


@dataclass(frozen=True)
class Sentence:
    """An English template (`N_`) and how each of its stored values reads."""

    template: str
    formats: Mapping[str, Format] = field(default_factory=dict)

    def ids(self, values: Mapping[str, Any]) -> Iterable[tuple[str, str]]:
        for name, fmt in self.formats.items():
            if values.get(name) is not None:
                yield from fmt.ids(values[name])

    def word(self, values: Mapping[str, Any], ctx: Context, **given: str) -> str:
        worded = {
            name: fmt.word(values[name], ctx) if values.get(name) is not None else "?"
            for name, fmt in self.formats.items()
        }
        return ctx.words.gettext(self.template, **given, **worded)


@dataclass(frozen=True)
class Summary:
    """What the audit trail keeps of an event's sentence: its key and its values (JSON)."""

    key: str
    values: dict[str, Any]


class Lines:
    """A table of sentences (`say`) and, per event class, the sentence and values it takes
    (`on`); `projections.summaries` gathers the tables."""

    def __init__(self) -> None:
        self.sentences: dict[str, Sentence] = {}
        self.summaries: dict[type, Callable[[Any], Summary]] = {}

    def say(self, key: str, template: str, **formats: Format) -> str:
        self.sentences[key] = Sentence(template, formats)
        return key

    def on(
        self, cls: type, key: str, values: Callable[[Any], dict[str, Any]] | None = None
    ) -> None:
        def summary(event: Any) -> Summary:
            return Summary(key, values(event) if values is not None else {})

        self.summaries[cls] = summary

    def choose(self, cls: type, summary: Callable[[Any], Summary]) -> None:
        """An event whose sentence depends on its values (`summary` picks the key)."""
        self.summaries[cls] = summary


def ident(value: Any) -> str:
    return str(value)


def iso(value: date) -> str:
    """A date or an instant, ISO (an instant keeps its zone; `Day` reads its day)."""
    return value.isoformat()


def actor(value: Any) -> list[str | None]:
    """An `Actor` (or a network `Member`: its institution may be None) as `Actors` reads it."""
    institution = value.institution_id
    return [str(value.professional_id), str(institution) if institution is not None else None]


PROFESSIONAL = Named("professionals")
INSTITUTION = Named("institutions")
PARTNERSHIP = Named("partnerships")
NETWORK = Named("networks")
