"""The referrals an institution received or made, for its inbox (`projections.referral_inbox`),
newest first, a page at a time (keyset: the made_at and id of the last row seen). A referral's
expiry is computed here, at reading time (`domain.case_values.referral_status`): `status=expired`
asks for those still pending past the delay, `status=pending` for the others."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from uuid import UUID

from sqlalchemy import Connection, and_, or_, select

from domain.case_values import referral_status
from domain.errors import InvalidValueError
from domain.wording import N_
from projections.referral_inbox import referral_view
from projections.tables import as_utc

Box = Literal["received", "sent"]
_CURSOR = re.compile(r"^([0-9]{8}T[0-9]{12})_([0-9a-f-]{36})$")
_STAMP = "%Y%m%dT%H%M%S%f"


@dataclass(frozen=True)
class Found:
    rows: list[dict[str, Any]]
    next_cursor: str | None


def cursor_of(row: dict[str, Any]) -> str:
    """Where the page after this row starts (URL-safe: no `+`, no `:`)."""
    return f"{row['made_at'].astimezone(UTC).strftime(_STAMP)}_{row['referral_id']}"


def parse_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    if cursor is None:
        return None
    match = _CURSOR.match(cursor)
    if match is None:
        raise InvalidValueError(N_("this cursor is not one this list returned"), field="cursor")
    try:
        made = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
    except ValueError:
        raise InvalidValueError(
            N_("this cursor is not one this list returned"), field="cursor"
        ) from None
    return made, match.group(2)


def referrals(
    conn: Connection,
    *,
    institution_id: UUID,
    box: Box,
    now: datetime,
    expiry: timedelta,
    status: str | None = None,
    case_id: UUID | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> Found:
    """One page of the referrals `institution_id` received (`box="received"`) or made."""
    t = referral_view
    mine = t.c.to_institution_id if box == "received" else t.c.from_institution_id
    query = select(t).where(mine == str(institution_id))
    cutoff = now - expiry  # made at or before: expired if still pending
    if status == "expired":
        query = query.where(t.c.status == "pending", t.c.made_at <= cutoff)
    elif status == "pending":
        query = query.where(t.c.status == "pending", t.c.made_at > cutoff)
    elif status is not None:
        query = query.where(t.c.status == status)
    if case_id is not None:
        query = query.where(t.c.case_id == str(case_id))
    after = parse_cursor(cursor)
    if after is not None:
        made, referral_id = after
        query = query.where(
            or_(t.c.made_at < made, and_(t.c.made_at == made, t.c.referral_id < referral_id))
        )
    query = query.order_by(t.c.made_at.desc(), t.c.referral_id.desc()).limit(limit + 1)
    rows = []
    for found in conn.execute(query).mappings():
        row = dict(found)
        row["made_at"] = as_utc(row["made_at"])
        if row["answered_at"] is not None:
            row["answered_at"] = as_utc(row["answered_at"])
        row["categories"] = json.loads(row["categories"])
        row["status"] = referral_status(row["status"], row["made_at"], now, expiry)
        row["expires_at"] = row["made_at"] + expiry
        rows.append(row)
    page = rows[:limit]
    more = len(rows) > limit and page
    return Found(page, cursor_of(page[-1]) if more else None)
