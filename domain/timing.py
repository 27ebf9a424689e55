"""Explicit time: when a fact happened (`occurred_at`) is given by the actor, within limits.

The recording instant is the event's own `timestamp`, set by the store side; the two differ when
an event is entered late, which the read side must be able to show.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from domain.errors import InvalidValueError, OccurredInFutureError, OccurredTooLongAgoError
from domain.wording import N_

Clock = Callable[[], datetime]
DEFAULT_REFERRAL_EXPIRY = timedelta(days=30)


def utc_now() -> datetime:
    return datetime.now(tz=UTC)


@dataclass(frozen=True)
class TimePolicy:
    """How far in the past an event may be dated, how much clock skew is tolerated, and how
    long a referral waits for an answer before it expires, and how long after recording an act
    its author may still correct or annul it."""

    backdating_window: timedelta = timedelta(days=30)
    clock_skew: timedelta = timedelta(seconds=5)
    clock: Clock = field(default=utc_now)
    referral_expiry: timedelta = DEFAULT_REFERRAL_EXPIRY
    correction_window: timedelta = timedelta(hours=72)

    def now(self) -> datetime:
        return self.clock()

    def check_occurred_at(
        self, occurred_at: datetime | None, *, field: str = "occurred_at"
    ) -> datetime:
        """Return the instant an event happened, defaulting to now; refuse it if out of bounds
        (naming `field`: an act's corrected date is `act_occurred_at`)."""
        now = self.clock()
        if occurred_at is None:
            return now
        if occurred_at.tzinfo is None or occurred_at.utcoffset() is None:
            raise InvalidValueError(
                N_("occurred_at must carry a time zone (e.g. 2026-03-01T10:00:00+01:00)"),
                field=field,
            )
        try:
            occurred_at = occurred_at.astimezone(UTC)
        except OverflowError:  # 0001-01-01T00:00+01:00 has no UTC instant
            raise OccurredTooLongAgoError(
                N_("occurred_at is outside the calendar once converted to UTC"),
                field=field,
            ) from None
        if occurred_at > now + self.clock_skew:
            raise OccurredInFutureError(
                N_("occurred_at {occurred_at} is in the future"),
                field=field,
                occurred_at=occurred_at,
                now=now,
            )
        if occurred_at < now - self.backdating_window:
            raise OccurredTooLongAgoError(
                N_(
                    "occurred_at {occurred_at} is older than the allowed window of "
                    "{window_days} days"
                ),
                field=field,
                occurred_at=occurred_at,
                window_days=self.backdating_window.days,
            )
        return occurred_at
