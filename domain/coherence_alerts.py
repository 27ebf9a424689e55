"""The alerts of a case's coherence view: what is incoherent, as structured values (kind, ids,
dates, reasons) that the outer rooms word as a sentence in the reader's language.

Two families (`domain.values.ACKNOWLEDGEABLE_ALERTS`):

- **Past acts** (an act without a valid basis, an act outside a delegation, an exchange with no
  convention in force, a share beyond consent) are judged at the instant the act occurred, with
  the registry as known now. The past cannot be undone: such an alert stays open until a
  supervisor acknowledges it with a note, even once its cause is remedied (a convention comes
  into force, a consent is obtained) — it then shows when it was resolved. Acknowledged, it
  leaves the open list and stays in the history, with its acknowledgement.
- **Live conditions** (no coordinator, an idle actor, a lapsed delegation still in use) hold or
  not at the reading instant: they end when the condition ends, and are never acknowledged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID

from domain.case_values import referral_status
from domain.coherence_facts import CaseFacts, distinct
from domain.coherence_parts import Acknowledgement, ActorFacts
from domain.coherence_registry import Registry
from domain.delegation import Lapse
from domain.events import EventRef
from domain.values import Actor, AlertKind, BasisKind

MANY_INSTITUTIONS = 2  # from two institutions on, someone must coordinate
NO_CONVENTION = "no_convention"  # the reason of an exchange between institutions never bound
UNKNOWN = "unknown"  # a registry entry the read side does not know (yet)


@dataclass(frozen=True)
class Alert:
    """One incoherence. Which values are set depends on the kind: `reason` is a lapse of the
    delegation or convention at stake (`Lapse`, `PartnershipLapse`, `DelegationGap`, or
    `no_convention`), `reason_since` the day it is dated from; `count` the acts, exchanges,
    institutions or idle days."""

    kind: AlertKind
    events: tuple[EventRef, ...]  # the events of the case that raised it
    raised_at: datetime
    raised_by: EventRef | None
    related: tuple[EventRef, ...] = ()  # registry events behind it (a revocation, a grant…)
    professional_id: UUID | None = None
    institution_id: UUID | None = None
    counterpart_institution_id: UUID | None = None
    delegation_id: UUID | None = None
    partnership_id: UUID | None = None
    reason: str | None = None
    reason_since: date | None = None
    count: int = 0
    categories: tuple[str, ...] = ()
    action_kinds: tuple[str, ...] = ()
    acknowledgeable: bool = False
    resolved_at: datetime | None = None  # a past incoherence whose cause was remedied
    resolved_by: EventRef | None = None
    acknowledgement: Acknowledgement | None = None

    @property
    def open(self) -> bool:
        return self.acknowledgement is None


Dated = tuple[EventRef, datetime]


def _by_acknowledgement(
    facts: CaseFacts, kind: AlertKind, acts: Sequence[Dated]
) -> list[tuple[list[Dated], Acknowledgement | None]]:
    """The acts not acknowledged (one group, first), then those of each acknowledgement."""
    pending: list[Dated] = []
    acknowledged: dict[int, tuple[Acknowledgement, list[Dated]]] = {}
    for ref, at in acts:
        ack = facts.acknowledgement_of(kind, ref.version)
        if ack is None:
            pending.append((ref, at))
        else:
            acknowledged.setdefault(ack.ref.version, (ack, []))[1].append((ref, at))
    groups: list[tuple[list[Dated], Acknowledgement | None]] = [
        (dated, ack) for ack, dated in acknowledged.values()
    ]
    return [(pending, None), *groups] if pending else groups


def _past(
    kind: AlertKind, acts: list[Dated], ack: Acknowledgement | None, **values: object
) -> Alert:
    first = min(acts, key=lambda a: a[1])
    return Alert(
        kind=kind,
        events=tuple(ref for ref, _ in acts),
        raised_at=first[1],
        raised_by=first[0],
        acknowledgeable=True,
        acknowledgement=ack,
        count=len(acts),
        **values,  # type: ignore[arg-type]
    )


# --- past acts --------------------------------------------------------------------------------


def actions_without_valid_basis(facts: CaseFacts, registry: Registry) -> list[Alert]:
    """Acts resting on a delegation or convention that did not hold when they occurred (a
    revocation or suspension entered later, effective earlier)."""
    kind = AlertKind.ACTION_WITHOUT_VALID_BASIS
    groups: dict[tuple[UUID, Actor | None], list[Dated]] = {}
    for action in facts.based_actions:
        ref_id = action.basis.ref_id
        if ref_id is None:
            continue
        if action.basis.kind == BasisKind.DELEGATION:
            d = registry.delegations.get(ref_id)
            if d is not None and d.lapse_at(action.occurred_at) is None:
                continue
        else:
            p = registry.partnerships.get(ref_id)
            if p is not None and p.in_force_at(action.occurred_at):
                continue
        groups.setdefault((ref_id, action.by), []).append((action.ref, action.occurred_at))
    alerts = []
    for (ref_id, by), acts in groups.items():
        first_at = min(at for _, at in acts)
        values: dict[str, object] = {"reason": UNKNOWN}
        d, p = registry.delegations.get(ref_id), registry.partnerships.get(ref_id)
        if d is not None:
            lapse = d.lapse_at(first_at)
            values = {
                "delegation_id": ref_id,
                "professional_id": d.professional_id,
                "institution_id": d.institution_id,
                "reason": str(lapse) if lapse is not None else UNKNOWN,
                "reason_since": d.lapse_day(str(lapse)) if lapse is not None else None,
                "related": (d.why_lapsed(),),
            }
        elif p is not None:
            plapse = p.lapse_at(first_at)
            values = {
                "partnership_id": ref_id,
                "reason": str(plapse) if plapse is not None else UNKNOWN,
                "reason_since": p.lapse_day(str(plapse), first_at) if plapse is not None else None,
                "related": (p.why_not_in_force(),),
            }
        if by is not None and "professional_id" not in values:
            values |= {"professional_id": by.professional_id, "institution_id": by.institution_id}
        for dated, ack in _by_acknowledgement(facts, kind, acts):
            alerts.append(_past(kind, dated, ack, **values))
    return alerts


def acts_outside_delegation(facts: CaseFacts, registry: Registry) -> list[Alert]:
    """Acts of a delegate that their delegation for the case did not cover (outside its scope,
    before it, after it expired or was revoked), recorded as informal."""
    kind = AlertKind.ACT_OUTSIDE_DELEGATION
    groups: dict[tuple[UUID, str, Actor], list[tuple[Dated, str]]] = {}
    for act in facts.outside_acts:
        if act.basis_kind != BasisKind.INFORMAL:
            continue  # another formal basis covered it: the delegation was not needed
        key = (act.outside.delegation_id, act.outside.reason, act.by)
        groups.setdefault(key, []).append(((act.ref, act.occurred_at), act.outside.action_kind))
    alerts = []
    for (delegation_id, reason, by), acts in groups.items():
        d = registry.delegations.get(delegation_id)
        values: dict[str, object] = {
            "delegation_id": delegation_id,
            "professional_id": by.professional_id,
            "institution_id": by.institution_id,
            "reason": reason,
            "action_kinds": tuple(dict.fromkeys(k for _, k in acts)),
        }
        if d is not None:
            values["reason_since"] = d.lapse_day(reason)
            lapsed = reason in (Lapse.REVOKED, Lapse.EXPIRED)
            values["related"] = (d.why_lapsed() if lapsed else d.events[0],)
        for dated, ack in _by_acknowledgement(facts, kind, [a for a, _ in acts]):
            alerts.append(_past(kind, dated, ack, **values))
    return alerts


def exchanges_without_convention(facts: CaseFacts, registry: Registry, at: datetime) -> list[Alert]:
    """Shares between two institutions with no convention in force between them when they
    occurred. A share on a legal ground is lawful sharing, not an irregular exchange (it never
    raises this); a share on consent alone does. Resolved once a convention binding both is in
    force."""
    kind = AlertKind.EXCHANGE_WITHOUT_CONVENTION
    pairs: dict[tuple[UUID, UUID], list[Dated]] = {}
    categories: dict[tuple[UUID, UUID], list[str]] = {}
    for share in facts.shares:
        if share.on_legal_ground:
            continue
        a, b = sorted((share.from_institution_id, share.to_institution_id), key=str)
        if registry.convention_in_force(a, b, share.occurred_at) is not None:
            continue
        pairs.setdefault((a, b), []).append((share.ref, share.occurred_at))
        categories.setdefault((a, b), []).extend(share.categories)
    alerts = []
    for (a, b), shares in pairs.items():
        first_at = min(when for _, when in shares)
        values: dict[str, object] = {
            "institution_id": a,
            "counterpart_institution_id": b,
            "reason": NO_CONVENTION,
            "categories": tuple(dict.fromkeys(categories[(a, b)])),
        }
        convention = registry.convention_between(a, b)
        if convention is not None:
            lapse = convention.lapse_at(first_at)
            values["partnership_id"] = convention.partnership_id
            values["reason"] = str(lapse) if lapse is not None else UNKNOWN
            values["reason_since"] = convention.lapse_day(str(lapse), first_at) if lapse else None
            values["related"] = (convention.why_not_in_force(),)
        now_in_force = registry.convention_in_force(a, b, at)
        since = now_in_force.in_force_since(at) if now_in_force is not None else None
        for dated, ack in _by_acknowledgement(facts, kind, shares):
            resolution: dict[str, object] = {}
            if since is not None:
                last = max(when for _, when in dated)
                resolution = {"resolved_at": max(since[0], last), "resolved_by": since[1]}
            alerts.append(_past(kind, dated, ack, **(values | resolution)))
    return alerts


def shares_beyond_consent(facts: CaseFacts, at: datetime) -> list[Alert]:
    """Shares on consent that the consents they cited did not cover when they occurred (a
    withdrawal entered late). Resolved once consents in force cover what was shared."""
    kind = AlertKind.SHARED_BEYOND_CONSENT
    alerts = []
    for share in facts.shares:
        if not share.consent_ids or share.on_legal_ground:
            continue  # a legal ground, not a consent, made it lawful
        cited = [c for c in facts.consents if c.consent_id in share.consent_ids]
        to, when = share.to_institution_id, share.occurred_at
        uncovered = [
            category
            for category in share.categories
            if not any(c.covers(to, category, when) for c in cited)
        ]
        if not uncovered:
            continue
        consent_refs = [r for c in cited for r in facts.consent_events.get(str(c.consent_id), [])]
        values: dict[str, object] = {
            "institution_id": share.from_institution_id,
            "counterpart_institution_id": to,
            "categories": tuple(uncovered),
        }
        covering = [
            min((c for c in facts.consents if c.covers(to, category, at)), key=lambda c: c.given_at)
            for category in uncovered
            if any(c.covers(to, category, at) for c in facts.consents)
        ]
        if len(covering) == len(uncovered):  # regularised: every category is covered now
            latest = max(covering, key=lambda c: c.given_at)
            values["resolved_at"] = max(latest.given_at, when)
            values["resolved_by"] = facts.consent_events[str(latest.consent_id)][0]
        for dated, ack in _by_acknowledgement(facts, kind, [(share.ref, when)]):
            alert = _past(kind, dated, ack, **values)
            others = tuple(r for r in consent_refs if r.version != share.ref.version)
            alerts.append(_with_events(alert, (*alert.events, *others)))
    return alerts


def referrals_expired(facts: CaseFacts, at: datetime, expiry: timedelta) -> list[Alert]:
    """Referrals nobody answered within `expiry`: the referring institution is told, raised
    when it expired; a supervisor of it acknowledges it with a note (a new referral, a call…)."""
    kind = AlertKind.REFERRAL_EXPIRED
    alerts = []
    for r in facts.referrals:
        if referral_status(r.status, r.made_at, at, expiry) != "expired":
            continue
        values: dict[str, object] = {
            "professional_id": r.by.professional_id,
            "institution_id": r.by.institution_id,
            "counterpart_institution_id": r.to_institution_id,
            "reason_since": r.made_at.date(),
        }
        for _, ack in _by_acknowledgement(facts, kind, [(r.ref, r.made_at)]):
            alerts.append(
                replace(
                    _past(kind, [(r.ref, r.made_at)], ack, **values), raised_at=r.made_at + expiry
                )
            )
    return alerts


def _with_events(alert: Alert, events: tuple[EventRef, ...]) -> Alert:
    return replace(alert, events=events)


# --- live conditions ------------------------------------------------------------------------


def lapsed_delegations_in_use(
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
        lapsed_at = (
            d.revoked_at
            if lapse is Lapse.REVOKED and d.revoked_at is not None
            else datetime.combine(d.valid_until + timedelta(days=1), time.min, tzinfo=UTC)
        )
        alerts.append(
            Alert(
                kind=AlertKind.DELEGATION_LAPSED_IN_USE,
                events=(actor.last_action,),
                raised_at=max(lapsed_at, actor.last_action_at),
                raised_by=d.why_lapsed(),
                related=(d.why_lapsed(),),
                professional_id=actor.professional_id,
                institution_id=actor.institution_id,
                delegation_id=d.delegation_id,
                reason=str(lapse),
                reason_since=d.lapse_day(str(lapse)),
            )
        )
    return alerts


def no_coordinator(facts: CaseFacts, current: list[ActorFacts]) -> list[Alert]:
    institutions = distinct(a.institution_id for a in current)
    if facts.coordinator is not None or len(institutions) < MANY_INSTITUTIONS:
        return []
    joins = [a.joined for a in current if a.institution_id != facts.holder_institution_id]
    events = ([facts.coordinator_lost] if facts.coordinator_lost is not None else []) + joins
    raised = _second_institution_joined(current)
    raised_at, raised_by = raised.joined_at, raised.joined
    lost_at: datetime | None = facts.coordinator_lost_at
    if lost_at is not None and lost_at > raised_at and facts.coordinator_lost is not None:
        raised_at, raised_by = lost_at, facts.coordinator_lost
    return [
        Alert(
            kind=AlertKind.NO_COORDINATOR,
            events=tuple(events),
            raised_at=raised_at,
            raised_by=raised_by,
            count=len(institutions),
        )
    ]


def _second_institution_joined(current: list[ActorFacts]) -> ActorFacts:
    """The actor whose joining put a second institution on the case (among those on it now)."""
    ordered = sorted(current, key=lambda a: a.joined_at)
    seen: list[UUID] = []
    for actor in ordered:
        if actor.institution_id not in seen:
            seen.append(actor.institution_id)
        if len(seen) == MANY_INSTITUTIONS:
            return actor
    return ordered[-1]


def idle_actors(current: list[ActorFacts], at: datetime, idle_after: timedelta) -> list[Alert]:
    return [
        Alert(
            kind=AlertKind.IDLE_ACTOR,
            events=(a.last_action,),
            raised_at=a.last_action_at + idle_after,
            raised_by=a.last_action,
            professional_id=a.professional_id,
            institution_id=a.institution_id,
            count=(at - a.last_action_at).days,
            reason_since=a.last_action_at.date(),
        )
        for a in current
        if at - a.last_action_at > idle_after
    ]
