"""Webhook subscriptions of client applications, kept by administrators
(`api.integration.webhooks`): create, list, read, change, remove, rotate the secret, follow the
deliveries and send one again."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.http.deps import PrincipalDep, ServicesDep
from api.http.guard import GuardedRoute, admits
from api.http.idempotency import Claim, ClaimDep
from api.http.params import Cursor, Limit, id_cursor, log_cursor
from api.http.schemas.common import Page
from api.http.schemas.webhooks import (
    DeliveryRead,
    WebhookCreate,
    WebhookCreated,
    WebhookRead,
    WebhookSecret,
    WebhookUpdate,
)
from api.integration.webhooks import reports
from api.integration.webhooks.subscriptions import Subscriptions
from api.integration.webhooks.targets import Resolver, resolve
from domain.errors import InvalidValueError
from domain.integration import KEEPING_INTEGRATIONS, feed_kinds
from domain.wording import N_

router = APIRouter(prefix="/integration/webhooks", tags=["integration"], route_class=GuardedRoute)
KEEPING = admits(KEEPING_INTEGRATIONS)
NO_STORE = {"Cache-Control": "no-store"}  # an answer carrying a secret is kept by no cache


async def get_resolver() -> Resolver:
    """How webhook targets' hosts are resolved (tests override it)."""
    return resolve


async def get_subscriptions(
    services: ServicesDep, resolver: Annotated[Resolver, Depends(get_resolver)]
) -> Subscriptions:
    return Subscriptions(services.engine, services.settings, services.time.now, resolver)


SubscriptionsDep = Annotated[Subscriptions, Depends(get_subscriptions)]
DeliveryId = Annotated[
    str,
    Path(
        pattern=r"^(msg_[0-9a-f]{32}|[0-9a-fA-F-]{36})$",
        description="A delivery's `webhook-id` (`msg_` and 32 hex digits), or the UUID it spells.",
    ),
]


def _webhook_id(given: str) -> str:
    """`msg_…` as given, or spelt from the UUID given."""
    if given.startswith("msg_"):
        return given
    try:
        return "msg_" + UUID(given).hex
    except ValueError as error:
        raise InvalidValueError(
            N_("this is not the id of a webhook delivery"), field="delivery_id"
        ) from error


def _keep(claim: Claim | None, status: int, answer: BaseModel, headers: dict[str, str]) -> None:
    """The answer replayed to a retry with the same Idempotency-Key (a secret is never kept:
    a replay shows it null)."""
    if claim is not None:
        body = answer.model_dump(mode="json")
        if "secret" in body:
            body["secret"] = None
        claim.keep(JSONResponse(body, status_code=status, headers=headers))


@router.post("", status_code=201, response_model=WebhookCreated, summary="Subscribe (admin)")
@KEEPING
def create_webhook(
    body: WebhookCreate,
    principal: PrincipalDep,
    webhooks: SubscriptionsDep,
    response: Response,
    claim: ClaimDep,
) -> WebhookCreated:
    created = webhooks.create(
        client_id=body.client_id, url=body.url, kinds=body.kinds, by=principal.subject
    )
    subscription = created.subscription
    location = f"/integration/webhooks/{subscription.subscription_id}"
    response.headers["Location"] = location
    response.headers.update(NO_STORE)
    answer = WebhookCreated(**WebhookRead.of(subscription).model_dump(), secret=created.secret)
    _keep(claim, 201, answer, {"Location": location, **NO_STORE})
    return answer


@router.get("", response_model=Page[WebhookRead], summary="List subscriptions (admin)")
@KEEPING
def list_webhooks(
    principal: PrincipalDep,
    webhooks: SubscriptionsDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    client_id: UUID | None = None,
    active: bool | None = None,
    removed: Annotated[bool, Query(description="The removed ones instead.")] = False,
) -> Page[WebhookRead]:
    found = webhooks.list(
        limit=limit + 1,
        after=id_cursor(cursor),
        client_id=client_id,
        active=active,
        removed=removed,
    )
    items = [WebhookRead.of(s) for s in found[:limit]]
    more = len(found) > limit and items
    return Page[WebhookRead](items=items, next_cursor=str(items[-1].id) if more else None)


@router.get("/{subscription_id}", response_model=WebhookRead, summary="Read one (admin)")
@KEEPING
def read_webhook(
    subscription_id: UUID, principal: PrincipalDep, webhooks: SubscriptionsDep
) -> WebhookRead:
    return WebhookRead.of(webhooks.get(subscription_id))


@router.patch("/{subscription_id}", response_model=WebhookRead, summary="Change one (admin)")
@KEEPING
def change_webhook(
    subscription_id: UUID, body: WebhookUpdate, principal: PrincipalDep, webhooks: SubscriptionsDep
) -> WebhookRead:
    changed = webhooks.update(
        subscription_id,
        by=principal.subject,
        url=body.url,
        kinds=body.kinds,
        active=body.active,
    )
    return WebhookRead.of(changed)


@router.delete("/{subscription_id}", response_model=WebhookRead, summary="Remove one (admin)")
@KEEPING
def remove_webhook(
    subscription_id: UUID, principal: PrincipalDep, webhooks: SubscriptionsDep
) -> WebhookRead:
    return WebhookRead.of(webhooks.remove(subscription_id, by=principal.subject))


@router.post(
    "/{subscription_id}/secret", response_model=WebhookSecret, summary="Rotate the secret (admin)"
)
@KEEPING
def rotate_webhook_secret(
    subscription_id: UUID,
    principal: PrincipalDep,
    webhooks: SubscriptionsDep,
    claim: ClaimDep,
    response: Response,
) -> WebhookSecret:
    response.headers.update(NO_STORE)
    rotated = webhooks.rotate_secret(subscription_id, by=principal.subject)
    s = rotated.subscription
    answer = WebhookSecret(
        id=s.subscription_id, secret_version=s.secret_version, secret=rotated.secret
    )
    _keep(claim, 200, answer, NO_STORE)
    return answer


@router.get(
    "/{subscription_id}/deliveries",
    response_model=Page[DeliveryRead],
    summary="A subscription's deliveries and their attempts (admin)",
)
@KEEPING
def list_webhook_deliveries(
    subscription_id: UUID,
    principal: PrincipalDep,
    webhooks: SubscriptionsDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    status: Annotated[
        str | None,
        Query(pattern="^(pending|delivered|dead)$", description="`pending`, `delivered`, `dead`."),
    ] = None,
    kind: Annotated[str | None, Query(max_length=64, description="One kind of event.")] = None,
) -> Page[DeliveryRead]:
    webhooks.get(subscription_id)  # 404 for no such subscription
    if kind is not None:
        feed_kinds([kind], field="kind")  # 422 for a kind the log does not record, as the feed
    found = reports.deliveries(
        webhooks.engine,
        subscription_id,
        limit=limit + 1,
        after=log_cursor(cursor),
        status=status,
        kind=kind,
    )
    items = [DeliveryRead.of(d) for d in found[:limit]]
    more = len(found) > limit and items
    return Page[DeliveryRead](items=items, next_cursor=str(items[-1].position) if more else None)


@router.post(
    "/deliveries/{delivery_id}/redeliver",
    response_model=DeliveryRead,
    summary="Send a delivery again, e.g. a dead one (admin)",
)
@KEEPING
def redeliver_webhook(
    delivery_id: DeliveryId, principal: PrincipalDep, webhooks: SubscriptionsDep, claim: ClaimDep
) -> DeliveryRead:
    answer = DeliveryRead.of(webhooks.redeliver(_webhook_id(delivery_id), by=principal.subject))
    _keep(claim, 200, answer, {})
    return answer
