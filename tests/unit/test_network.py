"""Network rules: informal networks rest on invitation and acceptance; formal ones on delegation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from uuid import UUID, uuid4

import pytest

from domain.application import Maillage
from domain.errors import (
    AlreadyAMemberError,
    DelegationExpiredError,
    DelegationOutOfScopeError,
    DelegationRevokedError,
    InvalidValueError,
    NetworkDissolvedError,
    NetworkKindError,
    NoInvitationError,
    NotAFoundingInstitutionError,
    NotANetworkMemberError,
    NotEmployedError,
    NotFoundError,
)
from domain.network import Invitation, Member, Network
from domain.professional import Professional
from tests.world import World, ago, events_since, names, position

Command = Callable[[Maillage, World, UUID], object]


def load(app: Maillage, network_id: UUID) -> Network:
    network = app.repository.get(network_id)
    assert isinstance(network, Network)
    return network


def professional(app: Maillage, professional_id: UUID) -> Professional:
    loaded = app.repository.get(professional_id)
    assert isinstance(loaded, Professional)
    return loaded


def informal(app: Maillage, world: World, founder: str = "jeanne") -> UUID:
    return app.found_informal_network(
        name="Réseau du quartier Nord",
        values_statement="we share what helps the families we follow",
        founder_id=world.p(founder),
        occurred_at=ago(20),
    ).id


def invite(app: Maillage, world: World, network_id: UUID, invitee: str, by: str = "jeanne") -> None:
    app.invite_to_network(
        network_id=network_id, inviter_id=world.p(by), invitee_id=world.p(invitee)
    )


def formal(app: Maillage, world: World, *institutions: str) -> UUID:
    return app.found_formal_network(
        name="Réseau petite enfance",
        founding_institutions=[world.i(i) for i in institutions or ("aemo", "cmp")],
        objectives=["coordinate early support", "share training"],
        occurred_at=ago(20),
    ).id


def delegate(
    app: Maillage,
    world: World,
    network_id: UUID | None,
    who: str = "jeanne",
    *,
    institution: str | None = None,
    scope: tuple[str, ...] = ("coordination", "meeting"),
    valid_from: date = date(2026, 1, 1),
    valid_until: date = date(2026, 12, 31),
    case_id: UUID | None = None,
) -> UUID:
    """A delegation for `network_id` from the professional's employer."""
    employer = institution or World.PROFESSIONALS[who][1]
    return app.grant_delegation(
        institution_id=world.i(employer),
        professional_id=world.p(who),
        scope=scope,
        valid_from=valid_from,
        valid_until=valid_until,
        network_id=network_id,
        case_id=case_id,
    ).id


def admit(app: Maillage, world: World, network_id: UUID, who: str = "jeanne") -> None:
    app.admit_to_network(network_id=network_id, delegation_id=delegate(app, world, network_id, who))


# --- informal: founding, invitation, acceptance ------------------------------------------


def test_founding_an_informal_network_makes_the_founder_a_member(
    app: Maillage, world: World
) -> None:
    before = position(app)

    network_id = informal(app, world)

    events = events_since(app, before)
    assert names(events) == ["NetworkFounded", "NetworkJoined"]
    founded, joined = events
    assert founded.originator_id == network_id
    assert founded.kind == "informal"
    assert founded.founder_id == world.p("jeanne")
    assert founded.founded_at == ago(20)
    assert joined.originator_id == world.p("jeanne")
    assert joined.network_id == network_id
    assert load(app, network_id).members == [Member(world.p("jeanne"))]
    assert professional(app, world.p("jeanne")).network_ids == [network_id]


def test_an_informal_network_states_its_values(app: Maillage, world: World) -> None:
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.found_informal_network(
            name="Réseau", values_statement="  ", founder_id=world.p("jeanne")
        )

    assert refused.value.field == "values_statement"
    assert position(app) == before


