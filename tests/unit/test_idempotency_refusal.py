"""A retry under a claimed key while its request still runs is told "in progress", even once the
request's events have committed (its answer is being stored); "recorded" is for a request that
ended without an answer (its lease ended)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from api.http.idempotency import _refusal
from api.http.problems import PreconditionError
from api.store.idempotency import Stored

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _committed(lease_until: datetime) -> Stored:
    return Stored(
        request_hash="h",
        status_code=None,
        headers={},
        body=b"",
        created_at=NOW - timedelta(seconds=1),
        lease_until=lease_until,
        token="t",
        committed_position=42,
    )


def test_a_committed_request_still_running_is_in_progress() -> None:
    refused = _refusal(_committed(NOW + timedelta(seconds=30)), "h", NOW)
    assert isinstance(refused, PreconditionError)
    assert (refused.status, refused.rule) == (409, "idempotency-key-in-progress")


def test_a_committed_request_whose_lease_ended_is_said_recorded() -> None:
    refused = _refusal(_committed(NOW), "h", NOW)
    assert isinstance(refused, PreconditionError)
    assert (refused.status, refused.rule) == (409, "idempotency-key-recorded")
    assert refused.details == {"position": 42}
