"""What the FHIR view of a case is made from: the case's events, folded in version order, and
the readings of its content — one source, the log.

`CaseRecord.of` takes the case as its reader loaded it (the identity and the representatives'
names opened or erased, as `GET /cases/{id}` shows them) and the case's events up to that same
version, sealed fields left sealed: nothing personal is opened here that the file does not show.
Who takes part, and on which basis, follows the file's own rule (`Participant.after_act`), so
the care team reads as `GET /cases/{id}` does; those who left are kept, with their dates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain import event_classes as ev
from domain.access import Role
from domain.case import Case
from domain.case_values import Consent, Participant, referral_status
from domain.holding import Holder
from domain.values import Actor, Basis


@dataclass(frozen=True)
class Member:
    """A professional on the case for an institution, from `joined_at` to `left_at`."""

    participant: Participant  # role and the basis of their latest act (the file's rule)
    joined_at: datetime
    left_at: datetime | None = None


@dataclass(frozen=True)
class Act:
    """One act of the case: an event naming its actor and basis."""

    version: int
    event: str
    by: Actor
    basis: Basis
    occurred_at: datetime
    recorded_at: datetime
    action_kind: str | None = None  # an intervention's kind
    consent_id: UUID | None = None  # the consent it gives or withdraws
    referral_id: UUID | None = None  # the referral it makes or answers


@dataclass
class ReferralRecord:
    referral_id: UUID
    by: Actor
    to_institution_id: UUID
    made_at: datetime
    consent_ids: tuple[UUID, ...] = ()
    categories: tuple[str, ...] = ()
    status: str = "pending"
    answered_at: datetime | None = None
    answered_by: Actor | None = None
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Reading:
    consultation_id: UUID
    by: Actor
    role: str
    view: str
    purpose: str
    occurred_at: datetime
    recorded_at: datetime


@dataclass(frozen=True)
class ConsentRecord:
    consent: Consent  # as the file shows it: the representative's name opened (None if erased)
    recorded_by: Actor


@dataclass
class CaseRecord:
    case_id: UUID
    version: int
    first_name: str | None  # None once erased: nothing personal
    last_name: str | None
    birth_date: date | None
    erased: bool
    legal_framework: str
    opened_at: datetime
    closed_at: datetime | None
    status_history: list[tuple[str, datetime, datetime | None]]  # active/finished periods
    holders: list[Holder]
    coordinator: Actor | None
    members: list[Member]
    acts: list[Act]
    consents: list[ConsentRecord]
    referrals: list[ReferralRecord]
    readings: list[Reading] = field(default_factory=list)
    # The client applications among the actors (their `professional_id` is the client's id):
    # software, a `Device` each, never a person (`api.fhir.source.with_clients`).
    clients: frozenset[UUID] = frozenset()

    @property
    def holder_institution_id(self) -> UUID:
        return self.holders[-1].institution_id

    def is_client(self, actor: Actor) -> bool:
        return actor.professional_id in self.clients

    @classmethod
    def of(
        cls,
        case: Case,
        events: Sequence[Any],
        readings: Iterable[ev.CaseContentRead] = (),
        *,
        at: datetime,
        referral_expiry: timedelta,
    ) -> CaseRecord:
        """`case`: as loaded for its reader; `events`: the case's, in version order, up to
        `case.version`; `at`: the reading instant (a referral pending past `referral_expiry`
        reads expired, as in the file)."""
        fold = _Fold()
        for e in events:
            if e.originator_version <= case.version:
                fold.apply(e)
        recorded_by = fold.consent_authors
        b = case.beneficiary
        erased = bool(case.erased)
        record = cls(
            case_id=case.id,
            version=case.version,
            first_name=None if erased else b.first_name,
            last_name=None if erased else b.last_name,
            birth_date=None if erased else b.birth_date,
            erased=erased,
            legal_framework=str(case.legal_framework),
            opened_at=fold.opened_at or events[0].occurred_at,
            closed_at=case.closed_at if case.closed else None,
            status_history=fold.periods(),
            holders=list(case.holding_history) or [Holder(case.holder_institution_id, None)],
            coordinator=case.coordinator,
            members=fold.members(case),
            acts=fold.acts,
            consents=[
                ConsentRecord(c, recorded_by[c.consent_id])
                for c in case.consents
                if c.consent_id in recorded_by
            ],
            referrals=fold.referrals,
        )
        for r in record.referrals:
            r.expires_at = r.made_at + referral_expiry
            r.status = referral_status(r.status, r.made_at, at, referral_expiry)
        record.readings = sorted(
            (_reading(r) for r in readings if r.case_id == case.id),
            key=lambda r: (r.recorded_at, r.occurred_at),
        )
        record.clients = frozenset(
            r.by.professional_id for r in record.readings if r.role == Role.INTEGRATION
        )
        return record


def _reading(e: ev.CaseContentRead) -> Reading:
    return Reading(
        e.originator_id, e.by, str(e.role), str(e.view), str(e.purpose), e.occurred_at, e.timestamp
    )


_ANSWERS = {
    ev.ReferralAccepted: "accepted",
    ev.ReferralDeclined: "declined",
    ev.ReferralRevoked: "revoked",
}


class _Fold:
    """The case's events, one by one, into who took part when, its acts and its referrals."""

    def __init__(self) -> None:
        self.opened_at: datetime | None = None
        self.current: dict[Actor, Member] = {}
        self.past: list[Member] = []
        self.acts: list[Act] = []
        self.referrals: list[ReferralRecord] = []
        self.consent_authors: dict[UUID, Actor] = {}
        self.closings: list[tuple[str, datetime]] = []  # ("closed" | "reopened", when)

    def apply(self, e: Any) -> None:
        state = vars(e)
        by, basis = state.get("by"), state.get("basis")
        if isinstance(by, Actor) and isinstance(basis, Basis):
            self.acted(e, by, basis)
        match e:
            case ev.CaseOpened():
                self.opened_at = e.occurred_at
                self.join(e.by, e.role, e.basis, e.occurred_at)
            case ev.ParticipantJoined():
                self.join(e.by, e.role, e.basis, e.occurred_at)
            case ev.ParticipantLeft():
                member = self.current.pop(e.by, None)
                if member is not None:
                    self.past.append(replace(member, left_at=e.occurred_at))
            case ev.ConsentGiven():
                self.consent_authors[e.consent_id] = e.by
            case ev.ReferralMade():
                self.referrals.append(
                    ReferralRecord(
                        e.referral_id,
                        e.by,
                        e.to_institution_id,
                        e.occurred_at,
                        tuple(e.consent_ids or ()),
                        tuple(str(c) for c in e.categories or ()),
                    )
                )
            case ev.ReferralAccepted() | ev.ReferralDeclined() | ev.ReferralRevoked():
                for r in self.referrals:
                    if r.referral_id == e.referral_id:
                        r.status, r.answered_at, r.answered_by = (
                            _ANSWERS[type(e)],
                            e.occurred_at,
                            e.by,
                        )
            case ev.CaseClosed():
                self.closings.append(("closed", e.occurred_at))
            case ev.CaseReopened():
                self.closings.append(("reopened", e.occurred_at))
            case ev.BeneficiaryErased():
                self.closings.append(("closed", e.occurred_at))
            case _:
                pass

    def acted(self, e: Any, by: Actor, basis: Basis) -> None:
        state = vars(e)
        self.acts.append(
            Act(
                version=e.originator_version,
                event=type(e).__name__,
                by=by,
                basis=basis,
                occurred_at=state.get("occurred_at", e.timestamp),
                recorded_at=e.timestamp,
                action_kind=str(state["kind"]) if isinstance(e, ev.InterventionRecorded) else None,
                consent_id=state.get("consent_id"),
                referral_id=state.get("referral_id"),
            )
        )
        # The file's rule (`domain.case_state.CaseState._stands_on_act`): a correction names
        # an act and is no act of its own; otherwise the actor stands on their latest act.
        member = self.current.get(by)
        if member is not None and not isinstance(state.get("act_id"), UUID):
            at = state.get("occurred_at")
            if isinstance(at, datetime):
                self.current[by] = replace(
                    member, participant=member.participant.after_act(basis, at)
                )

    def join(self, by: Actor, role: str, basis: Basis, at: datetime) -> None:
        participant = Participant(by.professional_id, by.institution_id, role, basis, at)
        self.current[by] = Member(participant, at)

    def members(self, case: Case) -> list[Member]:
        """Those who left, then those on the case now — each as the file shows them."""
        now = {p.actor: p for p in case.participants}
        current = [
            replace(m, participant=now.get(a, m.participant)) for a, m in self.current.items()
        ]
        return [*self.past, *current]

    def periods(self) -> list[tuple[str, datetime, datetime | None]]:
        """The case's active and finished periods, from its opening, closings and reopenings."""
        if self.opened_at is None:
            return []
        periods: list[tuple[str, datetime, datetime | None]] = []
        status, since = "active", self.opened_at
        for what, when in self.closings:
            new = "finished" if what == "closed" else "active"
            if new != status:
                periods.append((status, since, when))
                status, since = new, when
        periods.append((status, since, None))
        return periods
