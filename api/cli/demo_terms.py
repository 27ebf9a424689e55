"""The words the demo's script is written in, and how each becomes a value when it is played.

The script (`api.cli.demo_script`) is data: steps naming a use case of the application and its
arguments. What cannot be written down in advance is a term here — the id a previous step
created (`Ref`), who acts for which institution (`Acting`), a date relative to the day the demo
is loaded (`DaysAgo`, `YearEnd`…) — and `Scene.resolve` turns it into the value the use case
takes, so that the loader (`api.cli.demo.load_demo`) only walks the steps.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol, runtime_checkable
from uuid import UUID

from domain.case import BeneficiaryIdentity
from domain.partnership import PartyScope
from domain.values import Actor


@dataclass
class Scene:
    """Where the demo is being played: its day, and the ids its steps created, by table
    ("institutions", "cases"…) and key ("aemo", "leo"…)."""

    now: datetime
    ids: dict[str, dict[str, UUID]] = field(default_factory=dict)

    def id(self, table: str, key: str) -> UUID:
        return self.ids[table][key]

    def keep(self, table: str, key: str, value: UUID) -> None:
        self.ids.setdefault(table, {})[key] = value

    def resolve(self, value: object) -> object:
        """The value a use case takes: terms resolved, lists walked, anything else as written."""
        if isinstance(value, Term):
            return value.resolve(self)
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        return value


@runtime_checkable
class Term(Protocol):
    def resolve(self, scene: Scene) -> object: ...


# --- ids and actors -----------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """The id a previous step kept under (table, key)."""

    table: str
    key: str

    def resolve(self, scene: Scene) -> UUID:
        return scene.id(self.table, self.key)


def institution(key: str) -> Ref:
    return Ref("institutions", key)


def funder(key: str) -> Ref:
    return Ref("funders", key)


def professional(key: str) -> Ref:
    return Ref("professionals", key)


def partnership(key: str) -> Ref:
    return Ref("partnerships", key)


def network(key: str) -> Ref:
    return Ref("networks", key)


def delegation(key: str) -> Ref:
    return Ref("delegations", key)


def case(key: str) -> Ref:
    return Ref("cases", key)


def referral(key: str) -> Ref:
    return Ref("referrals", key)


@dataclass(frozen=True)
class Acting:
    """A professional acting for an institution (the use cases' `by`)."""

    professional: str
    institution: str

    def resolve(self, scene: Scene) -> Actor:
        return Actor(
            scene.id("professionals", self.professional),
            scene.id("institutions", self.institution),
        )


# --- dates, relative to the day the demo is loaded ---------------------------------------------


@dataclass(frozen=True)
class DaysAgo:
    """`days` days ago, at a working hour (within the back-dating window)."""

    days: int
    hour: int = 10

    def resolve(self, scene: Scene) -> datetime:
        then = scene.now - timedelta(days=self.days)
        return then.replace(hour=self.hour, minute=0, second=0, microsecond=0)


@dataclass(frozen=True)
class DateDaysFromNow:
    """A calendar day, `days` from today (negative: in the past)."""

    days: int

    def resolve(self, scene: Scene) -> date:
        return (scene.now + timedelta(days=self.days)).date()


@dataclass(frozen=True)
class YearStart:
    """The first of January, `years` from this year (-1: last year's)."""

    years: int

    def resolve(self, scene: Scene) -> date:
        return date(scene.now.year + self.years, 1, 1)


@dataclass(frozen=True)
class YearEnd:
    """The 31st of December, `years` from this year."""

    years: int

    def resolve(self, scene: Scene) -> date:
        return date(scene.now.year + self.years, 12, 31)


@dataclass(frozen=True)
class YearsText:
    """A text naming years around this one: `{last_year}`, `{year}`, `{next_year}`."""

    template: str

    def resolve(self, scene: Scene) -> str:
        year = scene.now.year
        return self.template.format(last_year=year - 1, year=year, next_year=year + 1)


# --- domain values holding terms ---------------------------------------------------------------


@dataclass(frozen=True)
class Beneficiary:
    """A beneficiary `age` years old, born on `month`/`day`."""

    first_name: str
    last_name: str
    age: int
    month: int
    day: int

    def resolve(self, scene: Scene) -> BeneficiaryIdentity:
        born = date(scene.now.year - self.age, self.month, self.day)
        return BeneficiaryIdentity(self.first_name, self.last_name, born)


@dataclass(frozen=True)
class Scope:
    """A party's scope in a partnership: the actions and information categories it covers."""

    institution: str
    actions: tuple[str, ...]
    categories: tuple[str, ...]

    def resolve(self, scene: Scene) -> PartyScope:
        return PartyScope.parse(
            scene.id("institutions", self.institution), self.actions, self.categories
        )


# --- the script's lines -------------------------------------------------------------------------


@dataclass(frozen=True)
class Say:
    """A line shown while the demo loads."""

    message: str


@dataclass(frozen=True)
class Step:
    """One use case of `domain.application.Maillage`, with its arguments; `keep` names where the
    id it returns goes — the aggregate's, or with `entity` the thing created inside it (a
    referral)."""

    command: str
    args: Mapping[str, object]
    keep: tuple[str, str] | None = None
    entity: bool = False


def do(
    command: str, *, keep: tuple[str, str] | None = None, entity: bool = False, **args: object
) -> Step:
    return Step(command, args, keep, entity)
