"""Reading the views: caseload, involvement, audit trails (filtered, cursor-paginated)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, or_, select

from domain.event_classes import CaseContentRead
from domain.events import event_type
from projections.documents import CASE_FACTS
from projections.tables import as_utc, audit_entry_view, case_actor_view, case_coherence_view

MAX_PAGE = 500


def like_literal(text: str) -> str:
    """`text` matched as it is by LIKE (with `escape="\\"`): its wildcards escaped."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _row(mapping: Any) -> dict[str, Any]:
    row = dict(mapping)
    for key, value in row.items():
        if isinstance(value, datetime):
            row[key] = as_utc(value)
    return row


def caseload(
    conn: Connection, professional_id: UUID, *, include_past: bool = False
) -> list[dict[str, Any]]:
    """The cases a professional takes part in: for which institution, role, basis, last action."""
    query = select(case_actor_view).where(case_actor_view.c.professional_id == str(professional_id))
    if not include_past:
        query = query.where(case_actor_view.c.active.is_(True))
    rows = conn.execute(query.order_by(case_actor_view.c.case_id)).mappings().all()
    return [_row(r) for r in rows]


def involvement(
    conn: Connection, institution_id: UUID, *, include_past: bool = False
) -> list[dict[str, Any]]:
    """An institution's professionals on cases: the cases, roles and bases."""
    query = select(case_actor_view).where(case_actor_view.c.institution_id == str(institution_id))
    if not include_past:
        query = query.where(case_actor_view.c.active.is_(True))
    rows = (
        conn.execute(query.order_by(case_actor_view.c.case_id, case_actor_view.c.professional_id))
        .mappings()
        .all()
    )
    return [_row(r) for r in rows]


@dataclass(frozen=True)
class Page:
    entries: list[dict[str, Any]]
    next_cursor: int | None


def case_readings(conn: Connection, case_id: UUID) -> list[UUID]:
    """The consultations of a case's content (`CaseContentRead`), in log order: their ids, for
    the export of the person's data to load from the log."""
    t = audit_entry_view
    rows = conn.execute(
        select(t.c.aggregate_id)
        .where(t.c.case_id == str(case_id), t.c.event_type == event_type(CaseContentRead))
        .order_by(t.c.position)
    )
    return [UUID(row.aggregate_id) for row in rows]


def audit_trail(
    conn: Connection,
    *,
    case_id: UUID | None = None,
    professional_id: UUID | None = None,
    institution_id: UUID | None = None,
    acting_for: UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    kinds: Sequence[str] = (),
    after: int | None = None,
    limit: int = 100,
) -> Page:
    """The ordered history of a case, a professional or an institution (exactly one of them).

    `since`/`until` filter on `occurred_at`; `kinds` on the event type (e.g.
    `InterventionRecorded`); `after` is the cursor returned by the previous page;
    `acting_for` keeps the entries where the professional acted for that institution (a
    professional's trail as a supervisor of one of their employers may read it).
    """
    subjects = [s for s in (case_id, professional_id, institution_id) if s is not None]
    if len(subjects) != 1:
        raise ValueError("name exactly one of case_id, professional_id, institution_id")
    t = audit_entry_view
    query = select(t)
    if case_id is not None:
        query = query.where(t.c.case_id == str(case_id))
    elif professional_id is not None:
        query = query.where(t.c.professional_id == str(professional_id))
    else:
        query = query.where(
            or_(
                t.c.institution_id == str(institution_id),
                t.c.counterpart_institution_id == str(institution_id),
            )
        )
    if acting_for is not None:
        query = query.where(t.c.institution_id == str(acting_for))
    if since is not None:
        query = query.where(t.c.occurred_at >= since)
    if until is not None:
        query = query.where(t.c.occurred_at <= until)
    if kinds:
        names = [k if "." in k else None for k in kinds]
        bare = [k for k in kinds if "." not in k]
        conditions = [t.c.event_type == n for n in names if n is not None]
        conditions += [t.c.event_type.like(f"%.{like_literal(k)}", escape="\\") for k in bare]
        query = query.where(or_(*conditions))
    if after is not None:
        query = query.where(t.c.position > after)
    size = max(1, min(limit, MAX_PAGE))
    rows = conn.execute(query.order_by(t.c.position).limit(size + 1)).mappings().all()
    entries = [_row(r) for r in rows[:size]]
    next_cursor = entries[-1]["position"] if len(rows) > size else None
    return Page(entries, next_cursor)


def cases_closed_before(conn: Connection, cutoff: datetime, page: int = 2000) -> list[UUID]:
    """Cases closed before `cutoff` whose beneficiary is not erased yet (retention)."""
    due: list[UUID] = []
    after = ""
    while True:
        rows = conn.execute(
            select(case_coherence_view.c.case_id, case_coherence_view.c.facts)
            .where(case_coherence_view.c.case_id > after)
            .order_by(case_coherence_view.c.case_id)
            .limit(page)
        ).all()
        if not rows:
            return due
        for row in rows:
            facts = CASE_FACTS.load(row.facts)
            closed = facts.closed_at
            if facts.erased_at is None and closed is not None and as_utc(closed) < cutoff:
                due.append(UUID(row.case_id))
        after = rows[-1].case_id


def holders(conn: Connection, case_ids: Sequence[str]) -> dict[str, str]:
    """The institution holding each of these cases (one query)."""
    wanted = sorted(set(case_ids))
    found: dict[str, str] = {}
    t = case_coherence_view
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(t.c.case_id, t.c.holder_institution_id).where(t.c.case_id.in_(chunk))
        found.update({str(c): str(h) for c, h in conn.execute(query)})
    return found
