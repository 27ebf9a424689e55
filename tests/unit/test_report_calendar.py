"""The service's calendar: which month an act falls in, how many days from an opening to a
meeting, from which day a period is published — in the service's time zone, not UTC's."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from pydantic import ValidationError

from api.settings import Settings
from domain.errors import InvalidValueError
from domain.funding import FundedKind
from domain.months import UTC_CALENDAR, Calendar, Month, MonthRange
from domain.report_family import check_publishable, latest_published_quarter, publishable_from
from domain.reports import ActFact, CaseFact, Scope, draft_report

PARIS = Calendar.of("Europe/Paris")
LATE = datetime(2026, 10, 31, 23, 30, tzinfo=UTC)  # 00:30 on 1 November in Paris


def test_an_instant_falls_on_the_day_and_month_of_the_services_zone() -> None:
    assert PARIS.day(LATE) == date(2026, 11, 1)
    assert Month.of(PARIS.local(LATE)) == Month(2026, 11)
    assert UTC_CALENDAR.day(LATE) == date(2026, 10, 31)
    assert Calendar.of("UTC").day(LATE) == date(2026, 10, 31)
    assert PARIS.day(LATE.replace(tzinfo=None)) == date(2026, 11, 1)  # naive: UTC (SQLite)
    november = MonthRange.month(Month(2026, 11))
    assert PARIS.bounds(november) == (
        datetime(2026, 10, 31, 23, tzinfo=UTC),  # CET: UTC+1
        datetime(2026, 11, 30, 23, tzinfo=UTC),
    )
    july = MonthRange.month(Month(2026, 7))
    assert PARIS.bounds(july)[0] == datetime(2026, 6, 30, 22, tzinfo=UTC)  # CEST: UTC+2
    assert Calendar.of("America/Cayenne").day(datetime(2026, 11, 1, 2, tzinfo=UTC)) == date(
        2026, 10, 31
    )


@pytest.mark.parametrize("name", ["Mars/Olympus", "Europe", "utc", "../etc/passwd", "", " UTC"])
def test_a_time_zone_is_an_iana_name(name: str) -> None:
    with pytest.raises(InvalidValueError) as refused:
        Calendar.of(name)
    assert refused.value.field == "time_zone"
    with pytest.raises(ValidationError, match=r"MAILLAGE_TIME_ZONE=.* is not an IANA time zone"):
        Settings(time_zone=name)


def test_the_setting_defaults_to_paris_and_takes_any_iana_zone() -> None:
    assert Settings().calendar == PARIS
    assert Settings(time_zone="Indian/Reunion").calendar.day(LATE) == date(2026, 11, 1)


def test_days_to_the_first_meeting_are_calendar_days_of_the_zone() -> None:
    """Opened at 23:30, met at 00:30 the next day (Paris): one day — none on UTC's calendar."""
    us, case = uuid4(), uuid4()
    opened = datetime(2026, 11, 2, 22, 30, tzinfo=UTC)
    met = datetime(2026, 11, 2, 23, 30, tzinfo=UTC)
    scope = Scope(FundedKind.INSTITUTION, us, "AEMO", institutions=frozenset({us}))
    for calendar, days in ((PARIS, 1), (UTC_CALENDAR, 0)):
        act = ActFact(case, calendar.local(met), us, uuid4(), "CoordinationMeetingHeld", "informal")
        fact = CaseFact(case, calendar.local(opened), calendar.local(met))
        draft = draft_report(scope, MonthRange.month(Month(2026, 11)), [act], [fact], [])
        assert draft.delays == [days]


def test_a_period_is_published_once_no_act_can_be_dated_in_it_on_the_zones_clock() -> None:
    september = MonthRange.month(Month(2026, 9))
    assert publishable_from(september, 30) == date(2026, 10, 31)  # UTC: as before
    assert publishable_from(september, 30, PARIS) == date(2026, 10, 31)
    # February ends at 23:00 UTC (winter); 30 days later it is 01:00 on 31 March in Paris
    # (summer time since the 29th): an act at 23:30 on 28 February could still be dated
    # during the first hour of the 31st, so February opens on 1 April.
    february = MonthRange.month(Month(2026, 2))
    assert publishable_from(february, 30) == date(2026, 3, 31)
    assert publishable_from(february, 30, PARIS) == date(2026, 4, 1)
    check_publishable(september, PARIS.day(datetime(2026, 10, 30, 23, tzinfo=UTC)), 30, PARIS)
    with pytest.raises(InvalidValueError):
        check_publishable(september, date(2026, 10, 30), 30, PARIS)
    assert latest_published_quarter(date(2026, 4, 30), 30, PARIS) == MonthRange.quarter(2025, 4)
    assert latest_published_quarter(date(2026, 5, 1), 30, PARIS) == MonthRange.quarter(2026, 1)


def test_a_partnerships_cells_by_institution_are_keyed_by_id_not_by_name() -> None:
    """Two parties of one name are two figures (keyed by name, one would hide the other);
    the reader sees their names (`projections.report_words`)."""
    first, second, case = uuid4(), uuid4(), uuid4()
    scope = Scope(FundedKind.PARTNERSHIP, uuid4(), "P", institutions=frozenset({first, second}))
    at = PARIS.local(datetime(2026, 11, 5, 10, tzinfo=UTC))
    acts = [
        ActFact(case, at, first, uuid4(), "InterventionRecorded", "convention", "care"),
        ActFact(case, at, second, uuid4(), "InterventionRecorded", "convention", "care"),
        ActFact(case, at, second, uuid4(), "InterventionRecorded", "convention", "care"),
    ]
    names = {first: "CMP", second: "CMP"}
    draft = draft_report(
        scope, MonthRange.month(Month(2026, 11)), acts, [], [], institution_names=names
    )
    cells = {(line, label): f.value for (line, label), f in draft.figures().items()}
    assert cells[("interventions_by_institution", str(first))] == 1
    assert cells[("interventions_by_institution", str(second))] == 2