def test_a_member_invites_a_professional(app: Maillage, world: World) -> None:
    network_id = informal(app, world)
    before = position(app)

    invite(app, world, network_id, "karim")

    events = events_since(app, before)
    assert names(events) == ["MemberInvited"]
    assert events[0].invitation == Invitation(
        invitee_id=world.p("karim"), inviter_id=world.p("jeanne")
    )
    assert not load(app, network_id).is_member(world.p("karim"))


def test_an_invitation_by_a_non_member_is_refused(app: Maillage, world: World) -> None:
    network_id = informal(app, world)
    before = position(app)

    with pytest.raises(NotANetworkMemberError) as refused:
        invite(app, world, network_id, "sophie", by="karim")

    assert refused.value.field == "inviter_id"
    assert position(app) == before


def test_inviting_an_existing_member_is_refused(app: Maillage, world: World) -> None:
    network_id = informal(app, world)
    invite(app, world, network_id, "karim")
    app.accept_network_invitation(network_id=network_id, invitee_id=world.p("karim"))
    before = position(app)

    with pytest.raises(AlreadyAMemberError) as refused:
        invite(app, world, network_id, "karim")

    assert refused.value.field == "invitee_id"
    assert position(app) == before


def test_inviting_a_professional_twice_is_refused(app: Maillage, world: World) -> None:
    network_id = informal(app, world)
    invite(app, world, network_id, "karim")
    before = position(app)

    with pytest.raises(AlreadyAMemberError):
        invite(app, world, network_id, "karim")

    assert position(app) == before


def test_inviting_an_unknown_professional_is_refused(app: Maillage, world: World) -> None:
    network_id = informal(app, world)
    before = position(app)

    with pytest.raises(NotFoundError) as refused:
        app.invite_to_network(
            network_id=network_id, inviter_id=world.p("jeanne"), invitee_id=uuid4()
        )

    assert refused.value.field == "invitee_id"
    assert position(app) == before


def test_accepting_an_invitation_makes_a_member(app: Maillage, world: World) -> None:
    network_id = informal(app, world)
    invite(app, world, network_id, "karim")
    before = position(app)

    app.accept_network_invitation(network_id=network_id, invitee_id=world.p("karim"))

    events = events_since(app, before)
    assert names(events) == ["InvitationAccepted", "NetworkJoined"]
    assert events[0].invitee_id == world.p("karim")
    assert events[1].originator_id == world.p("karim")
    network = load(app, network_id)
    assert network.is_member(world.p("karim"))
    assert network.invitations == []
    assert network_id in professional(app, world.p("karim")).network_ids


def test_joining_without_an_invitation_is_refused(app: Maillage, world: World) -> None:
    network_id = informal(app, world)
    before = position(app)

    with pytest.raises(NoInvitationError) as refused:
        app.accept_network_invitation(network_id=network_id, invitee_id=world.p("karim"))

    assert refused.value.field == "invitee_id"
    assert position(app) == before


def test_declining_an_invitation_withdraws_it(app: Maillage, world: World) -> None:
    network_id = informal(app, world)
    invite(app, world, network_id, "karim")
    before = position(app)

    app.decline_network_invitation(network_id=network_id, invitee_id=world.p("karim"))

    events = events_since(app, before)
    assert names(events) == ["InvitationDeclined"]
    assert events[0].invitee_id == world.p("karim")
    network = load(app, network_id)
    assert network.invitations == []
    assert not network.is_member(world.p("karim"))


def test_a_declined_invitation_can_no_longer_be_accepted(app: Maillage, world: World) -> None:
    network_id = informal(app, world)
    invite(app, world, network_id, "karim")
    app.decline_network_invitation(network_id=network_id, invitee_id=world.p("karim"))
    before = position(app)

    with pytest.raises(NoInvitationError):
        app.accept_network_invitation(network_id=network_id, invitee_id=world.p("karim"))

    assert position(app) == before


