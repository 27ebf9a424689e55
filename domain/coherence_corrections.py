"""How a correction or an annulment changes a case's coherence facts (`domain.coherence_facts`):
the view shows the corrected state, never the act twice.

- A corrected date moves the act: the delegation or convention it rests on, or the delegation
  it fell outside of, is judged at its new date; its author's last action is found again.
- An annulled act leaves the facts: a share no longer raises alerts, an act no longer rests on
  a basis, and its author's last action is their latest act still standing.

Their last action is the latest, by when it occurred (the later recorded first among equals),
of their joining, their acts no correction can change (kept as `ActorFacts.settled`) and their
correctable acts since joining, as corrected (`CaseFacts.acts`) — what folding the log without
the error would have given. The as-of view folds the same reducers, so before the correction it
shows the act as first recorded, after it as corrected.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol
from uuid import UUID

from domain.case_values import correctable_act
from domain.coherence_parts import ActFacts, ActorFacts, BasedAction, OutsideAct, ShareFacts
from domain.events import EventRef

if TYPE_CHECKING:
    from domain.event_classes import ActAnnulled, ActCorrected


class CaseFacts(Protocol):
    """What a correction changes of `domain.coherence_facts.CaseFacts` (which calls in here)."""

    case_id: UUID
    acts: dict[str, ActFacts]
    shares: list[ShareFacts]
    based_actions: list[BasedAction]
    outside_acts: list[OutsideAct]

    def actor(self, professional_id: UUID, institution_id: UUID) -> ActorFacts | None: ...


def act_id_of(event: Any) -> UUID | None:
    """The id of an act that may be corrected or annulled (None for any other event)."""
    found = correctable_act(event)
    return found[0] if found is not None else None


def corrected(facts: CaseFacts, e: ActCorrected) -> None:
    act = facts.acts.get(str(e.act_id))
    new_date: datetime | None = getattr(e, "act_occurred_at", None)
    if act is None or new_date is None:
        return  # unknown here (cut by an as-of view), or only its kind or summary changed
    facts.acts[str(e.act_id)] = act._replace(occurred_at=new_date)
    ref = _ref(facts, act)
    facts.based_actions = [
        replace(b, occurred_at=new_date) if b.ref == ref else b for b in facts.based_actions
    ]
    facts.outside_acts = [
        replace(o, occurred_at=new_date) if o.ref == ref else o for o in facts.outside_acts
    ]
    _restand(facts, act.professional_id, act.institution_id)


def annulled(facts: CaseFacts, e: ActAnnulled) -> None:
    act = facts.acts.pop(str(e.act_id), None)
    if act is None:
        return
    ref = _ref(facts, act)
    facts.shares = [s for s in facts.shares if s.ref != ref]
    facts.based_actions = [b for b in facts.based_actions if b.ref != ref]
    facts.outside_acts = [o for o in facts.outside_acts if o.ref != ref]
    _restand(facts, act.professional_id, act.institution_id)


def _ref(facts: CaseFacts, act: ActFacts) -> EventRef:
    return EventRef(facts.case_id, act.version, act.type)


def _restand(facts: CaseFacts, professional_id: UUID, institution_id: UUID) -> None:
    actor = facts.actor(professional_id, institution_id)
    if actor is None:
        return
    candidates = [_settled(actor)] + [
        (a.occurred_at, a.version, _ref(facts, a), a.basis)
        for a in facts.acts.values()
        if a.professional_id == professional_id
        and a.institution_id == institution_id
        and a.version > actor.joined.version
    ]
    at, _, ref, basis = max(candidates, key=lambda c: (c[0], c[1]))
    actor.last_action_at, actor.last_action, actor.basis = at, ref, basis


def _settled(actor: ActorFacts) -> tuple[Any, ...]:
    if actor.settled is None or actor.settled_at is None or actor.settled_basis is None:
        return (actor.joined_at, actor.joined.version, actor.joined, actor.basis)  # older facts
    return (actor.settled_at, actor.settled.version, actor.settled, actor.settled_basis)
