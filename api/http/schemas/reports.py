"""The bodies and answers of the reports routes (`api.http.routers.reports`)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from pydantic import BaseModel, Field

from api.http.schemas.dates import IsoDate
from domain.funding import FundedKind


class FundingCreate(BaseModel):
    funder_id: UUID = Field(description="The funding institution (its staff's tokens name it).")
    target_kind: FundedKind
    target_id: UUID = Field(description="The partnership, network or institution funded.")
    valid_from: IsoDate
    valid_until: IsoDate | None = None
    reference: str | None = Field(
        default=None, max_length=300, examples=["Convention de financement CD68 2026-03"]
    )


class FundingEnding(BaseModel):
    ended_on: IsoDate = Field(description="The last funded day.")
    reason: str = Field(min_length=1, max_length=500)


class FundingItem(BaseModel):
    funding_id: UUID
    funder_id: UUID
    target_kind: str
    target_id: UUID
    valid_from: date
    valid_until: date | None
    ended_on: date | None
    reference: str | None