def test_declining_without_an_invitation_is_refused(app: Maillage, world: World) -> None:
    network_id = informal(app, world)
    before = position(app)

    with pytest.raises(NoInvitationError):
        app.decline_network_invitation(network_id=network_id, invitee_id=world.p("karim"))

    assert position(app) == before


def test_a_member_leaves_the_network(app: Maillage, world: World) -> None:
    network_id = informal(app, world)
    invite(app, world, network_id, "karim")
    app.accept_network_invitation(network_id=network_id, invitee_id=world.p("karim"))
    before = position(app)

    app.leave_network(network_id=network_id, professional_id=world.p("karim"))

    events = events_since(app, before)
    assert names(events) == ["MemberLeft", "NetworkLeft"]
    assert events[0].professional_id == world.p("karim")
    assert events[1].originator_id == world.p("karim")
    assert not load(app, network_id).is_member(world.p("karim"))
    assert network_id not in professional(app, world.p("karim")).network_ids


def test_leaving_a_network_one_is_not_a_member_of_is_refused(app: Maillage, world: World) -> None:
    network_id = informal(app, world)
    before = position(app)

    with pytest.raises(NotANetworkMemberError) as refused:
        app.leave_network(network_id=network_id, professional_id=world.p("karim"))

    assert refused.value.field == "professional_id"
    assert position(app) == before


FORMAL_ONLY: dict[str, Command] = {
    "add_institution": lambda app, world, nid: app.add_institution_to_network(
        network_id=nid, institution_id=world.i("cmp")
    ),
    "appoint_coordinator": lambda app, world, nid: app.appoint_network_coordinator(
        network_id=nid, professional_id=world.p("jeanne")
    ),
    "update_project": lambda app, world, nid: app.update_network_project(
        network_id=nid, objectives=["a project"]
    ),
    "record_meeting": lambda app, world, nid: app.record_network_meeting(
        network_id=nid,
        recorded_by=world.p("jeanne"),
        attendees=[world.p("jeanne")],
        decisions=["meet again"],
    ),
}


@pytest.mark.parametrize("command", sorted(FORMAL_ONLY))
def test_formal_only_commands_are_refused_on_an_informal_network(
    app: Maillage, world: World, command: str
) -> None:
    network_id = informal(app, world)
    before = position(app)

    with pytest.raises(NetworkKindError) as refused:
        FORMAL_ONLY[command](app, world, network_id)

    assert refused.value.field == "network_id"
    assert position(app) == before


def test_admission_under_delegation_is_refused_on_an_informal_network(
    app: Maillage, world: World
) -> None:
    network_id = informal(app, world)
    delegation_id = delegate(app, world, formal(app, world))
    before = position(app)

    with pytest.raises(NetworkKindError):
        app.admit_to_network(network_id=network_id, delegation_id=delegation_id)

    assert position(app) == before


# --- formal: founding, admission under delegation ----------------------------------------


def test_founding_a_formal_network_records_institutions_and_project_without_members(
    app: Maillage, world: World
) -> None:
    before = position(app)

    network_id = formal(app, world)

    events = events_since(app, before)
    assert names(events) == ["NetworkFounded"]
    assert events[0].kind == "formal"
    assert events[0].founding_institutions == [world.i("aemo"), world.i("cmp")]
    assert events[0].objectives == ["coordinate early support", "share training"]
    assert events[0].founder_id is None
    assert load(app, network_id).members == []


@pytest.mark.parametrize(
    ("institutions", "objectives", "field"),
    [((), ("a project",), "founding_institutions"), (("aemo",), (), "objectives")],
)
def test_a_formal_network_needs_institutions_and_objectives(
    app: Maillage,
    world: World,
    institutions: tuple[str, ...],
    objectives: tuple[str, ...],
    field: str,
) -> None:
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.found_formal_network(
            name="Réseau",
            founding_institutions=[world.i(i) for i in institutions],
            objectives=objectives,
        )

    assert refused.value.field == field
    assert position(app) == before


