"""The bodies and answers of the client applications' routes (`api.http.routers.clients`).

A client's secret appears in one answer only, `ClientSecret`, when it is registered or its secret
rotated; no other answer carries it, nor its hash.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, Field

from api.http.schemas.common import RequestBody
from api.http.schemas.naming import Name
from api.integration.client_records import NAME_MAX, ClientRecord
from domain.access import ReadPurpose

KINDS = (
    "Event types the client follows (`Case.CaseOpened`, `Case.ReferralMade`…): the log's kinds, "
    "listed in the refusal of an unknown one."
)


class ClientCreate(RequestBody):
    name: str = Field(
        min_length=1,
        max_length=NAME_MAX,
        examples=["SI de l'ASE du Haut-Rhin"],
    )
    institution_id: UUID = Field(description="The institution of the registry it acts for.")
    kinds: list[str] = Field(min_length=1, max_length=200, description=KINDS)
    personal_data: bool = Field(
        default=False,
        description=(
            "Requests that it open the events' personal fields (each opening recorded as a "
            "reading): in force once a data-protection officer of its institution approves it."
        ),
    )
    purpose: ReadPurpose = Field(description="Declared with each reading it records.")


class ClientUpdate(RequestBody):
    """What changes; what is left out stays."""

    name: str | None = Field(default=None, min_length=1, max_length=NAME_MAX)
    kinds: list[str] | None = Field(default=None, min_length=1, max_length=200, description=KINDS)
    personal_data: bool | None = None
    purpose: ReadPurpose | None = None


class ClientRead(BaseModel):
    """A client application: its scope and history (never its secret)."""

    client_id: UUID
    name: str
    institution_id: UUID
    institution_name: Name
    kinds: list[str]
    personal_data: bool = Field(description="Requested by an administrator.")
    personal_data_approved_at: datetime | None = Field(
        description="When a data-protection officer of its institution approved the request."
    )
    personal_data_approved_by: UUID | None = Field(description="That data-protection officer.")
    personal_data_in_force: bool = Field(
        description="Requested and approved: the feed opens its events' personal fields."
    )
    purpose: ReadPurpose
    active: bool = Field(description="False once revoked: it gets no token, the feed refuses it.")
    created_at: datetime
    created_by: UUID
    updated_at: datetime
    updated_by: UUID
    previous_secret_valid_until: datetime | None = Field(
        description="After a rotation: until when the previous secret is still accepted."
    )
    revoked_at: datetime | None
    revoked_by: UUID | None
    tokens_not_before: datetime | None = Field(
        description=(
            "Tokens issued before it are refused by the feed: set by a rotation without grace "
            "and by revocation."
        )
    )

    @classmethod
    def of(cls, record: ClientRecord, institution_name: str | None) -> ClientRead:
        return cls(
            client_id=record.client_id,
            name=record.name,
            institution_id=record.institution_id,
            institution_name=institution_name,
            kinds=record.kinds,
            personal_data=record.personal_data,
            personal_data_approved_at=record.personal_data_approved_at,
            personal_data_approved_by=record.personal_data_approved_by,
            personal_data_in_force=record.personal_data_in_force,
            purpose=record.purpose,
            active=record.active,
            created_at=record.created_at,
            created_by=record.created_by,
            updated_at=record.updated_at,
            updated_by=record.updated_by,
            previous_secret_valid_until=record.previous_secret_valid_until,
            revoked_at=record.revoked_at,
            revoked_by=record.revoked_by,
            tokens_not_before=record.tokens_not_before,
        )


class ClientSecret(BaseModel):
    """A client's credentials, shown this once: keep the secret now, it is never shown again."""

    client_id: UUID
    client_secret: str = Field(description="Shown this once; only its hash is kept.")
    token_endpoint: str = Field(
        default="/oauth/token",
        description="Where the client exchanges them for a token (client credentials grant).",
    )
    previous_secret_valid_until: datetime | None = Field(
        default=None, description="After a rotation: until when the previous secret is accepted."
    )
    personal_data_in_force: bool = Field(
        default=False,
        description=(
            "Whether the feed opens personal data to the client now: false after a rotation, "
            "which lapses the data-protection officer's approval (they approve it again)."
        ),
    )


class TokenAnswer(BaseModel):
    """A client application's token (RFC 6749 §5.1), answered with `Cache-Control: no-store`."""

    access_token: str = Field(description="A bearer token: role integration, sub the client id.")
    token_type: str = Field(examples=["Bearer"])
    expires_in: int = Field(description="Seconds it lives.", examples=[900])
    scope: str = Field(
        description=(
            "`feed`, and `personal_data` when its scope opens personal fields (requested and "
            "approved by a data-protection officer)."
        ),
        examples=["feed"],
    )
