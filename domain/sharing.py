"""Whether a share of information with another institution is lawful, and on what."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from domain.case import Case
from domain.case_values import SharingAuthorisation
from domain.errors import NoLegalBasisForSharingError
from domain.grounds import FRANCE, GroundClaim, LegalGround, evaluate
from domain.institution import Institution
from domain.wording import N_


def authorise_sharing(
    *,
    case: Case,
    recipient: Institution,
    categories: Sequence[str],
    at: datetime,
    claim: GroundClaim | None,
    catalogue: Mapping[str, LegalGround] = FRANCE,
) -> SharingAuthorisation:
    """A legal ground whose conditions are met, or consents in force covering every category.

    A claimed ground that fails is refused as such (it is not silently replaced by consent): the
    professional said on what they relied, and the log must keep that.
    """
    if claim is not None:
        facts = {
            "beneficiary_is_minor": case.beneficiary_is_minor_on(at.date()),
            "recipient_on_case": recipient.id in case.institutions,
            "recipient_is_crip": recipient.is_crip,
            "case_is_judicial": case.legal_framework == "judicial",
        }
        definition = evaluate(claim, facts, catalogue)
        return SharingAuthorisation(ground=claim, ground_reference=definition.reference)
    consent_ids = case.consents_covering(recipient.id, categories, at)
    if consent_ids is None:
        uncovered = [c for c in categories if case.consents_covering(recipient.id, [c], at) is None]
        raise NoLegalBasisForSharingError(
            N_(
                "no consent in force covers sharing {uncovered} with institution "
                "{recipient_institution_id}, and no legal ground was given"
            ),
            field="categories",
            uncovered=uncovered,
            recipient_institution_id=recipient.id,
        )
    return SharingAuthorisation(consent_ids=consent_ids)