def test_a_professional_is_admitted_under_a_delegation_for_the_network(
    app: Maillage, world: World
) -> None:
    network_id = formal(app, world)
    delegation_id = delegate(app, world, network_id)
    before = position(app)

    app.admit_to_network(network_id=network_id, delegation_id=delegation_id, occurred_at=ago(1))

    events = events_since(app, before)
    assert names(events) == ["MemberAdmitted", "NetworkJoined"]
    assert events[0].member == Member(world.p("jeanne"), world.i("aemo"), delegation_id)
    assert events[1].originator_id == world.p("jeanne")
    assert load(app, network_id).is_member(world.p("jeanne"))
    assert network_id in professional(app, world.p("jeanne")).network_ids


def test_a_delegation_from_an_institution_outside_the_network_is_refused(
    app: Maillage, world: World
) -> None:
    network_id = formal(app, world)
    delegation_id = delegate(app, world, network_id, "karim")  # ASE takes no part
    before = position(app)

    with pytest.raises(NotAFoundingInstitutionError) as refused:
        app.admit_to_network(network_id=network_id, delegation_id=delegation_id)

    assert refused.value.field == "delegation_id"
    assert position(app) == before


def test_an_institution_added_to_the_network_can_delegate_members(
    app: Maillage, world: World
) -> None:
    network_id = formal(app, world)
    app.add_institution_to_network(network_id=network_id, institution_id=world.i("ase"))
    delegation_id = delegate(app, world, network_id, "karim")
    before = position(app)

    app.admit_to_network(network_id=network_id, delegation_id=delegation_id)

    events = events_since(app, before)
    assert names(events) == ["MemberAdmitted", "NetworkJoined"]
    assert events[0].member.institution_id == world.i("ase")


def test_adding_an_institution_already_in_the_network_is_refused(
    app: Maillage, world: World
) -> None:
    network_id = formal(app, world)
    before = position(app)

    with pytest.raises(AlreadyAMemberError):
        app.add_institution_to_network(network_id=network_id, institution_id=world.i("cmp"))

    assert position(app) == before


