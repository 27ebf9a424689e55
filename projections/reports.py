"""Reports and the network map, read from the report projection's facts.

The projection keeps instants (UTC); they are cut into months and days here, on the service's
calendar (`domain.months.Calendar`, from `MAILLAGE_TIME_ZONE`): a period's acts are those
between its first local midnight and the one after it, and every fact reaches the domain on
local time. Nothing stored depends on the zone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, and_, select

from domain.errors import NotFoundError
from domain.funding import FundedKind, last_day
from domain.months import Calendar
from domain.network_map import NetworkMap, Tie, network_map
from domain.report_family import Facts, component, family_report, reporting_period
from domain.reports import (
    ActFact,
    CaseFact,
    MonthRange,
    ReferralFact,
    Report,
    Scope,
)
from projections.report_acts import Corrections, corrections, first_meetings_after_annulments
from projections.report_tables import (
    funding_view,
    report_act_view,
    report_case_view,
    report_referral_view,
    report_scope_member_view,
    report_scope_view,
)

TIES = (FundedKind.PARTNERSHIP, FundedKind.NETWORK)  # the scopes that tie institutions


def _uuid_parser() -> Callable[[str], UUID]:
    """UUID(text), each text parsed once (ids repeat across a query's rows)."""
    ids: dict[str, UUID] = {}

    def uuid(text: str) -> UUID:
        found = ids.get(text)
        if found is None:
            found = ids[text] = UUID(text)
        return found

    return uuid


def _members(rows: Iterable[Any], kind: str) -> frozenset[UUID]:
    return frozenset(UUID(r.member_id) for r in rows if r.member_kind == kind)


def _acts(
    conn: Connection,
    period: MonthRange,
    calendar: Calendar,
    fix: Corrections,
    case_ids: list[str],
) -> list[ActFact]:
    """The acts on these cases in the period, as corrected."""
    t, wanted = report_act_view, set(case_ids)
    start, after = calendar.bounds(period)
    rows = [
        *conn.execute(
            select(
                t.c.case_id,
                t.c.occurred_at,
                t.c.institution_id,
                t.c.professional_id,
                t.c.event,
                t.c.basis_kind,
                t.c.intervention_kind,
            ).where(
                t.c.occurred_at >= start,
                t.c.occurred_at < after,
                *fix.unchanged(t.c.case_id.in_(case_ids)),
            )
        ),
        *(r for r in fix.acts if r.case_id in wanted),
    ]
    uuid = _uuid_parser()  # ids repeat across rows: parse each once

    return [
        ActFact(
            case_id=uuid(r.case_id),
            occurred_at=calendar.local(r.occurred_at),
            institution_id=uuid(r.institution_id),
            professional_id=uuid(r.professional_id),
            event=r.event,
            basis_kind=r.basis_kind,
            intervention_kind=r.intervention_kind,
        )
        for r in rows
    ]


def scope(conn: Connection, kind: FundedKind, scope_id: UUID) -> Scope:
    s, m = report_scope_view, report_scope_member_view
    row = conn.execute(
        select(s).where(s.c.scope_kind == kind.value, s.c.scope_id == str(scope_id))
    ).first()
    if row is None:
        raise NotFoundError(kind.value, scope_id, field=f"{kind.value}_id")
    members = conn.execute(
        select(m.c.member_id, m.c.member_kind).where(
            m.c.scope_kind == kind.value, m.c.scope_id == str(scope_id)
        )
    ).all()
    return Scope(
        kind=kind,
        id=scope_id,
        name=row.name,
        institutions=_members(members, "institution"),
        professionals=_members(members, "professional"),
    )


def institution_names(conn: Connection) -> dict[UUID, tuple[str, str]]:
    s = report_scope_view
    rows = conn.execute(
        select(s.c.scope_id, s.c.name, s.c.detail).where(s.c.scope_kind == FundedKind.INSTITUTION)
    )
    return {UUID(r.scope_id): (r.name, r.detail) for r in rows}


def all_scopes(conn: Connection) -> list[Scope]:
    """Every institution, partnership and network, with its members."""
    s, m = report_scope_view, report_scope_member_view
    members: dict[tuple[str, str], list[Any]] = {}
    for row in conn.execute(select(m)):
        members.setdefault((row.scope_kind, row.scope_id), []).append(row)
    found = []
    for row in conn.execute(select(s.c.scope_kind, s.c.scope_id, s.c.name)):
        belong = members.get((row.scope_kind, row.scope_id), [])
        kind = FundedKind(row.scope_kind)
        institutions = _members(belong, "institution")
        if kind is FundedKind.INSTITUTION:
            institutions = frozenset({UUID(row.scope_id)})
        found.append(
            Scope(
                kind=kind,
                id=UUID(row.scope_id),
                name=row.name,
                institutions=institutions,
                professionals=_members(belong, "professional"),
            )
        )
    return found


def _acted_for(
    conn: Connection, period: MonthRange, calendar: Calendar, fix: Corrections
) -> dict[UUID, set[UUID]]:
    """The institutions each professional acted for in the period."""
    t = report_act_view
    start, after = calendar.bounds(period)
    found: dict[UUID, set[UUID]] = {}
    rows = conn.execute(
        select(t.c.professional_id, t.c.institution_id)
        .distinct()
        .where(t.c.occurred_at >= start, t.c.occurred_at < after, *fix.unchanged())
    ).all()
    for professional, institution in [
        *rows,
        *((r.professional_id, r.institution_id) for r in fix.acts),
    ]:
        found.setdefault(UUID(professional), set()).add(UUID(institution))
    return found


def report(
    conn: Connection, found: Scope, period: MonthRange, *, min_cell: int, calendar: Calendar
) -> Report:
    """The report of a scope (`scope()`) over `period` (a calendar month, quarter or year of
    `calendar`), protected together with every report tied to it (`domain.report_family`)."""
    t, c, r = report_act_view, report_case_view, report_referral_view
    start, after = calendar.bounds(reporting_period(period))
    fix = corrections(conn, start, after)
    acted_for = _acted_for(conn, period, calendar, fix)
    family = component(found, all_scopes(conn), acted_for)
    institutions = {str(i) for s in family for i in s.institutions}
    professionals = {str(p) for s in family for p in s.professionals}
    # The cases the family's members acted on in the period, then every act on them in it.
    case_ids: set[str] = set()
    for column, keys in ((t.c.institution_id, institutions), (t.c.professional_id, professionals)):
        for chunk in _chunks(keys):
            case_ids |= {
                row.case_id
                for row in conn.execute(
                    select(t.c.case_id)
                    .distinct()
                    .where(
                        t.c.occurred_at >= start,
                        t.c.occurred_at < after,
                        *fix.unchanged(column.in_(chunk)),
                    )
                )
            }
    case_ids |= {
        r.case_id
        for r in fix.acts
        if r.institution_id in institutions or r.professional_id in professionals
    }
    acts = [act for chunk in _chunks(case_ids) for act in _acts(conn, period, calendar, fix, chunk)]
    meetings = first_meetings_after_annulments(conn, case_ids)  # theirs as corrected
    cases = [
        CaseFact(
            UUID(row.case_id),
            calendar.local(row.opened_at),
            calendar.local(first)
            if (first := meetings.get(row.case_id, row.first_meeting_at)) is not None
            else None,
        )
        for row in _rows_for(conn, select(c), c.c.case_id, case_ids)
    ]
    in_period = select(r).where(r.c.made_at >= start, r.c.made_at < after)
    referrals = [
        ReferralFact(
            UUID(row.referral_id),
            UUID(row.case_id),
            UUID(row.from_institution_id),
            UUID(row.made_by),
            calendar.local(row.made_at),
            row.status,
        )
        for row in _rows_for(conn, in_period, r.c.case_id, case_ids)
    ]
    names = {i: name for i, (name, _) in institution_names(conn).items()}
    facts = Facts(acts, cases, referrals, names)
    return family_report(found, family, period, facts, min_cell=min_cell)


def _chunks(keys: set[str], size: int = 500) -> Iterator[list[str]]:
    """Keys in sorted chunks small enough for an IN list on every store."""
    ordered = sorted(keys)
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _rows_for(conn: Connection, query: Any, column: Any, keys: set[str]) -> list[Any]:
    return [row for chunk in _chunks(keys) for row in conn.execute(query.where(column.in_(chunk)))]


def ties(conn: Connection, calendar: Calendar) -> list[Tie]:
    """Partnerships and networks as ties: a partnership between the days its parties chose, a
    network from the day it was founded to the day it was dissolved (days of `calendar`)."""
    s, m = report_scope_view, report_scope_member_view
    members: dict[tuple[str, str], list[Any]] = {}
    for row in conn.execute(select(m).where(m.c.scope_kind.in_(TIES))):
        members.setdefault((row.scope_kind, row.scope_id), []).append(row)
    found = []
    for row in conn.execute(select(s).where(s.c.scope_kind.in_(TIES))):
        belong = members.get((row.scope_kind, row.scope_id), [])
        kind = row.detail if row.scope_kind == FundedKind.PARTNERSHIP else f"{row.detail}_network"
        found.append(
            Tie(
                kind=kind,
                id=UUID(row.scope_id),
                name=row.name,
                institutions=_members(belong, "institution"),
                professionals=_members(belong, "professional"),
                valid_from=_day(calendar, row.began_at) or row.valid_from,
                valid_until=last_day(row.valid_until, _day(calendar, row.ended_at) or row.ended_on),
                complete=all(x.signed for x in belong),
            )
        )
    return found


def _day(calendar: Calendar, instant: datetime | None) -> date | None:
    return calendar.day(instant) if instant is not None else None


@dataclass(frozen=True)
class _Presence:
    case_id: UUID
    institution_id: UUID
    professional_id: UUID


def _presences(conn: Connection, period: MonthRange, calendar: Calendar) -> list[_Presence]:
    """Who acted on which case for which institution in the period, once each."""
    t = report_act_view
    start, after = calendar.bounds(period)
    fix = corrections(conn, start, after)
    rows = conn.execute(
        select(t.c.case_id, t.c.institution_id, t.c.professional_id)
        .distinct()
        .where(t.c.occurred_at >= start, t.c.occurred_at < after, *fix.unchanged())
    ).all()
    moved = {(r.case_id, r.institution_id, r.professional_id) for r in fix.acts}
    uuid = _uuid_parser()

    return [
        _Presence(uuid(c), uuid(i), uuid(p))
        for c, i, p in dict.fromkeys([*map(tuple, rows), *moved])
    ]


def the_network_map(
    conn: Connection, period: MonthRange, *, min_cell: int, calendar: Calendar
) -> NetworkMap:
    return network_map(
        period,
        _presences(conn, period, calendar),
        institution_names(conn),
        ties(conn, calendar),
        min_cell=min_cell,
    )


# --- fundings ---------------------------------------------------------------------------------


def fundings(
    conn: Connection,
    *,
    funder_id: UUID | None = None,
    target: tuple[FundedKind, UUID] | None = None,
) -> list[dict[str, Any]]:
    f = funding_view
    query = select(f).order_by(f.c.valid_from, f.c.funding_id)
    if funder_id is not None:
        query = query.where(f.c.funder_id == str(funder_id))
    if target is not None:
        query = query.where(
            and_(f.c.target_kind == target[0].value, f.c.target_id == str(target[1]))
        )
    return [dict(row) for row in conn.execute(query).mappings()]


def funded_periods(
    conn: Connection, funder_id: UUID, kind: FundedKind, target_id: UUID
) -> list[tuple[date, date | None]]:
    """The periods over which `funder_id` funds the target: (first day, last day or None)."""
    periods = []
    for row in fundings(conn, funder_id=funder_id, target=(kind, target_id)):
        periods.append((row["valid_from"], last_day(row["valid_until"], row["ended_on"])))
    return periods
