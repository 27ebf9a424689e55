"""Case use cases: every action on a beneficiary's shared file.

Each action follows `CaseActions._act` (domain.usecases.case_actions). Passing information on
(shares, concerns to the CRIP) is in `domain.usecases.case_information`, referrals in
`domain.usecases.referrals`, erasure in `domain.usecases.erasure`, the person's other rights in
`domain.usecases.rights`, holding and the référent in `domain.usecases.holding`;
`CaseUseCases` gathers them all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from uuid import UUID

from domain.case import BeneficiaryIdentity, Case
from domain.erased import ERASED_TEXT, Erased
from domain.event_classes import AlertAcknowledged
from domain.institution import Institution
from domain.usecases.base import Recorded, new_id
from domain.usecases.case_actions import CaseStep
from domain.usecases.case_information import CaseInformationUseCases
from domain.usecases.corrections import CorrectionUseCases
from domain.usecases.erasure import ErasureUseCases
from domain.usecases.holding import HoldingUseCases
from domain.usecases.referrals import ReferralUseCases
from domain.usecases.rights import RightsUseCases
from domain.values import ActionKind, Actor

__all__ = ["CaseStep", "CaseUseCases"]


class CaseUseCases(
    CaseInformationUseCases,
    ReferralUseCases,
    ErasureUseCases,
    RightsUseCases,
    HoldingUseCases,
    CorrectionUseCases,
):
    # --- opening, closing -------------------------------------------------------------------

    def open_case(
        self,
        *,
        beneficiary: BeneficiaryIdentity,
        legal_framework: str,
        by: Actor,
        role: str = "referent",
        occurred_at: datetime | None = None,
        case_id: UUID | None = None,
    ) -> Recorded:
        at = self.occurred(occurred_at)
        self.load(Institution, by.institution_id, field="institution_id")
        self.acting_professional(by, at)
        return self.execute(
            lambda: [
                Case.open(
                    beneficiary=beneficiary,
                    legal_framework=legal_framework,
                    opened_by=by,
                    role=role,
                    occurred_at=at,
                    case_id=case_id,
                )
            ]
        )

    def close_case(
        self, *, case_id: UUID, by: Actor, reason: str, occurred_at: datetime | None = None
    ) -> Recorded:
        return self._act(
            case_id,
            by,
            ActionKind.COORDINATION,
            occurred_at,
            lambda case, basis, at: case.close(by=by, basis=basis, reason=reason, occurred_at=at),
        )

    def reopen_case(
        self, *, case_id: UUID, by: Actor, reason: str, occurred_at: datetime | None = None
    ) -> Recorded:
        return self._act(
            case_id,
            by,
            ActionKind.COORDINATION,
            occurred_at,
            lambda case, basis, at: case.reopen(by=by, basis=basis, reason=reason, occurred_at=at),
        )

    # --- consents ---------------------------------------------------------------------------

    def give_consent(
        self,
        *,
        case_id: UUID,
        by: Actor,
        giver: str,
        recipients: Sequence[UUID],
        categories: Iterable[str],
        representative_name: str | None = None,
        valid_until: date | None = None,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        self.check_exists(Institution, recipients, field="recipients")
        consent_id = new_id()
        categories = list(categories)
        return self._act(
            case_id,
            by,
            ActionKind.COORDINATION,
            occurred_at,
            lambda case, basis, at: case.give_consent(
                consent_id=consent_id,
                by=by,
                basis=basis,
                giver=giver,
                representative_name=representative_name,
                recipients=recipients,
                categories=categories,
                valid_until=valid_until,
                occurred_at=at,
            ),
            entity_id=consent_id,
        )

    def withdraw_consent(
        self, *, case_id: UUID, consent_id: UUID, by: Actor, occurred_at: datetime | None = None
    ) -> Recorded:
        return self._act(
            case_id,
            by,
            ActionKind.COORDINATION,
            occurred_at,
            lambda case, basis, at: case.withdraw_consent(
                consent_id=consent_id, by=by, basis=basis, occurred_at=at
            ),
            entity_id=consent_id,
        )

    # --- participants -----------------------------------------------------------------------

    def join_case(
        self,
        *,
        case_id: UUID,
        by: Actor,
        role: str,
        delegation_id: UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        self.load(Institution, by.institution_id, field="institution_id")
        return self._act(
            case_id,
            by,
            ActionKind.CASE_PARTICIPATION,
            occurred_at,
            lambda case, basis, at: case.join(by=by, role=role, basis=basis, occurred_at=at),
            delegation_id=delegation_id,
        )

    def leave_case(
        self, *, case_id: UUID, by: Actor, occurred_at: datetime | None = None
    ) -> Recorded:
        return self._act(
            case_id,
            by,
            ActionKind.CASE_PARTICIPATION,
            occurred_at,
            lambda case, basis, at: case.leave(by=by, basis=basis, occurred_at=at),
        )

    def designate_coordinator(
        self,
        *,
        case_id: UUID,
        by: Actor,
        coordinator: Actor,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        return self._act(
            case_id,
            by,
            ActionKind.COORDINATION,
            occurred_at,
            lambda case, basis, at: case.designate_coordinator(
                by=by, basis=basis, coordinator=coordinator, occurred_at=at
            ),
        )

    # --- interventions ----------------------------------------------------------------------

    def record_intervention(
        self,
        *,
        case_id: UUID,
        by: Actor,
        kind: str,
        summary: str | None = None,
        delegation_id: UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        intervention_id = new_id()
        return self._act(
            case_id,
            by,
            kind,
            occurred_at,
            lambda case, basis, at: case.record_intervention(
                intervention_id=intervention_id,
                by=by,
                basis=basis,
                kind=kind,
                summary=summary,
                occurred_at=at,
            ),
            delegation_id=delegation_id,
            entity_id=intervention_id,
        )

    # --- coordination meetings --------------------------------------------------------------

    def hold_coordination_meeting(
        self,
        *,
        case_id: UUID,
        by: Actor,
        attendees: Sequence[Actor],
        decisions: Sequence[str],
        occurred_at: datetime | None = None,
    ) -> Recorded:
        meeting_id = new_id()
        return self._act(
            case_id,
            by,
            ActionKind.MEETING,
            occurred_at,
            lambda case, basis, at: case.hold_coordination_meeting(
                meeting_id=meeting_id,
                by=by,
                basis=basis,
                attendees=attendees,
                decisions=decisions,
                occurred_at=at,
            ),
            entity_id=meeting_id,
        )

    # --- alerts -----------------------------------------------------------------------------

    def acknowledge_alert(
        self,
        *,
        case_id: UUID,
        by: Actor,
        alert_kind: str,
        versions: Iterable[int],
        note: str,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        named = list(versions)  # once: `decide` may run again after a conflict
        return self._act(
            case_id,
            by,
            ActionKind.COORDINATION,
            occurred_at,
            lambda case, basis, at: case.acknowledge_alert(
                by=by,
                basis=basis,
                alert_kind=alert_kind,
                versions=named,
                note=note,
                occurred_at=at,
            ),
        )

    def acknowledgement_notes(self, case_id: UUID, versions: Iterable[int]) -> dict[int, str]:
        """The notes of the case's acknowledgements at `versions`, opened: sealed in the log,
        read for a reader already entitled to the case (`[erased]` once the beneficiary's key
        is destroyed). Never kept by the read side."""
        wanted = sorted(set(versions))
        if not wanted:
            return {}
        notes: dict[int, str] = {}
        mapper = self.read_mapper
        for stored in self.recorder.select_events(case_id, gt=wanted[0] - 1, lte=wanted[-1]):
            if stored.originator_version not in wanted:
                continue
            event = mapper.opened(mapper.to_domain_event(stored))
            if isinstance(event, AlertAcknowledged):
                note = event.note
                notes[stored.originator_version] = ERASED_TEXT if isinstance(note, Erased) else note
        return notes
