"""What administrators read of a client application (`api.integration.clients`), and the
refusals of its registry: its record (scope and history — never a secret nor its hash), its
name's rule, an unknown or a revoked client."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Boolean, Column, Connection, DateTime, String, Table, Text, select, update

from domain.access import ReadPurpose
from domain.errors import InvalidValueError, MaillageError, NotFoundError, StaleVersionError
from domain.integration import PersonalDataRequest, request_tag
from domain.wording import N_
from projections.tables import UUID_LEN, as_utc, metadata

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
    Column("personal_data_approved_at", DateTime(timezone=True)),  # by a DPO of its institution
    Column("personal_data_approved_by", String(UUID_LEN)),
    Column("tokens_not_before", DateTime(timezone=True)),  # older tokens are refused
)

NAME_MAX = 200


class ClientNotFoundError(NotFoundError):
    """No client application of that id (404)."""

    rule = "client-not-found"

    def __init__(self, client_id: UUID | str, *, field: str | None = "client_id") -> None:
        MaillageError.__init__(
            self,
            N_("no client application {id} is registered"),
            field=field,
            kind="client",
            id=client_id,
        )
        self.kind, self.ident = "client", client_id


class PersonalDataNotRequestedError(MaillageError):
    """Approving personal data for a client whose administrator did not request it (409)."""

    rule = "personal-data-not-requested"

    def __init__(self, client_id: UUID) -> None:
        super().__init__(
            N_(
                "no administrator requested personal data for client application {id}: there "
                "is nothing to approve"
            ),
            field="client_id",
            id=client_id,
        )


class PersonalDataRequestChangedError(StaleVersionError):
    """A DPO approves the request they were shown: changed since (another ETag), nothing is
    approved (412)."""

    rule = "personal-data-request-changed"

    def __init__(self, client_id: UUID) -> None:
        super().__init__(
            N_(
                "the request for personal data of client application {id} changed since you "
                "read it: read it again (GET …/personal-data-approval) and approve what it "
                "shows now"
            ),
            field="header.If-Match",
            id=client_id,
        )


class ClientRevokedError(MaillageError):
    """A revoked client is kept for the record: it is changed no more (409)."""

    rule = "client-revoked"

    def __init__(self, client_id: UUID) -> None:
        super().__init__(
            N_("client application {id} is revoked: register a new one"),
            field="client_id",
            id=client_id,
        )


def client_name(name: str, *, field: str = "name") -> str:
    """A client's name for people: 1 to `NAME_MAX` characters, not blank."""
    cleaned = name.strip()
    if not cleaned:
        raise InvalidValueError(N_("a client application needs a name"), field=field)
    if len(cleaned) > NAME_MAX:
        raise InvalidValueError(
            N_("a client application's name has at most {max} characters"),
            field=field,
            max=NAME_MAX,
        )
    return cleaned


@dataclass(frozen=True)
class ClientRecord:
    """A client as administrators see it: its scope and its history, never a secret or a hash."""

    client_id: UUID
    name: str
    institution_id: UUID
    kinds: list[str]
    personal_data: bool
    purpose: ReadPurpose
    created_at: datetime
    created_by: UUID
    updated_at: datetime
    updated_by: UUID
    previous_secret_valid_until: datetime | None  # after a rotation: the old one's last instant
    revoked_at: datetime | None
    revoked_by: UUID | None
    # `personal_data` is an administrator's request; a DPO of its institution approves it
    personal_data_approved_at: datetime | None = None
    personal_data_approved_by: UUID | None = None
    tokens_not_before: datetime | None = None  # tokens issued before it are refused

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def request_tag(self) -> str:
        """The ETag of its request for personal data as a DPO is shown it: a DPO's approval
        names it (`If-Match`), and approves that request only (`domain.integration`)."""
        return request_tag(
            PersonalDataRequest(
                self.institution_id, frozenset(self.kinds), self.purpose, self.personal_data
            ),
            self.updated_at,
        )

    @property
    def personal_data_in_force(self) -> bool:
        """Requested by an administrator and approved by a data-protection officer."""
        return self.personal_data and self.personal_data_approved_at is not None


_c = integration_client.c
SHOWN = (
    _c.client_id,
    _c.name,
    _c.institution_id,
    _c.kinds,
    _c.personal_data,
    _c.purpose,
    _c.created_at,
    _c.created_by,
    _c.updated_at,
    _c.updated_by,
    _c.previous_valid_until,
    _c.revoked_at,
    _c.revoked_by,
    _c.personal_data_approved_at,
    _c.personal_data_approved_by,
    _c.tokens_not_before,
)


def held_row(conn: Connection, client_id: UUID, *columns: Any) -> Any:
    """The client's `columns`, its row held until the transaction ends, so that an
    administrator's change and a DPO's approval take turns (each decides on what the other
    committed): PostgreSQL locks the row; SQLite's driver begins lazily, so the transaction
    writes first to hold the file's write lock before it reads. None: no such client."""
    where = _c.client_id == str(client_id)
    query = select(*columns).where(where)
    if conn.dialect.name == "sqlite":
        conn.execute(update(integration_client).where(where).values(client_id=_c.client_id))
    else:
        query = query.with_for_update()
    return conn.execute(query).one_or_none()


def record_of(row: Any) -> ClientRecord:
    return ClientRecord(
        client_id=UUID(row.client_id),
        name=row.name,
        institution_id=UUID(row.institution_id),
        kinds=sorted(json.loads(row.kinds)),
        personal_data=bool(row.personal_data),
        purpose=ReadPurpose(row.purpose),
        created_at=as_utc(row.created_at),
        created_by=UUID(row.created_by),
        updated_at=as_utc(row.updated_at),
        updated_by=UUID(row.updated_by),
        previous_secret_valid_until=(
            as_utc(row.previous_valid_until) if row.previous_valid_until is not None else None
        ),
        revoked_at=as_utc(row.revoked_at) if row.revoked_at is not None else None,
        revoked_by=UUID(row.revoked_by) if row.revoked_by is not None else None,
        personal_data_approved_at=_instant(row.personal_data_approved_at),
        personal_data_approved_by=(
            UUID(row.personal_data_approved_by)
            if row.personal_data_approved_by is not None
            else None
        ),
        tokens_not_before=_instant(row.tokens_not_before),
    )


def _instant(value: datetime | None) -> datetime | None:
    return as_utc(value) if value is not None else None
