"""Reading a case's facts at an instant: its actors, its exchanges and the alerts that say what
is incoherent (see `domain.coherence`, and `domain.coherence_alerts` for the alerts). Alerts that
depend on time (a delegation that has since expired, an actor idle for too long, a convention
now in force) are computed here, at reading time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from domain import coherence_alerts as rules
from domain.case_values import Consent
from domain.coherence_alerts import MANY_INSTITUTIONS, Alert
from domain.coherence_facts import CaseFacts
from domain.coherence_parts import ActorFacts, ShareFacts
from domain.coherence_registry import Registry
from domain.events import EventRef
from domain.holding import Holder
from domain.timing import DEFAULT_REFERRAL_EXPIRY
from domain.values import Actor, Basis, BasisKind

DEFAULT_IDLE_AFTER = timedelta(days=90)

__all__ = [
    "DEFAULT_IDLE_AFTER",
    "MANY_INSTITUTIONS",
    "ActorLine",
    "Alert",
    "Coherence",
    "ExchangeLine",
    "assess",
]


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
class ExchangeLine:
    """A share of information with another institution, and what made it lawful: a legal
    ground (lawful sharing, whatever the conventions) or consent (then a convention in force
    between the two, when it occurred, makes it a regular exchange)."""

    event: EventRef
    occurred_at: datetime
    from_institution_id: UUID
    to_institution_id: UUID
    categories: tuple[str, ...]
    lawful_on: str  # "legal_ground" | "consent"
    legal_reference: str | None
    consent_ids: tuple[UUID, ...]
    convention_id: UUID | None  # the convention in force between the two when it occurred

    @property
    def regular(self) -> bool:
        return self.lawful_on == "legal_ground" or self.convention_id is not None


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
    alerts: tuple[Alert, ...]  # open: live conditions, and past ones not acknowledged yet
    alert_history: tuple[Alert, ...] = ()  # past incoherences acknowledged, with their history
    exchanges: tuple[ExchangeLine, ...] = ()
    holders: tuple[Holder, ...] = ()  # each holder with its dates, the current one last


def assess(
    facts: CaseFacts,
    registry: Registry,
    at: datetime,
    idle_after: timedelta = DEFAULT_IDLE_AFTER,
    referral_expiry: timedelta = DEFAULT_REFERRAL_EXPIRY,
) -> Coherence:
    """The coherence view of a case at `at`, from its facts and the registry as known."""
    current = facts.current_actors
    past: list[Alert] = []
    past += rules.actions_without_valid_basis(facts, registry)
    past += rules.acts_outside_delegation(facts, registry)
    past += rules.exchanges_without_convention(facts, registry, at)
    past += rules.shares_beyond_consent(facts, at)
    past += rules.referrals_expired(facts, at, referral_expiry)
    live: list[Alert] = []
    if not facts.closed:  # on a closed case nobody acts any more: nothing is pending
        live += rules.lapsed_delegations_in_use(current, registry, at)
        live += rules.no_coordinator(facts, current)
        live += rules.idle_actors(current, at, idle_after)
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
        alerts=tuple(a for a in past if a.open) + tuple(live),
        alert_history=tuple(a for a in past if not a.open),
        exchanges=tuple(_exchange(s, registry) for s in facts.shares),
        holders=tuple(facts.holders),
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
                "institution_id": d.institution_id,  # the delegating institution
                "professional_id": d.professional_id,  # the delegate
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


def _exchange(share: ShareFacts, registry: Registry) -> ExchangeLine:
    convention = registry.convention_in_force(
        share.from_institution_id, share.to_institution_id, share.occurred_at
    )
    return ExchangeLine(
        event=share.ref,
        occurred_at=share.occurred_at,
        from_institution_id=share.from_institution_id,
        to_institution_id=share.to_institution_id,
        categories=share.categories,
        lawful_on="legal_ground" if share.on_legal_ground else "consent",
        legal_reference=share.legal_reference,
        consent_ids=share.consent_ids,
        convention_id=convention.partnership_id if convention is not None else None,
    )
