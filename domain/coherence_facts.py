"""One case's facts, folded from its events: who acts on it, for which institution, on what
basis, what was shared under which consent (see `domain.coherence`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING
from uuid import UUID

from domain import coherence_corrections as corrections
from domain.case_values import Consent, stands_on_latest
from domain.coherence_parts import (
    Acknowledgement,
    ActFacts,
    ActorFacts,
    BasedAction,
    OutsideAct,
    ShareFacts,
)
from domain.coherence_referrals import ReferralFacts, answered
from domain.event_classes import (
    ActAnnulled,
    ActCorrected,
    AlertAcknowledged,
    BeneficiaryErased,
    CaseClosed,
    CaseEvent,
    CaseOpened,
    CaseReopened,
    ConsentGiven,
    ConsentWithdrawn,
    CoordinatorDesignated,
    InformationShared,
    ParticipantJoined,
    ParticipantLeft,
    ReferentAssigned,
    ReferralAccepted,
    ReferralDeclined,
    ReferralMade,
    ReferralRevoked,
    TransferAccepted,
    TransferDeclined,
    TransferRequested,
    TransferWithdrawn,
)
from domain.events import CASE_ACTS, EventRef
from domain.holding import Holder
from domain.values import Actor, AlertKind, BasisKind

if TYPE_CHECKING:
    from domain.event_classes import CaseAct


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
    holders: list[Holder] = field(default_factory=list)  # each holder with its dates, current last
    transfers_pending: dict[str, UUID] = field(default_factory=dict)  # transfer id -> receiving
    coordinator: Actor | None = None  # the référent de parcours
    coordinator_since: EventRef | None = None
    coordinator_lost: EventRef | None = None
    coordinator_lost_at: datetime | None = None
    consents: list[Consent] = field(default_factory=list)
    consent_events: dict[str, list[EventRef]] = field(default_factory=dict)
    shares: list[ShareFacts] = field(default_factory=list)
    based_actions: list[BasedAction] = field(default_factory=list)
    outside_acts: list[OutsideAct] = field(default_factory=list)
    acknowledgements: list[Acknowledgement] = field(default_factory=list)
    referrals: list[ReferralFacts] = field(default_factory=list)
    acts: dict[str, ActFacts] = field(default_factory=dict)  # correctable, not annulled

    @classmethod
    def opened_by(cls, e: CaseOpened) -> CaseFacts:
        ref = EventRef.of(e)
        facts = cls(
            case_id=e.originator_id,
            holder_institution_id=e.by.institution_id,
            legal_framework=str(e.legal_framework),
            opened_at=e.occurred_at,
            opened=ref,
            version=e.originator_version,
            holders=[Holder(e.by.institution_id, e.occurred_at)],
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
        named = [b.ref_id for b in refs if b.kind == BasisKind.DELEGATION and b.ref_id is not None]
        return distinct(named + [o.outside.delegation_id for o in self.outside_acts])

    def convention_ids(self) -> list[UUID]:
        """Conventions named by the case's acts and shares."""
        bases = [a.basis for a in self.actors] + [b.basis for b in self.based_actions]
        refs = [b.ref_id for b in bases if b.kind == BasisKind.CONVENTION and b.ref_id is not None]
        refs += [s.convention_id for s in self.shares if s.convention_id is not None]
        return distinct(refs)

    def institution_ids(self) -> list[UUID]:
        ids = [self.holder_institution_id] + [a.institution_id for a in self.actors]
        for s in self.shares:
            ids += [s.from_institution_id, s.to_institution_id]
        return distinct(ids)

    def acknowledgement_of(self, kind: AlertKind, version: int) -> Acknowledgement | None:
        """The first acknowledgement of an alert of `kind` naming this event of the case."""
        for a in self.acknowledgements:
            if a.alert_kind == str(kind) and version in a.versions:
                return a
        return None

    # --- applying --------------------------------------------------------------------------

    def apply(self, e: CaseEvent) -> None:
        """Fold one more event of this case (in version order). Tolerant: an event whose
        premise is missing (as when an as-of view cuts the log) changes only what it can."""
        if e.originator_version <= self.version:
            return  # already applied: re-applying changes nothing
        self.version = e.originator_version
        ref = EventRef.of(e)
        match e:
            case ParticipantJoined():
                self._join(e, ref)
            case ParticipantLeft():
                self._left(e, ref)
            case CoordinatorDesignated():
                self._coordinated(e.coordinator, ref)
            case ReferentAssigned():
                self._coordinated(e.referent, ref)
            case TransferRequested():
                self.transfers_pending[str(e.transfer_id)] = e.to_institution_id
            case TransferAccepted():
                self._held(e)
            case TransferDeclined() | TransferWithdrawn():
                self.transfers_pending.pop(str(e.transfer_id), None)
            case ConsentGiven():
                self._consent_given(e, ref)
            case ConsentWithdrawn():
                self._consent_withdrawn(e, ref)
            case InformationShared():
                self._shared(e, ref)
            case AlertAcknowledged():
                self._acknowledged(e, ref)
            case ReferralMade():
                self.referrals.append(ReferralFacts.made(e, ref))
            case ReferralAccepted() | ReferralDeclined() | ReferralRevoked():
                self.referrals = answered(self.referrals, e, ref)
            case ActCorrected():
                corrections.corrected(self, e)
            case ActAnnulled():
                corrections.annulled(self, e)
            case CaseClosed():
                self.closed_at = e.occurred_at
            case CaseReopened():
                self.closed_at = None
            case BeneficiaryErased():
                self.erased_at = e.occurred_at
                self.closed_at = self.closed_at or e.occurred_at  # erasure closes it for good
            case _:
                pass  # other acts count as acts only (below)
        if isinstance(e, CASE_ACTS):
            self._based(e, ref)
            if not isinstance(e, ParticipantJoined):
                self._acted(e, ref)

    def _based(self, e: CaseAct, ref: EventRef) -> None:
        if e.basis.kind in (BasisKind.DELEGATION, BasisKind.CONVENTION):
            self.based_actions.append(BasedAction(ref, e.occurred_at, e.basis, e.by))
        outside = e.basis.outside_delegation
        if outside is not None and not isinstance(e, ParticipantLeft):  # leaving is no act to flag
            self.outside_acts.append(OutsideAct(ref, e.occurred_at, e.by, e.basis.kind, outside))

    def _acted(self, e: CaseAct, ref: EventRef) -> None:
        act_id = corrections.act_id_of(e)
        if act_id is not None:
            by = e.by
            self.acts[str(act_id)] = ActFacts(
                ref.version, ref.type, e.occurred_at, by.professional_id, by.institution_id, e.basis
            )
        actor = self.actor(e.by.professional_id, e.by.institution_id)
        if actor is None:
            return  # not a participant (concerning information, a referral answered)
        if act_id is None:
            actor.settle(e.occurred_at, ref, e.basis)
        if stands_on_latest(actor.last_action_at, e.occurred_at):
            actor.basis = e.basis
            actor.last_action_at = e.occurred_at
            actor.last_action = ref

    def _join(self, e: CaseOpened | ParticipantJoined, ref: EventRef) -> None:
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
                settled_at=e.occurred_at,
                settled=ref,
                settled_basis=e.basis,
            )
        )

    def _left(self, e: ParticipantLeft, ref: EventRef) -> None:
        actor = self.actor(e.by.professional_id, e.by.institution_id)
        if actor is not None:
            actor.left_at, actor.left = e.occurred_at, ref
        if self.coordinator == e.by:
            self.coordinator, self.coordinator_since, self.coordinator_lost = None, None, ref
            self.coordinator_lost_at = e.occurred_at

    def _coordinated(self, coordinator: Actor, ref: EventRef) -> None:
        self.coordinator, self.coordinator_since = coordinator, ref
        self.coordinator_lost = self.coordinator_lost_at = None

    def _held(self, e: TransferAccepted) -> None:
        """The case is held by the receiving institution of the transfer accepted."""
        receiving = self.transfers_pending.pop(str(e.transfer_id), None)
        if receiving is None:
            return  # its request is not in these facts (an as-of view cut the log)
        if self.holders:
            self.holders[-1] = replace(self.holders[-1], until=e.occurred_at)
        self.holders.append(Holder(receiving, e.occurred_at))
        self.holder_institution_id = receiving

    def _consent_given(self, e: ConsentGiven, ref: EventRef) -> None:
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

    def _consent_withdrawn(self, e: ConsentWithdrawn, ref: EventRef) -> None:
        for i, c in enumerate(self.consents):
            if c.consent_id == e.consent_id:
                self.consents[i] = replace(c, withdrawn_at=e.occurred_at)
                self.consent_events[str(c.consent_id)].append(ref)

    def _shared(self, e: InformationShared, ref: EventRef) -> None:
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
                legal_reference=e.legal_reference,
            )
        )

    def _acknowledged(self, e: AlertAcknowledged, ref: EventRef) -> None:
        self.acknowledgements.append(
            Acknowledgement(
                ref=ref,
                alert_kind=str(e.alert_kind),
                versions=tuple(int(v) for v in e.versions),
                by=e.by,
                occurred_at=e.occurred_at,
            )
        )


def distinct(values: Iterable[UUID]) -> list[UUID]:
    """The values once each, in their first order."""
    return list(dict.fromkeys(values))
