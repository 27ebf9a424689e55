"""The acts reports count, as corrected: every query of `projections.reports` reads acts here.

An act is a row of `report_act_view`, as first recorded; a correction or an annulment is a row
of `report_act_change_view` naming it. So an act untouched is read as it is, an act corrected
is read once, at its corrected date and under its corrected kind (in the period of its new date,
whatever its first one), and an act annulled is not read at all. Corrections are few: the second
half of the union starts from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Subquery, func, or_, select, union_all

from domain.event_classes import CoordinationMeetingHeld
from projections.report_tables import report_act_change_view, report_act_view

MEETING = CoordinationMeetingHeld.__name__  # as the projection keeps an act's event


def acts_between(start: datetime, after: datetime, *where: Any) -> Subquery:
    """The acts in [start, after) as corrected, annulled ones left out; `where`: conditions on
    `report_act_view`'s columns a correction never changes (case, institution, professional)."""
    a, c = report_act_view, report_act_change_view
    unchanged = select(
        a.c.case_id,
        a.c.occurred_at,
        a.c.institution_id,
        a.c.professional_id,
        a.c.event,
        a.c.basis_kind,
        a.c.intervention_kind,
    ).where(
        a.c.occurred_at >= start,
        a.c.occurred_at < after,
        or_(a.c.act_id.is_(None), a.c.act_id.not_in(select(c.c.act_id))),
        *where,
    )
    when = func.coalesce(c.c.occurred_at, a.c.occurred_at)
    corrected = (
        select(
            a.c.case_id,
            when.label("occurred_at"),
            a.c.institution_id,
            a.c.professional_id,
            a.c.event,
            a.c.basis_kind,
            func.coalesce(c.c.intervention_kind, a.c.intervention_kind).label("intervention_kind"),
        )
        .select_from(c.join(a, a.c.act_id == c.c.act_id))
        .where(c.c.annulled.is_(False), when >= start, when < after, *where)
    )
    return union_all(unchanged, corrected).subquery("acts")


def first_meetings_after_annulments(
    conn: Connection, case_ids: Iterable[str]
) -> dict[str, datetime | None]:
    """For the cases among `case_ids` one of whose coordination meetings was annulled, their
    first meeting still standing (None: none left); the other cases keep the projection's."""
    a, c = report_act_view, report_act_change_view
    wanted = sorted(set(case_ids))
    touched: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        touched |= set(
            conn.execute(
                select(c.c.case_id)
                .select_from(c.join(a, a.c.act_id == c.c.act_id))
                .where(c.c.annulled.is_(True), a.c.event == MEETING, c.c.case_id.in_(chunk))
            ).scalars()
        )
    if not touched:
        return {}
    annulled = select(c.c.act_id).where(c.c.annulled.is_(True))
    firsts: dict[str, datetime | None] = dict.fromkeys(touched)
    rows = conn.execute(
        select(a.c.case_id, func.min(a.c.occurred_at))
        .where(
            a.c.event == MEETING,
            a.c.case_id.in_(sorted(touched)),
            or_(a.c.act_id.is_(None), a.c.act_id.not_in(annulled)),
        )
        .group_by(a.c.case_id)
    )
    for case_id, first in rows:
        firsts[case_id] = first
    return firsts
