"""What a report or the network map is computed under, and the period asked for.

The terms come from the application's clock and the settings: now, the service's calendar
(`MAILLAGE_TIME_ZONE`: the months and days reports are cut in, and the day "today" is), how long
acts may be dated in the past (a period is published once that is over) and the smallest cell
shown (`MAILLAGE_REPORT_MIN_CELL`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import Depends

from api.http.deps import MaillageDep, SettingsDep
from api.settings import Settings
from domain.application import Maillage
from domain.errors import InvalidValueError
from domain.months import Calendar, Month, MonthRange
from domain.report_family import check_publishable, latest_published_quarter, reporting_period
from domain.wording import N_


@dataclass(frozen=True)
class Terms:
    now: datetime
    calendar: Calendar
    back_dating_days: int
    min_cell: int


def terms_of(maillage: Maillage, settings: Settings) -> Terms:
    """The terms now (the API's dependency and the console's pages alike)."""
    policy = maillage.time
    return Terms(
        policy.now(), settings.calendar, policy.backdating_window.days, settings.report_min_cell
    )


async def report_terms(maillage: MaillageDep, settings: SettingsDep) -> Terms:
    return terms_of(maillage, settings)


TermsDep = Annotated[Terms, Depends(report_terms)]


def reporting_period_of(terms: Terms, first: str | None, last: str | None) -> MonthRange:
    """The period asked for (`from`, `to`), on the reporting grid and published; by default the
    latest published quarter. Today is the day of the service's calendar."""
    today, calendar = terms.calendar.day(terms.now), terms.calendar
    if first is None and last is None:
        return latest_published_quarter(today, terms.back_dating_days, calendar)
    if first is None or last is None:
        raise InvalidValueError(
            N_("give both `from` and `to` (a calendar month, quarter or year), or neither"),
            field="query.from" if first is None else "query.to",
        )
    period = reporting_period(
        MonthRange(Month.parse(first, field="query.from"), Month.parse(last, field="query.to"))
    )
    check_publishable(period, today, terms.back_dating_days, calendar)
    return period
