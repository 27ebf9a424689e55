"""The registry entries a case refers to, as the read side knows them: the terms of delegations
and partnerships, folded from their events (see `domain.coherence`)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
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
from domain.partnership import (
    ConventionLack,
    Suspension,
    partnership_lapse,
    signed_by_all_on,
)


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

    def lapse_day(self, lapse: str) -> date | None:
        """The day a lapse is dated from: revoked on, expired on (its last day), valid from."""
        if lapse == Lapse.REVOKED and self.revoked_at is not None:
            return self.revoked_at.date()
        if lapse == Lapse.EXPIRED:
            return self.valid_until
        if lapse == Lapse.NOT_YET_VALID:
            return self.valid_from
        return None

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
    signed_days: dict[UUID, date] = field(default_factory=dict)  # each party's signature day
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
                self.signed_days[e.signature.institution_id] = e.signature.signed_on
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

    @property
    def signed_on(self) -> date | None:
        """The day the last party signed (documents older than `signed_days`: its start)."""
        days = ((i, self.signed_days.get(i, self.valid_from)) for i in self.signed_by)
        return signed_by_all_on(self.parties, days)

    def lapse_at(self, at: datetime) -> ConventionLack | None:
        return partnership_lapse(
            signed_on=self.signed_on,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            terminated_on=self.terminated_on,
            suspensions=self.suspensions,
            at=at,
        )

    def in_force_at(self, at: datetime) -> bool:
        return self.lapse_at(at) is None

    def lapse_day(self, lapse: str, at: datetime) -> date | None:
        """The day a lapse at `at` is dated from: suspended since, terminated on, expired on
        (its last day), valid from."""
        if lapse == ConventionLack.SUSPENDED:
            return next((s.start.date() for s in self.suspensions if s.covers(at)), None)
        if lapse == ConventionLack.TERMINATED:
            return self.terminated_on
        if lapse == ConventionLack.EXPIRED:
            return self.valid_until
        if lapse == ConventionLack.NOT_YET_IN_FORCE:
            return self.valid_from
        return None

    def in_force_since(self, at: datetime) -> tuple[datetime, EventRef] | None:
        """When the stretch in force at `at` began, and the event that began it (the proposal,
        the last signature, or a resumption); None if not in force at `at`."""
        signed_on = self.signed_on
        if signed_on is None or not self.in_force_at(at):
            return None
        start = datetime.combine(max(self.valid_from, signed_on), time.min, tzinfo=UTC)
        signed = [r for r in self.events if r.is_a(PartnershipSigned)]
        ref = signed[-1] if signed and signed_on >= self.valid_from else self.events[0]
        resumptions = [r for r in self.events if r.is_a(PartnershipResumed)]
        ends = [s.end for s in self.suspensions if s.end is not None]
        for end, resumed in zip(ends, resumptions, strict=False):
            if start < end <= at:
                start, ref = end, resumed
        return start, ref

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

    def conventions_between(self, a: UUID, b: UUID) -> list[PartnershipTerms]:
        """The conventions binding both institutions, in a stable order (by id): however the
        registry was gathered — by the projection or from the log — the same one comes first."""
        binding = [t for t in self.partnerships.values() if t.binds(a, b)]
        return sorted(binding, key=lambda t: str(t.partnership_id))

    def convention_in_force(self, a: UUID, b: UUID, at: datetime) -> PartnershipTerms | None:
        return next((t for t in self.conventions_between(a, b) if t.in_force_at(at)), None)

    def convention_between(self, a: UUID, b: UUID) -> PartnershipTerms | None:
        """A convention binding both institutions, in force or not."""
        return next(iter(self.conventions_between(a, b)), None)
