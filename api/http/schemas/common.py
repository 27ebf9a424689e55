"""What every area answers: a recorded command's result, a page of a list."""

from __future__ import annotations

from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class RequestBody(BaseModel):
    """What a client sends: a field the API does not know is refused (422 naming it), never
    dropped — a misspelt field must not leave its value unset (an identifier released, say)."""

    model_config = ConfigDict(extra="forbid")


class CommandResult(BaseModel):
    """What a recorded command returns."""

    id: UUID = Field(description="The record changed (or created).")
    version: int = Field(description="Its new version: the ETag to send as If-Match next time.")
    position: int | None = Field(
        description="How far the log now reaches: pass it as `after` to a view to read your write."
    )
    entity_id: UUID | None = Field(
        default=None, description="The thing created inside it: consent, referral…"
    )


class Page(BaseModel, Generic[T]):
    """One page of a list; pass `next_cursor` as `cursor` for the next one (null: the last)."""

    items: list[T]
    next_cursor: str | None = None


def page(rows: list[dict[str, Any]], limit: int, key: str) -> Page[Any]:
    """Keyset paging: `rows` holds up to `limit + 1` rows ordered by `key`."""
    items = rows[:limit]
    next_cursor = str(items[-1][key]) if len(rows) > limit and items else None
    return Page[Any](items=items, next_cursor=next_cursor)
