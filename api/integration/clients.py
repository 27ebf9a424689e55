"""The registry of client applications (issue 19): who they are, which institution they act for,
what they may follow, and their secrets — stored hashed, never in clear.

A client's secret is 256 random bits shown once, when registered or rotated; only its SHA-256 is
kept (a random secret of that size needs no slow hash: there is nothing to guess). After a
rotation the previous secret is still accepted until `previous_valid_until`, so that operators can
deploy the new one. A revoked client keeps its row (who registered and revoked it, when) and gets
no token.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID, uuid4

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Engine,
    String,
    Table,
    Text,
    insert,
    select,
)

from domain.access import ReadPurpose
from domain.integration import ClientScope, feed_kinds
from domain.timing import utc_now
from projections.tables import UUID_LEN, as_utc, metadata

SECRET_PREFIX = "mcs_"  # noqa: S105 - a prefix, recognisable in a leaked file or a log

integration_client = Table(
    "integration_client",
    metadata,
    Column("client_id", String(UUID_LEN), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("institution_id", String(UUID_LEN), nullable=False, index=True),
    Column("kinds", Text, nullable=False),  # JSON list of event types
    Column("personal_data", Boolean, nullable=False),
    Column("purpose", String(32), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("previous_secret_hash", String(64)),
    Column("previous_valid_until", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", String(UUID_LEN), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", String(UUID_LEN), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("revoked_by", String(UUID_LEN)),
)


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class Registered:
    """A client just registered (or its secret rotated): the secret, shown this once."""

    client_id: UUID
    secret: str


class ClientRegistry:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = utc_now) -> None:
        self.engine = engine
        self.clock = clock

    def register(
        self,
        *,
        name: str,
        institution_id: UUID,
        kinds: Iterable[str],
        personal_data: bool,
        purpose: ReadPurpose,
        by: UUID,
    ) -> Registered:
        """A new client of `institution_id`, following `kinds` (checked: `feed_kinds`)."""
        chosen = feed_kinds(kinds)
        client_id, secret, now = uuid4(), new_secret(), self.clock()
        with self.engine.begin() as conn:
            conn.execute(
                insert(integration_client).values(
                    client_id=str(client_id),
                    name=name,
                    institution_id=str(institution_id),
                    kinds=json.dumps(sorted(chosen)),
                    personal_data=personal_data,
                    purpose=purpose.value,
                    secret_hash=secret_hash(secret),
                    created_at=now,
                    created_by=str(by),
                    updated_at=now,
                    updated_by=str(by),
                )
            )
        return Registered(client_id, secret)

    def scope(self, client_id: UUID) -> ClientScope | None:
        """What the client may follow, as stored now (None: no such client)."""
        c = integration_client.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    c.client_id, c.institution_id, c.kinds, c.personal_data, c.purpose, c.revoked_at
                ).where(c.client_id == str(client_id))
            ).one_or_none()
        if row is None:
            return None
        return ClientScope(
            client_id=UUID(row.client_id),
            institution_id=UUID(row.institution_id),
            kinds=frozenset(json.loads(row.kinds)),
            personal_data=bool(row.personal_data),
            purpose=ReadPurpose(row.purpose),
            active=row.revoked_at is None,
        )

    def authenticate(self, client_id: UUID, secret: str) -> ClientScope | None:
        """The client's scope if `secret` is its current secret (or the previous one, within its
        grace period) and it is not revoked; None otherwise — whichever check failed."""
        c = integration_client.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(c.secret_hash, c.previous_secret_hash, c.previous_valid_until).where(
                    c.client_id == str(client_id), c.revoked_at.is_(None)
                )
            ).one_or_none()
        if row is None:
            return None
        offered = secret_hash(secret)
        current = hmac.compare_digest(offered, row.secret_hash)
        previous = (
            row.previous_secret_hash is not None
            and row.previous_valid_until is not None
            and as_utc(row.previous_valid_until) > self.clock()
            and hmac.compare_digest(offered, row.previous_secret_hash)
        )
        return self.scope(client_id) if current or previous else None
