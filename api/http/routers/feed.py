"""The catch-up feed (issue 19): `GET /feed`, for an institution's client applications.

A client follows, in log order, the events its institution may know (`domain.feed_audience`),
of the kinds its scope names, resuming from the last position it received. With `wait`, an
empty page is held open until the feed's read model moves (`api.http.feed_wait`), then read
again. The page is built in `api.http.feed_answer`; no connection is held while waiting.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from api.http.deps import ClientsDep, EngineDep, MaillageDep, PrincipalDep, SettingsDep, WordsDep
from api.http.feed_answer import FeedAsk, feed_answer, reader_scope
from api.http.feed_wait import FeedHead, feed_head
from api.http.guard import GuardedRoute, admits
from api.http.schemas.feed import FeedPage
from domain.errors import InvalidValueError
from domain.integration import READING_THE_FEED
from domain.wording import N_

router = APIRouter(tags=["feed"], route_class=GuardedRoute)

LARGEST_POSITION = 2**63 - 1  # the log's positions are 64-bit integers

After = Annotated[
    int,
    Query(
        ge=0,
        le=LARGEST_POSITION,
        description="The last position you received (`next_after` of your previous page); 0 "
        "to start from the beginning. The page holds the events after it.",
    ),
]
Limit = Annotated[
    int | None,
    Query(
        ge=1,
        description="The most events in the page (backpressure: ask for what you can process); "
        "100 by default, at most MAILLAGE_FEED_PAGE_MAX (500 by default).",
    ),
]
DEFAULT_LIMIT = 100
Kinds = Annotated[
    list[str] | None,
    Query(
        max_length=200,
        description="Only these event types, e.g. `Case.InterventionRecorded` (repeatable, or "
        "comma-separated), each among those your client follows. Default: all of them.",
    ),
]
Wait = Annotated[
    float,
    Query(
        ge=0,
        allow_inf_nan=False,
        description="Long polling: when no event is there for you, hold the request up to this "
        "many seconds until one is (at most MAILLAGE_FEED_MAX_WAIT_SECONDS, 25 by default).",
    ),
]


async def feed_watcher(engine: EngineDep) -> FeedHead:
    return feed_head(engine)


FeedHeadDep = Annotated[FeedHead, Depends(feed_watcher)]


@router.get(
    "/feed",
    response_model=FeedPage,
    summary="The catch-up feed: the events your institution may know, in log order (client "
    "applications)",
    responses={
        200: {
            "headers": {
                "Link": {
                    "description": 'The next page: `</feed?after=…>; rel="next"`.',
                    "schema": {"type": "string"},
                }
            }
        }
    },
)
@admits(READING_THE_FEED)
async def read_feed(
    request: Request,
    principal: PrincipalDep,
    maillage: MaillageDep,
    engine: EngineDep,
    settings: SettingsDep,
    words: WordsDep,
    registry: ClientsDep,
    head: FeedHeadDep,
    after: After = 0,
    limit: Limit = None,
    kinds: Kinds = None,
    wait: Wait = 0,
) -> Response:
    limit = min(DEFAULT_LIMIT, settings.feed_page_max) if limit is None else limit
    if limit > settings.feed_page_max:
        raise InvalidValueError(
            N_("a page holds at most {most} events"),
            field="query.limit",
            most=settings.feed_page_max,
        )
    if wait > settings.feed_max_wait_seconds:
        raise InvalidValueError(
            N_("a request waits at most {most} seconds"),
            field="query.wait",
            most=settings.feed_max_wait_seconds,
        )
    asked = [k.strip() for ks in kinds for k in ks.split(",") if k.strip()] if kinds else None
    ask = FeedAsk(after=after, limit=limit, kinds=asked)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    while True:
        page = await run_in_threadpool(
            feed_answer,
            principal,
            ask,
            registry=registry,
            engine=engine,
            maillage=maillage,
            words=words,
        )
        left = deadline - loop.time()
        if page.items or left <= 0:
            break
        if not await head.wait_past(page.head, left, request.is_disconnected):
            # Waited to the end: the page read before is answered only if the token is still
            # good for its client (a revocation during the wait: 401).
            await run_in_threadpool(reader_scope, registry, principal)
            break
        ask = replace(ask, after=page.next_after)  # nothing for this client up to there
    link = request.url.include_query_params(after=page.next_after)
    return Response(
        page.model_dump_json(exclude_unset=True),
        media_type="application/json",
        headers={"Link": f'<{link.path}?{link.query}>; rel="next"'},
    )
