"""Case use cases that pass information on: a share between institutions, and a concern
(information préoccupante) to the CRIP.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from uuid import UUID

from domain.case import Case
from domain.errors import NotACripError
from domain.grounds import GroundClaim
from domain.institution import Institution
from domain.partnership import Partnership
from domain.sharing import authorise_sharing
from domain.usecases.base import Recorded, new_id
from domain.usecases.case_actions import CaseActions
from domain.values import ActionKind, Actor, Basis
from domain.wording import N_


class CaseInformationUseCases(CaseActions):
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
                N_("institution {institution_id} is not a unit for concerning information (CRIP)"),
                field="crip_institution_id",
                institution_id=crip.id,
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
