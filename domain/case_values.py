"""The values a case is made of: the beneficiary's identity, participants, consents, referrals.

Immutable, and stored inside the case's events and snapshots by the names given to them in
`domain.transcodings` (never by module): they can live here, apart from the aggregate, and the
aggregate re-exports them where callers have always found them (`domain.case`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID

from domain.erased import ERASED_TEXT
from domain.grounds import GroundClaim
from domain.values import Actor, Basis

ADULT_AGE = 18


@dataclass(frozen=True)
class BeneficiaryIdentity:
    """Personal data of the beneficiary (to be encrypted per beneficiary, see DOMAIN.md)."""

    first_name: str
    last_name: str
    birth_date: date | None = None

    def is_minor_on(self, day: date) -> bool:
        if self.birth_date is None:
            return False
        b = self.birth_date
        age = day.year - b.year - ((day.month, day.day) < (b.month, b.day))
        return age < ADULT_AGE


ERASED_IDENTITY = BeneficiaryIdentity(ERASED_TEXT, ERASED_TEXT, None)


def stands_on_latest(since: datetime | None, act_at: datetime) -> bool:
    """The one rule of how an actor stands on a case, shared by the case's file
    (`Participant`) and its coherence view (`domain.coherence_facts.ActorFacts`): on the basis
    of their latest act, by when it occurred — an older act entered late changes nothing."""
    return since is None or act_at >= since


@dataclass(frozen=True)
class Participant:
    """A professional taking part in the case for an institution, standing on the basis of
    their latest act (`since`: when it occurred; None in snapshots older than the field)."""

    professional_id: UUID
    institution_id: UUID
    role: str
    basis: Basis
    since: datetime | None = None

    @property
    def actor(self) -> Actor:
        return Actor(self.professional_id, self.institution_id)

    def after_act(self, basis: Basis, at: datetime) -> Participant:
        if not stands_on_latest(self.since, at):
            return self
        return replace(self, basis=basis, since=at)


@dataclass(frozen=True)
class Consent:
    consent_id: UUID
    giver: str
    representative_name: str | None
    recipients: tuple[UUID, ...]
    categories: tuple[str, ...]
    given_at: datetime
    valid_until: date | None = None
    withdrawn_at: datetime | None = None

    def in_force_at(self, at: datetime) -> bool:
        if at < self.given_at:
            return False
        if self.withdrawn_at is not None and at >= self.withdrawn_at:
            return False
        return self.valid_until is None or at.date() <= self.valid_until

    def covers(self, recipient_id: UUID, category: str, at: datetime) -> bool:
        return (
            self.in_force_at(at) and recipient_id in self.recipients and category in self.categories
        )


def referral_status(status: str, made_at: datetime | None, at: datetime, expiry: timedelta) -> str:
    """The one rule of a referral's expiry, shared by the case, its coherence view and the
    inboxes: a referral still pending `expiry` after it was made is `expired` (computed, never
    recorded). Made at an unknown instant (`None`), it never expires."""
    if status == "pending" and made_at is not None and at >= made_at + expiry:
        return "expired"
    return status


@dataclass(frozen=True)
class Referral:
    """A referral of the case to another institution. `made_at`: None only in a snapshot older
    than the field (migration 0012 drops those: the case's events give it again)."""

    referral_id: UUID
    from_institution_id: UUID
    to_institution_id: UUID
    status: str = "pending"  # pending | accepted | declined | revoked (expired: `status_at`)
    made_at: datetime | None = None

    def status_at(self, at: datetime, expiry: timedelta) -> str:
        return referral_status(self.status, self.made_at, at, expiry)

    def expires_at(self, expiry: timedelta) -> datetime | None:
        return self.made_at + expiry if self.made_at is not None else None


@dataclass(frozen=True)
class SharingAuthorisation:
    """Why a share is lawful: the consents covering it, or a legal ground that is met."""

    consent_ids: tuple[UUID, ...] = ()
    ground: GroundClaim | None = None
    ground_reference: str | None = None


class ErasureGround(StrEnum):
    """Why a beneficiary's personal data is erased."""

    ERASURE_REQUEST = "erasure_request"  # the person's request (RGPD art. 17)
    RETENTION_EXPIRED = "retention_expired"  # the retention period after closing has run out
    COURT_ORDER = "court_order"


# The acts a correction or an annulment may name, by the field of their event holding their
# id: the code of the kind of act (stored: never change one).
CORRECTABLE_ACTS = {
    "intervention_id": "intervention",
    "meeting_id": "coordination_meeting",
    "share_id": "information_share",
}
INTERVENTION = "intervention"
SHARE = "information_share"


def correctable_act(event: object) -> tuple[UUID, str] | None:
    """The id and kind of act (`CORRECTABLE_ACTS`) of an event recording one, else None."""
    state = vars(event)
    for field, act in CORRECTABLE_ACTS.items():
        act_id = state.get(field)
        if isinstance(act_id, UUID):
            return act_id, act
    return None


@dataclass(frozen=True)
class RecordedAct:
    """An act a case keeps so that it can be corrected or annulled: who recorded it (its author),
    which kind of act it is, when (the event's timestamp), its current kind and date (after any
    correction), and whether it was annulled."""

    act_id: UUID
    act: str  # a code of CORRECTABLE_ACTS
    author: Actor
    recorded_at: datetime
    occurred_at: datetime
    kind: str | None = None  # an intervention's kind
    annulled: bool = False

    def __deepcopy__(self, memo: dict[int, object]) -> RecordedAct:
        return self  # immutable, values and all: a case copied from the cache shares it


class Acts(dict[str, RecordedAct]):
    """A case's recorded acts by id. Copying the case (the repository copies it out of its
    cache for every command) copies the mapping, not each act: they are immutable."""

    def __deepcopy__(self, memo: dict[int, object]) -> Acts:
        return Acts(self)
