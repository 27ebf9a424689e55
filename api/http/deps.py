"""What every router shares: the dependencies, running a command, answering it, paging."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from typing import Annotated, Any, Generic, TypeVar
from uuid import UUID

from fastapi import Depends, Header, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import Connection

from api.http.auth import PrincipalDep
from api.http.observability import Metrics
from api.http.problems import PreconditionError
from domain.access import CaseUse, Principal, ReadPurpose
from domain.application import Maillage, Recorded
from domain.case import Case
from domain.errors import MaillageError
from projections.runner import ProjectionRunner

log = logging.getLogger("maillage.api")

T = TypeVar("T")
_VERSION = re.compile(r"^[0-9]{1,18}$")  # ASCII digits, within a 64-bit integer


def get_maillage(request: Request) -> Maillage:
    app: Maillage = request.app.state.maillage
    return app


def get_connection(request: Request) -> Iterator[Connection]:
    with request.app.state.engine.connect() as conn:
        yield conn


MaillageDep = Annotated[Maillage, Depends(get_maillage)]
ConnectionDep = Annotated[Connection, Depends(get_connection)]


def _if_match(
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description=(
                'The ETag (version) you last read, e.g. `"7"`: the change is refused with 412 '
                "if the record changed since. Omit it to change whatever the current version."
            ),
        ),
    ] = None,
) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not _VERSION.match(value):
        raise PreconditionError(
            422, "invalid-if-match", 'If-Match takes an ETag such as "7"', "header.If-Match"
        )
    return int(value)


IfMatch = Annotated[int | None, Depends(_if_match)]


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


def run_command(
    request: Request,
    response: Response,
    name: str,
    action: Callable[[], Recorded],
    *,
    target: UUID | None = None,
    expected_version: int | None = None,
) -> CommandResult:
    """Run one use case (under the If-Match precondition on `target`), count its outcome, and
    answer with the new version as ETag."""
    maillage: Maillage = request.app.state.maillage
    metrics: Metrics = request.app.state.metrics
    try:
        if target is not None:
            with maillage.precondition(target, expected_version):
                recorded = action()
        else:
            recorded = action()
    except MaillageError as error:
        metrics.commands.labels(name, error.rule).inc()
        raise
    metrics.commands.labels(name, "recorded").inc()
    response.headers["ETag"] = f'"{recorded.version}"'
    if recorded.position is not None:
        response.headers["X-Maillage-Position"] = str(recorded.position)
    return CommandResult(
        id=recorded.id,
        version=recorded.version,
        position=recorded.position,
        entity_id=recorded.entity_id,
    )


def etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


class Page(BaseModel, Generic[T]):
    """One page of a list; pass `next_cursor` as `cursor` for the next one (null: the last)."""

    items: list[T]
    next_cursor: str | None = None


def page(rows: list[dict[str, Any]], limit: int, key: str) -> Page[Any]:
    """Keyset paging: `rows` holds up to `limit + 1` rows ordered by `key`."""
    items = rows[:limit]
    next_cursor = str(items[-1][key]) if len(rows) > limit and items else None
    return Page[Any](items=items, next_cursor=next_cursor)


Limit = Annotated[int, Query(ge=1, le=500, description="Items per page.")]
Cursor = Annotated[
    str | None, Query(max_length=200, description="`next_cursor` of the previous page.")
]
Purpose = Annotated[
    ReadPurpose,
    Query(
        description="Why you read this case's content: recorded with the reading, shown to "
        "supervisors in the case's audit trail."
    ),
]
After = Annotated[
    int | None,
    Query(
        ge=0,
        description=(
            "Read your writes: the `position` a command returned. The view waits (up to 5 s) "
            "until the read side has reached it, else answers 503 with Retry-After."
        ),
    ),
]


def wait_for_read_side(request: Request, after: int | None) -> None:
    if after is None:
        return
    runner: ProjectionRunner = request.app.state.projections
    if after > runner.head():
        raise PreconditionError(
            422,
            "position-beyond-log",
            f"position {after} is beyond the end of the log: pass a position a command returned",
            "query.after",
        )
    if not runner.wait_for(after, timeout=5.0):
        raise PreconditionError(
            503,
            "read-side-behind",
            f"the read side has not reached position {after} yet; retry shortly",
            "query.after",
        )


def read_case(
    maillage: Maillage,
    principal: Principal,
    case_id: UUID,
    *,
    use: CaseUse,
    view: str,
    purpose: ReadPurpose,
) -> Case:
    """Authorise a reading of the case's content and record it before anything is shown."""
    case = maillage.authorise_case(principal, case_id, use)
    maillage.record_consultation(
        case_id=case_id, principal=principal, view=view, purpose=purpose.value
    )
    return case


__all__ = ["PrincipalDep"]