def test_a_delegation_for_another_network_is_refused(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    other_id = formal(app, world)
    delegation_id = delegate(app, world, other_id)
    before = position(app)

    with pytest.raises(DelegationOutOfScopeError):
        app.admit_to_network(network_id=network_id, delegation_id=delegation_id)

    assert position(app) == before


def test_a_delegation_for_a_case_only_is_refused(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    delegation_id = delegate(app, world, None, case_id=world.open_case("jeanne"))
    before = position(app)

    with pytest.raises(DelegationOutOfScopeError):
        app.admit_to_network(network_id=network_id, delegation_id=delegation_id)

    assert position(app) == before


def test_a_delegation_without_coordination_in_its_scope_is_refused(
    app: Maillage, world: World
) -> None:
    network_id = formal(app, world)
    delegation_id = delegate(app, world, network_id, scope=("meeting",))
    before = position(app)

    with pytest.raises(DelegationOutOfScopeError):
        app.admit_to_network(network_id=network_id, delegation_id=delegation_id)

    assert position(app) == before


def test_an_expired_delegation_is_refused(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    delegation_id = delegate(
        app, world, network_id, valid_from=date(2025, 1, 1), valid_until=date(2026, 10, 31)
    )
    before = position(app)

    with pytest.raises(DelegationExpiredError):
        app.admit_to_network(network_id=network_id, delegation_id=delegation_id)

    assert position(app) == before


def test_a_revoked_delegation_is_refused(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    delegation_id = delegate(app, world, network_id)
    app.revoke_delegation(delegation_id=delegation_id, reason="left the team", occurred_at=ago(3))
    before = position(app)

    with pytest.raises(DelegationRevokedError):
        app.admit_to_network(network_id=network_id, delegation_id=delegation_id, occurred_at=ago(1))

    assert position(app) == before


def test_a_delegate_no_longer_employed_is_refused(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    delegation_id = delegate(app, world, network_id)
    app.end_employment(
        professional_id=world.p("jeanne"), institution_id=world.i("aemo"), end=ago(10).date()
    )
    before = position(app)

    with pytest.raises(NotEmployedError):
        app.admit_to_network(network_id=network_id, delegation_id=delegation_id)

    assert position(app) == before


def test_admitting_a_member_twice_is_refused(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    admit(app, world, network_id)
    delegation_id = delegate(app, world, network_id)
    before = position(app)

    with pytest.raises(AlreadyAMemberError):
        app.admit_to_network(network_id=network_id, delegation_id=delegation_id)

    assert position(app) == before


INFORMAL_ONLY: dict[str, Command] = {
    "invite": lambda app, world, nid: app.invite_to_network(
        network_id=nid, inviter_id=world.p("jeanne"), invitee_id=world.p("sophie")
    ),
    "accept": lambda app, world, nid: app.accept_network_invitation(
        network_id=nid, invitee_id=world.p("sophie")
    ),
    "decline": lambda app, world, nid: app.decline_network_invitation(
        network_id=nid, invitee_id=world.p("sophie")
    ),
}


@pytest.mark.parametrize("command", sorted(INFORMAL_ONLY))
def test_informal_only_commands_are_refused_on_a_formal_network(
    app: Maillage, world: World, command: str
) -> None:
    network_id = formal(app, world)
    admit(app, world, network_id)
    before = position(app)

    with pytest.raises(NetworkKindError) as refused:
        INFORMAL_ONLY[command](app, world, network_id)

    assert refused.value.field == "network_id"
    assert position(app) == before


# --- formal: coordinator, project, meetings ----------------------------------------------


def test_a_member_is_appointed_coordinator(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    admit(app, world, network_id)
    before = position(app)

    app.appoint_network_coordinator(network_id=network_id, professional_id=world.p("jeanne"))

    events = events_since(app, before)
    assert names(events) == ["NetworkCoordinatorAppointed"]
    assert events[0].professional_id == world.p("jeanne")
    assert load(app, network_id).coordinator_id == world.p("jeanne")


def test_a_coordinator_must_be_a_member(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    admit(app, world, network_id)
    before = position(app)

    with pytest.raises(NotANetworkMemberError) as refused:
        app.appoint_network_coordinator(network_id=network_id, professional_id=world.p("sophie"))

    assert refused.value.field == "professional_id"
    assert position(app) == before


def test_a_coordinator_who_leaves_is_no_longer_coordinator(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    admit(app, world, network_id)
    app.appoint_network_coordinator(network_id=network_id, professional_id=world.p("jeanne"))
    before = position(app)

    app.leave_network(network_id=network_id, professional_id=world.p("jeanne"))

    assert names(events_since(app, before)) == ["MemberLeft", "NetworkLeft"]
    network = load(app, network_id)
    assert network.coordinator_id is None
    assert not network.is_member(world.p("jeanne"))


def test_updating_the_project_replaces_the_objectives(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    before = position(app)

    app.update_network_project(network_id=network_id, objectives=["a single shared file"])

    events = events_since(app, before)
    assert names(events) == ["NetworkProjectUpdated"]
    assert events[0].objectives == ["a single shared file"]
    assert load(app, network_id).objectives == ["a single shared file"]


def test_a_project_without_objectives_is_refused(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.update_network_project(network_id=network_id, objectives=[])

    assert refused.value.field == "objectives"
    assert position(app) == before


def test_a_meeting_of_members_leaves_a_trace(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    admit(app, world, network_id, "jeanne")
    admit(app, world, network_id, "sophie")
    before = position(app)

    recorded = app.record_network_meeting(
        network_id=network_id,
        recorded_by=world.p("jeanne"),
        attendees=[world.p("jeanne"), world.p("sophie"), world.p("jeanne")],
        decisions=["open a shared training day"],
        occurred_at=ago(2),
    )

    events = events_since(app, before)
    assert names(events) == ["NetworkMeetingRecorded"]
    meeting = events[0]
    assert meeting.meeting_id == recorded.entity_id
    assert meeting.recorded_by == world.p("jeanne")
    assert meeting.held_at == ago(2)
    assert meeting.attendees == [world.p("jeanne"), world.p("sophie")]
    assert meeting.decisions == ["open a shared training day"]


def test_a_meeting_attendee_must_be_a_member(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    admit(app, world, network_id)
    before = position(app)

    with pytest.raises(NotANetworkMemberError) as refused:
        app.record_network_meeting(
            network_id=network_id,
            recorded_by=world.p("jeanne"),
            attendees=[world.p("jeanne"), world.p("karim")],
            decisions=[],
        )

    assert refused.value.field == "attendees"
    assert position(app) == before


def test_a_meeting_is_recorded_by_a_member(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    admit(app, world, network_id)
    before = position(app)

    with pytest.raises(NotANetworkMemberError) as refused:
        app.record_network_meeting(
            network_id=network_id,
            recorded_by=world.p("karim"),
            attendees=[world.p("jeanne")],
            decisions=[],
        )

    assert refused.value.field == "recorded_by"
    assert position(app) == before


def test_a_meeting_without_attendees_is_refused(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    admit(app, world, network_id)
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.record_network_meeting(
            network_id=network_id, recorded_by=world.p("jeanne"), attendees=[], decisions=[]
        )

    assert refused.value.field == "attendees"
    assert position(app) == before


# --- dissolution --------------------------------------------------------------------------


def test_dissolving_a_network_records_reason_and_instant(app: Maillage, world: World) -> None:
    network_id = informal(app, world)
    before = position(app)

    app.dissolve_network(network_id=network_id, reason="no longer active", occurred_at=ago(1))

    events = events_since(app, before)
    assert names(events) == ["NetworkDissolved"]
    assert events[0].reason == "no longer active"
    assert events[0].dissolved_at == ago(1)
    assert load(app, network_id).dissolved


AFTER_DISSOLUTION: dict[str, tuple[str, Command]] = {
    "invite": ("informal", INFORMAL_ONLY["invite"]),
    "accept": ("informal", INFORMAL_ONLY["accept"]),
    "leave": (
        "informal",
        lambda app, world, nid: app.leave_network(
            network_id=nid, professional_id=world.p("jeanne")
        ),
    ),
    "dissolve again": (
        "informal",
        lambda app, world, nid: app.dissolve_network(network_id=nid, reason="again"),
    ),
    "add_institution": (
        "formal",
        lambda app, world, nid: app.add_institution_to_network(
            network_id=nid, institution_id=world.i("ase")
        ),
    ),
    "appoint_coordinator": ("formal", FORMAL_ONLY["appoint_coordinator"]),
    "update_project": ("formal", FORMAL_ONLY["update_project"]),
    "record_meeting": ("formal", FORMAL_ONLY["record_meeting"]),
}


@pytest.mark.parametrize("command", sorted(AFTER_DISSOLUTION))
def test_a_dissolved_network_takes_no_further_change(
    app: Maillage, world: World, command: str
) -> None:
    kind, run = AFTER_DISSOLUTION[command]
    if kind == "informal":
        network_id = informal(app, world)
        invite(app, world, network_id, "sophie")
    else:
        network_id = formal(app, world)
        admit(app, world, network_id)
    app.dissolve_network(network_id=network_id, reason="no longer active")
    before = position(app)

    with pytest.raises(NetworkDissolvedError) as refused:
        run(app, world, network_id)

    assert refused.value.field == "network_id"
    assert position(app) == before


def test_admission_to_a_dissolved_network_is_refused(app: Maillage, world: World) -> None:
    network_id = formal(app, world)
    delegation_id = delegate(app, world, network_id)
    app.dissolve_network(network_id=network_id, reason="no longer active")
    before = position(app)

    with pytest.raises(NetworkDissolvedError):
        app.admit_to_network(network_id=network_id, delegation_id=delegation_id)

    assert position(app) == before
