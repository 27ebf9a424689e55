"""A consultation: one reading of a case's content, recorded before the content is shown.

Each reading is its own small aggregate (one event), so readers never contend with one another
nor with the writers of the case, and the reading still enters the one ordered log, where the
audit trail shows it beside the acts. It names who read (and for which institution), in which
role, which view, and the purpose they declared — never what they saw.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.access import ReadPurpose, Role
from domain.values import Actor, parse_enum, require_text


class Consultation(Aggregate):
    @classmethod
    def record(
        cls,
        *,
        case_id: UUID,
        by: Actor,
        role: str,
        view: str,
        purpose: str,
        occurred_at: datetime,
        reading_id: UUID | None = None,
    ) -> Consultation:
        """A reading; `reading_id` names it when a rule says which reading it is (a client's
        first of a case on a day, `domain.usecases.feed_readings`): the log keeps one reading
        of that id, a second is refused by the store as a concurrent write."""
        fields: dict[str, Any] = {
            "case_id": case_id,
            "by": by,
            "role": parse_enum(Role, role, field="role"),
            "view": require_text(view, field="view", max_length=64),
            "purpose": parse_enum(ReadPurpose, purpose, field="purpose"),
            "occurred_at": occurred_at,
        }
        if reading_id is None:
            return cls(**fields)
        created = cls.CaseContentRead  # type: ignore[attr-defined]  # made by @event
        return cls._create(created, id=reading_id, **fields)

    @event("CaseContentRead")
    def __init__(
        self,
        case_id: UUID,
        by: Actor,
        role: str,
        view: str,
        purpose: str,
        occurred_at: datetime,
    ) -> None:
        self.case_id = case_id
        self.by = by
        self.view = view
        self.purpose = purpose
