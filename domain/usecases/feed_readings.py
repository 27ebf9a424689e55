"""A client application opening the personal fields of the events it follows (issue 19).

The catch-up feed's read model keeps no personal field (`projections.feed`): they stay sealed in
the log. A client whose scope lets it open them reads them as a person reads a case — one
reading of each case recorded first (`CaseContentRead`: by the client for its institution, in
the `integration` role, view `feed`, for the purpose its administrator declared), then every
personal field of the events asked for opened from the log under the case's key, `[erased]`
once that key is destroyed. Which events the client may see at all is the feed's audience
rule (`domain.feed_audience`), decided before this is asked.

**One reading per client, case, purpose and day.** A client polls: recording a reading per
case per page would flood the log and every audit trail with the same fact. So a client's
reading of a case is recorded the first time it opens that case's personal fields on a day of
the service's calendar (`MAILLAGE_TIME_ZONE`) for its purpose; its later readings that day,
for that purpose, are covered by it (the audit trail says so). A reading another day, of
another case, or for another purpose (its administrator changed it) is recorded anew. The
rule holds across processes without memory of its own: the reading's id is derived from
(client, case, purpose, day) (`feed_reading_id`), so the log holds at most one — a process
finds it there, and two racing to record it are settled by the store's unique key (the loser
checks again and finds it).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, cast
from uuid import UUID, uuid5

from eventsourcing.persistence import IntegrityError

from domain.access import ReadPurpose, Role
from domain.consultation import Consultation
from domain.errors import ConcurrentUpdateError
from domain.events import event_type
from domain.integration import ClientScope
from domain.personal_data import plain
from domain.privacy import PERSONAL_FIELDS, Keyring, SealingMapper
from domain.usecases.base import UseCaseBase
from domain.values import Actor
from domain.wording import N_

FEED_VIEW = "feed"
# The event types (`Case.InterventionRecorded`…) that carry personal fields.
PERSONAL_KINDS: frozenset[str] = frozenset(event_type(cls) for cls in PERSONAL_FIELDS)

EventKey = tuple[UUID, int]  # a case's id, an event's version in it
# The namespace of feed readings' ids (`feed_reading_id`): fixed, as the ids in the log are.
_READINGS = UUID("5b0c6a1e-3f6d-5e2a-9c41-6f0a7e2d8b13")


def feed_reading_id(client_id: UUID, case_id: UUID, purpose: ReadPurpose, day: date) -> UUID:
    """The id of the one reading `client_id` records of `case_id` for `purpose` on `day` (of the
    service's calendar): the same for every process, so the log holds it once."""
    return uuid5(_READINGS, f"{FEED_VIEW}:{client_id}:{case_id}:{purpose.value}:{day.isoformat()}")


class FeedReadingUseCases(UseCaseBase):
    def open_for_feed(
        self, scope: ClientScope, events: Iterable[EventKey]
    ) -> dict[EventKey, dict[str, Any]]:
        """The personal fields of `events` (each a case's event), as plain JSON values, for the
        client `scope` names — after the day's reading of each of their cases is recorded (unless
        the log holds it already), in one transaction, before anything is opened. Nothing is
        recorded for no event."""
        versions: dict[UUID, set[int]] = defaultdict(set)
        for case_id, version in events:
            versions[case_id].add(version)
        if not versions:
            return {}
        self._record_readings(scope, list(versions), self.time.now())
        mapper = copy.copy(self.read_mapper)  # each case's key read once for the page
        mapper.keyring = cast(Keyring, _PageKeys(self.keyring))
        return {
            key: fields
            for case_id, wanted in versions.items()
            for key, fields in self._opened(mapper, case_id, wanted).items()
        }

    def _record_readings(self, scope: ClientScope, cases: list[UUID], at: datetime) -> None:
        """The day's reading of each of `cases` by the client, recorded (in one transaction)
        unless the log already holds it; a reading another process recorded meanwhile makes the
        save fail as a whole, and the cases are checked again."""
        by, day = Actor(scope.client_id, scope.institution_id), self.calendar.day(at)
        ids = {case: feed_reading_id(scope.client_id, case, scope.purpose, day) for case in cases}
        for _ in range(self.max_attempts):
            missing = [
                case for case in cases if not self.recorder.select_events(ids[case], limit=1)
            ]
            if not missing:
                return
            readings = [
                Consultation.record(
                    case_id=case_id,
                    by=by,
                    role=Role.INTEGRATION.value,
                    view=FEED_VIEW,
                    purpose=scope.purpose.value,
                    occurred_at=at,
                    reading_id=ids[case_id],
                )
                for case_id in missing
            ]
            try:
                self.save(*readings)
                return
            except IntegrityError:
                continue
        raise ConcurrentUpdateError(
            N_("gave up after {attempts} attempts: others kept changing the same record"),
            attempts=self.max_attempts,
        )

    def _opened(
        self, mapper: SealingMapper, case_id: UUID, wanted: set[int]
    ) -> Mapping[EventKey, dict[str, Any]]:
        """The personal fields of the case's events of versions `wanted` (one query)."""
        found: dict[EventKey, dict[str, Any]] = {}
        stored = self.recorder.select_events(case_id, gt=min(wanted) - 1, lte=max(wanted))
        for record in stored:
            if record.originator_version not in wanted:
                continue
            event = mapper.opened(mapper.to_domain_event(record))
            fields = PERSONAL_FIELDS.get(type(event), ())
            found[(case_id, record.originator_version)] = {
                name: plain(getattr(event, name, None)) for name in fields
            }
        return found


class _PageKeys:
    """The keys of the cases one page opens, each read once from the keyring (which reads the
    store at each call: a destroyed key is never used after its erasure)."""

    def __init__(self, keyring: Keyring) -> None:
        self.keyring = keyring
        self.found: dict[UUID, bytes | None] = {}

    def key(self, key_id: UUID) -> bytes | None:
        if key_id not in self.found:
            self.found[key_id] = self.keyring.key(key_id)
        return self.found[key_id]
