"""The referrals an institution made or received: one row per referral, its status kept as the
events say (pending, accepted, declined, revoked). Expiry is not stored: it depends on the time
of reading (`projections.referral_queries`). The reason is personal (sealed in the log): never
here; the referral's own view opens it for the two institutions it links.

Created by `alembic/versions/0012_create_referral_view.py`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from eventsourcing.domain import DomainEvent
from sqlalchemy import Column, DateTime, Index, String, Table, Text

from domain.case_referrals import referral_categories
from domain.event_classes import ReferralAccepted, ReferralDeclined, ReferralMade, ReferralRevoked
from domain.events import (
    CASE_EVENTS,
    CONSULTATION_EVENTS,
    DELEGATION_EVENTS,
    FUNDING_EVENTS,
    IDENTIFIER_CLAIM_EVENTS,
    INSTITUTION_EVENTS,
    NETWORK_EVENTS,
    PARTNERSHIP_EVENTS,
    PROFESSIONAL_EVENTS,
)
from projections.batch import Batch
from projections.projector import Projector
from projections.tables import UUID_LEN, metadata

referral_view = Table(
    "referral_view",
    metadata,
    Column("referral_id", String(UUID_LEN), primary_key=True),
    Column("case_id", String(UUID_LEN), nullable=False),
    Column("from_institution_id", String(UUID_LEN), nullable=False),
    Column("referred_by", String(UUID_LEN), nullable=False),  # the professional
    Column("to_institution_id", String(UUID_LEN), nullable=False),
    Column("categories", Text, nullable=False),  # a JSON list of information categories
    Column("made_at", DateTime(timezone=True), nullable=False),
    Column("status", String(16), nullable=False),  # pending | accepted | declined | revoked
    Column("answered_at", DateTime(timezone=True)),
    Column("answered_by", String(UUID_LEN)),  # the professional who answered or revoked it
    Index("ix_referral_received", "to_institution_id", "status", "made_at"),
    Index("ix_referral_sent", "from_institution_id", "status", "made_at"),
)

Answer = ReferralAccepted | ReferralDeclined | ReferralRevoked
STATUS = {ReferralAccepted: "accepted", ReferralDeclined: "declined", ReferralRevoked: "revoked"}


class ReferralInbox(Projector):
    name = "referrals"
    tables = (referral_view,)

    def declare(self) -> None:
        self.on(self.made, ReferralMade)
        self.on(self.answered, ReferralAccepted)
        self.on(self.answered, ReferralDeclined)
        self.on(self.answered, ReferralRevoked)
        others = (ReferralMade, ReferralAccepted, ReferralDeclined, ReferralRevoked)
        self.ignore(*(e for e in CASE_EVENTS if e not in others))
        self.ignore(*INSTITUTION_EVENTS, *PROFESSIONAL_EVENTS, *DELEGATION_EVENTS)
        self.ignore(*PARTNERSHIP_EVENTS, *NETWORK_EVENTS, *CONSULTATION_EVENTS, *FUNDING_EVENTS)
        self.ignore(*IDENTIFIER_CLAIM_EVENTS)

    def prepare(self, batch: Batch, events: Sequence[DomainEvent]) -> None:
        answers = [(str(e.referral_id),) for e in events if isinstance(e, Answer)]
        batch.load_many(referral_view, answers)

    def made(self, batch: Batch, e: ReferralMade, _: int) -> None:
        batch.put(
            referral_view,
            {
                "referral_id": str(e.referral_id),
                "case_id": str(e.originator_id),
                "from_institution_id": str(e.by.institution_id),
                "referred_by": str(e.by.professional_id),
                "to_institution_id": str(e.to_institution_id),
                "categories": json.dumps(list(referral_categories(e))),
                "made_at": e.occurred_at,
                "status": "pending",
                "answered_at": None,
                "answered_by": None,
            },
        )

    def answered(self, batch: Batch, e: Answer, _: int) -> None:
        row = batch.get(referral_view, (str(e.referral_id),))
        if row is None:
            return  # the log always makes a referral before its answer
        batch.put(
            referral_view,
            {
                **row,
                "status": STATUS[type(e)],
                "answered_at": e.occurred_at,
                "answered_by": str(e.by.professional_id),
            },
        )
