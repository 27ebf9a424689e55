"""A client application opening the personal fields of the events it follows (issue 19).

The catch-up feed's read model keeps no personal field (`projections.feed`): they stay sealed in
the log. A client whose scope lets it open them reads them as a person reads a case — one
reading of each case recorded first (`CaseContentRead`: by the client for its institution, in
the `integration` role, view `feed`, for the purpose its administrator declared), then every
personal field of the events asked for opened from the log under the case's key, `[erased]`
once that key is destroyed. Which events the client may see at all is the feed's audience
rule (`domain.feed_audience`), decided before this is asked.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any, cast
from uuid import UUID

from domain.access import Role
from domain.consultation import Consultation
from domain.events import event_type
from domain.integration import ClientScope
from domain.personal_data import plain
from domain.privacy import PERSONAL_FIELDS, Keyring, SealingMapper
from domain.usecases.base import UseCaseBase
from domain.values import Actor

FEED_VIEW = "feed"
# The event types (`Case.InterventionRecorded`…) that carry personal fields.
PERSONAL_KINDS: frozenset[str] = frozenset(event_type(cls) for cls in PERSONAL_FIELDS)

EventKey = tuple[UUID, int]  # a case's id, an event's version in it


class FeedReadingUseCases(UseCaseBase):
    def open_for_feed(
        self, scope: ClientScope, events: Iterable[EventKey]
    ) -> dict[EventKey, dict[str, Any]]:
        """The personal fields of `events` (each a case's event), as plain JSON values, for the
        client `scope` names — after one reading of each of their cases is recorded, in one
        transaction, before anything is opened. Nothing is recorded for no event."""
        versions: dict[UUID, set[int]] = defaultdict(set)
        for case_id, version in events:
            versions[case_id].add(version)
        if not versions:
            return {}
        by = Actor(scope.client_id, scope.institution_id)
        at = self.time.now()
        self.execute(
            lambda: [
                Consultation.record(
                    case_id=case_id,
                    by=by,
                    role=Role.INTEGRATION.value,
                    view=FEED_VIEW,
                    purpose=scope.purpose.value,
                    occurred_at=at,
                )
                for case_id in versions
            ]
        )
        mapper = copy.copy(self.read_mapper)  # each case's key read once for the page
        mapper.keyring = cast(Keyring, _PageKeys(self.keyring))
        return {
            key: fields
            for case_id, wanted in versions.items()
            for key, fields in self._opened(mapper, case_id, wanted).items()
        }

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
