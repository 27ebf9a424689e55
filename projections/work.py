"""A professional's day from the read models: the open cases they are on (a supervisor: those of
their institution), each with its coherence facts so its open alerts can be assessed at reading
time — keyset-paged by case id, one query per page.

Alerts are never stored (they depend on the instant of reading); the facts and the registry
terms they need are (`projections.coherence`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Connection, select, union

from domain.coherence import CaseFacts
from projections.documents import CASE_FACTS
from projections.tables import as_utc, case_actor_view, case_coherence_view


@dataclass(frozen=True)
class WorkCase:
    """One open case on a professional's desk: their part in it (None for a supervisor) and the
    case's facts."""

    case_id: UUID
    facts: CaseFacts
    part: dict[str, Any] | None


def cases_of_professional(
    conn: Connection,
    professional_id: UUID,
    institution_id: UUID,
    *,
    after: str | None,
    batch: int,
) -> Iterator[WorkCase]:
    """The open cases where the professional takes part for the institution, by case id."""
    actor = case_actor_view
    query = (
        select(actor, case_coherence_view.c.facts)
        .join(case_coherence_view, case_coherence_view.c.case_id == actor.c.case_id)
        .where(
            actor.c.professional_id == str(professional_id),
            actor.c.institution_id == str(institution_id),
            actor.c.active.is_(True),
        )
        .order_by(actor.c.case_id)
    )
    while True:
        page = query if after is None else query.where(actor.c.case_id > after)
        rows = conn.execute(page.limit(batch)).mappings().all()
        for row in rows:
            facts = CASE_FACTS.load(row["facts"])
            if not facts.closed:
                part = {k: as_utc(v) if hasattr(v, "tzinfo") else v for k, v in row.items()}
                part.pop("facts")
                yield WorkCase(UUID(row["case_id"]), facts, part)
        if len(rows) < batch:
            return
        after = rows[-1]["case_id"]


def cases_of_institution(
    conn: Connection, institution_id: UUID, *, after: str | None, batch: int
) -> Iterator[WorkCase]:
    """The open cases the institution holds or has a professional on now, by case id."""
    ident = str(institution_id)
    on_it = union(
        select(case_coherence_view.c.case_id).where(
            case_coherence_view.c.holder_institution_id == ident
        ),
        select(case_actor_view.c.case_id).where(
            case_actor_view.c.institution_id == ident, case_actor_view.c.active.is_(True)
        ),
    ).subquery()
    query = (
        select(case_coherence_view.c.case_id, case_coherence_view.c.facts)
        .where(case_coherence_view.c.case_id.in_(select(on_it.c.case_id)))
        .order_by(case_coherence_view.c.case_id)
    )
    while True:
        page = query if after is None else query.where(case_coherence_view.c.case_id > after)
        rows = conn.execute(page.limit(batch)).all()
        for case_id, text in rows:
            facts = CASE_FACTS.load(text)
            if not facts.closed:
                yield WorkCase(UUID(case_id), facts, None)
        if len(rows) < batch:
            return
        after = rows[-1][0]
