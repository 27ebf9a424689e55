"""One page of the catch-up feed for a client application (`GET /feed`), built in one go.

In order: the client's scope, read now from the registry of client applications (its token no
longer good for it — revoked, cut by a rotation: 401; acting for another institution than its
token names: 403); the kinds it follows (its scope, narrowed by `kinds`); the page of its
institution's feed (`projections.feed.feed_page`), read after the feed's position so that the
position is never ahead of what the page saw; the page named and worded as the audit trail
reads (`projections.view_wording.word_audit`, one query per kind of id); then, only if its scope
includes personal data, the events' personal fields opened from the log — one reading of each
case recorded first (`Maillage.open_for_feed`). The scope is read again once the rows are read,
before anything is opened or answered: a client revoked meanwhile gets nothing read after its
revocation. Each connection is taken for its queries and given back before anything else.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import Engine

from api.http.schemas.feed import FeedActor, FeedBasis, FeedInstitution, FeedItem, FeedPage
from api.i18n import Words
from api.integration.clients import ClientRegistry
from domain.access import Principal
from domain.application import Maillage
from domain.feed_scope import narrowed
from domain.integration import ClientScope, check_feed_reader
from domain.usecases.feed_readings import PERSONAL_KINDS, EventKey
from projections.feed import FeedRow, feed_page, feed_position
from projections.view_wording import word_audit


@dataclass(frozen=True)
class FeedAsk:
    """What a client asked for: events after `after`, at most `limit`, of `kinds` (None: all
    those of its scope)."""

    after: int
    limit: int
    kinds: Sequence[str] | None


def reader_scope(registry: ClientRegistry, principal: Principal) -> ClientScope:
    """The scope of the client the token names, as its administrator left it now: a token no
    longer good for its client (revoked, cut by a rotation) is refused (401)."""
    return check_feed_reader(principal, registry.scope(principal.subject))


def feed_answer(
    principal: Principal,
    ask: FeedAsk,
    *,
    registry: ClientRegistry,
    engine: Engine,
    maillage: Maillage,
    words: Words,
) -> FeedPage:
    scope = reader_scope(registry, principal)
    kinds = narrowed(scope, ask.kinds, field="query.kinds")
    with engine.connect() as conn:
        head = feed_position(conn)  # first: every event up to it is in the page's snapshot
        rows = feed_page(
            conn, scope.institution_id, after=ask.after, limit=ask.limit + 1, kinds=sorted(kinds)
        )
        has_more = len(rows) > ask.limit
        rows = rows[: ask.limit]
        worded = word_audit(conn, [_entry(r) for r in rows], words)
    reader_scope(registry, principal)  # still good after the rows were read: revoked, refused
    opened: dict[EventKey, dict[str, Any]] = {}
    if scope.personal_data:
        opened = maillage.open_for_feed(scope, [k for r in rows if (k := _personal(r))])
    last = rows[-1].position if rows else ask.after
    return FeedPage(
        items=[_item(r, w, opened) for r, w in zip(rows, worded, strict=True)],
        # Not full: the feed held nothing more for this client up to `head`, which it may skip.
        next_after=last if has_more else max(last, head, ask.after),
        head=head,
        has_more=has_more,
    )


def _personal(row: FeedRow) -> EventKey | None:
    """The event whose personal fields the page opens: only for an institution involved in the
    case (one only told of this event, addressed by it, is never given them)."""
    if row.involved and row.event_type in PERSONAL_KINDS and row.case_id is not None:
        return (row.case_id, row.aggregate_version)
    return None


def _entry(row: FeedRow) -> dict[str, Any]:
    """The row as the audit trail's wording reads it (ids as text, values as JSON)."""
    return {
        "event_type": row.event_type,
        "professional_id": _text(row.professional_id),
        "institution_id": _text(row.institution_id),
        "counterpart_institution_id": _text(row.counterpart_institution_id),
        "basis_kind": row.basis_kind,
        "basis_ref": _text(row.basis_ref),
        "summary_key": row.summary_key,
        "summary_values": json.dumps(row.summary_values),
    }


def _text(value: UUID | None) -> str | None:
    return str(value) if value is not None else None


def _item(row: FeedRow, worded: dict[str, Any], opened: dict[EventKey, Any]) -> FeedItem:
    actor = institution = counterpart = basis = None
    if row.professional_id is not None:
        actor = FeedActor(
            professional_id=row.professional_id, professional_name=worded["professional_name"]
        )
    if row.institution_id is not None:
        institution = FeedInstitution(
            institution_id=row.institution_id, institution_name=worded["institution_name"]
        )
    if row.counterpart_institution_id is not None:
        counterpart = FeedInstitution(
            institution_id=row.counterpart_institution_id,
            institution_name=worded["counterpart_institution_name"],
        )
    if row.basis_kind is not None:
        basis = FeedBasis(
            kind=row.basis_kind,
            kind_label=worded["basis_kind_label"],
            ref_id=row.basis_ref,
            name=worded["basis_name"],
        )
    item = FeedItem(
        position=row.position,
        kind=row.event_type,
        aggregate_id=row.aggregate_id,
        aggregate_version=row.aggregate_version,
        case_id=row.case_id,
        occurred_at=row.occurred_at,
        recorded_at=row.recorded_at,
        actor=actor,
        institution=institution,
        counterpart_institution=counterpart,
        basis=basis,
        summary=worded["summary"],
    )
    key = _personal(row)
    if key is not None and key in opened:  # set only then: absent from the answer otherwise
        item.personal_data = opened[key]
    return item
