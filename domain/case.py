"""The shared file of one beneficiary, and every cross-institution action taken on it.

The aggregate keeps what its rules need (participants, the référent de parcours, consents,
referrals, holders and transfers, correctable acts, open/closed); every action event names the
actor (professional and institution), the basis decided by the domain, and `occurred_at`.

Stored events are decoded by topic (`domain.case:Case.<Event>`), so the events and how they
change the state stay here; the rest is in smaller rooms: values (`domain.case_values`,
`domain.holding`), rules on arguments (`domain.case_rules`), queries and guards
(`domain.case_state`), opening (`domain.case_opening`), commands (`domain.case_commands` and the
mixins it gathers).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.case_commands import CaseCommands
from domain.case_opening import CaseOpening
from domain.case_values import (
    ERASED_IDENTITY,
    BeneficiaryIdentity,
    Consent,
    Participant,
    Referral,
)
from domain.erased import Erased
from domain.grounds import GroundClaim
from domain.holding import Holder, Transfer, TransferStatus
from domain.values import Actor, Basis

__all__ = ["BeneficiaryIdentity", "Case"]  # where callers have always found them


class Case(Aggregate, CaseOpening, CaseCommands):
    """The aggregate: how a case is opened, and the events its commands record."""

    class Event(Aggregate.Event):
        """Every event of a case. Once an act is applied, its actor — if they take part —
        stands on its basis (`Participant.after_act`: the rule the coherence view follows)."""

        def apply(self, aggregate: Any) -> None:
            aggregate._stands_on_act(self)  # `domain.case_state`
            super().apply(aggregate)
            aggregate._keep_act(self)  # a correctable act: kept, with when it was recorded

    # Institutions a participant of which left the case (state derived on replay, not stored in
    # an event). The class default keeps snapshots taken before it existed loadable.
    past_institutions: tuple[UUID, ...] = ()
    erased: bool = False
    closed_at: datetime | None = None  # when it was closed (None: open); snapshots before it
    holders: tuple[Holder, ...] = ()  # each holder with its dates (`holding_history`)
    transfers: tuple[Transfer, ...] = ()  # every transfer request and its status

    # --- opening (`Case.open`: `domain.case_opening`) ------------------------------------

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
        self.holders = (Holder(by.institution_id, occurred_at),)
        self.participants = [
            Participant(by.professional_id, by.institution_id, role, basis, occurred_at)
        ]
        self.coordinator = None
        self.consents = []
        self.referrals = []
        self.closed = False

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

    # --- holding and référent (commands: `domain.case_holding`) ----------------------------

    @event("TransferRequested")
    def _transfer_requested(
        self,
        transfer_id: UUID,
        by: Actor,
        basis: Basis,
        from_institution_id: UUID,
        to_institution_id: UUID,
        reason: str | None,
        occurred_at: datetime,
    ) -> None:
        """The holder offers the case, or an institution on it asks to hold it."""
        self.transfers = (
            *self.transfers,
            Transfer(
                transfer_id, from_institution_id, to_institution_id, by.institution_id, occurred_at
            ),
        )

    @event("TransferAccepted")
    def _transfer_accepted(
        self, transfer_id: UUID, by: Actor, basis: Basis, occurred_at: datetime
    ) -> None:
        """The other side accepted: the case is held by the transfer's receiving institution."""
        self._transfer_answered(transfer_id, TransferStatus.ACCEPTED, occurred_at)

    @event("TransferDeclined")
    def _transfer_declined(
        self, transfer_id: UUID, by: Actor, basis: Basis, reason: str, occurred_at: datetime
    ) -> None:
        """The other side declined, with a reason: the holder stays."""
        self._transfer_answered(transfer_id, TransferStatus.DECLINED, occurred_at)

    @event("TransferWithdrawn")
    def _transfer_withdrawn(
        self, transfer_id: UUID, by: Actor, basis: Basis, occurred_at: datetime
    ) -> None:
        """The side that asked withdrew it before an answer."""
        self._transfer_answered(transfer_id, TransferStatus.WITHDRAWN, occurred_at)

    @event("ReferentAssigned")
    def _referent_assigned(
        self,
        by: Actor,
        basis: Basis,
        referent: Actor,
        replaces: Actor | None,
        occurred_at: datetime,
    ) -> None:
        """A supervisor of the holder designated the référent de parcours (the coordinator)."""
        self.coordinator = referent

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
        categories: list[str] | None = None,  # what it shares; None: made before it was recorded
        consent_ids: list[UUID] | None = None,
        legal_ground: GroundClaim | None = None,
        legal_reference: str | None = None,
    ) -> None:
        made = Referral(referral_id, by.institution_id, to_institution_id, made_at=occurred_at)
        self.referrals.append(made)

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

    @event("ReferralRevoked")
    def _referral_revoked(
        self, referral_id: UUID, by: Actor, basis: Basis, reason: str, occurred_at: datetime
    ) -> None:
        """The referring side withdrew it before any answer."""
        self._set_referral_status(referral_id, "revoked")

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
        was_kind: str | None = None,  # the act as it stood: named by the audit
        was_occurred_at: datetime | None = None,
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
        was_kind: str | None = None,
        was_occurred_at: datetime | None = None,
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

    # --- the person's rights: rectification (`domain.case_rights`), erasure -------------------

    @event("IdentityRectified")
    def _identity_rectified(
        self,
        previous: BeneficiaryIdentity,
        beneficiary: BeneficiaryIdentity,
        reason: str,
        requested_by: str,
        institution_id: UUID,
        occurred_at: datetime,
    ) -> None:
        """The identity rectified by a data-protection officer of `institution_id` (RGPD art.
        16); both identities and the reason sealed, destroyed with the person's key."""
        self.beneficiary = ERASED_IDENTITY if isinstance(beneficiary, Erased) else beneficiary

    @event("BeneficiaryErased")
    def _beneficiary_erased(
        self, ground: str, reference: str | None, requested_by: str, occurred_at: datetime
    ) -> None:
        self.erased = True
        self.closed = True
        self.closed_at = self.closed_at or occurred_at
        self.beneficiary = ERASED_IDENTITY
        self.consents = [replace(c, representative_name=None) for c in self.consents]
