"""Case use cases: every action on a beneficiary's shared file.

Each action: check `occurred_at`; load the case and the acting professional; check that they act
for an institution that employs them; decide the basis; let the case decide; save. A retry after
a conflicting write decides everything again on the fresh state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from uuid import UUID

from domain.case import BeneficiaryIdentity, Case
from domain.errors import NotACripError
from domain.grounds import GroundClaim
from domain.institution import Institution
from domain.partnership import Partnership
from domain.sharing import authorise_sharing
from domain.usecases.base import Recorded, UseCaseBase, new_id
from domain.values import ActionKind, Actor, Basis

CaseStep = Callable[[Case, Basis, datetime], None]


class CaseUseCases(UseCaseBase):
    def _act(
        self,
        case_id: UUID,
        by: Actor,
        action_kind: str,
        occurred_at: datetime | None,
        step: CaseStep,
        *,
        delegation_id: UUID | None = None,
        entity_id: UUID | None = None,
    ) -> Recorded:
        at = self.occurred(occurred_at)

        def decide() -> list[Case]:
            case = self.load(Case, case_id, field="case_id")
            professional = self.acting_professional(by, at)
            basis = self.decide_basis(case, by, action_kind, at, delegation_id, professional)
            step(case, basis, at)
            return [case]

        return self.execute(decide, entity_id=entity_id, lock=case_id)

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

    # --- information ------------------------------------------------------------------------

    def share_information(
        self,
        *,
        case_id: UUID,
        by: Actor,
        recipient_institution_id: UUID,
        categories: Iterable[str],
        recipient_professional_id: UUID | None = None,
        legal_ground: GroundClaim | None = None,
        summary: str | None = None,
        delegation_id: UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        """Refused unless a consent in force or a legal ground covers the recipient and kinds.

        The event also names the convention covering this exchange, if one is in force: an
        exchange without one is lawful but shows in the coherence view.
        """
        recipient = self.load(
            Institution, recipient_institution_id, field="recipient_institution_id"
        )
        share_id = new_id()
        raw_categories = list(categories)

        def step(case: Case, basis: Basis, at: datetime) -> None:
            case.check_can_act(by)  # before anything that would reveal the case's consents
            case.check_cross_institution(by, recipient.id)
            kinds = case.sharing_categories(raw_categories)
            authorisation = authorise_sharing(
                case=case, recipient=recipient, categories=kinds, at=at, claim=legal_ground
            )
            case.share_information(
                share_id=share_id,
                by=by,
                basis=basis,
                recipient_institution_id=recipient.id,
                recipient_professional_id=recipient_professional_id,
                categories=kinds,
                authorisation=authorisation,
                convention_id=self._convention_covering(by.institution_id, recipient.id, kinds, at),
                summary=summary,
                occurred_at=at,
            )

        return self._act(
            case_id,
            by,
            ActionKind.INFORMATION_SHARING,
            occurred_at,
            step,
            delegation_id=delegation_id,
            entity_id=share_id,
        )

    def _convention_covering(
        self, acting: UUID, recipient: UUID, categories: Sequence[str], at: datetime
    ) -> UUID | None:
        for partnership_id in self.load(Institution, acting).partnership_ids:
            partnership = self.load(Partnership, partnership_id)
            if partnership.covers_exchange(
                acting_institution_id=acting,
                other_institution_id=recipient,
                at=at,
                action_kind=ActionKind.INFORMATION_SHARING,
                categories=categories,
            ):
                return partnership.id
        return None

    def transmit_concerning_information(
        self,
        *,
        case_id: UUID,
        by: Actor,
        crip_institution_id: UUID,
        summary: str,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        """Information préoccupante: any employed professional, to a CRIP; always traced."""
        crip = self.load(Institution, crip_institution_id, field="crip_institution_id")
        if not crip.is_crip:
            raise NotACripError(
                f"institution {crip.id} is not a unit for concerning information (CRIP)",
                field="crip_institution_id",
            )
        transmission_id = new_id()
        return self._act(
            case_id,
            by,
            ActionKind.INFORMATION_SHARING,
            occurred_at,
            lambda case, basis, at: case.transmit_concerning_information(
                transmission_id=transmission_id,
                by=by,
                basis=basis,
                crip_institution_id=crip.id,
                summary=summary,
                occurred_at=at,
            ),
            entity_id=transmission_id,
        )

    # --- referrals --------------------------------------------------------------------------

    def refer(
        self,
        *,
        case_id: UUID,
        by: Actor,
        to_institution_id: UUID,
        reason: str,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        self.load(Institution, to_institution_id, field="to_institution_id")
        referral_id = new_id()
        return self._act(
            case_id,
            by,
            ActionKind.REFERRAL,
            occurred_at,
            lambda case, basis, at: case.refer(
                referral_id=referral_id,
                by=by,
                basis=basis,
                to_institution_id=to_institution_id,
                reason=reason,
                occurred_at=at,
            ),
            entity_id=referral_id,
        )

    def accept_referral(
        self, *, case_id: UUID, referral_id: UUID, by: Actor, occurred_at: datetime | None = None
    ) -> Recorded:
        return self._act(
            case_id,
            by,
            ActionKind.REFERRAL,
            occurred_at,
            lambda case, basis, at: case.accept_referral(
                referral_id=referral_id, by=by, basis=basis, occurred_at=at
            ),
            entity_id=referral_id,
        )

    def decline_referral(
        self,
        *,
        case_id: UUID,
        referral_id: UUID,
        by: Actor,
        reason: str,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        return self._act(
            case_id,
            by,
            ActionKind.REFERRAL,
            occurred_at,
            lambda case, basis, at: case.decline_referral(
                referral_id=referral_id, by=by, basis=basis, reason=reason, occurred_at=at
            ),
            entity_id=referral_id,
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

    # --- erasure ----------------------------------------------------------------------------

    def erase_beneficiary(
        self,
        *,
        case_id: UUID,
        ground: str,
        requested_by: str,
        reference: str | None = None,
        closed_before: datetime | None = None,
    ) -> Recorded:
        """Record the erasure, then destroy the beneficiary's key (`domain.privacy`).

        In that order, so the log says why before anything is lost. An erasure interrupted
        between the two, or whose wipe of the store's leftovers could not run yet, is finished
        by asking again. With `closed_before` (retention), only a case closed since before."""
        case = self.load(Case, case_id, field="case_id")
        if case.erased:  # asked again: finish what an interrupted erasure left, or refuse
            if not self.keyring.is_destroyed(case_id):
                self.keyring.destroy(case_id)
            elif self.keyring.wipe_pending(case_id):
                self.keyring.wipe()
            else:
                case.check_not_erased()  # refuses: erased already
            return Recorded(case.id, case.version, None)
        at = self.time.now()

        def decide() -> list[Case]:
            case = self.load(Case, case_id, field="case_id")
            case.erase_beneficiary(
                ground=ground,
                reference=reference,
                requested_by=requested_by,
                occurred_at=at,
                closed_before=closed_before,
            )
            return [case]

        recorded = self.execute(decide, lock=case_id)
        self.keyring.destroy(case_id)
        return recorded
