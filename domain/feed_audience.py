"""Which institutions may know an event of the log: the audience of the catch-up feed and of
webhooks (issue 19), an institution's client applications following what concerns it.

The rule is decided once, when the event is projected, from the events before it (never from what
happens after), so that the feed is a stable sequence: asking again from the same position gives
the same answer, and a consumer resuming from a position misses nothing and sees nothing twice.

- **A case's events** are known to the institutions involved in it, as `Case.was_involved`
  counts them: from the first event that puts an institution on the case (opening it, taking
  part, referring it, accepting a referral, the holding transferred to it) and, as for the
  supervisors who audit it (`domain.access`), for as long as the case lasts, even after it left:
  it holds copies and must, for instance, learn of the beneficiary's erasure. Earlier events are
  not replayed to a newcomer; its professionals read the case's history through the case's own
  routes, under the case rules.
- **An institution addressed by an act** knows that act without being involved: the institution a
  piece of information was shared with, a referral made to, a transfer offered to or asked from,
  the CRIP a concerning information was transmitted to — and the answers to that referral or
  transfer (accepted, declined, revoked, withdrawn), which name only its id — and an act is
  known to its author's institution. Declining a referral or a transfer does not involve it.
  An institution only told of an event (not involved) never receives its personal fields.
- **A reading** of a case's content is known to the institutions involved in the case, and to the
  reader's.
- **The registry's events** are known to the institutions they name (an institution's own events,
  its employments, a delegation it granted, a partnership's parties, a network's founding and
  joining institutions, a funding's funder and target), and a delegation's, partnership's,
  network's or funding's later events to every institution named by an earlier one.

Nothing here reads a store: the projector (`projections.feed`) keeps each aggregate's `Audience`
between events and asks `audience_of`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEvent

from domain import event_classes as ev

# The acts that put their institution (`by`) on the case for good, as `Case.was_involved` counts
# it: holding it (opening), taking part, referring it, accepting a referral. Accepting a transfer
# involves the institution the holding goes to (`TransferAccepted`, below). Declining a referral
# or a transfer does not: the institution is told of its own answer, and nothing after it.
_INVOLVING = (ev.CaseOpened, ev.ParticipantJoined, ev.ReferralMade, ev.ReferralAccepted)


@dataclass
class Audience:
    """What one aggregate's events so far say about who may know its next ones."""

    involved: set[UUID] = field(default_factory=set)
    # Referrals and transfers addressed to an institution not involved: their answers name only
    # their id, so the institutions addressed are remembered until then — a transfer's side the
    # holding would go to first.
    addressed: dict[UUID, list[UUID]] = field(default_factory=dict)

    def to_document(self) -> dict[str, Any]:
        return {
            "involved": sorted(str(i) for i in self.involved),
            "addressed": {str(k): [str(i) for i in v] for k, v in self.addressed.items()},
        }

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> Audience:
        return cls(
            {UUID(i) for i in document.get("involved", ())},
            {UUID(k): [UUID(i) for i in v] for k, v in document.get("addressed", {}).items()},
        )


@dataclass(frozen=True)
class Told:
    """Who may know one event: the institutions involved in its case (or named by its registry
    aggregate), and those only told of this one event (addressed by it, or the author's own
    institution when it is not involved) — these never see its personal fields."""

    involved: frozenset[UUID]
    addressed: frozenset[UUID] = frozenset()

    @property
    def everyone(self) -> frozenset[UUID]:
        return self.involved | self.addressed


def aggregate_of(event: DomainEvent) -> UUID:
    """The aggregate whose audience an event reads and changes: a reading, its case's."""
    if isinstance(event, ev.CaseContentRead):
        return event.case_id
    return event.originator_id


def audience_of(event: DomainEvent, audience: Audience) -> Told:
    """Who may know `event`, given its aggregate's `audience` before it; the `audience` is
    updated for the events after it."""
    if isinstance(event, ev.CaseContentRead):
        return _told(audience.involved, {event.by.institution_id})
    if isinstance(event, ev.CaseEvent):
        return _case_event(event, audience)
    audience.involved |= _named_institutions(event)
    return Told(frozenset(audience.involved))


def _told(involved: set[UUID], addressed: set[UUID]) -> Told:
    return Told(frozenset(involved), frozenset(addressed - involved))


def _case_event(event: Any, audience: Audience) -> Told:
    if isinstance(event, _INVOLVING):
        audience.involved.add(event.by.institution_id)
    told: set[UUID] = set()
    by = getattr(event, "by", None)
    if by is not None:  # an act is known to its author's institution, involved or not
        told.add(by.institution_id)
    if isinstance(event, ev.InformationShared):
        told.add(event.recipient_institution_id)
    elif isinstance(event, ev.ConcerningInformationTransmitted):
        told.add(event.crip_institution_id)
    elif isinstance(event, ev.ReferralMade):
        audience.addressed[event.referral_id] = [event.to_institution_id]
        told.add(event.to_institution_id)
    elif isinstance(event, ev.TransferRequested):
        sides = [event.to_institution_id, event.from_institution_id]
        audience.addressed[event.transfer_id] = sides
        told |= set(sides)
    elif isinstance(event, ev.ReferralAccepted | ev.ReferralDeclined | ev.ReferralRevoked):
        told |= set(audience.addressed.pop(event.referral_id, ()))
    elif isinstance(event, ev.TransferAccepted):
        sides = audience.addressed.pop(event.transfer_id, [])
        told |= set(sides)
        if sides:  # the holding goes to its first side: on the case from now on
            audience.involved.add(sides[0])
    elif isinstance(event, ev.TransferDeclined | ev.TransferWithdrawn):
        told |= set(audience.addressed.pop(event.transfer_id, ()))
    return _told(audience.involved, told)


def _named_institutions(event: DomainEvent) -> set[UUID]:
    """The institutions a registry event names (never a professional's id)."""
    if isinstance(event, ev.InstitutionEvent):
        return {event.originator_id}
    if isinstance(event, ev.EmploymentStarted | ev.EmploymentEnded):
        return {event.institution_id}
    if isinstance(event, ev.DelegationGranted):
        return {event.institution_id}
    if isinstance(event, ev.PartnershipProposed):
        return set(event.parties)
    if isinstance(event, ev.NetworkFounded):
        return set(event.founding_institutions)
    if isinstance(event, ev.InstitutionJoinedNetwork):
        return {event.institution_id}
    if isinstance(event, ev.MemberAdmitted):
        member = event.member
        return {member.institution_id} if member.institution_id is not None else set()
    if isinstance(event, ev.FundingGranted):
        target = {event.target_id} if event.target_kind == "institution" else set()
        return {event.funder_id} | target
    return set()
