"""Whole calendar months and periods of them: what reports and the network map are asked for.

A month is written `YYYY-MM`; a period spans at most `MAX_MONTHS` months, so that a request
cannot make a report walk centuries.

Months and days are those of the service's calendar (`Calendar`: its time zone, the setting
`MAILLAGE_TIME_ZONE`, `Europe/Paris` by default), never UTC's: an act at 2026-10-31T23:30Z
was done on 1 November in Paris, and counts in November's report. Facts keep their instants;
the calendar cuts them when a report is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import InvalidValueError
from domain.wording import N_

MAX_MONTHS = 120
DEFAULT_TIME_ZONE = "Europe/Paris"


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str, *, field: str) -> Month:
        parts = text.split("-") if isinstance(text, str) else []
        ok = len(parts) == 2 and all(p.isascii() and p.isdigit() for p in parts)
        if ok and len(parts[0]) == 4 and len(parts[1]) == 2 and 1 <= int(parts[1]) <= 12:
            year = int(parts[0])
            if 1900 <= year <= 9999:
                return cls(year, int(parts[1]))
        raise InvalidValueError(
            N_("'{value}' is not a month (YYYY-MM)"), field=field, value=str(text)
        )

    @classmethod
    def of(cls, day: date | datetime) -> Month:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        following = self.next()
        return date.fromordinal(following.first_day.toordinal() - 1)

    def next(self) -> Month:
        return Month(self.year + (self.month == 12), self.month % 12 + 1)

    def back(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 - months
        return Month(index // 12, index % 12 + 1)


@dataclass(frozen=True)
class MonthRange:
    first: Month
    last: Month

    @classmethod
    def year_to(cls, last: Month) -> MonthRange:
        """The twelve months ending with `last`: a report's period unless one is asked for."""
        return cls(last.back(11), last)

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidValueError(N_("the period ends before it starts"), field="to")
        if len(self.months()) > MAX_MONTHS:
            raise InvalidValueError(
                N_("a period spans at most {max_months} months"), field="to", max_months=MAX_MONTHS
            )

    def months(self) -> list[str]:
        found: list[str] = []
        month = self.first
        while month <= self.last and len(found) <= MAX_MONTHS:
            found.append(str(month))
            month = month.next()
        return found

    def contains(self, when: date | datetime) -> bool:
        first, last = self.first, self.last
        return (first.year, first.month) <= (when.year, when.month) <= (last.year, last.month)

    def __str__(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first} – {self.last}"

    # --- the reporting grid: calendar months, quarters and years ---------------------------

    @classmethod
    def quarter(cls, year: int, number: int) -> MonthRange:
        return cls(Month(year, 3 * number - 2), Month(year, 3 * number))

    @classmethod
    def calendar_year(cls, year: int) -> MonthRange:
        return cls(Month(year, 1), Month(year, 12))

    @classmethod
    def month(cls, month: Month) -> MonthRange:
        return cls(month, month)

    @property
    def grid(self) -> str | None:
        """`month`, `quarter` or `year` when the period is one of those of the calendar;
        None for any other range (reports are published on the calendar's only)."""
        first, last = self.first, self.last
        if first == last:
            return "month"
        if first.year != last.year:
            return None
        if first.month % 3 == 1 and last.month == first.month + 2:
            return "quarter"
        if (first.month, last.month) == (1, 12):
            return "year"
        return None

    def parts(self) -> list[MonthRange]:
        """The periods of the grid one level down: a year's quarters, a quarter's months."""
        if self.grid == "year":
            return [MonthRange.quarter(self.first.year, q) for q in range(1, 5)]
        if self.grid == "quarter":
            return [MonthRange.month(Month(self.first.year, m)) for m in self._numbers()]
        return []

    def _numbers(self) -> range:
        return range(self.first.month, self.last.month + 1)


@dataclass(frozen=True)
class Calendar:
    """The service's calendar: on which day, hence in which month, an instant falls."""

    zone: tzinfo
    name: str

    @classmethod
    def of(cls, name: str) -> Calendar:
        """The calendar of an IANA time zone (`Europe/Paris`, `America/Cayenne`, `UTC`)."""
        if name == "UTC":
            return cls(UTC, "UTC")
        try:
            zone = ZoneInfo(name) if name and name.strip() == name else None
        except (ZoneInfoNotFoundError, ValueError, OSError):  # a path; a folder (`Europe`)
            zone = None
        if zone is None:
            raise InvalidValueError(
                N_("{zone} is not an IANA time zone (e.g. Europe/Paris, America/Cayenne, UTC)"),
                field="time_zone",
                zone=repr(name),
            )
        return cls(zone, name)

    def local(self, instant: datetime) -> datetime:
        """The instant on the calendar's clock (an aware datetime; a naive one is UTC)."""
        aware = instant if instant.tzinfo is not None else instant.replace(tzinfo=UTC)
        return aware.astimezone(self.zone)

    def day(self, instant: datetime) -> date:
        return self.local(instant).date()

    def start(self, day: date) -> datetime:
        """The instant `day` begins (its first local time, should midnight be skipped)."""
        return datetime.combine(day, time.min, tzinfo=self.zone).astimezone(UTC)

    def bounds(self, period: MonthRange) -> tuple[datetime, datetime]:
        """The instants `period` begins and ends (excluded), in UTC."""
        return self.start(period.first.first_day), self.start(period.last.next().first_day)

    def after(self, day: date, elapsed: timedelta) -> date:
        """The first day that begins at least `elapsed` after the end of `day`."""
        final = self.start(day + timedelta(days=1)) + elapsed
        found = self.day(final)
        return found if self.start(found) >= final else found + timedelta(days=1)


UTC_CALENDAR = Calendar(UTC, "UTC")
