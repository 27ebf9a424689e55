"""The registry entries a case refers to, as the read side knows them: the terms of delegations
and partnerships, folded from their events (see `domain.coherence`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from uuid import UUID

from domain.delegation import Lapse, delegation_lapse
from domain.event_classes import (
    DelegationEvent,
    DelegationExtended,
    DelegationGranted,
    DelegationRevoked,
    PartnershipAmended,
    PartnershipEvent,
    PartnershipProposed,
    PartnershipResumed,
    PartnershipSigned,
    PartnershipSuspended,
    PartnershipTerminated,
)
from domain.events import EventRef
from domain.partnership import Suspension, partnership_in_force


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
    def granted(cls, e: DelegationGranted) -> DelegationTerms:
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

    def apply(self, e: DelegationEvent) -> None:
        if e.originator_version <= self.version:
            return  # already applied: re-applying changes nothing
        if isinstance(e, DelegationExtended):
            self.valid_until = e.valid_until
        elif isinstance(e, DelegationRevoked):
            self.revoked_at = e.revoked_at
        else:
            return  # the grant: read by `granted`
        self.events.append(EventRef.of(e))

    def lapse_at(self, at: datetime) -> Lapse | None:
        return delegation_lapse(self.valid_from, self.valid_until, self.revoked_at, at)

    def why_lapsed(self) -> EventRef:
        """The event that makes the delegation end: its revocation, or the last of its grant
        and extensions (which set its end date)."""
        revoked = self.revoked_at is not None
        for ref in reversed(self.events):
            if not revoked or ref.is_a(DelegationRevoked):
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
    def proposed(cls, e: PartnershipProposed) -> PartnershipTerms:
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

    def apply(self, e: PartnershipEvent) -> None:
        if e.originator_version <= self.version:
            return  # already applied: re-applying changes nothing
        self.version = e.originator_version
        if isinstance(e, PartnershipSigned):
            if e.signature.institution_id not in self.signed_by:
                self.signed_by = (*self.signed_by, e.signature.institution_id)
        elif isinstance(e, PartnershipAmended):
            if e.valid_until is not None:
                self.valid_until = e.valid_until
        elif isinstance(e, PartnershipSuspended):
            self.suspensions.append(Suspension(e.suspended_at))
        elif isinstance(e, PartnershipResumed):
            if self.suspensions and self.suspensions[-1].end is None:
                self.suspensions[-1] = replace(self.suspensions[-1], end=e.resumed_at)
        elif isinstance(e, PartnershipTerminated):
            self.terminated_on = e.terminated_on
        else:
            return  # the proposal: read by `proposed`
        self.events.append(EventRef.of(e))

    @property
    def is_convention(self) -> bool:
        return self.kind == "convention"

    def why_not_in_force(self) -> EventRef:
        """The latest suspension or termination, else the proposal (not signed, or out of its
        period)."""
        for ref in reversed(self.events):
            if ref.is_a(PartnershipSuspended, PartnershipTerminated):
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

    def apply(self, e: DelegationEvent | PartnershipEvent) -> None:
        """Fold one event of a delegation or a partnership (others change nothing)."""
        entry = e.originator_id
        if isinstance(e, DelegationGranted):
            if entry not in self.delegations:
                self.delegations[entry] = DelegationTerms.granted(e)
        elif isinstance(e, DelegationEvent):
            if entry in self.delegations:
                self.delegations[entry].apply(e)
        elif isinstance(e, PartnershipProposed):
            if entry not in self.partnerships:
                self.partnerships[entry] = PartnershipTerms.proposed(e)
        elif isinstance(e, PartnershipEvent) and entry in self.partnerships:
            self.partnerships[entry].apply(e)

    def convention_in_force(self, a: UUID, b: UUID, at: datetime) -> PartnershipTerms | None:
        for terms in self.partnerships.values():
            if terms.binds(a, b) and terms.in_force_at(at):
                return terms
        return None
