"""Scenes the coherence tests share (unit, integration and HTTP alike), over `tests.world`."""

from __future__ import annotations

from uuid import UUID

from domain.application import Maillage
from domain.events import EventRef
from domain.grounds import GroundClaim
from domain.usecases.base import Recorded
from tests.world import World, ago

# Shared secrecy in child protection (CASF art. L.226-2-2), every condition attested.
SECRECY = GroundClaim(
    code="shared_secrecy_child_protection",
    attested=(
        "recipient_bound_by_secrecy",
        "contributes_to_child_protection",
        "strictly_necessary",
        "parental_authority_informed",
    ),
)


def consented_case(app: Maillage, world: World, representative: str | None = None) -> UUID:
    """A case the AEMO opened 12 days ago; 11 days ago, consent to share health news with the
    CMP (the beneficiary's own, or a named legal representative's)."""
    case_id = world.open_case(occurred_at=ago(12))
    app.give_consent(
        case_id=case_id,
        by=world.actor("jeanne"),
        giver="legal_representative" if representative else "beneficiary",
        representative_name=representative,
        recipients=[world.i("cmp")],
        categories=["health"],
        occurred_at=ago(11),
    )
    return case_id


def share_while_suspended(
    app: Maillage,
    world: World,
    case_id: UUID,
    kinds: tuple[str, ...] = ("case_participation", "information_sharing"),
) -> tuple[Recorded, EventRef]:
    """The AEMO–CMP convention (scope: `kinds`) is suspended 5 days ago; 3 days ago Jeanne
    shares health news with the CMP on consent; the convention resumes yesterday. Returns the
    share and the resumption."""
    convention_id = world.convention("aemo", "cmp", kinds=kinds)
    app.suspend_partnership(partnership_id=convention_id, reason="audit", occurred_at=ago(5))
    shared = app.share_information(
        case_id=case_id,
        by=world.actor("jeanne"),
        recipient_institution_id=world.i("cmp"),
        categories=["health"],
        occurred_at=ago(3),
    )
    resumed = app.resume_partnership(partnership_id=convention_id, occurred_at=ago(1))
    return shared, EventRef(convention_id, resumed.version, "Partnership.PartnershipResumed")
