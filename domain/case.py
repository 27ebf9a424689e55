"""The shared file of one beneficiary, and every cross-institution action taken on it.

The aggregate keeps only what its rules need (participants, coordinator, consents, pending
referrals, open/closed); interventions, shares and meetings are facts in the log that the read
side turns into views. Every action event names the actor (professional and institution), the
basis decided by the domain, and `occurred_at`.

Stored events are decoded by topic (`domain.case:Case.<Event>`), so the aggregate, its events and
how they change its state stay here. The rest is in smaller rooms the aggregate draws on: its
values (`domain.case_values`), the rules on a command's arguments (`domain.case_rules`), its
queries and guards (`domain.case_state`), its commands (`domain.case_commands`). The names
callers import from here are re-exported.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.case_commands import CaseCommands
from domain.case_rules import opening_identity, role_text
from domain.case_values import (
    ADULT_AGE,
    ERASED_IDENTITY,
    BeneficiaryIdentity,
    Consent,
    ErasureGround,
    Participant,
    Referral,
    SharingAuthorisation,
)
from domain.erased import Erased
from domain.grounds import GroundClaim
from domain.values import Actor, Basis, BasisKind, LegalFramework, parse_enum

__all__ = [
    "ADULT_AGE",
    "ERASED_IDENTITY",
    "BeneficiaryIdentity",
    "Case",
    "Consent",
    "ErasureGround",
    "Participant",
    "Referral",
    "SharingAuthorisation",
]


class Case(Aggregate, CaseCommands):
    """The aggregate: how a case is opened, and the events its commands record."""

    class Event(Aggregate.Event):
        """Every event of a case. Once an act is applied, its actor — if they take part —
        stands on its basis (`Participant.after_act`: the rule the coherence view follows)."""

        def apply(self, aggregate: Any) -> None:
            state = vars(self)
            by, basis, at = state.get("by"), state.get("basis"), state.get("occurred_at")
            correction = isinstance(state.get("act_id"), UUID)  # no act of its own
            if (
                not correction
                and isinstance(by, Actor)
                and isinstance(basis, Basis)
                and isinstance(at, datetime)
            ):
                aggregate._stands_on(by, basis, at)
            super().apply(aggregate)
            aggregate._keep_act(self)  # a correctable act: kept, with when it was recorded

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
        fields: dict[str, Any] = {
            "beneficiary": opening_identity(beneficiary, occurred_at),
            "legal_framework": parse_enum(LegalFramework, legal_framework, field="legal_framework"),
            "by": opened_by,
            "role": role_text(role),
            "basis": Basis(BasisKind.CASE_HOLDER, opened_by.institution_id),
            "occurred_at": occurred_at,
        }
        if case_id is None:
            return cls(**fields)
        opened = cls.CaseOpened  # type: ignore[attr-defined]  # made by @event
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
        self.participants = [
            Participant(by.professional_id, by.institution_id, role, basis, occurred_at)
        ]
        self.coordinator = None
        self.consents = []
        self.referrals = []
        self.closed = False

    def _stands_on(self, by: Actor, basis: Basis, occurred_at: datetime) -> None:
        for index, p in enumerate(self.participants):
            if p.actor == by:
                self.participants[index] = p.after_act(basis, occurred_at)

    # --- consents ---------------------------------------------------------------------------

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
        name = None if isinstance(representative_name, Erased) else representative_name
        self.consents.append(
            Consent(
                consent_id,
                giver,
                name,
                tuple(recipients),
                tuple(categories),
                occurred_at,
                valid_until,
            )
        )

    @event("ConsentWithdrawn")
    def _consent_withdrawn(
        self, consent_id: UUID, by: Actor, basis: Basis, occurred_at: datetime
    ) -> None:
        consent = self.consent(consent_id)
        if consent is not None:
            index = self.consents.index(consent)
            self.consents[index] = replace(consent, withdrawn_at=occurred_at)

    # --- participants and coordinator ------------------------------------------------------

    @event("ParticipantJoined")
    def _participant_joined(
        self, by: Actor, role: str, basis: Basis, occurred_at: datetime
    ) -> None:
        self.participants.append(
            Participant(by.professional_id, by.institution_id, role, basis, occurred_at)
        )

    @event("ParticipantLeft")
    def _participant_left(self, by: Actor, basis: Basis, occurred_at: datetime) -> None:
        participant = self.participant(by)
        if participant is not None:
            self.participants.remove(participant)
        if by.institution_id not in self.past_institutions:
            self.past_institutions = (*self.past_institutions, by.institution_id)
        if self.coordinator == by:
            self.coordinator = None

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

    # --- corrections (`domain.case_corrections`) --------------------------------------------

    @event("ActCorrected")
    def _act_corrected(
        self,
        act_id: UUID,
        by: Actor,
        basis: Basis,
        reason: str,
        kind: str | None,
        act_occurred_at: datetime | None,
        summary: str | None,
        occurred_at: datetime,
    ) -> None:
        """An intervention recorded in error, corrected: its new kind, date or summary."""
        self._corrected(act_id, kind, act_occurred_at)

    @event("ActAnnulled")
    def _act_annulled(
        self,
        act_id: UUID,
        act_type: str,
        by: Actor,
        basis: Basis,
        reason: str,
        occurred_at: datetime,
    ) -> None:
        """An act recorded in error, annulled: it stays in the log, counted nowhere."""
        self._annulled(act_id)

    # --- alerts -----------------------------------------------------------------------------

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

    @event("CaseClosed")
    def _closed(self, by: Actor, basis: Basis, reason: str, occurred_at: datetime) -> None:
        self.closed = True
        self.closed_at = occurred_at

    @event("CaseReopened")
    def _reopened(self, by: Actor, basis: Basis, reason: str, occurred_at: datetime) -> None:
        self.closed = False
        self.closed_at = None

    # --- erasure ----------------------------------------------------------------------------

    @event("BeneficiaryErased")
    def _beneficiary_erased(
        self, ground: str, reference: str | None, requested_by: str, occurred_at: datetime
    ) -> None:
        self.erased = True
        self.closed = True
        self.closed_at = self.closed_at or occurred_at
        self.beneficiary = ERASED_IDENTITY
        self.consents = [replace(c, representative_name=None) for c in self.consents]
