"""What routes share besides the services: conditional headers, paging and reading parameters,
waiting for the read side, recording a reading of a case."""

from __future__ import annotations

import re
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Header, Query, Response

from api.http.problems import PreconditionError
from domain.access import CaseUse, Principal, ReadPurpose
from domain.application import Maillage
from domain.case import Case
from domain.errors import InvalidValueError
from domain.wording import N_
from projections.runner import ProjectionRunner

_VERSION = re.compile(r"^[0-9]{1,18}$")  # ASCII digits, within a 64-bit integer


async def _if_match(  # async although it awaits nothing: a plain def runs in a worker thread
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
            422, "invalid-if-match", N_('If-Match takes an ETag such as "7"'), "header.If-Match"
        )
    return int(value)


IfMatch = Annotated[int | None, Depends(_if_match)]


def etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


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


def log_cursor(cursor: str | None) -> int | None:
    """A `Cursor` of a list paged by positions in the log (an audit trail): the position, as
    the previous page returned it."""
    if cursor is None:
        return None
    if not _VERSION.match(cursor):
        raise InvalidValueError(N_("this cursor is not one this list returned"), field="cursor")
    return int(cursor)


def id_cursor(cursor: str | None, *, parts: int = 1) -> str | None:
    """A `Cursor` of a list paged by ids (registry, agreements, clients…): the last id of the
    previous page, or `parts` ids joined by `/` (a case actor's key). Anything else is refused
    rather than compared as text — a cursor made up would otherwise page from nowhere (an
    empty page read as the list's end, or the whole list again)."""
    if cursor is None:
        return None
    pieces = cursor.split("/")
    try:
        ids = [UUID(piece) for piece in pieces] if len(pieces) == parts else None
    except ValueError:
        ids = None
    if ids is None or "/".join(str(i) for i in ids) != cursor:
        raise InvalidValueError(N_("this cursor is not one this list returned"), field="cursor")
    return cursor


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


def wait_for_read_side(runner: ProjectionRunner, after: int | None) -> None:
    if after is None:
        return
    if after > runner.head():
        raise PreconditionError(
            422,
            "position-beyond-log",
            N_("position {after} is beyond the end of the log: pass a position a command returned"),
            "query.after",
            details={"after": after},
        )
    if not runner.wait_for(after, timeout=5.0):
        raise PreconditionError(
            503,
            "read-side-behind",
            N_("the read side has not reached position {after} yet; retry shortly"),
            "query.after",
            details={"after": after},
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
