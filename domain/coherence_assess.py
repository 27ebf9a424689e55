"""Reading a case's facts at an instant: its actors and the alerts that say what is incoherent
(see `domain.coherence`). Alerts that depend on time (a delegation that has since expired, an
actor idle for too long) are computed here, at reading time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from domain.case import Consent
from domain.coherence_facts import ActorFacts, CaseFacts, distinct
from domain.coherence_registry import Registry
from domain.delegation import Lapse
from domain.events import EventRef
from domain.values import Actor, AlertKind, Basis, BasisKind

DEFAULT_IDLE_AFTER = timedelta(days=90)
MANY_INSTITUTIONS = 2  # from two institutions on, someone must coordinate


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    message: str
    events: tuple[EventRef, ...]  # the events of the case that raised it
    related: tuple[EventRef, ...] = ()  # registry events behind it (a revocation, a grant…)
    professional_id: UUID | None = None
    institution_id: UUID | None = None
    acknowledgeable: bool = False


@dataclass(frozen=True)
class ActorLine:
    professional_id: UUID
    institution_id: UUID
    role: str
    basis: Basis
    basis_valid: bool
    basis_detail: dict[str, Any]
    joined_at: datetime
    last_action_at: datetime
    last_action: EventRef


@dataclass(frozen=True)
class Coherence:
    case_id: UUID
    at: datetime
    version: int
    holder_institution_id: UUID
    legal_framework: str
    opened_at: datetime
    closed: bool
    actors: tuple[ActorLine, ...]
    coordinator: Actor | None
    consents_in_force: tuple[Consent, ...]
    alerts: tuple[Alert, ...]


def assess(
    facts: CaseFacts,
    registry: Registry,
    at: datetime,
    idle_after: timedelta = DEFAULT_IDLE_AFTER,
) -> Coherence:
    """The coherence view of a case at `at`, from its facts and the registry as known."""
    current = facts.current_actors
    alerts: list[Alert] = []
    alerts += _actions_without_valid_basis(facts, registry)
    alerts += _exchanges_without_convention(facts, registry, at)
    alerts += _shares_beyond_consent(facts, at)
    if not facts.closed:  # on a closed case nobody acts any more: nothing is pending
        alerts += _lapsed_delegations_in_use(current, registry, at)
        alerts += _no_coordinator(facts, current)
        alerts += _idle_actors(current, at, idle_after)
    return Coherence(
        case_id=facts.case_id,
        at=at,
        version=facts.version,
        holder_institution_id=facts.holder_institution_id,
        legal_framework=facts.legal_framework,
        opened_at=facts.opened_at,
        closed=facts.closed,
        actors=tuple(_line(a, registry, at) for a in current),
        coordinator=facts.coordinator,
        consents_in_force=tuple(c for c in facts.consents if c.in_force_at(at)),
        alerts=tuple(alerts),
    )


def _line(actor: ActorFacts, registry: Registry, at: datetime) -> ActorLine:
    basis, detail, valid = actor.basis, dict[str, Any](), True
    if basis.kind == BasisKind.DELEGATION and basis.ref_id is not None:
        d = registry.delegations.get(basis.ref_id)
        if d is not None:
            lapse = d.lapse_at(at)
            valid = lapse is None
            detail = {
                "scope": list(d.scope),
                "valid_from": d.valid_from,
                "valid_until": d.valid_until,
                "revoked_at": d.revoked_at,
                "status": str(lapse) if lapse is not None else "valid",
            }
    elif basis.kind == BasisKind.CONVENTION and basis.ref_id is not None:
        p = registry.partnerships.get(basis.ref_id)
        if p is not None:
            valid = p.in_force_at(at)
            detail = {"title": p.title, "in_force": valid, "parties": list(p.parties)}
    return ActorLine(
        professional_id=actor.professional_id,
        institution_id=actor.institution_id,
        role=actor.role,
        basis=basis,
        basis_valid=valid,
        basis_detail=detail,
        joined_at=actor.joined_at,
        last_action_at=actor.last_action_at,
        last_action=actor.last_action,
    )


def _actions_without_valid_basis(facts: CaseFacts, registry: Registry) -> list[Alert]:
    kind = AlertKind.ACTION_WITHOUT_VALID_BASIS
    invalid: dict[UUID, list[EventRef]] = {}
    related: dict[UUID, EventRef | None] = {}
    for action in facts.based_actions:
        ref_id = action.basis.ref_id
        if ref_id is None or facts.is_acknowledged(kind, action.ref.version):
            continue
        if action.basis.kind == BasisKind.DELEGATION:
            d = registry.delegations.get(ref_id)
            if d is not None and d.lapse_at(action.occurred_at) is None:
                continue
            related[ref_id] = d.why_lapsed() if d is not None else None
        else:
            p = registry.partnerships.get(ref_id)
            if p is not None and p.in_force_at(action.occurred_at):
                continue
            related[ref_id] = p.why_not_in_force() if p is not None else None
        invalid.setdefault(ref_id, []).append(action.ref)
    alerts = []
    for ref_id, refs in invalid.items():
        why = related[ref_id]
        alerts.append(
            Alert(
                kind=kind,
                message=(
                    f"{len(refs)} act(s) rest on {ref_id}, which did not hold when they occurred"
                ),
                events=tuple(refs),
                related=(why,) if why is not None else (),
                acknowledgeable=True,
            )
        )
    return alerts


def _exchanges_without_convention(
    facts: CaseFacts, registry: Registry, at: datetime
) -> list[Alert]:
    kind = AlertKind.EXCHANGE_WITHOUT_CONVENTION
    pairs: dict[tuple[UUID, UUID], list[EventRef]] = {}
    for share in facts.shares:
        if share.convention_id is not None or facts.is_acknowledged(kind, share.ref.version):
            continue
        a, b = sorted((share.from_institution_id, share.to_institution_id), key=str)
        pairs.setdefault((a, b), []).append(share.ref)
    return [
        Alert(
            kind=kind,
            message=(
                f"institutions {a} and {b} exchanged information on this case "
                f"{len(refs)} time(s) with no convention in force between them"
            ),
            events=tuple(refs),
            acknowledgeable=True,
        )
        for (a, b), refs in pairs.items()
        if registry.convention_in_force(a, b, at) is None
    ]


def _shares_beyond_consent(facts: CaseFacts, at: datetime) -> list[Alert]:
    kind = AlertKind.SHARED_BEYOND_CONSENT
    alerts = []
    for share in facts.shares:
        if not share.consent_ids or share.on_legal_ground:
            continue  # a legal ground, not a consent, made it lawful
        if facts.is_acknowledged(kind, share.ref.version):
            continue
        cited = [c for c in facts.consents if c.consent_id in share.consent_ids]
        to, when = share.to_institution_id, share.occurred_at
        uncovered = [
            category
            for category in share.categories
            if not any(c.covers(to, category, when) for c in cited)
        ]
        if not uncovered:
            continue
        regularised = all(
            any(c.covers(to, category, at) for c in facts.consents) for category in uncovered
        )
        if regularised:
            continue
        consent_refs = [r for c in cited for r in facts.consent_events.get(str(c.consent_id), [])]
        alerts.append(
            Alert(
                kind=kind,
                message=(
                    f"{', '.join(uncovered)} shared with institution {share.to_institution_id} "
                    "beyond the consent in force when it was shared"
                ),
                events=(share.ref, *[r for r in consent_refs if r.version != share.ref.version]),
                institution_id=share.from_institution_id,
                acknowledgeable=True,
            )
        )
    return alerts


def _lapsed_delegations_in_use(
    current: list[ActorFacts], registry: Registry, at: datetime
) -> list[Alert]:
    alerts = []
    for actor in current:
        basis = actor.basis
        if basis.kind != BasisKind.DELEGATION or basis.ref_id is None:
            continue
        d = registry.delegations.get(basis.ref_id)
        lapse = d.lapse_at(at) if d is not None else None
        if d is None or lapse not in (Lapse.EXPIRED, Lapse.REVOKED):
            continue
        alerts.append(
            Alert(
                kind=AlertKind.DELEGATION_LAPSED_IN_USE,
                message=(
                    f"professional {actor.professional_id} still acts on this case under "
                    f"delegation {d.delegation_id}, which is {lapse}"
                ),
                events=(actor.last_action,),
                related=(d.why_lapsed(),),
                professional_id=actor.professional_id,
                institution_id=actor.institution_id,
            )
        )
    return alerts


def _no_coordinator(facts: CaseFacts, current: list[ActorFacts]) -> list[Alert]:
    institutions = distinct(a.institution_id for a in current)
    if facts.coordinator is not None or len(institutions) < MANY_INSTITUTIONS:
        return []
    joins = [a.joined for a in current if a.institution_id != facts.holder_institution_id]
    events = ([facts.coordinator_lost] if facts.coordinator_lost is not None else []) + joins
    return [
        Alert(
            kind=AlertKind.NO_COORDINATOR,
            message=f"{len(institutions)} institutions act on this case and none coordinates",
            events=tuple(events),
        )
    ]


def _idle_actors(current: list[ActorFacts], at: datetime, idle_after: timedelta) -> list[Alert]:
    return [
        Alert(
            kind=AlertKind.IDLE_ACTOR,
            message=(
                f"professional {a.professional_id} has not acted on this case for "
                f"{(at - a.last_action_at).days} days"
            ),
            events=(a.last_action,),
            professional_id=a.professional_id,
            institution_id=a.institution_id,
        )
        for a in current
        if at - a.last_action_at > idle_after
    ]
