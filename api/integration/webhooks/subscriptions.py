"""Webhook subscriptions, kept by administrators: a client application's URL, the kinds of event
sent there, and its secret's version.

A subscription belongs to a client application (`api.integration.clients`): it receives exactly
what that client may follow — the events its institution may know (the feed's read model) of the
kinds both the subscription and the client's scope name. Its kinds are checked against the
client's scope when set; the client's scope is read again at each step of the worker, so that
narrowing or revoking a client holds for its webhooks at once. A new subscription starts at the
feed's current position: it receives the events recorded after its creation, not the history
(which `GET /feed` serves).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Connection, Engine, Row, and_, insert, not_, select, update

from api.integration.clients import (
    ClientNotFoundError,
    ClientRegistry,
    ClientRevokedError,
    integration_client,
)
from api.integration.webhooks import outbox, reports
from api.integration.webhooks.reports import Delivery
from api.integration.webhooks.signing import Signer
from api.integration.webhooks.tables import webhook_subscription
from api.integration.webhooks.targets import Resolver, check_target, resolve
from api.settings import Settings
from domain.errors import InvalidValueError, MaillageError, NotFoundError
from domain.integration import feed_kinds
from domain.timing import utc_now
from domain.wording import N_
from projections.feed import feed_position
from projections.tables import as_utc

log = logging.getLogger("maillage.webhooks")

_NOT_FOUND = {
    "webhook subscription": N_("webhook subscription {id} does not exist"),
    "webhook delivery": N_("webhook delivery {id} does not exist"),
}


class WebhookNotFoundError(NotFoundError):
    """No such subscription or delivery (404)."""

    rule = "webhook-not-found"

    def __init__(self, kind: str, ident: UUID | str, *, field: str | None = None) -> None:
        MaillageError.__init__(self, _NOT_FOUND[kind], field=field, kind=kind, id=ident)
        self.kind, self.ident = kind, ident


@dataclass(frozen=True)
class Subscription:
    subscription_id: UUID
    client_id: UUID
    url: str
    kinds: list[str]
    secret_version: int
    cursor: int
    active: bool
    created_at: datetime
    created_by: UUID
    updated_at: datetime
    updated_by: UUID
    removed_at: datetime | None
    removed_by: UUID | None
    client_revoked: bool = False  # its client revoked (or gone): nothing is delivered

    @property
    def state(self) -> str:
        """`removed`, `client_revoked`, `paused` or `active` (the only one delivered)."""
        if self.removed_at is not None:
            return "removed"
        if self.client_revoked:
            return "client_revoked"
        return "active" if self.active else "paused"

    @classmethod
    def of(cls, row: Row[Any]) -> Subscription:
        return cls(
            subscription_id=UUID(row.subscription_id),
            client_id=UUID(row.client_id),
            url=row.url,
            kinds=json.loads(row.kinds),
            secret_version=row.secret_version,
            cursor=row.cursor,
            active=bool(row.active),
            created_at=as_utc(row.created_at),
            created_by=UUID(row.created_by),
            updated_at=as_utc(row.updated_at),
            updated_by=UUID(row.updated_by),
            removed_at=as_utc(row.removed_at) if row.removed_at is not None else None,
            removed_by=UUID(row.removed_by) if row.removed_by is not None else None,
            client_revoked=not row.client_known or row.client_revoked_at is not None,
        )


_c = integration_client.c
# a subscription with its client's state (`Subscription.client_revoked`)
_WITH_CLIENT = select(
    webhook_subscription,
    _c.client_id.is_not(None).label("client_known"),
    _c.revoked_at.label("client_revoked_at"),
).outerjoin(integration_client, _c.client_id == webhook_subscription.c.client_id)


@dataclass(frozen=True)
class WithSecret:
    """A subscription just created, or its secret rotated: the secret, shown this once."""

    subscription: Subscription
    secret: str


class Subscriptions:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        clock: Callable[[], datetime] = utc_now,
        resolver: Resolver = resolve,
    ) -> None:
        self.engine, self.settings, self.clock, self.resolver = engine, settings, clock, resolver

    # --- checks -----------------------------------------------------------------------------

    def check_url(self, url: str) -> str:
        return check_target(
            url,
            allow_http=self.settings.is_embedded,
            allow_private=self.settings.webhook_allow_private_targets,
            resolver=self.resolver,
        )

    def _check_kinds(self, client_id: UUID, kinds: Iterable[str]) -> list[str]:
        scope = ClientRegistry(self.engine, self.clock).scope(client_id)
        if scope is None:
            raise ClientNotFoundError(client_id)  # 404
        if not scope.active:
            raise ClientRevokedError(client_id)  # 409: a revoked client's webhooks change no more
        chosen = feed_kinds(kinds)
        beyond = sorted(chosen - scope.kinds)
        if beyond:
            raise InvalidValueError(
                N_(
                    "a webhook sends only kinds of event its client application follows, "
                    "not: {beyond}"
                ),
                field="kinds",
                beyond=beyond,
            )
        return sorted(chosen)

    # --- reading ----------------------------------------------------------------------------

    def get(self, subscription_id: UUID) -> Subscription:
        with self.engine.connect() as conn:
            return self._get(conn, subscription_id)

    def _get(self, conn: Connection, subscription_id: UUID) -> Subscription:
        row = conn.execute(
            _WITH_CLIENT.where(webhook_subscription.c.subscription_id == str(subscription_id))
        ).one_or_none()
        if row is None:
            raise WebhookNotFoundError(
                "webhook subscription", subscription_id, field="subscription_id"
            )
        return Subscription.of(row)

    def list(
        self,
        *,
        limit: int,
        after: str | None = None,
        client_id: UUID | None = None,
        active: bool | None = None,
        removed: bool = False,
    ) -> list[Subscription]:
        """Up to `limit` subscriptions in the order of their ids, after `after`."""
        c = webhook_subscription.c
        query = _WITH_CLIENT.order_by(c.subscription_id).limit(limit)
        if after is not None:
            query = query.where(c.subscription_id > after)
        if client_id is not None:
            query = query.where(c.client_id == str(client_id))
        if active is not None:  # active: delivered (not paused, its client not revoked)
            live = and_(c.active.is_(True), _c.client_id.is_not(None), _c.revoked_at.is_(None))
            query = query.where(live if active else not_(live))
        query = query.where(c.removed_at.is_not(None) if removed else c.removed_at.is_(None))
        with self.engine.connect() as conn:
            return [Subscription.of(r) for r in conn.execute(query)]

    # --- keeping ----------------------------------------------------------------------------

    def create(self, *, client_id: UUID, url: str, kinds: Iterable[str], by: UUID) -> WithSecret:
        chosen = self._check_kinds(client_id, kinds)
        self.check_url(url)
        subscription_id, now = uuid4(), self.clock()
        with self.engine.begin() as conn:
            conn.execute(
                insert(webhook_subscription).values(
                    subscription_id=str(subscription_id),
                    client_id=str(client_id),
                    url=url,
                    kinds=json.dumps(chosen),
                    secret_version=1,
                    cursor=feed_position(conn),  # the events after its creation
                    active=True,
                    created_at=now,
                    created_by=str(by),
                    updated_at=now,
                    updated_by=str(by),
                )
            )
            created = self._get(conn, subscription_id)
        return WithSecret(created, Signer.of(self.settings).secret(subscription_id, 1))

    def _change(
        self, subscription_id: UUID, by: UUID, *, removing: bool = False, **values: Any
    ) -> Subscription:
        """Change a live subscription: not a removed one (422), nor one of a revoked client
        (409 `client-revoked`, as the client itself: kept for the record, changed no more)."""
        c = webhook_subscription.c
        with self.engine.begin() as conn:
            current = self._get(conn, subscription_id)
            if current.removed_at is not None and removing:
                return current  # removed meanwhile by another: removing it again changes nothing
            if current.removed_at is not None:
                raise InvalidValueError(
                    N_("this webhook subscription has been removed"), field="subscription_id"
                )
            if current.client_revoked and not removing:  # its removal is allowed
                raise ClientRevokedError(current.client_id)
            conn.execute(
                update(webhook_subscription)
                .where(c.subscription_id == str(subscription_id))
                .values(updated_at=self.clock(), updated_by=str(by), **values)
            )
            return self._get(conn, subscription_id)

    def update(
        self,
        subscription_id: UUID,
        *,
        by: UUID,
        url: str | None = None,
        kinds: Iterable[str] | None = None,
        active: bool | None = None,
    ) -> Subscription:
        current = self.get(subscription_id)  # 404 before any check (no lookup for nothing)
        if current.client_revoked and current.removed_at is None:
            raise ClientRevokedError(current.client_id)  # before the kinds' check (not 422)
        values: dict[str, Any] = {}
        if kinds is not None:
            values["kinds"] = json.dumps(self._check_kinds(current.client_id, kinds))
        if url is not None:
            values["url"] = self.check_url(url)
        if active is not None:
            values["active"] = active
        return self._change(subscription_id, by, **values)

    def remove(self, subscription_id: UUID, *, by: UUID) -> Subscription:
        """No more deliveries: those pending are not sent but dead, saying so (`outbox`); the
        row and its deliveries stay. Removing it again changes nothing and answers it as it
        is (idempotent); a revoked client's subscription may be removed."""
        now = self.clock()
        current = self.get(subscription_id)
        if current.removed_at is not None:
            return current
        removed = self._change(
            subscription_id, by, removing=True, active=False, removed_at=now, removed_by=str(by)
        )
        with self.engine.begin() as conn:
            outbox.drop_pending(conn, subscription_id, now)
        return removed

    def rotate_secret(self, subscription_id: UUID, *, by: UUID) -> WithSecret:
        """A new secret: every delivery signed from now on is signed with it."""
        bumped = webhook_subscription.c.secret_version + 1
        changed = self._change(subscription_id, by, secret_version=bumped)
        secret = Signer.of(self.settings).secret(subscription_id, changed.secret_version)
        return WithSecret(changed, secret)

    def redeliver(self, delivery_id: str, *, by: UUID) -> Delivery:
        """Send a delivery again (`outbox.redeliver`): a dead one, most often."""
        found = reports.delivery(self.engine, delivery_id)
        if found is None:
            raise WebhookNotFoundError("webhook delivery", delivery_id, field="delivery_id")
        if self.get(found.subscription_id).removed_at is not None:
            raise InvalidValueError(
                N_("this webhook subscription has been removed"), field="delivery_id"
            )
        now = self.clock()
        with self.engine.begin() as conn:
            outbox.redeliver(conn, delivery_id, now)
        log.info("webhook %s to be sent again, by %s", delivery_id, by)
        return replace(
            found, status=outbox.PENDING, attempts=0, next_attempt_at=now, delivered_at=None
        )
