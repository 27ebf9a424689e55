"""The referrals of a case's coherence facts (`domain.coherence_facts`): made when and by whom,
answered or revoked when; the `referral_expired` alert reads them (`domain.coherence_alerts`)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID

from domain.event_classes import ReferralAccepted, ReferralDeclined, ReferralMade, ReferralRevoked
from domain.events import EventRef
from domain.values import Actor

ANSWERS = {ReferralAccepted: "accepted", ReferralDeclined: "declined", ReferralRevoked: "revoked"}


@dataclass(frozen=True)
class ReferralFacts:
    """A referral of the case (its reason stays sealed in the event): made when and by whom,
    answered or revoked when (`status`: pending, accepted, declined, revoked; expiry is
    computed at reading time, `domain.case_values.referral_status`)."""

    ref: EventRef  # the ReferralMade
    referral_id: UUID
    by: Actor
    to_institution_id: UUID
    made_at: datetime
    status: str = "pending"
    answered_at: datetime | None = None
    answered: EventRef | None = None

    @classmethod
    def made(cls, e: ReferralMade, ref: EventRef) -> ReferralFacts:
        return cls(ref, e.referral_id, e.by, e.to_institution_id, e.occurred_at)


def answered(
    referrals: list[ReferralFacts],
    e: ReferralAccepted | ReferralDeclined | ReferralRevoked,
    ref: EventRef,
) -> list[ReferralFacts]:
    """The referrals, the one `e` answers (or revokes) with its status and when."""
    status = ANSWERS[type(e)]
    return [
        replace(r, status=status, answered_at=e.occurred_at, answered=ref)
        if r.referral_id == e.referral_id
        else r
        for r in referrals
    ]
