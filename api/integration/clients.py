"""The registry of client applications (issue 19): who they are, which institution they act for,
what they may follow, and their secrets — stored hashed, never in clear.

A client's secret is 256 random bits shown once, when registered or rotated; only its SHA-256 is
kept (a random secret of that size needs no slow hash: there is nothing to guess). After a
rotation the previous secret is still accepted until `previous_valid_until`, so that operators can
deploy the new one. A revoked client keeps its row (who registered and revoked it, when) and gets
no token.

Every change is logged for operators (who did what to which client), never a secret. The
institution a client acts for must be one of the registry (`check_institution`, by the caller
that holds the store: the HTTP route and the command line).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import Engine, insert, select, update

from api.integration.client_records import (
    SHOWN,
    ClientNotFoundError,
    ClientRecord,
    ClientRevokedError,
    client_name,
    held_row,
    integration_client,
    record_of,
)
from domain.access import ReadPurpose
from domain.application import Maillage
from domain.errors import InvalidValueError
from domain.institution import Institution
from domain.integration import ClientScope, PersonalDataRequest, approval_holds, feed_kinds
from domain.timing import utc_now
from domain.wording import N_
from projections.tables import as_utc

__all__ = [
    "ClientNotFoundError",
    "ClientRecord",
    "ClientRegistry",
    "ClientRevokedError",
    "Registered",
    "integration_client",
]
_c = integration_client.c

log = logging.getLogger("maillage.integration")
SECRET_PREFIX = "mcs_"  # noqa: S105 - a prefix, recognisable in a leaked file or a log


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def check_institution(maillage: Maillage, institution_id: UUID, *, field: str) -> Institution:
    """The institution a client is to act for, one of the registry (`NotFoundError`, 404,
    naming `field`, otherwise)."""
    return maillage.load(Institution, institution_id, field=field)


def tokens_cutoff(now: datetime) -> datetime:
    """The `tokens_not_before` of a rotation without grace or a revocation at `now`: the next
    whole second, since a token's `iat` is in whole seconds — every token issued up to `now`
    is refused, and the token endpoint issues the next ones at that instant at the earliest."""
    return now.replace(microsecond=0) + timedelta(seconds=1)


def rotation_grace(grace_minutes: int | None, longest: int) -> timedelta:
    """How long a rotated secret is still accepted: `grace_minutes`, from 0 (refused at once,
    and its tokens with it) to `longest` (`integration_secret_grace_minutes`, the default) —
    the HTTP route's and the command line's one bound (`InvalidValueError` past it)."""
    grace = longest if grace_minutes is None else grace_minutes
    if not 0 <= grace <= longest:
        raise InvalidValueError(
            N_("grace_minutes is from 0 to {max} (MAILLAGE_INTEGRATION_SECRET_GRACE_MINUTES)"),
            field="grace_minutes",
            max=longest,
        )
    return timedelta(minutes=grace)


def request_of(row: Any) -> PersonalDataRequest:
    """What a stored client would open of personal fields (its row's columns of that name)."""
    return PersonalDataRequest(
        institution_id=UUID(row.institution_id),
        kinds=frozenset(json.loads(row.kinds)),
        purpose=ReadPurpose(row.purpose),
        requested=bool(row.personal_data),
    )


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
        shown = client_name(name)
        chosen = feed_kinds(kinds)
        client_id, secret, now = uuid4(), new_secret(), self.clock()
        with self.engine.begin() as conn:
            conn.execute(
                insert(integration_client).values(
                    client_id=str(client_id),
                    name=shown,
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
        log.info(
            "integration client %s registered by %s for institution %s: kinds %s, personal "
            "data %s, purpose %s",
            client_id,
            by,
            institution_id,
            ",".join(sorted(chosen)),
            personal_data,
            purpose.value,
        )
        return Registered(client_id, secret)

    def get(self, client_id: UUID) -> ClientRecord:
        """The client as stored now (`ClientNotFoundError` if none)."""
        with self.engine.connect() as conn:
            row = conn.execute(select(*SHOWN).where(_c.client_id == str(client_id))).one_or_none()
        if row is None:
            raise ClientNotFoundError(client_id)
        return record_of(row)

    def list(
        self,
        *,
        institution_id: UUID | None = None,
        revoked: bool | None = None,
        after: str | None = None,
        limit: int = 100,
    ) -> list[ClientRecord]:
        """Up to `limit` clients by id, after the id `after` (keyset paging)."""
        query = select(*SHOWN).order_by(_c.client_id).limit(limit)
        if after is not None:
            query = query.where(_c.client_id > after)
        if institution_id is not None:
            query = query.where(_c.institution_id == str(institution_id))
        if revoked is not None:
            query = query.where(_c.revoked_at.is_not(None) if revoked else _c.revoked_at.is_(None))
        with self.engine.connect() as conn:
            return [record_of(row) for row in conn.execute(query)]

    def update(
        self,
        client_id: UUID,
        *,
        by: UUID,
        name: str | None = None,
        kinds: Iterable[str] | None = None,
        personal_data: bool | None = None,
        purpose: ReadPurpose | None = None,
    ) -> ClientRecord:
        """Change what the client may follow: the feed reads it at the client's next request. A
        change that widens what would be opened lapses a DPO's approval (`approval_holds`)."""
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = client_name(name)
        chosen = feed_kinds(kinds) if kinds is not None else None
        if chosen is not None:
            changes["kinds"] = json.dumps(sorted(chosen))
        if personal_data is not None:
            changes["personal_data"] = personal_data
        if purpose is not None:
            changes["purpose"] = purpose.value
        with self.engine.begin() as conn:
            current = self._active(conn, client_id)
            before = request_of(current)
            after = PersonalDataRequest(
                institution_id=before.institution_id,
                kinds=chosen if chosen is not None else before.kinds,
                purpose=purpose if purpose is not None else before.purpose,
                requested=personal_data if personal_data is not None else before.requested,
            )
            lapsed = current.personal_data_approved_at is not None and not approval_holds(
                before, after
            )
            if lapsed:
                changes.update(personal_data_approved_at=None, personal_data_approved_by=None)
            self._write(conn, client_id, by, self.clock(), changes)
        log.info(
            "integration client %s changed by %s: %s%s",
            client_id,
            by,
            ", ".join(f"{key} {value}" for key, value in sorted(changes.items())) or "nothing",
            "; the data-protection officer's approval of personal data lapses" if lapsed else "",
        )
        return self.get(client_id)

    def rotate(self, client_id: UUID, *, by: UUID, grace: timedelta) -> Registered:
        """A new secret, shown this once; the current one stays valid for `grace` (none: the
        previous one is refused at once). It lapses a DPO's approval of personal data: the
        administrator alone holds the new secret, so personal data takes the DPO again (the
        request stays requested) — tokens already issued lose it too (the scope is read at
        every request)."""
        secret, now = new_secret(), self.clock()
        with self.engine.begin() as conn:
            current = self._active(conn, client_id)
            lapsed = current.personal_data_approved_at is not None
            self._write(
                conn,
                client_id,
                by,
                now,
                {
                    "secret_hash": secret_hash(secret),
                    "previous_secret_hash": current.secret_hash if grace else None,
                    "previous_valid_until": now + grace if grace else None,
                    **({} if grace else {"tokens_not_before": tokens_cutoff(now)}),
                    **(
                        {"personal_data_approved_at": None, "personal_data_approved_by": None}
                        if lapsed
                        else {}
                    ),
                },
            )
        log.info(
            "integration client %s: secret rotated by %s, the previous one accepted until %s%s",
            client_id,
            by,
            (now + grace).isoformat() if grace else "now (no grace; its tokens refused)",
            "; the data-protection officer's approval of personal data lapses" if lapsed else "",
        )
        return Registered(client_id, secret)

    def revoke(self, client_id: UUID, *, by: UUID) -> ClientRecord:
        """Revoked at once: no token is issued to it, and the feed refuses the tokens it holds
        (the scope is read at every request). Revoking it again changes nothing."""
        now = self.clock()
        with self.engine.begin() as conn:
            row = conn.execute(
                select(_c.revoked_at).where(_c.client_id == str(client_id))
            ).one_or_none()
            if row is None:
                raise ClientNotFoundError(client_id)
            if row.revoked_at is None:
                conn.execute(
                    update(integration_client)
                    .where(_c.client_id == str(client_id), _c.revoked_at.is_(None))
                    .values(
                        revoked_at=now,
                        revoked_by=str(by),
                        previous_secret_hash=None,
                        previous_valid_until=None,
                        tokens_not_before=tokens_cutoff(now),
                    )
                )
                log.info("integration client %s revoked by %s", client_id, by)
        return self.get(client_id)

    def _active(self, conn: Any, client_id: UUID) -> Any:
        # held: a DPO's approval committed meanwhile is seen, and lapses if this widens it
        row = held_row(
            conn,
            client_id,
            _c.secret_hash,
            _c.revoked_at,
            _c.institution_id,
            _c.kinds,
            _c.purpose,
            _c.personal_data,
            _c.personal_data_approved_at,
        )
        if row is None:
            raise ClientNotFoundError(client_id)
        if row.revoked_at is not None:
            raise ClientRevokedError(client_id)
        return row

    def _write(
        self, conn: Any, client_id: UUID, by: UUID, now: datetime, changes: dict[str, Any]
    ) -> None:
        conn.execute(
            update(integration_client)
            .where(_c.client_id == str(client_id))
            .values(**changes, updated_at=now, updated_by=str(by))
        )

    def scope(self, client_id: UUID) -> ClientScope | None:
        """What the client may follow, as stored now (None: no such client)."""
        c = integration_client.c
        with self.engine.connect() as conn:
            row = conn.execute(
                select(
                    c.client_id,
                    c.institution_id,
                    c.kinds,
                    c.personal_data,
                    c.personal_data_approved_at,
                    c.purpose,
                    c.revoked_at,
                    c.tokens_not_before,
                ).where(c.client_id == str(client_id))
            ).one_or_none()
        if row is None:
            return None
        return ClientScope(
            client_id=UUID(row.client_id),
            institution_id=UUID(row.institution_id),
            kinds=frozenset(json.loads(row.kinds)),
            # requested by an administrator and approved by a DPO of its institution
            personal_data=bool(row.personal_data) and row.personal_data_approved_at is not None,
            purpose=ReadPurpose(row.purpose),
            active=row.revoked_at is None,
            tokens_not_before=(
                as_utc(row.tokens_not_before) if row.tokens_not_before is not None else None
            ),
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
