"""Reading a case's coherence view: now, from the coherence projection; or as of a past instant,
rebuilt from the log on demand. Both end in `domain.coherence.assess`, on facts folded by the
same reducers.

Two questions about the past (a supervisor needs both when an event was entered late):
- *as recorded by T*: only what had been recorded by T — case and registry events alike;
- *as it happened at T*: the case's events that occurred by T, as known now, and the registry as
  known now, whose own dates (validity, revocation, suspension, termination) say what held at T.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import DomainEvent
from sqlalchemy import CompoundSelect, Connection, bindparam, func, literal, or_, select, union_all

from domain.coherence import (
    DEFAULT_IDLE_AFTER,
    MANY_INSTITUTIONS,
    CaseFacts,
    Coherence,
    Registry,
    assess,
)
from domain.coherence_corrections import act_id_of
from domain.event_classes import (
    ActAnnulled,
    ActCorrected,
    CaseEvent,
    CaseOpened,
    DelegationEvent,
    PartnershipEntered,
    PartnershipEvent,
)
from domain.events import occurred_at
from domain.timing import DEFAULT_REFERRAL_EXPIRY
from projections.documents import CASE_FACTS, DELEGATION_TERMS, PARTNERSHIP_TERMS
from projections.log_reading import event_reader
from projections.tables import (
    case_coherence_view,
    delegation_terms_view,
    partnership_party_view,
    partnership_terms_view,
)


class AsOf(StrEnum):
    RECORDED = "recorded"  # as recorded by T
    OCCURRED = "occurred"  # as it happened at T, as known now


def coherence(
    conn: Connection,
    case_id: UUID,
    *,
    at: datetime,
    idle_after: timedelta = DEFAULT_IDLE_AFTER,
    referral_expiry: timedelta = DEFAULT_REFERRAL_EXPIRY,
) -> Coherence | None:
    """The coherence view of a case at `at` (normally now), from the projection."""
    facts = case_facts(conn, case_id)
    if facts is None:
        return None
    return assess(facts, registry_for(conn, facts), at, idle_after, referral_expiry)


def case_facts(conn: Connection, case_id: UUID) -> CaseFacts | None:
    text = conn.execute(_FACTS, {"case_id": str(case_id)}).scalar()
    return CASE_FACTS.load(text) if text is not None else None


def registry_for(conn: Connection, facts: CaseFacts) -> Registry:
    """The delegations the case's acts rest on, and the partnerships between its institutions
    (one query: a round trip costs more than the rows)."""
    registry = Registry()
    found = conn.execute(
        _REGISTRY,
        {
            "institutions": [str(i) for i in facts.institution_ids()],
            "named": [str(r) for r in facts.convention_ids()],
            "delegations": [str(d) for d in facts.delegation_ids()],
        },
    )
    for entry, text in found.all():
        if entry == "d":
            delegation = DELEGATION_TERMS.load(text)
            registry.delegations[delegation.delegation_id] = delegation
        else:
            partnership = PARTNERSHIP_TERMS.load(text)
            registry.partnerships[partnership.partnership_id] = partnership
    return registry


def _registry_query() -> CompoundSelect[Any]:
    """Built once, its ids bound when it runs (expanding parameters: an empty list matches
    nothing), so a reading costs no statement building."""
    party = partnership_party_view
    binding = (
        select(party.c.partnership_id)
        .where(party.c.institution_id.in_(bindparam("institutions", expanding=True)))
        .group_by(party.c.partnership_id)
        .having(func.count() >= MANY_INSTITUTIONS)
    )
    pid = partnership_terms_view.c.partnership_id
    partnerships = select(literal("p").label("entry"), partnership_terms_view.c.terms).where(
        or_(pid.in_(binding), pid.in_(bindparam("named", expanding=True)))
    )
    delegations = select(literal("d").label("entry"), delegation_terms_view.c.terms).where(
        delegation_terms_view.c.delegation_id.in_(bindparam("delegations", expanding=True))
    )
    return union_all(delegations, partnerships)


_FACTS = select(case_coherence_view.c.facts).where(
    case_coherence_view.c.case_id == bindparam("case_id")
)
_REGISTRY = _registry_query()


# --- as of a past instant, from the log ------------------------------------------------------


def coherence_as_of(
    app: Application,  # type: ignore[type-arg]
    case_id: UUID,
    *,
    at: datetime,
    question: AsOf,
    idle_after: timedelta = DEFAULT_IDLE_AFTER,
    referral_expiry: timedelta = DEFAULT_REFERRAL_EXPIRY,
) -> Coherence | None:
    """The coherence view of a case as it stood at `at`, folded from the log now."""
    events = list(_events(app, case_id))
    if question is AsOf.RECORDED:

        def keep(e: DomainEvent) -> bool:
            return e.timestamp <= at
    else:
        # Corrections are known now: an act counts at its corrected date, annulled or not (the
        # reducers drop it when its annulment comes).
        moved: dict[UUID, datetime] = {}
        for e in events:
            if isinstance(e, ActCorrected) and e.act_occurred_at is not None:
                moved[e.act_id] = e.act_occurred_at

        def keep(e: DomainEvent) -> bool:
            if isinstance(e, ActCorrected | ActAnnulled):
                return True
            act_id = act_id_of(e)
            when = moved[act_id] if act_id is not None and act_id in moved else occurred_at(e)
            return when <= at

    facts: CaseFacts | None = None
    for e in events:
        if not keep(e) or not isinstance(e, CaseEvent):
            continue
        if facts is None:
            if isinstance(e, CaseOpened):
                facts = CaseFacts.opened_by(e)
        else:
            facts.apply(e)
    if facts is None:
        return None
    registry = Registry()
    registry_keep = keep if question is AsOf.RECORDED else _everything
    entries = facts.delegation_ids() + facts.convention_ids()
    entries += _partnerships_of(app, facts.institution_ids(), registry_keep)
    for entry in dict.fromkeys(entries):
        for e in _events(app, entry):
            if isinstance(e, DelegationEvent | PartnershipEvent) and registry_keep(e):
                registry.apply(e)
    return assess(facts, registry, at, idle_after, referral_expiry)


def _events(app: Application, aggregate_id: UUID) -> Iterable[DomainEvent]:  # type: ignore[type-arg]
    read = event_reader(app)
    return (read(s) for s in app.recorder.select_events(aggregate_id))


def _everything(_: DomainEvent) -> bool:
    return True


def _partnerships_of(
    app: Application,  # type: ignore[type-arg]
    institutions: Iterable[UUID],
    keep: Callable[[DomainEvent], bool],
) -> list[UUID]:
    found: list[UUID] = []
    for institution_id in institutions:
        for e in _events(app, institution_id):
            if isinstance(e, PartnershipEntered) and keep(e):
                found.append(e.partnership_id)
    return found
