"""Who reads aggregate figures: reports of a scope over a period, fundings, the network map.

Apart from `domain.access` (the rules on cases and the registry), on the same admissions: a
report is read by a supervisor of one of its scope's member institutions, or by a funder over
what its institution funds; small cells are withheld elsewhere (`domain.disclosure`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, NoReturn
from uuid import UUID

from domain.access import (
    READING_FUNDINGS,
    READING_REPORTS,
    READING_THE_NETWORK_MAP,
    Principal,
    Role,
)
from domain.errors import AccessDeniedError
from domain.reports import Month
from domain.wording import N_


def check_report_reader(
    principal: Principal,
    scope_institutions: Iterable[UUID],
    funded: Iterable[tuple[date, date | None]],
    first_day: date,
    last_day: date,
) -> None:
    """A report of a scope over [first_day, last_day] (whole months): for a supervisor of one of
    the scope's member institutions, or a funder whose institution funds the scope over every
    month of it (`funded`: its fundings' first and last days, a month counts if funded on one of
    its days)."""
    READING_REPORTS.check(principal)
    if principal.role is Role.SUPERVISOR:
        if principal.institution_id is not None and principal.institution_id in set(
            scope_institutions
        ):
            return
        _deny(
            N_("a supervisor reads the reports of their institution and of what it is a member of")
        )
    if principal.role is Role.FUNDER:
        if principal.institution_id is None:
            _deny(N_("a funder's token names the funding institution"))
        for start, end in funded:
            if start <= Month.of(first_day).last_day and (
                end is None or end >= last_day.replace(day=1)
            ):
                return
        _deny(N_("a funder reads the reports of what it funds, over the funded period"))
    _deny(N_("reports are for funders and supervisors"))


def fundings_of(principal: Principal) -> UUID | None:
    """Whose fundings a principal reads: every funder's (None) for an administrator, its own
    institution's for a funder; nobody else reads them."""
    READING_FUNDINGS.check(principal)
    if principal.role is Role.ADMIN:
        return None
    if principal.institution_id is None:
        _deny(N_("a funder's token names the funding institution"))
    return principal.institution_id


def check_network_map_reader(principal: Principal) -> None:
    READING_THE_NETWORK_MAP.check(principal)


def _deny(reason: str, **details: Any) -> NoReturn:
    raise AccessDeniedError(reason, **details)
