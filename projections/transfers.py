"""Transfer requests of the holding of cases, one row each: what an institution has to answer,
and what it asked (`GET /transfers`).

Created by `alembic/versions/0013_create_transfer_view.py`. The row is written when the request
is recorded and changed by its answer or withdrawal; the reason stays sealed in the log.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Column, Connection, DateTime, Index, String, Table, and_, or_, select

from domain.event_classes import (
    TransferAccepted,
    TransferDeclined,
    TransferRequested,
    TransferWithdrawn,
)
from domain.events import ALL_EVENTS
from domain.holding import TransferStatus
from projections.batch import Batch, ident
from projections.projector import Projector
from projections.tables import UUID_LEN, as_utc, metadata

transfer_view = Table(
    "transfer_view",
    metadata,
    Column("transfer_id", String(UUID_LEN), primary_key=True),
    Column("case_id", String(UUID_LEN), nullable=False),
    Column("from_institution_id", String(UUID_LEN), nullable=False),  # the holder when asked
    Column("to_institution_id", String(UUID_LEN), nullable=False),
    Column("requested_by", String(UUID_LEN), nullable=False),  # the professional
    Column("requesting_institution_id", String(UUID_LEN), nullable=False),
    Column("answering_institution_id", String(UUID_LEN), nullable=False),
    Column("status", String(16), nullable=False),  # pending | accepted | declined | withdrawn
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("answered_by", String(UUID_LEN)),  # who accepted, declined or withdrew it
    Column("answered_at", DateTime(timezone=True)),
    Index("ix_transfer_answering", "answering_institution_id", "status", "requested_at"),
    Index("ix_transfer_requesting", "requesting_institution_id", "status", "requested_at"),
    Index("ix_transfer_case", "case_id"),
)

ANSWERS: dict[type, str] = {
    TransferAccepted: TransferStatus.ACCEPTED,
    TransferDeclined: TransferStatus.DECLINED,
    TransferWithdrawn: TransferStatus.WITHDRAWN,
}


class Transfers(Projector):
    """One row per transfer request, following its answer."""

    name = "transfers"
    tables = (transfer_view,)

    def declare(self) -> None:
        self.on(self._requested, TransferRequested)
        self.on(self._answered, *ANSWERS)
        self.ignore(*(c for c in ALL_EVENTS if c is not TransferRequested and c not in ANSWERS))

    def _requested(self, batch: Batch, e: TransferRequested, _: int) -> None:
        requesting = e.by.institution_id
        offered = requesting == e.from_institution_id
        batch.put(
            transfer_view,
            {
                "transfer_id": ident(e.transfer_id),
                "case_id": ident(e.originator_id),
                "from_institution_id": ident(e.from_institution_id),
                "to_institution_id": ident(e.to_institution_id),
                "requested_by": ident(e.by.professional_id),
                "requesting_institution_id": ident(requesting),
                "answering_institution_id": ident(
                    e.to_institution_id if offered else e.from_institution_id
                ),
                "status": str(TransferStatus.PENDING),
                "requested_at": e.occurred_at.astimezone(UTC),
                "answered_by": None,
                "answered_at": None,
            },
        )

    def _answered(
        self, batch: Batch, e: TransferAccepted | TransferDeclined | TransferWithdrawn, _: int
    ) -> None:
        row = batch.get(transfer_view, (ident(e.transfer_id),))
        if row is None:
            return  # the log always records the request first
        row.update(
            status=str(ANSWERS[type(e)]),
            answered_by=ident(e.by.professional_id),
            answered_at=e.occurred_at.astimezone(UTC),
        )
        batch.put(transfer_view, row)


# --- reading --------------------------------------------------------------------------------

BOXES = ("to_answer", "sent")


def transfers(
    conn: Connection,
    institution_id: UUID,
    *,
    box: str,
    status: str | None,
    case_id: UUID | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> list[dict[str, Any]]:
    """The transfers `institution_id` answers (`to_answer`) or asked for (`sent`), oldest request
    first, from after `after` (a request's instant and id), up to `limit + 1` rows."""
    t = transfer_view
    side = t.c.answering_institution_id if box == "to_answer" else t.c.requesting_institution_id
    query = select(t).where(side == str(institution_id))
    if status is not None:
        query = query.where(t.c.status == status)
    if case_id is not None:
        query = query.where(t.c.case_id == str(case_id))
    if after is not None:
        at, transfer_id = after
        at = at.astimezone(UTC)
        query = query.where(
            or_(t.c.requested_at > at, and_(t.c.requested_at == at, t.c.transfer_id > transfer_id))
        )
    query = query.order_by(t.c.requested_at, t.c.transfer_id).limit(limit + 1)
    rows = [dict(r) for r in conn.execute(query).mappings()]
    for row in rows:
        row["requested_at"] = as_utc(row["requested_at"])
        if row["answered_at"] is not None:
            row["answered_at"] = as_utc(row["answered_at"])
    return rows
