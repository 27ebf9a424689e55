"""Need-to-know on a case: the standing the log gives a principal, and what it allows."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from domain.access import CaseUse, Principal, Role
from domain.application import Maillage
from domain.errors import AccessDeniedError
from tests.world import TODAY, World, ago


def worker(world: World, who: str) -> Principal:
    actor = world.actor(who)
    return Principal(actor.professional_id, Role.CASE_WORKER, actor.institution_id)


def supervisor_of(world: World, institution: str) -> Principal:
    app = world.app
    head = app.register_professional(name="Head", profession="head of service").id
    app.start_employment(
        professional_id=head, institution_id=world.i(institution), start=date(2020, 1, 1)
    )
    return Principal(head, Role.SUPERVISOR, world.i(institution))


def allowed(app: Maillage, principal: Principal, case: UUID, use: CaseUse) -> bool:
    try:
        app.authorise_case(principal, case, use)
    except AccessDeniedError:
        return False
    return True


def test_the_holder_reads_and_an_unlinked_worker_does_not(world: World) -> None:
    case = world.open_case()
    assert allowed(world.app, worker(world, "jeanne"), case, CaseUse.READ)
    assert not allowed(world.app, worker(world, "paul"), case, CaseUse.READ)
    assert not allowed(world.app, worker(world, "paul"), case, CaseUse.JOIN)


def test_a_delegation_opens_a_case_only_from_an_institution_with_a_standing(
    world: World,
) -> None:
    app, case = world.app, world.open_case()
    # the school has no part in the case and no convention with the AEMO
    app.grant_delegation(
        institution_id=world.i("school"),
        professional_id=world.p("paul"),
        case_id=case,
        scope=["other"],
        valid_from=TODAY,
        valid_until=date(TODAY.year + 1, 1, 1),
    )
    assert not allowed(app, worker(world, "paul"), case, CaseUse.READ)
    # the CMP has a convention in force with the AEMO: its delegation opens the case
    world.convention("aemo", "cmp")
    app.grant_delegation(
        institution_id=world.i("cmp"),
        professional_id=world.p("sophie"),
        case_id=case,
        scope=["case_participation", "consultation"],
        valid_from=TODAY,
        valid_until=date(TODAY.year + 1, 1, 1),
    )
    assert allowed(app, worker(world, "sophie"), case, CaseUse.READ)


def test_a_token_is_a_claim_the_registry_decides(world: World) -> None:
    app, case = world.app, world.open_case()
    jeanne = worker(world, "jeanne")
    app.end_employment(
        professional_id=world.p("jeanne"), institution_id=world.i("aemo"), end=ago(1).date()
    )
    assert not allowed(app, jeanne, case, CaseUse.READ)
    stranger = Principal(uuid4(), Role.SUPERVISOR, world.i("aemo"))
    assert not allowed(app, stranger, case, CaseUse.AUDIT)
    assert allowed(app, supervisor_of(world, "aemo"), case, CaseUse.AUDIT)


def test_a_declined_referral_leaves_no_standing(world: World) -> None:
    app, case = world.app, world.open_case()
    ase_head = supervisor_of(world, "ase")
    assert not allowed(app, ase_head, case, CaseUse.AUDIT)
    referral = app.refer(
        case_id=case, by=world.actor("jeanne"), to_institution_id=world.i("ase"), reason="bilan"
    ).entity_id
    assert referral is not None
    assert allowed(app, ase_head, case, CaseUse.AUDIT)
    assert allowed(app, worker(world, "karim"), case, CaseUse.ANSWER_REFERRAL)
    app.decline_referral(
        case_id=case, referral_id=referral, by=world.actor("karim"), reason="hors secteur"
    )
    assert not allowed(app, ase_head, case, CaseUse.AUDIT)
    assert not allowed(app, worker(world, "karim"), case, CaseUse.JOIN)


def test_a_network_shared_with_the_coordinator_lets_a_member_join(world: World) -> None:
    app, case = world.app, world.open_case()
    network = app.found_informal_network(
        name="Pairs", values_statement="confiance", founder_id=world.p("jeanne")
    ).id
    app.invite_to_network(
        network_id=network, inviter_id=world.p("jeanne"), invitee_id=world.p("paul")
    )
    app.accept_network_invitation(network_id=network, invitee_id=world.p("paul"))
    assert not allowed(app, worker(world, "paul"), case, CaseUse.JOIN)  # no coordinator yet
    jeanne = world.actor("jeanne")
    app.designate_coordinator(case_id=case, by=jeanne, coordinator=jeanne)
    assert allowed(app, worker(world, "paul"), case, CaseUse.JOIN)
    assert not allowed(app, worker(world, "paul"), case, CaseUse.READ)  # not before joining


@pytest.mark.parametrize("role", [Role.FUNDER, Role.ADMIN])
@pytest.mark.parametrize("use", list(CaseUse))
def test_funders_and_admins_reach_no_case(world: World, role: Role, use: CaseUse) -> None:
    case = world.open_case()
    principal = Principal(world.p("jeanne"), role, world.i("aemo"))  # even the holder's person
    assert not allowed(world.app, principal, case, use)
