"""The coherence of a case: who acts on it, for which institution, on what basis — and what is
incoherent (DOMAIN.md, "What the projections show").

Two halves, both pure and both reading only events:

- **Reducers** fold events into facts: `CaseFacts` for one case; `DelegationTerms` and
  `PartnershipTerms` for the registry entries a case refers to. The incremental projection and
  the as-of view run the same reducers — the first over the log as it arrives, the second over
  one case's events cut at a past instant — so the two cannot tell different stories.
- **`assess`** reads the facts at an instant and names the alerts. Alerts that depend on time (a
  delegation that has since expired, an actor idle for too long) are computed at reading time, so
  they appear without waiting for an event to arrive.

Events are named by `EventRef` (aggregate id, version, type): the same reference whether the
facts were built by the projection or from the log on demand, and the key of the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.case import Consent
from domain.delegation import Lapse, delegation_lapse
from domain.partnership import Suspension, partnership_in_force
from domain.values import Actor, AlertKind, Basis, BasisKind

DEFAULT_IDLE_AFTER = timedelta(days=90)
MANY_INSTITUTIONS = 2  # from two institutions on, someone must coordinate


def event_type(event: Any) -> str:
    """`Case.InterventionRecorded`, `Delegation.DelegationRevoked`, …"""
    return type(event).__qualname__


@dataclass(frozen=True)
class EventRef:
    aggregate_id: UUID
    version: int
    type: str

    @classmethod
    def of(cls, event: Any) -> EventRef:
        return cls(event.originator_id, event.originator_version, event_type(event))


# --- the registry entries a case refers to ---------------------------------------------------


@dataclass
class DelegationTerms:
    delegation_id: UUID
    institution_id: UUID
    professional_id: UUID
    case_id: UUID | None
    network_id: UUID | None
    scope: tuple[str, ...]
    valid_from: date
    valid_until: date
    revoked_at: datetime | None = None
    events: list[EventRef] = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.events[-1].version

    @classmethod
    def granted(cls, e: Any) -> DelegationTerms:
        return cls(
            delegation_id=e.originator_id,
            institution_id=e.institution_id,
            professional_id=e.professional_id,
            case_id=e.case_id,
            network_id=e.network_id,
            scope=tuple(e.scope),
            valid_from=e.valid_from,
            valid_until=e.valid_until,
            events=[EventRef.of(e)],
        )

    def apply(self, e: Any) -> None:
        if e.originator_version <= self.version:
            return  # already applied: re-applying changes nothing
        kind = event_type(e)
        if kind == "Delegation.DelegationExtended":
            self.valid_until = e.valid_until
        elif kind == "Delegation.DelegationRevoked":
            self.revoked_at = e.revoked_at
        else:
            return
        self.events.append(EventRef.of(e))

    def lapse_at(self, at: datetime) -> Lapse | None:
        return delegation_lapse(self.valid_from, self.valid_until, self.revoked_at, at)

    def why_lapsed(self) -> EventRef:
        """The event that makes the delegation end: its revocation, or the last of its grant
        and extensions (which set its end date)."""
        wanted = "Delegation.DelegationRevoked" if self.revoked_at is not None else None
        for ref in reversed(self.events):
            if wanted is None or ref.type == wanted:
                return ref
        return self.events[-1]


@dataclass
class PartnershipTerms:
    partnership_id: UUID
    kind: str
    title: str
    parties: tuple[UUID, ...]
    valid_from: date
    valid_until: date | None
    signed_by: tuple[UUID, ...] = ()
    suspensions: list[Suspension] = field(default_factory=list)
    terminated_on: date | None = None
    events: list[EventRef] = field(default_factory=list)
    version: int = 0

    @classmethod
    def proposed(cls, e: Any) -> PartnershipTerms:
        return cls(
            partnership_id=e.originator_id,
            kind=str(e.kind),
            title=e.title,
            parties=tuple(e.parties),
            valid_from=e.valid_from,
            valid_until=e.valid_until,
            events=[EventRef.of(e)],
            version=e.originator_version,
        )

    def apply(self, e: Any) -> None:
        if e.originator_version <= self.version:
            return  # already applied: re-applying changes nothing
        self.version = e.originator_version
        kind = event_type(e)
        if kind == "Partnership.PartnershipSigned":
            if e.signature.institution_id not in self.signed_by:
                self.signed_by = (*self.signed_by, e.signature.institution_id)
        elif kind == "Partnership.PartnershipAmended":
            if e.valid_until is not None:
                self.valid_until = e.valid_until
        elif kind == "Partnership.PartnershipSuspended":
            self.suspensions.append(Suspension(e.suspended_at))
        elif kind == "Partnership.PartnershipResumed":
            if self.suspensions and self.suspensions[-1].end is None:
                self.suspensions[-1] = replace(self.suspensions[-1], end=e.resumed_at)
        elif kind == "Partnership.PartnershipTerminated":
            self.terminated_on = e.terminated_on
        else:
            return
        self.events.append(EventRef.of(e))

    @property
    def is_convention(self) -> bool:
        return self.kind == "convention"

    def why_not_in_force(self) -> EventRef:
        """The latest suspension or termination, else the proposal (not signed, or out of its
        period)."""
        for ref in reversed(self.events):
            if ref.type in (
                "Partnership.PartnershipSuspended",
                "Partnership.PartnershipTerminated",
            ):
                return ref
        return self.events[0]

    def in_force_at(self, at: datetime) -> bool:
        return partnership_in_force(
            fully_signed=all(p in self.signed_by for p in self.parties),
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            terminated_on=self.terminated_on,
            suspensions=self.suspensions,
            at=at,
        )

    def binds(self, a: UUID, b: UUID) -> bool:
        return self.is_convention and a in self.parties and b in self.parties


@dataclass
class Registry:
    """The registry entries a case refers to, as the read side knows them."""

    delegations: dict[UUID, DelegationTerms] = field(default_factory=dict)
    partnerships: dict[UUID, PartnershipTerms] = field(default_factory=dict)

    def apply(self, e: Any) -> None:
        kind = event_type(e)
        if kind == "Delegation.DelegationGranted":
            if e.originator_id not in self.delegations:
                self.delegations[e.originator_id] = DelegationTerms.granted(e)
        elif kind.startswith("Delegation.") and e.originator_id in self.delegations:
            self.delegations[e.originator_id].apply(e)
        elif kind == "Partnership.PartnershipProposed":
            if e.originator_id not in self.partnerships:
                self.partnerships[e.originator_id] = PartnershipTerms.proposed(e)
        elif kind.startswith("Partnership.") and e.originator_id in self.partnerships:
            self.partnerships[e.originator_id].apply(e)

    def convention_in_force(self, a: UUID, b: UUID, at: datetime) -> PartnershipTerms | None:
        for terms in self.partnerships.values():
            if terms.binds(a, b) and terms.in_force_at(at):
                return terms
        return None


# --- one case's facts ----------------------------------------------------------------------


@dataclass
class ActorFacts:
    """A professional acting on the case for an institution; `basis` is that of their latest act."""

    professional_id: UUID
    institution_id: UUID
    role: str
    basis: Basis
    joined_at: datetime
    joined: EventRef
    last_action_at: datetime
    last_action: EventRef
    left_at: datetime | None = None
    left: EventRef | None = None

    @property
    def active(self) -> bool:
        return self.left_at is None


@dataclass(frozen=True)
class ShareFacts:
    ref: EventRef
    occurred_at: datetime
    from_institution_id: UUID
    to_institution_id: UUID
    categories: tuple[str, ...]
    consent_ids: tuple[UUID, ...]
    on_legal_ground: bool  # not the reference itself: it may identify the person
    convention_id: UUID | None


@dataclass(frozen=True)
class BasedAction:
    """An act resting on a dated registry entry (a delegation or a convention), kept so that a
    revocation or suspension recorded later, effective earlier, can be checked against it."""

    ref: EventRef
    occurred_at: datetime
    basis: Basis


@dataclass
class CaseFacts:
    case_id: UUID
    holder_institution_id: UUID
    legal_framework: str
    opened_at: datetime
    opened: EventRef
    version: int = 0
    closed_at: datetime | None = None
    erased_at: datetime | None = None  # the beneficiary's personal data was erased
    actors: list[ActorFacts] = field(default_factory=list)
    coordinator: Actor | None = None
    coordinator_since: EventRef | None = None
    coordinator_lost: EventRef | None = None
    consents: list[Consent] = field(default_factory=list)
    consent_events: dict[str, list[EventRef]] = field(default_factory=dict)
    shares: list[ShareFacts] = field(default_factory=list)
    based_actions: list[BasedAction] = field(default_factory=list)
    acknowledged: list[tuple[str, int]] = field(default_factory=list)  # (alert kind, version)

    @classmethod
    def opened_by(cls, e: Any) -> CaseFacts:
        ref = EventRef.of(e)
        facts = cls(
            case_id=e.originator_id,
            holder_institution_id=e.by.institution_id,
            legal_framework=str(e.legal_framework),
            opened_at=e.occurred_at,
            opened=ref,
            version=e.originator_version,
        )
        facts._join(e, ref)
        facts._based(e, ref)
        return facts

    # --- reading ---------------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self.closed_at is not None

    def actor(self, professional_id: UUID, institution_id: UUID) -> ActorFacts | None:
        for a in self.actors:
            if a.professional_id == professional_id and a.institution_id == institution_id:
                return a
        return None

    @property
    def current_actors(self) -> list[ActorFacts]:
        return [a for a in self.actors if a.active]

    def delegation_ids(self) -> list[UUID]:
        refs = [a.basis for a in self.actors] + [b.basis for b in self.based_actions]
        return _distinct(
            b.ref_id for b in refs if b.kind == BasisKind.DELEGATION and b.ref_id is not None
        )

    def convention_ids(self) -> list[UUID]:
        """Conventions named by the case's acts and shares."""
        bases = [a.basis for a in self.actors] + [b.basis for b in self.based_actions]
        refs = [b.ref_id for b in bases if b.kind == BasisKind.CONVENTION and b.ref_id is not None]
        refs += [s.convention_id for s in self.shares if s.convention_id is not None]
        return _distinct(refs)

    def institution_ids(self) -> list[UUID]:
        ids = [self.holder_institution_id] + [a.institution_id for a in self.actors]
        for s in self.shares:
            ids += [s.from_institution_id, s.to_institution_id]
        return _distinct(ids)

    def is_acknowledged(self, kind: AlertKind, version: int) -> bool:
        return (str(kind), version) in self.acknowledged

    # --- applying --------------------------------------------------------------------------

    def apply(self, e: Any) -> None:
        """Fold one more event of this case (in version order). Tolerant: an event whose
        premise is missing (as when an as-of view cuts the log) changes only what it can."""
        if e.originator_version <= self.version:
            return  # already applied: re-applying changes nothing
        self.version = e.originator_version
        kind = event_type(e).removeprefix("Case.")
        ref = EventRef.of(e)
        handler = getattr(self, f"_on_{kind}", None)
        if handler is not None:
            handler(e, ref)
        self._based(e, ref)
        by = getattr(e, "by", None)
        if by is not None and kind != "ParticipantJoined":
            self._acted(by, e, ref)

    def _based(self, e: Any, ref: EventRef) -> None:
        basis = getattr(e, "basis", None)
        if basis is not None and basis.kind in (BasisKind.DELEGATION, BasisKind.CONVENTION):
            self.based_actions.append(BasedAction(ref, e.occurred_at, basis))

    def _acted(self, by: Actor, e: Any, ref: EventRef) -> None:
        actor = self.actor(by.professional_id, by.institution_id)
        if actor is None:
            return  # not a participant (concerning information, a referral answered)
        if e.occurred_at >= actor.last_action_at:  # an older act entered late changes nothing
            actor.basis = e.basis
            actor.last_action_at = e.occurred_at
            actor.last_action = ref

    def _join(self, e: Any, ref: EventRef) -> None:
        actor = self.actor(e.by.professional_id, e.by.institution_id)
        if actor is not None:  # rejoining after leaving
            self.actors.remove(actor)
        self.actors.append(
            ActorFacts(
                professional_id=e.by.professional_id,
                institution_id=e.by.institution_id,
                role=e.role,
                basis=e.basis,
                joined_at=e.occurred_at,
                joined=ref,
                last_action_at=e.occurred_at,
                last_action=ref,
            )
        )

    def _on_ParticipantJoined(self, e: Any, ref: EventRef) -> None:  # noqa: N802
        self._join(e, ref)

    def _on_ParticipantLeft(self, e: Any, ref: EventRef) -> None:  # noqa: N802
        actor = self.actor(e.by.professional_id, e.by.institution_id)
        if actor is not None:
            actor.left_at, actor.left = e.occurred_at, ref
        if self.coordinator == e.by:
            self.coordinator, self.coordinator_since, self.coordinator_lost = None, None, ref

    def _on_CoordinatorDesignated(self, e: Any, ref: EventRef) -> None:  # noqa: N802
        self.coordinator, self.coordinator_since, self.coordinator_lost = e.coordinator, ref, None

    def _on_ConsentGiven(self, e: Any, ref: EventRef) -> None:  # noqa: N802
        self.consents.append(
            Consent(
                consent_id=e.consent_id,
                giver=str(e.giver),
                representative_name=None,  # a name: not needed to judge coherence
                recipients=tuple(e.recipients),
                categories=tuple(e.categories),
                given_at=e.occurred_at,
                valid_until=e.valid_until,
            )
        )
        self.consent_events[str(e.consent_id)] = [ref]

    def _on_ConsentWithdrawn(self, e: Any, ref: EventRef) -> None:  # noqa: N802
        for i, c in enumerate(self.consents):
            if c.consent_id == e.consent_id:
                self.consents[i] = replace(c, withdrawn_at=e.occurred_at)
                self.consent_events[str(c.consent_id)].append(ref)

    def _on_InformationShared(self, e: Any, ref: EventRef) -> None:  # noqa: N802
        self.shares.append(
            ShareFacts(
                ref=ref,
                occurred_at=e.occurred_at,
                from_institution_id=e.by.institution_id,
                to_institution_id=e.recipient_institution_id,
                categories=tuple(e.categories),
                consent_ids=tuple(e.consent_ids),
                on_legal_ground=e.legal_ground is not None,
                convention_id=e.convention_id,
            )
        )

    def _on_AlertAcknowledged(self, e: Any, ref: EventRef) -> None:  # noqa: N802
        for version in e.versions:
            key = (str(e.alert_kind), int(version))
            if key not in self.acknowledged:
                self.acknowledged.append(key)

    def _on_CaseClosed(self, e: Any, ref: EventRef) -> None:  # noqa: N802
        self.closed_at = e.occurred_at

    def _on_CaseReopened(self, e: Any, ref: EventRef) -> None:  # noqa: N802
        self.closed_at = None

    def _on_BeneficiaryErased(self, e: Any, ref: EventRef) -> None:  # noqa: N802
        self.erased_at = e.occurred_at
        self.closed_at = self.closed_at or e.occurred_at  # erasure closes the case for good


# --- reading the facts at an instant --------------------------------------------------------


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
    institutions = _distinct(a.institution_id for a in current)
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


def _distinct(values: Iterable[UUID]) -> list[UUID]:
    return list(dict.fromkeys(values))
