"""The shared file of one beneficiary, and every cross-institution action taken on it.

The aggregate keeps only what its rules need (participants, coordinator, consents, pending
referrals, open/closed); interventions, shares and meetings are facts in the log that the read
side turns into views. Every action event names the actor (professional and institution), the
basis decided by the domain, and `occurred_at`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.errors import (
    AlreadyParticipatingError,
    BeneficiaryErasedError,
    CaseClosedError,
    CaseNotClosedError,
    ConsentAlreadyWithdrawnError,
    ConsentNotFoundError,
    InvalidValueError,
    NoLegalBasisForSharingError,
    NotACaseParticipantError,
    ReferralNotFoundError,
    ReferralNotPendingError,
    RetentionNotDueError,
    SameInstitutionError,
    WrongInstitutionError,
)
from domain.grounds import GroundClaim
from domain.privacy import ERASED_TEXT, Erased
from domain.values import (
    ACKNOWLEDGEABLE_ALERTS,
    ActionKind,
    Actor,
    AlertKind,
    Basis,
    BasisKind,
    ConsentGiver,
    InformationCategory,
    LegalFramework,
    parse_enum,
    parse_enums,
    require_text,
)

ADULT_AGE = 18


@dataclass(frozen=True)
class BeneficiaryIdentity:
    """Personal data of the beneficiary (to be encrypted per beneficiary, see DOMAIN.md)."""

    first_name: str
    last_name: str
    birth_date: date | None = None

    def is_minor_on(self, day: date) -> bool:
        if self.birth_date is None:
            return False
        b = self.birth_date
        age = day.year - b.year - ((day.month, day.day) < (b.month, b.day))
        return age < ADULT_AGE


@dataclass(frozen=True)
class Participant:
    professional_id: UUID
    institution_id: UUID
    role: str
    basis: Basis

    @property
    def actor(self) -> Actor:
        return Actor(self.professional_id, self.institution_id)


@dataclass(frozen=True)
class Consent:
    consent_id: UUID
    giver: str
    representative_name: str | None
    recipients: tuple[UUID, ...]
    categories: tuple[str, ...]
    given_at: datetime
    valid_until: date | None = None
    withdrawn_at: datetime | None = None

    def in_force_at(self, at: datetime) -> bool:
        if at < self.given_at:
            return False
        if self.withdrawn_at is not None and at >= self.withdrawn_at:
            return False
        return self.valid_until is None or at.date() <= self.valid_until

    def covers(self, recipient_id: UUID, category: str, at: datetime) -> bool:
        return (
            self.in_force_at(at) and recipient_id in self.recipients and category in self.categories
        )


@dataclass(frozen=True)
class Referral:
    referral_id: UUID
    from_institution_id: UUID
    to_institution_id: UUID
    status: str = "pending"  # pending | accepted | declined


@dataclass(frozen=True)
class SharingAuthorisation:
    """Why a share is lawful: the consents covering it, or a legal ground that is met."""

    consent_ids: tuple[UUID, ...] = ()
    ground: GroundClaim | None = None
    ground_reference: str | None = None


class ErasureGround(StrEnum):
    """Why a beneficiary's personal data is erased."""

    ERASURE_REQUEST = "erasure_request"  # the person's request (RGPD art. 17)
    RETENTION_EXPIRED = "retention_expired"  # the retention period after closing has run out
    COURT_ORDER = "court_order"


ERASED_IDENTITY = BeneficiaryIdentity(ERASED_TEXT, ERASED_TEXT, None)


