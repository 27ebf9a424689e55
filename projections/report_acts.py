"""The acts reports count, as corrected: every query of `projections.reports` reads acts here.

An act is a row of `report_act_view`, as first recorded; a correction or an annulment is a row
of `report_act_change_view` naming it. An act untouched is read as it is, an act corrected is
read once, at its corrected date and under its corrected kind (in the period of its new date,
whatever its first one), and an act annulled is not read at all.

Corrections are few, and reports read many acts: so the acts of a period are read as before,
leaving out those a correction changed (`Corrections.unchanged`), and the changed ones are read
apart, as corrected, in one small query (`corrections`) — no join on the many.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Connection, and_, func, or_, select

from domain.event_classes import CoordinationMeetingHeld
from projections.report_tables import report_act_change_view, report_act_view

MEETING = CoordinationMeetingHeld.__name__  # as the projection keeps an act's event
LISTED = 500  # acts left out by their ids up to this many; beyond, every changed act


@dataclass(frozen=True)
class Corrections:
    """What corrections change of the acts of one period: the acts first dated in it that were
    changed since (`excluded`), and the changed acts now dated in it, as corrected (`acts`:
    rows with the columns of `report_act_view`'s, annulled ones left out)."""

    excluded: tuple[str, ...]
    acts: tuple[Any, ...]

    def unchanged(self, *where: Any) -> list[Any]:
        """`where`, and the condition leaving out the acts read from `acts` instead."""
        if not self.excluded:
            return list(where)
        a = report_act_view
        changed: ColumnElement[bool] = (
            a.c.act_id.not_in(self.excluded)
            if len(self.excluded) <= LISTED
            else a.c.act_id.not_in(select(report_act_change_view.c.act_id))
        )
        return [*where, or_(a.c.act_id.is_(None), changed)]


def corrections(conn: Connection, start: datetime, after: datetime) -> Corrections:
    """The changes to the acts of [start, after), read from the (few) changes."""
    a, c = report_act_view, report_act_change_view
    when = func.coalesce(c.c.occurred_at, a.c.occurred_at)
    rows = conn.execute(
        select(
            c.c.act_id,
            c.c.annulled,
            and_(a.c.occurred_at >= start, a.c.occurred_at < after).label("first_in"),
            and_(when >= start, when < after).label("now_in"),
            a.c.case_id,
            when.label("occurred_at"),
            a.c.institution_id,
            a.c.professional_id,
            a.c.event,
            a.c.basis_kind,
            func.coalesce(c.c.intervention_kind, a.c.intervention_kind).label("intervention_kind"),
        )
        .select_from(c.join(a, a.c.act_id == c.c.act_id))
        .where(
            or_(
                and_(a.c.occurred_at >= start, a.c.occurred_at < after),
                and_(c.c.occurred_at >= start, c.c.occurred_at < after),
            )
        )
    ).all()
    return Corrections(
        excluded=tuple(r.act_id for r in rows if r.first_in),
        acts=tuple(r for r in rows if r.now_in and not r.annulled),
    )


def first_meetings_after_annulments(
    conn: Connection, case_ids: Iterable[str]
) -> dict[str, datetime | None]:
    """For the cases among `case_ids` one of whose coordination meetings was annulled, their
    first meeting still standing (None: none left); the other cases keep the projection's."""
    a, c = report_act_view, report_act_change_view
    wanted = sorted(set(case_ids))
    touched: set[str] = set()
    for start in range(0, len(wanted), LISTED):
        chunk = wanted[start : start + LISTED]
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
