"""The bodies and answers of the beneficiary's rights (`api.http.routers.rights`).

`PersonalDataRead` is the machine-readable export (RGPD art. 15 and 20): its JSON schema is
published in the OpenAPI document, its `schema_version` says which one a file follows. It is
filled from `domain.personal_data.PersonalDataExport`, field for field.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from api.http.schemas.common import RequestBody
from api.http.schemas.dates import IsoDate


class _Read(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class NamedRead(_Read):
    id: UUID
    name: str | None = Field(description="Its current name in the registry (None: unknown).")


class ActorRecordRead(_Read):
    professional: NamedRead = Field(
        description="Who acted or read (a data-protection officer is no professional of the "
        "registry: no name)."
    )
    institution: NamedRead | None = Field(description="For which institution.")


class BasisRecordRead(_Read):
    kind: str = Field(description="delegation, case_holder, convention, network or informal.")
    ref: NamedRead | None = Field(
        description="The delegation, convention (partnership), network or holding institution."
    )


class IdentityRead(_Read):
    first_name: str
    last_name: str
    birth_date: date | None


class ActRecordRead(_Read):
    version: int = Field(description="Its place in the case's history (1: the opening).")
    event: str = Field(description="The event's type, e.g. `InterventionRecorded`.")
    occurred_at: datetime
    recorded_at: datetime
    actor: ActorRecordRead | None
    basis: BasisRecordRead | None
    details: dict[str, Any] = Field(
        description="Every other field of the event as stored, personal texts opened "
        "(`[erased]` once the person's key is destroyed)."
    )


class RectificationRead(_Read):
    version: int
    occurred_at: datetime
    recorded_at: datetime
    previous: IdentityRead
    rectified: IdentityRead
    reason: str
    requested_by: str
    institution: NamedRead = Field(description="The data-protection officer's institution.")


class ConsentRecordRead(_Read):
    consent_id: UUID
    given_at: datetime
    recorded_by: ActorRecordRead
    giver: str
    representative_name: str | None
    recipients: list[NamedRead]
    categories: list[str]
    valid_until: date | None
    withdrawn_at: datetime | None


class GroundRead(_Read):
    code: str
    attested: list[str]
    statements: dict[str, str]


class ShareRecordRead(_Read):
    kind: str = Field(description="information_shared, or concerning_information (to a CRIP).")
    share_id: UUID
    occurred_at: datetime
    recorded_at: datetime
    by: ActorRecordRead
    recipient_institution: NamedRead
    recipient_professional: NamedRead | None
    categories: list[str]
    consent_ids: list[UUID] = Field(description="The consents it was shared under.")
    legal_ground: GroundRead | None = Field(description="The legal ground claimed, if any.")
    legal_reference: str | None
    convention: NamedRead | None
    summary: str | None


class ReferralRecordRead(_Read):
    referral_id: UUID
    made_at: datetime
    by: ActorRecordRead
    to_institution: NamedRead
    reason: str
    status: str
    answered_at: datetime | None
    answered_by: ActorRecordRead | None
    answer_reason: str | None


class ReadingRecordRead(_Read):
    consultation_id: UUID
    occurred_at: datetime
    recorded_at: datetime
    reader: ActorRecordRead
    role: str
    view: str
    purpose: str


class ErasureRecordRead(_Read):
    occurred_at: datetime
    ground: str
    reference: str | None
    requested_by: str


class PersonalDataRead(_Read):
    """Everything Maillage holds about a case's beneficiary, read from the log."""

    schema_version: str = Field(description="The version of this schema (`1`).")
    case_id: UUID
    exported_at: datetime
    exported_by: ActorRecordRead
    erased: bool = Field(
        description="The person's data was erased: personal fields read `[erased]`."
    )
    beneficiary: IdentityRead = Field(description="The identity held now (rectified, if so).")
    legal_framework: str
    holder_institution: NamedRead = Field(description="The institution that opened the case.")
    identity_history: list[RectificationRead] = Field(description="Each rectification.")
    acts: list[ActRecordRead] = Field(description="Every event of the case, in order.")
    consents: list[ConsentRecordRead]
    shares: list[ShareRecordRead]
    referrals: list[ReferralRecordRead]
    readings: list[ReadingRecordRead] = Field(
        description="Who read the case's content, when, in which role and why (this export "
        "included)."
    )
    erasure: ErasureRecordRead | None


class IdentityRectification(RequestBody):
    """The fields to rectify (those left out stay as they are; at least one must change), and
    why."""

    first_name: str | None = Field(default=None, min_length=1, max_length=100)
    last_name: str | None = Field(default=None, min_length=1, max_length=100)
    birth_date: IsoDate | None = None
    reason: str = Field(
        min_length=1,
        max_length=2000,
        description="Why (e.g. the document seen): sealed under the person's key.",
    )
