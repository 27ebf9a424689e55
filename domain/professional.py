"""A professional, their employments, and the references they hold (delegations, networks)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import EmploymentOverlapError, InvalidValueError, NotEmployedError
from domain.identifiers import PROFESSIONAL_SCHEMES, Scheme
from domain.values import Period, require_text
from domain.wording import N_


@dataclass(frozen=True)
class Employment:
    institution_id: UUID
    start: date
    end: date | None = None
    position: str | None = None

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)


@dataclass(frozen=True)
class DelegationRef:
    """What a professional needs to know of a delegation to find it when acting."""

    delegation_id: UUID
    institution_id: UUID
    case_id: UUID | None
    network_id: UUID | None


class Professional(Aggregate):
    """A person who acts for institutions. Their national identifiers (RPPS, ADELI) are set by
    `identify`, as an institution's are (`domain.institution`)."""

    # Class defaults: snapshots taken before identifiers existed load without them.
    rpps: str | None = None
    adeli: str | None = None

    @classmethod
    def register(cls, *, name: str, profession: str) -> Professional:
        return cls(
            name=require_text(name, field="name", max_length=200),
            profession=require_text(profession, field="profession", max_length=100),
        )

    @event("ProfessionalRegistered")
    def __init__(self, name: str, profession: str) -> None:
        self.name = name
        self.profession = profession
        self.employments: list[Employment] = []
        self.delegations: list[DelegationRef] = []
        self.network_ids: list[UUID] = []

    # --- national identifiers -----------------------------------------------------------------

    @property
    def identifiers(self) -> dict[Scheme, str]:
        """The national identifiers they hold, by scheme."""
        held = {Scheme.RPPS: self.rpps, Scheme.ADELI: self.adeli}
        return {scheme: number for scheme, number in held.items() if number is not None}

    def identify(self, numbers: dict[Scheme, str]) -> None:
        """Their identifiers are `numbers` from now on (a scheme absent: none)."""
        wanted = {s: numbers.get(s) for s in PROFESSIONAL_SCHEMES}
        if wanted != {s: self.identifiers.get(s) for s in PROFESSIONAL_SCHEMES}:
            self._identified(rpps=wanted[Scheme.RPPS], adeli=wanted[Scheme.ADELI])

    @event("ProfessionalIdentified")
    def _identified(self, rpps: str | None, adeli: str | None) -> None:
        self.rpps = rpps
        self.adeli = adeli

    # --- employment -------------------------------------------------------------------------

    def employed_at(self, institution_id: UUID, day: date) -> bool:
        return any(
            e.institution_id == institution_id and e.period.contains(day) for e in self.employments
        )

    def check_acts_for(self, institution_id: UUID, at: datetime) -> None:
        """A professional acts for an institution only while employed there."""
        if not self.employed_at(institution_id, at.date()):
            raise NotEmployedError(
                N_(
                    "professional {professional_id} is not employed by institution "
                    "{institution_id} on {on}"
                ),
                field="institution_id",
                professional_id=self.id,
                institution_id=institution_id,
                on=at.date(),
            )

    def start_employment(
        self, *, institution_id: UUID, start: date, end: date | None = None, position: str | None
    ) -> None:
        new = Period(start, end)
        for e in self.employments:
            if e.institution_id == institution_id and _overlap(e.period, new):
                raise EmploymentOverlapError(
                    N_(
                        "an employment at institution {institution_id} already covers part of "
                        "{start} – {end}"
                    )
                    if end is not None
                    else N_(
                        "an employment at institution {institution_id} already covers part of "
                        "the time from {start}"
                    ),
                    field="start",
                    institution_id=institution_id,
                    start=start,
                    end=end,
                )
        self._employment_started(
            institution_id=institution_id, start=start, end=end, position=position
        )

    @event("EmploymentStarted")
    def _employment_started(
        self, institution_id: UUID, start: date, end: date | None, position: str | None
    ) -> None:
        self.employments.append(Employment(institution_id, start, end, position))

    def end_employment(self, *, institution_id: UUID, end: date) -> None:
        current = self._open_employment(institution_id)
        if current is None:
            raise NotEmployedError(
                N_(
                    "professional {professional_id} has no open employment at institution "
                    "{institution_id}"
                ),
                field="institution_id",
                professional_id=self.id,
                institution_id=institution_id,
            )
        if end < current.start:
            raise InvalidValueError(
                N_("employment cannot end ({end}) before it started ({start})"),
                field="end",
                end=end,
                start=current.start,
            )
        self._employment_ended(institution_id=institution_id, end=end)

    @event("EmploymentEnded")
    def _employment_ended(self, institution_id: UUID, end: date) -> None:
        current = self._open_employment(institution_id)
        if current is not None:
            index = self.employments.index(current)
            self.employments[index] = replace(current, end=end)

    def _open_employment(self, institution_id: UUID) -> Employment | None:
        for e in self.employments:
            if e.institution_id == institution_id and e.end is None:
                return e
        return None

    # --- references kept so that acting does not need to scan the log ----------------------

    def hold_delegation(self, ref: DelegationRef) -> None:
        self._delegation_received(ref=ref)

    @event("DelegationReceived")
    def _delegation_received(self, ref: DelegationRef) -> None:
        self.delegations.append(ref)

    def delegations_for_case(self, case_id: UUID, institution_id: UUID) -> list[UUID]:
        return [
            d.delegation_id
            for d in self.delegations
            if d.case_id == case_id and d.institution_id == institution_id
        ]

    def join_network(self, network_id: UUID) -> None:
        if network_id not in self.network_ids:
            self._network_joined(network_id=network_id)

    @event("NetworkJoined")
    def _network_joined(self, network_id: UUID) -> None:
        self.network_ids.append(network_id)

    def leave_network(self, network_id: UUID) -> None:
        if network_id in self.network_ids:
            self._network_left(network_id=network_id)

    @event("NetworkLeft")
    def _network_left(self, network_id: UUID) -> None:
        self.network_ids.remove(network_id)


def _overlap(a: Period, b: Period) -> bool:
    a_end = a.end or date.max
    b_end = b.end or date.max
    return a.start <= b_end and b.start <= a_end
