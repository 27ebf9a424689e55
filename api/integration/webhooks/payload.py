"""What a delivery carries: the feed's item for the event, without any personal field, in the
Standard Webhooks shape `{"type": kind, "timestamp": …, "data": {…}}`.

The read model (`projections.feed`) never holds a personal field: they stay sealed in the log. A
receiver that needs more reads `GET /feed` with its client's token, from the `position` given.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID, uuid5

from projections.feed import FeedRow

_IDS = UUID("5d3c2f3e-5a35-4a8e-9f59-1f5c0b6b8f3e")  # namespace of deliveries' ids


def delivery_id(subscription_id: UUID, position: int) -> str:
    """The `webhook-id` of a subscription's delivery of the event at `position`: the same one at
    every attempt and redelivery, so that a receiver drops what it already handled."""
    return "msg_" + uuid5(_IDS, f"{subscription_id}:{position}").hex


def _id(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


def payload(row: FeedRow) -> dict[str, Any]:
    return {
        "type": row.event_type,
        "timestamp": row.recorded_at.isoformat(),
        "data": {
            "position": row.position,
            "kind": row.event_type,
            "aggregate_id": str(row.aggregate_id),
            "aggregate_version": row.aggregate_version,
            "case_id": _id(row.case_id),
            "professional_id": _id(row.professional_id),
            "institution_id": _id(row.institution_id),
            "counterpart_institution_id": _id(row.counterpart_institution_id),
            "basis": {"kind": row.basis_kind, "ref": _id(row.basis_ref)}
            if row.basis_kind is not None
            else None,
            "occurred_at": row.occurred_at.isoformat(),
            "recorded_at": row.recorded_at.isoformat(),
        },
    }


def body(row: FeedRow) -> str:
    """The JSON body, as it is stored, signed and sent (compact, keys sorted)."""
    return json.dumps(payload(row), sort_keys=True, separators=(",", ":"))
