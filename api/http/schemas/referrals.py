"""The answers of the referrals routes (`api.http.routers.referrals`): an institution's lists
of referrals received and made, and one referral as its two institutions read it.

Names beside ids and labels beside codes: `api.http.schemas.naming`.
"""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import BaseModel, Field

from api.http.schemas.naming import Label, Labels, Name

STATUS = (
    "`pending`, `accepted`, `declined`, `revoked` (by the referring side, before an answer) or "
    "`expired` (unanswered past the delay: computed when read, from `expires_at`)."
)


class ReferralItem(BaseModel):
    """One referral of an institution's list: who referred, from which institution, to which,
    what it shares, since when, where it stands. Its reason is personal: read it on the
    referral's own view."""

    referral_id: UUID
    case_id: UUID
    from_institution_id: UUID
    from_institution_name: Name = None
    referred_by: UUID = Field(description="The professional who made the referral.")
    referred_by_name: Name = None
    to_institution_id: UUID
    to_institution_name: Name = None
    categories: list[str] = Field(description="The information categories it shares.")
    category_labels: Labels
    made_at: datetime
    expires_at: datetime = Field(description="When it expires if still unanswered.")
    status: str = Field(description=STATUS)
    status_label: Label
    answered_at: datetime | None = Field(
        default=None, description="When it was accepted, declined or revoked."
    )
    answered_by: UUID | None = None
    answered_by_name: Name = None


class BeneficiaryShared(BaseModel):
    first_name: str
    last_name: str
    birth_date: date | None = None


class ReferralDetailRead(ReferralItem):
    """The referral as its two institutions read it: its reason, the ground it shares on and,
    only if `identity` is among the categories shared, who the person is."""

    reason: str | None = Field(
        description="Why the person is referred (null for the referred institution once the "
        "referral is declined, revoked or expired)."
    )
    consent_ids: list[UUID] = Field(description="The consents it shares under (none: a ground).")
    legal_reference: str | None = Field(
        default=None, description="The statute of the legal ground it shares under, if any."
    )
    beneficiary: BeneficiaryShared | None = Field(
        default=None,
        description="The person's identity: only when the referral shares `identity` (and, for "
        "the referred institution, while it is pending or accepted).",
    )