class Case(Aggregate):
    # Institutions a participant of which left the case (state derived on replay, not stored in
    # an event). The class default keeps snapshots taken before it existed loadable.
    past_institutions: tuple[UUID, ...] = ()
    erased: bool = False
    closed_at: datetime | None = None  # when it was closed (None: open); snapshots before it

    # --- opening ----------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        beneficiary: BeneficiaryIdentity,
        legal_framework: str,
        opened_by: Actor,
        role: str,
        occurred_at: datetime,
        case_id: UUID | None = None,
    ) -> Case:
        """A new case; `case_id` names it in advance (an import derives it from the source's
        reference, so that importing the same case twice is refused, not duplicated)."""
        identity = BeneficiaryIdentity(
            first_name=require_text(beneficiary.first_name, field="beneficiary.first_name"),
            last_name=require_text(beneficiary.last_name, field="beneficiary.last_name"),
            birth_date=beneficiary.birth_date,
        )
        if identity.birth_date is not None and identity.birth_date > occurred_at.date():
            raise InvalidValueError(
                "the beneficiary's birth date is after the case opening",
                field="beneficiary.birth_date",
            )
        fields: dict[str, Any] = {
            "beneficiary": identity,
            "legal_framework": parse_enum(LegalFramework, legal_framework, field="legal_framework"),
            "by": opened_by,
            "role": require_text(role, field="role", max_length=100),
            "basis": Basis(BasisKind.CASE_HOLDER, opened_by.institution_id),
            "occurred_at": occurred_at,
        }
        if case_id is None:
            return cls(**fields)
        opened = getattr(cls, "CaseOpened")  # noqa: B009 - made by @event, unknown to mypy
        return cls._create(event_class=opened, id=case_id, **fields)

    @event("CaseOpened")
    def __init__(
        self,
        beneficiary: BeneficiaryIdentity,
        legal_framework: str,
        by: Actor,
        role: str,
        basis: Basis,
        occurred_at: datetime,
    ) -> None:
        # ERASED: read back once the beneficiary's key is destroyed (domain.privacy).
        self.beneficiary = ERASED_IDENTITY if isinstance(beneficiary, Erased) else beneficiary
        self.legal_framework = legal_framework
        self.holder_institution_id = by.institution_id
        self.participants: list[Participant] = [
            Participant(by.professional_id, by.institution_id, role, basis)
        ]
        self.coordinator: Actor | None = None
        self.consents: list[Consent] = []
        self.referrals: list[Referral] = []
        self.closed = False

    # --- reading ----------------------------------------------------------------------------

    def participant(self, actor: Actor) -> Participant | None:
        for p in self.participants:
            if (
                p.professional_id == actor.professional_id
                and p.institution_id == actor.institution_id
            ):
                return p
        return None

    def is_participant(self, actor: Actor) -> bool:
        return self.participant(actor) is not None

    @property
    def institutions(self) -> list[UUID]:
        """Institutions on the case now: the holder and those of current participants."""
        seen = [self.holder_institution_id]
        for p in self.participants:
            if p.institution_id not in seen:
                seen.append(p.institution_id)
        return seen

    def was_involved(self, institution_id: UUID) -> bool:
        """The institution holds the case, takes or took part in it, referred it, or was referred
        to it without declining."""
        return (
            institution_id in self.institutions
            or institution_id in self.past_institutions
            or any(r.from_institution_id == institution_id for r in self.referrals)
            or self.referred_to(institution_id)
        )

    def referred_to(self, institution_id: UUID) -> bool:
        """A referral to the institution is pending or was accepted."""
        return any(
            r.to_institution_id == institution_id and r.status != "declined" for r in self.referrals
        )

    def beneficiary_is_minor_on(self, day: date) -> bool:
        return self.beneficiary.is_minor_on(day)

    def consent(self, consent_id: UUID) -> Consent | None:
        for c in self.consents:
            if c.consent_id == consent_id:
                return c
        return None

    def referral(self, referral_id: UUID) -> Referral | None:
        for r in self.referrals:
            if r.referral_id == referral_id:
                return r
        return None

    # --- guards -----------------------------------------------------------------------------

    def check_open(self) -> None:
        if self.closed:
            raise CaseClosedError(f"case {self.id} is closed", field="case_id")

    def check_participant(self, actor: Actor, *, field: str = "professional_id") -> None:
        if not self.is_participant(actor):
            raise NotACaseParticipantError(
                f"professional {actor.professional_id} does not take part in case {self.id} "
                f"for institution {actor.institution_id}",
                field=field,
            )

    def check_can_act(self, actor: Actor) -> None:
        self.check_open()
        self.check_participant(actor)

    # --- consents ---------------------------------------------------------------------------

    def give_consent(
        self,
        *,
        consent_id: UUID,
        by: Actor,
        basis: Basis,
        giver: str,
        representative_name: str | None,
        recipients: Sequence[UUID],
        categories: Iterable[str],
        valid_until: date | None,
        occurred_at: datetime,
    ) -> None:
        self.check_can_act(by)
        giver_ = parse_enum(ConsentGiver, giver, field="giver")
        name = representative_name.strip() if representative_name else None
        if giver_ is ConsentGiver.LEGAL_REPRESENTATIVE and not name:
            raise InvalidValueError(
                "a consent given by a legal representative names them",
                field="representative_name",
            )
        to = list(dict.fromkeys(recipients))
        if not to:
            raise InvalidValueError(
                "a consent names its recipient institutions", field="recipients"
            )
        kinds = parse_enums(InformationCategory, categories, field="categories")
        if not kinds:
            raise InvalidValueError("a consent names information categories", field="categories")
        if valid_until is not None and valid_until < occurred_at.date():
            raise InvalidValueError("a consent cannot end before it is given", field="valid_until")
        self._consent_given(
            consent_id=consent_id,
            by=by,
            basis=basis,
            giver=giver_,
            representative_name=name,
            recipients=to,
            categories=[str(k) for k in kinds],
            valid_until=valid_until,
            occurred_at=occurred_at,
        )

    @event("ConsentGiven")
    def _consent_given(
        self,
        consent_id: UUID,
        by: Actor,
        basis: Basis,
        giver: str,
        representative_name: str | None,
        recipients: list[UUID],
        categories: list[str],
        valid_until: date | None,
        occurred_at: datetime,
    ) -> None:
        self.consents.append(
            Consent(
                consent_id,
                giver,
                None if isinstance(representative_name, Erased) else representative_name,
                tuple(recipients),
                tuple(categories),
                occurred_at,
                valid_until,
            )
        )

    def withdraw_consent(
        self, *, consent_id: UUID, by: Actor, basis: Basis, occurred_at: datetime
    ) -> None:
        self.check_can_act(by)
        consent = self.consent(consent_id)
        if consent is None:
            raise ConsentNotFoundError(
                f"case {self.id} has no consent {consent_id}", field="consent_id"
            )
        if consent.withdrawn_at is not None:
            raise ConsentAlreadyWithdrawnError(
                f"consent {consent_id} was withdrawn on {consent.withdrawn_at.isoformat()}",
                field="consent_id",
            )
        self._consent_withdrawn(consent_id=consent_id, by=by, basis=basis, occurred_at=occurred_at)

    @event("ConsentWithdrawn")
    def _consent_withdrawn(
        self, consent_id: UUID, by: Actor, basis: Basis, occurred_at: datetime
    ) -> None:
        consent = self.consent(consent_id)
        if consent is not None:
            index = self.consents.index(consent)
            self.consents[index] = replace(consent, withdrawn_at=occurred_at)

    def consents_covering(
        self, recipient_id: UUID, categories: Sequence[str], at: datetime
    ) -> tuple[UUID, ...] | None:
        """The consents that together cover every category for this recipient, or None."""
        used: list[UUID] = []
        for category in categories:
            match = next((c for c in self.consents if c.covers(recipient_id, category, at)), None)
            if match is None:
                return None
            if match.consent_id not in used:
                used.append(match.consent_id)
        return tuple(used)

    # --- participants and coordinator ------------------------------------------------------

    def join(self, *, by: Actor, role: str, basis: Basis, occurred_at: datetime) -> None:
        self.check_open()
        if self.is_participant(by):
            raise AlreadyParticipatingError(
                f"professional {by.professional_id} already takes part in case {self.id} "
                f"for institution {by.institution_id}",
                field="professional_id",
            )
        self._participant_joined(
            by=by,
            role=require_text(role, field="role", max_length=100),
            basis=basis,
            occurred_at=occurred_at,
        )

    @event("ParticipantJoined")
    def _participant_joined(
        self, by: Actor, role: str, basis: Basis, occurred_at: datetime
    ) -> None:
        self.participants.append(Participant(by.professional_id, by.institution_id, role, basis))

    def leave(self, *, by: Actor, basis: Basis, occurred_at: datetime) -> None:
        self.check_can_act(by)
        self._participant_left(by=by, basis=basis, occurred_at=occurred_at)

    @event("ParticipantLeft")
    def _participant_left(self, by: Actor, basis: Basis, occurred_at: datetime) -> None:
        participant = self.participant(by)
        if participant is not None:
            self.participants.remove(participant)
        if by.institution_id not in self.past_institutions:
            self.past_institutions = (*self.past_institutions, by.institution_id)
        if self.coordinator == by:
            self.coordinator = None

    def designate_coordinator(
        self, *, by: Actor, basis: Basis, coordinator: Actor, occurred_at: datetime
    ) -> None:
        self.check_can_act(by)
        self.check_participant(coordinator, field="coordinator")
        self._coordinator_designated(
            by=by,
            basis=basis,
            coordinator=coordinator,
            replaces=self.coordinator,
            occurred_at=occurred_at,
        )

    @event("CoordinatorDesignated")
    def _coordinator_designated(
        self,
        by: Actor,
        basis: Basis,
        coordinator: Actor,
        replaces: Actor | None,
        occurred_at: datetime,
    ) -> None:
        self.coordinator = coordinator

    # --- interventions ----------------------------------------------------------------------

    def record_intervention(
        self,
        *,
        intervention_id: UUID,
        by: Actor,
        basis: Basis,
        kind: str,
        summary: str | None,
        occurred_at: datetime,
    ) -> None:
        self.check_can_act(by)
        self._intervention_recorded(
            intervention_id=intervention_id,
            by=by,
            basis=basis,
            kind=parse_enum(ActionKind, kind, field="kind"),
            summary=_optional_text(summary, field="summary"),
            occurred_at=occurred_at,
        )

    @event("InterventionRecorded")
    def _intervention_recorded(
        self,
        intervention_id: UUID,
        by: Actor,
        basis: Basis,
        kind: str,
        summary: str | None,
        occurred_at: datetime,
    ) -> None:
        """A fact for the read side; no decision state changes."""

    # --- information sharing ---------------------------------------------------------------

    def share_information(
        self,
        *,
        share_id: UUID,
        by: Actor,
        basis: Basis,
        recipient_institution_id: UUID,
        recipient_professional_id: UUID | None,
        categories: Sequence[str],
        authorisation: SharingAuthorisation,
        convention_id: UUID | None,
        summary: str | None,
        occurred_at: datetime,
    ) -> None:
        """Record a lawful share; `authorisation` comes from `authorise_sharing`."""
        self.check_can_act(by)
        if not authorisation.consent_ids and authorisation.ground is None:
            raise NoLegalBasisForSharingError(
                "sharing needs a consent in force or a legal ground", field="legal_ground"
            )
        self._information_shared(
            share_id=share_id,
            by=by,
            basis=basis,
            recipient_institution_id=recipient_institution_id,
            recipient_professional_id=recipient_professional_id,
            categories=list(categories),
            consent_ids=list(authorisation.consent_ids),
            legal_ground=authorisation.ground,
            legal_reference=authorisation.ground_reference,
            convention_id=convention_id,
            summary=_optional_text(summary, field="summary"),
            occurred_at=occurred_at,
        )

    def sharing_categories(self, categories: Iterable[str]) -> list[str]:
        kinds = parse_enums(InformationCategory, categories, field="categories")
        if not kinds:
            raise InvalidValueError(
                "name what is shared (information categories)", field="categories"
            )
        return [str(k) for k in kinds]

    def check_cross_institution(self, by: Actor, recipient_institution_id: UUID) -> None:
        if recipient_institution_id == by.institution_id:
            raise SameInstitutionError(
                "sharing within one institution is not a cross-institution act",
                field="recipient_institution_id",
            )

    @event("InformationShared")
    def _information_shared(
        self,
        share_id: UUID,
        by: Actor,
        basis: Basis,
        recipient_institution_id: UUID,
        recipient_professional_id: UUID | None,
        categories: list[str],
        consent_ids: list[UUID],
        legal_ground: GroundClaim | None,
        legal_reference: str | None,
        convention_id: UUID | None,
        summary: str | None,
        occurred_at: datetime,
    ) -> None:
        """A fact for the read side; no decision state changes."""

    def transmit_concerning_information(
        self,
        *,
        transmission_id: UUID,
        by: Actor,
        basis: Basis,
        crip_institution_id: UUID,
        summary: str,
        occurred_at: datetime,
    ) -> None:
        """Information préoccupante to the CRIP: always allowed (the caller checks the recipient
        is a CRIP), always traced. The author need not take part in the case, and it may be
        closed: a concern about a child is never refused."""
        self._concerning_information_transmitted(
            transmission_id=transmission_id,
            by=by,
            basis=basis,
            crip_institution_id=crip_institution_id,
            legal_reference="CASF art. L.226-3",
            summary=require_text(summary, field="summary", max_length=10000),
            occurred_at=occurred_at,
        )

    @event("ConcerningInformationTransmitted")
    def _concerning_information_transmitted(
        self,
        transmission_id: UUID,
        by: Actor,
        basis: Basis,
        crip_institution_id: UUID,
        legal_reference: str,
        summary: str,
        occurred_at: datetime,
    ) -> None:
        """A fact for the read side; no decision state changes."""

    # --- referrals --------------------------------------------------------------------------

    def refer(
        self,
        *,
        referral_id: UUID,
        by: Actor,
        basis: Basis,
        to_institution_id: UUID,
        reason: str,
        occurred_at: datetime,
    ) -> None:
        self.check_can_act(by)
        if to_institution_id == by.institution_id:
            raise SameInstitutionError(
                "a referral goes to another institution", field="to_institution_id"
            )
        self._referral_made(
            referral_id=referral_id,
            by=by,
            basis=basis,
            to_institution_id=to_institution_id,
            reason=require_text(reason, field="reason", max_length=2000),
            occurred_at=occurred_at,
        )

    @event("ReferralMade")
    def _referral_made(
        self,
        referral_id: UUID,
        by: Actor,
        basis: Basis,
        to_institution_id: UUID,
        reason: str,
        occurred_at: datetime,
    ) -> None:
        self.referrals.append(Referral(referral_id, by.institution_id, to_institution_id))

    def _pending_referral_for(self, referral_id: UUID, by: Actor) -> Referral:
        self.check_open()
        referral = self.referral(referral_id)
        if referral is None:
            raise ReferralNotFoundError(
                f"case {self.id} has no referral {referral_id}", field="referral_id"
            )
        if referral.status != "pending":
            raise ReferralNotPendingError(
                f"referral {referral_id} is already {referral.status}", field="referral_id"
            )
        if by.institution_id != referral.to_institution_id:
            raise WrongInstitutionError(
                f"only institution {referral.to_institution_id} answers this referral",
                field="institution_id",
            )
        return referral

    def accept_referral(
        self, *, referral_id: UUID, by: Actor, basis: Basis, occurred_at: datetime
    ) -> None:
        self._pending_referral_for(referral_id, by)
        self._referral_answered(
            referral_id=referral_id, by=by, basis=basis, reason=None, occurred_at=occurred_at
        )

    def decline_referral(
        self, *, referral_id: UUID, by: Actor, basis: Basis, reason: str, occurred_at: datetime
    ) -> None:
        self._pending_referral_for(referral_id, by)
        self._referral_declined(
            referral_id=referral_id,
            by=by,
            basis=basis,
            reason=require_text(reason, field="reason", max_length=2000),
            occurred_at=occurred_at,
        )

    @event("ReferralAccepted")
    def _referral_answered(
        self,
        referral_id: UUID,
        by: Actor,
        basis: Basis,
        reason: str | None,
        occurred_at: datetime,
    ) -> None:
        self._set_referral_status(referral_id, "accepted")

    @event("ReferralDeclined")
    def _referral_declined(
        self, referral_id: UUID, by: Actor, basis: Basis, reason: str, occurred_at: datetime
    ) -> None:
        self._set_referral_status(referral_id, "declined")

    def _set_referral_status(self, referral_id: UUID, status: str) -> None:
        referral = self.referral(referral_id)
        if referral is not None:
            self.referrals[self.referrals.index(referral)] = replace(referral, status=status)

    # --- coordination meetings --------------------------------------------------------------

    def hold_coordination_meeting(
        self,
        *,
        meeting_id: UUID,
        by: Actor,
        basis: Basis,
        attendees: Sequence[Actor],
        decisions: Sequence[str],
        occurred_at: datetime,
    ) -> None:
        self.check_can_act(by)
        present = list(dict.fromkeys(attendees))
        if by not in present:
            present.insert(0, by)
        for attendee in present:
            self.check_participant(attendee, field="attendees")
        self._coordination_meeting_held(
            meeting_id=meeting_id,
            by=by,
            basis=basis,
            attendees=present,
            decisions=[require_text(d, field="decisions", max_length=2000) for d in decisions],
            occurred_at=occurred_at,
        )

    @event("CoordinationMeetingHeld")
    def _coordination_meeting_held(
        self,
        meeting_id: UUID,
        by: Actor,
        basis: Basis,
        attendees: list[Actor],
        decisions: list[str],
        occurred_at: datetime,
    ) -> None:
        """A trace for the read side; no decision state changes."""

    # --- alerts -----------------------------------------------------------------------------

    def acknowledge_alert(
        self,
        *,
        by: Actor,
        basis: Basis,
        alert_kind: str,
        versions: Iterable[int],
        note: str,
        occurred_at: datetime,
    ) -> None:
        """The holding institution acknowledges an alert about past acts (the events at
        `versions` of this case), saying what was done about it; the alert is then cleared for
        those events. Alerts about the present are cleared only by fixing their cause. A closed
        case may still be acknowledged: a revocation entered late can concern it."""
        self.check_not_erased()
        self.check_participant(by)
        if by.institution_id != self.holder_institution_id:
            raise WrongInstitutionError(
                f"only the institution holding case {self.id} "
                f"({self.holder_institution_id}) acknowledges its alerts",
                field="institution_id",
            )
        kind = parse_enum(AlertKind, alert_kind, field="alert_kind")
        if kind not in ACKNOWLEDGEABLE_ALERTS:
            raise InvalidValueError(
                f"an alert {kind!s} is cleared by fixing its cause, not by acknowledging it",
                field="alert_kind",
            )
        named = sorted(set(versions))
        if not named:
            raise InvalidValueError("name the events acknowledged", field="versions")
        if named[0] < 1 or named[-1] > self.version:
            raise InvalidValueError(
                f"case {self.id} has events 1 to {self.version}", field="versions"
            )
        self._alert_acknowledged(
            by=by,
            basis=basis,
            alert_kind=kind,
            versions=named,
            note=require_text(note, field="note", max_length=2000),
            occurred_at=occurred_at,
        )

    @event("AlertAcknowledged")
    def _alert_acknowledged(
        self,
        by: Actor,
        basis: Basis,
        alert_kind: str,
        versions: list[int],
        note: str,
        occurred_at: datetime,
    ) -> None:
        """A trace for the read side; no decision state changes."""

    # --- closing ----------------------------------------------------------------------------

    def close(self, *, by: Actor, basis: Basis, reason: str, occurred_at: datetime) -> None:
        self.check_can_act(by)
        self._closed(
            by=by, basis=basis, reason=require_text(reason, field="reason"), occurred_at=occurred_at
        )

    @event("CaseClosed")
    def _closed(self, by: Actor, basis: Basis, reason: str, occurred_at: datetime) -> None:
        self.closed = True
        self.closed_at = occurred_at

    def reopen(self, *, by: Actor, basis: Basis, reason: str, occurred_at: datetime) -> None:
        self.check_not_erased()
        if not self.closed:
            raise CaseNotClosedError(f"case {self.id} is open", field="case_id")
        self.check_participant(by)
        self._reopened(
            by=by, basis=basis, reason=require_text(reason, field="reason"), occurred_at=occurred_at
        )

    @event("CaseReopened")
    def _reopened(self, by: Actor, basis: Basis, reason: str, occurred_at: datetime) -> None:
        self.closed = False
        self.closed_at = None

    # --- erasure ----------------------------------------------------------------------------

    def check_not_erased(self) -> None:
        if self.erased:
            raise BeneficiaryErasedError.of_case(self.id)

    def erase_beneficiary(
        self,
        *,
        ground: str,
        reference: str | None,
        requested_by: str,
        occurred_at: datetime,
        closed_before: datetime | None = None,
    ) -> None:
        """Record the erasure of the beneficiary's personal data (their key is then destroyed).

        The case is closed for good: its acts, bases and institutions stay, countable. With
        `closed_before` (retention), only a case still closed since before that instant."""
        self.check_not_erased()
        if closed_before is not None and (
            not self.closed or self.closed_at is None or self.closed_at >= closed_before
        ):
            raise RetentionNotDueError(
                f"case {self.id} is not closed since before {closed_before.date()}",
                field="case_id",
            )
        self._beneficiary_erased(
            ground=parse_enum(ErasureGround, ground, field="ground"),
            reference=_optional_text(reference, field="reference", max_length=200),
            requested_by=require_text(requested_by, field="requested_by", max_length=100),
            occurred_at=occurred_at,
        )

    @event("BeneficiaryErased")
    def _beneficiary_erased(
        self, ground: str, reference: str | None, requested_by: str, occurred_at: datetime
    ) -> None:
        self.erased = True
        self.closed = True
        self.closed_at = self.closed_at or occurred_at
        self.beneficiary = ERASED_IDENTITY
        self.consents = [replace(c, representative_name=None) for c in self.consents]


def _optional_text(value: str | None, *, field: str, max_length: int = 10000) -> str | None:
    if value is None or not value.strip():
        return None
    return require_text(value, field=field, max_length=max_length)
