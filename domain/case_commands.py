"""What may be asked of a case: its commands, each checking before it records one event.

A command checks the arguments (`domain.case_rules`) and the case's state (`domain.case_state`),
then calls the method of `domain.case.Case` that records the event and applies it. Referrals'
commands are in `domain.case_referrals`, which this class inherits. The events
and how they change the state stay with the aggregate in `domain.case`, where their stored
topics (`domain.case:Case.<Event>`) are defined; `Case` inherits these commands.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from domain.case_corrections import CaseCorrections
from domain.case_holding import HoldingCommands
from domain.case_referrals import CaseReferrals
from domain.case_rights import CaseRights
from domain.case_rules import (
    acknowledged_alert,
    consent_terms,
    optional_text,
    role_text,
)
from domain.case_values import ErasureGround, SharingAuthorisation
from domain.errors import (
    AlreadyParticipatingError,
    CaseNotClosedError,
    ConsentAlreadyWithdrawnError,
    ConsentNotFoundError,
    NoLegalBasisForSharingError,
)
from domain.values import ActionKind, Actor, Basis, parse_enum, require_text
from domain.wording import N_


class CaseCommands(CaseReferrals, CaseRights, HoldingCommands, CaseCorrections):
    """The commands of `domain.case.Case`; the event methods they call are defined there.
    Referrals are `domain.case_referrals`'s, the person's rights `domain.case_rights`'s,
    transfers of the holding and the référent `domain.case_holding`'s, corrections
    `domain.case_corrections`'s."""

    if TYPE_CHECKING:  # recorded by `Case`'s `@event` methods of the same names
        _consent_given: Callable[..., None]
        _consent_withdrawn: Callable[..., None]
        _participant_joined: Callable[..., None]
        _participant_left: Callable[..., None]
        _coordinator_designated: Callable[..., None]
        _intervention_recorded: Callable[..., None]
        _information_shared: Callable[..., None]
        _concerning_information_transmitted: Callable[..., None]
        _coordination_meeting_held: Callable[..., None]
        _alert_acknowledged: Callable[..., None]
        _closed: Callable[..., None]
        _reopened: Callable[..., None]
        _beneficiary_erased: Callable[..., None]

    # --- consents -----------------------------------------------------------------------------

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
        terms = consent_terms(
            giver=giver,
            representative_name=representative_name,
            recipients=recipients,
            categories=categories,
            valid_until=valid_until,
            occurred_at=occurred_at,
        )
        self._consent_given(
            consent_id=consent_id,
            by=by,
            basis=basis,
            giver=terms.giver,
            representative_name=terms.representative_name,
            recipients=terms.recipients,
            categories=terms.categories,
            valid_until=valid_until,
            occurred_at=occurred_at,
        )

    def withdraw_consent(
        self, *, consent_id: UUID, by: Actor, basis: Basis, occurred_at: datetime
    ) -> None:
        self.check_can_act(by)
        consent = self.consent(consent_id)
        if consent is None:
            raise ConsentNotFoundError(
                N_("case {case_id} has no consent {consent_id}"),
                field="consent_id",
                case_id=self.id,
                consent_id=consent_id,
            )
        if consent.withdrawn_at is not None:
            raise ConsentAlreadyWithdrawnError(
                N_("consent {consent_id} was withdrawn on {withdrawn_at}"),
                field="consent_id",
                consent_id=consent_id,
                withdrawn_at=consent.withdrawn_at,
            )
        self._consent_withdrawn(consent_id=consent_id, by=by, basis=basis, occurred_at=occurred_at)

    # --- participants and coordinator ---------------------------------------------------------

    def join(self, *, by: Actor, role: str, basis: Basis, occurred_at: datetime) -> None:
        self.check_open()
        if self.is_participant(by):
            raise AlreadyParticipatingError(
                N_(
                    "professional {professional_id} already takes part in case {case_id} for "
                    "institution {institution_id}"
                ),
                field="professional_id",
                professional_id=by.professional_id,
                case_id=self.id,
                institution_id=by.institution_id,
            )
        self._participant_joined(by=by, role=role_text(role), basis=basis, occurred_at=occurred_at)

    def leave(self, *, by: Actor, basis: Basis, occurred_at: datetime) -> None:
        self.check_can_act(by)
        self._participant_left(by=by, basis=basis, occurred_at=occurred_at)

    def designate_coordinator(
        self, *, by: Actor, basis: Basis, coordinator: Actor, occurred_at: datetime
    ) -> None:
        self.check_can_act(by)
        self.check_holder(by, doing=N_("only the holding institution designates the coordinator"))
        self.check_participant(coordinator, field="coordinator")
        self._coordinator_designated(
            by=by,
            basis=basis,
            coordinator=coordinator,
            replaces=self.coordinator,
            occurred_at=occurred_at,
        )

    # --- interventions ------------------------------------------------------------------------

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
            summary=optional_text(summary, field="summary"),
            occurred_at=occurred_at,
        )

    # --- information sharing ------------------------------------------------------------------

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
                N_("sharing needs a consent in force or a legal ground"), field="legal_ground"
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
            summary=optional_text(summary, field="summary"),
            occurred_at=occurred_at,
        )

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

    # --- coordination meetings ----------------------------------------------------------------

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

    # --- alerts -------------------------------------------------------------------------------

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
        """A supervisor of an institution on the case (`domain.access`) acknowledges an alert
        about past acts (the events at `versions` of this case), saying in a note what was done
        about it; the alert then leaves the open list for those events and stays in its history.
        Alerts about the present are cleared only by fixing their cause. A closed case may still
        be acknowledged: a revocation entered late can concern it."""
        self.check_not_erased()
        self.check_institution_on_case(by)
        kind, named = acknowledged_alert(
            alert_kind, versions, case_id=self.id, last_version=self.version
        )
        self._alert_acknowledged(
            by=by,
            basis=basis,
            alert_kind=kind,
            versions=named,
            note=require_text(note, field="note", max_length=2000),
            occurred_at=occurred_at,
        )

    # --- closing ------------------------------------------------------------------------------

    def close(self, *, by: Actor, basis: Basis, reason: str, occurred_at: datetime) -> None:
        self.check_can_act(by)
        self._closed(
            by=by, basis=basis, reason=require_text(reason, field="reason"), occurred_at=occurred_at
        )

    def reopen(self, *, by: Actor, basis: Basis, reason: str, occurred_at: datetime) -> None:
        self.check_not_erased()
        if not self.closed:
            raise CaseNotClosedError(N_("case {case_id} is open"), field="case_id", case_id=self.id)
        self.check_participant(by)
        self._reopened(
            by=by, basis=basis, reason=require_text(reason, field="reason"), occurred_at=occurred_at
        )

    # --- erasure ------------------------------------------------------------------------------

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
        self.check_retention_due(closed_before)
        self._beneficiary_erased(
            ground=parse_enum(ErasureGround, ground, field="ground"),
            reference=optional_text(reference, field="reference", max_length=200),
            requested_by=require_text(requested_by, field="requested_by", max_length=100),
            occurred_at=occurred_at,
        )
