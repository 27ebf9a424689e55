"""Need-to-know on a case: the standing the log gives a principal, and what it allows."""

from __future__ import annotations

from datetime import date
from uuid import UUID, uuid4

import pytest

from domain.access import CaseUse, Principal, Role
from domain.application import Maillage
from domain.errors import AccessDeniedError
from tests.world import World, ago


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


def refusal(app: Maillage, principal: Principal, case: UUID, use: CaseUse) -> AccessDeniedError:
    with pytest.raises(AccessDeniedError) as refused:
        app.authorise_case(principal, case, use)
    return refused.value


def test_a_delegation_naming_the_case_opens_it_though_its_institution_is_not_on_it(
    world: World,
) -> None:
    """A delegation in force naming a case is the institution's mandate to act on it (DOMAIN.md):
    the school is not on the case and has no convention with the AEMO, yet its delegate reads
    the case, may act on it, and joins it under the delegation, whose scope names no
    `case_participation`."""
    app, case = world.app, world.open_case()
    paul = worker(world, "paul")
    assert not allowed(app, paul, case, CaseUse.READ)
    delegation = world.delegation("paul", case, "school_support")
    for use in (CaseUse.READ, CaseUse.ACT, CaseUse.JOIN, CaseUse.ANSWER_REFERRAL):
        assert allowed(app, paul, case, use), use
    assert not allowed(app, paul, case, CaseUse.AUDIT)  # auditing stays with supervisors
    # the delegation is his: the school's supervisor audits the case once the school is on it
    school_head = supervisor_of(world, "school")
    assert not allowed(app, school_head, case, CaseUse.AUDIT)
    app.join_case(case_id=case, by=world.actor("paul"), role="enseignant", delegation_id=delegation)
    assert allowed(app, school_head, case, CaseUse.AUDIT)


def test_a_lapsed_delegation_opens_nothing_and_the_refusal_says_why(world: World) -> None:
    app, case = world.app, world.open_case()
    delegation = world.delegation("paul", case, "school_support")
    app.revoke_delegation(delegation_id=delegation, reason="fin de mission")
    paul = worker(world, "paul")
    refused = refusal(app, paul, case, CaseUse.READ)
    assert refused.details["delegations"] == [
        {"delegation_id": str(delegation), "reason": "revoked"}
    ]
    refused = refusal(app, paul, case, CaseUse.JOIN)
    assert refused.details["delegations"] == [
        {"delegation_id": str(delegation), "reason": "revoked"}
    ]
    assert refused.details["conventions"] == []


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
    referral = world.refer(case, "jeanne", "ase", reason="bilan")
    # pending: the ASE answers it, but reads only what it shares, not the file (issue 17)
    assert not allowed(app, ase_head, case, CaseUse.AUDIT)
    assert not allowed(app, ase_head, case, CaseUse.READ)
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


def test_a_convention_lets_its_professionals_join_for_the_acts_of_their_scope(
    world: World,
) -> None:
    """The CMP and the AEMO (on the case) signed a convention whose scope for the CMP names
    consultation and assessment: its case worker joins (joining is taking part to do those
    acts), and reads the case only once a participant."""
    app, case = world.app, world.open_case()
    sophie = worker(world, "sophie")
    world.convention("aemo", "cmp", kinds=("consultation", "assessment"))
    assert allowed(app, sophie, case, CaseUse.JOIN)
    assert not allowed(app, sophie, case, CaseUse.READ)
    app.join_case(case_id=case, by=world.actor("sophie"), role="psychologue")
    assert allowed(app, sophie, case, CaseUse.READ)


def test_a_refused_join_names_each_partnership_and_why_it_did_not_serve(world: World) -> None:
    """The CMP's partnerships: a charter with the AEMO, a convention the AEMO never signed, one
    whose scope gives the CMP no act, a suspended one, and one in force with the school, which
    is not on the case. None lets Sophie join; the refusal says which and why, as codes."""
    app, case = world.app, world.open_case()
    charter = app.propose_partnership(
        kind="charter",
        title="Charte",
        origin="spontaneous",
        parties=[world.i("cmp"), world.i("aemo")],
        valid_from=date(2025, 1, 1),
    ).id
    unsigned = world.convention("cmp", "aemo", sign=False)
    no_act = world.convention("cmp", "aemo", kinds=())  # information only, no act
    suspended = world.convention("cmp", "aemo", kinds=("consultation",))
    app.suspend_partnership(partnership_id=suspended, reason="audit")
    elsewhere = world.convention("cmp", "school", kinds=("consultation",))

    refused = refusal(app, worker(world, "sophie"), case, CaseUse.JOIN)

    assert refused.rule == "access-denied"
    assert refused.details["conventions"] == [
        {"partnership_id": str(charter), "reason": "charter"},
        {"partnership_id": str(unsigned), "reason": "not_signed"},
        {"partnership_id": str(no_act), "reason": "no_action_kinds"},
        {"partnership_id": str(suspended), "reason": "suspended"},
        {"partnership_id": str(elsewhere), "reason": "no_party_on_case"},
    ]
    app.resume_partnership(partnership_id=suspended)
    assert allowed(app, worker(world, "sophie"), case, CaseUse.JOIN)
