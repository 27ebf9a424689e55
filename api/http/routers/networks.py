"""Networks of professionals: informal ones, on personal trust (members invite and accept for
themselves), and formal ones under a project and delegations (administrators keep them)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import APIRouter, Response

from api.http.commands import Command, CommandDep
from api.http.deps import ConnectionDep, MaillageDep, PrincipalDep, WordsDep
from api.http.guard import GuardedRoute, admits
from api.http.params import IfMatch, etag
from api.http.registry_naming import network_read
from api.http.schemas.common import CommandResult
from api.http.schemas.networks import (
    Admission,
    CoordinatorAppointment,
    Departure,
    Dissolution,
    FormalNetworkCreate,
    InformalNetworkCreate,
    InstitutionAdd,
    InvitationCreate,
    NetworkMeeting,
    NetworkRead,
    Project,
)
from domain.access import (
    ACTING_IN_NETWORKS,
    ANY_ROLE,
    KEEPING_THE_REGISTRY,
    Principal,
)
from domain.access_networks import check_network_person
from domain.network import Network
from domain.wording import N_

router = APIRouter(tags=["networks"], route_class=GuardedRoute)
KEEPING = admits(KEEPING_THE_REGISTRY)  # formal networks
ACTING = admits(ACTING_IN_NETWORKS)  # for oneself (an administrator: for anyone)


def _person(principal: Principal, given: UUID | None, doing: str) -> UUID:
    """The professional a network act is for: yourself, or anyone for an administrator."""
    person = given or principal.subject
    check_network_person(principal, person, doing=doing)
    return person


def _run(
    name: str,
    network_id: UUID,
    command: Command,
    if_match: int | None,
    action: Any,
) -> CommandResult:
    return command.run(name, action, target=network_id, expected_version=if_match)


@router.post(
    "/networks/informal",
    status_code=201,
    response_model=CommandResult,
    summary="Found an informal network (yourself as founder)",
)
@ACTING
def found_informal_network(
    body: InformalNetworkCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
) -> CommandResult:
    founder = _person(principal, body.founder_id, N_("founding a network for someone else"))
    return command.run(
        "found_informal_network",
        lambda: maillage.found_informal_network(
            name=body.name,
            values_statement=body.values_statement,
            founder_id=founder,
            occurred_at=body.occurred_at,
        ),
        created="/networks",
    )


@router.post(
    "/networks/formal",
    status_code=201,
    response_model=CommandResult,
    summary="Found a formal network (admin)",
)
@KEEPING
def found_formal_network(
    body: FormalNetworkCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
) -> CommandResult:
    return command.run(
        "found_formal_network",
        lambda: maillage.found_formal_network(
            name=body.name,
            founding_institutions=body.founding_institutions,
            objectives=body.objectives,
            values_statement=body.values_statement,
            occurred_at=body.occurred_at,
        ),
        created="/networks",
    )


@router.get(
    "/networks/{network_id}",
    response_model=NetworkRead,
    summary="Read a network: members, invitations, project (ETag: its version)",
)
@admits(ANY_ROLE)
def read_network(
    network_id: UUID,
    principal: PrincipalDep,
    maillage: MaillageDep,
    conn: ConnectionDep,
    words: WordsDep,
    response: Response,
) -> NetworkRead:
    n = maillage.load(Network, network_id, field="network_id")
    etag(response, n.version)
    return network_read(n, conn, words)


@router.post(
    "/networks/{network_id}/invitations",
    response_model=CommandResult,
    summary="Invite a professional to an informal network (a member, for themselves)",
)
@ACTING
def invite_to_network(
    network_id: UUID,
    body: InvitationCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    inviter = _person(principal, body.inviter_id, N_("inviting on someone else's behalf"))
    return _run(
        "invite_to_network",
        network_id,
        command,
        if_match,
        lambda: maillage.invite_to_network(
            network_id=network_id, inviter_id=inviter, invitee_id=body.invitee_id
        ),
    )


@router.post(
    "/networks/{network_id}/invitations/{invitee_id}/acceptance",
    response_model=CommandResult,
    summary="Accept an invitation (the invitee)",
)
@ACTING
def accept_network_invitation(
    network_id: UUID,
    invitee_id: UUID,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    _person(principal, invitee_id, N_("answering someone else's invitation"))
    return _run(
        "accept_network_invitation",
        network_id,
        command,
        if_match,
        lambda: maillage.accept_network_invitation(network_id=network_id, invitee_id=invitee_id),
    )


@router.post(
    "/networks/{network_id}/invitations/{invitee_id}/decline",
    response_model=CommandResult,
    summary="Decline an invitation (the invitee)",
)
@ACTING
def decline_network_invitation(
    network_id: UUID,
    invitee_id: UUID,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    _person(principal, invitee_id, N_("answering someone else's invitation"))
    return _run(
        "decline_network_invitation",
        network_id,
        command,
        if_match,
        lambda: maillage.decline_network_invitation(network_id=network_id, invitee_id=invitee_id),
    )


@router.post(
    "/networks/{network_id}/institutions",
    response_model=CommandResult,
    summary="Add an institution to a formal network (admin)",
)
@KEEPING
def add_institution_to_network(
    network_id: UUID,
    body: InstitutionAdd,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return _run(
        "add_institution_to_network",
        network_id,
        command,
        if_match,
        lambda: maillage.add_institution_to_network(
            network_id=network_id, institution_id=body.institution_id
        ),
    )


@router.post(
    "/networks/{network_id}/admissions",
    response_model=CommandResult,
    summary="Admit a delegate to a formal network (admin)",
)
@KEEPING
def admit_to_network(
    network_id: UUID,
    body: Admission,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return _run(
        "admit_to_network",
        network_id,
        command,
        if_match,
        lambda: maillage.admit_to_network(
            network_id=network_id, delegation_id=body.delegation_id, occurred_at=body.occurred_at
        ),
    )


@router.post(
    "/networks/{network_id}/coordinator",
    response_model=CommandResult,
    summary="Appoint the network's coordinator (admin)",
)
@KEEPING
def appoint_network_coordinator(
    network_id: UUID,
    body: CoordinatorAppointment,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return _run(
        "appoint_network_coordinator",
        network_id,
        command,
        if_match,
        lambda: maillage.appoint_network_coordinator(
            network_id=network_id, professional_id=body.professional_id
        ),
    )


@router.post(
    "/networks/{network_id}/project",
    response_model=CommandResult,
    summary="Update a formal network's project (admin)",
)
@KEEPING
def update_network_project(
    network_id: UUID,
    body: Project,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return _run(
        "update_network_project",
        network_id,
        command,
        if_match,
        lambda: maillage.update_network_project(network_id=network_id, objectives=body.objectives),
    )


@router.post(
    "/networks/{network_id}/meetings",
    response_model=CommandResult,
    summary="Record a network meeting (a member, for themselves)",
)
@ACTING
def record_network_meeting(
    network_id: UUID,
    body: NetworkMeeting,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    recorder = _person(principal, body.recorded_by, N_("recording a meeting for someone else"))
    return _run(
        "record_network_meeting",
        network_id,
        command,
        if_match,
        lambda: maillage.record_network_meeting(
            network_id=network_id,
            recorded_by=recorder,
            attendees=body.attendees,
            decisions=body.decisions,
            occurred_at=body.occurred_at,
        ),
    )


@router.post(
    "/networks/{network_id}/departures",
    response_model=CommandResult,
    summary="Leave a network (a member, for themselves)",
)
@ACTING
def leave_network(
    network_id: UUID,
    body: Departure,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    person = _person(principal, body.professional_id, N_("taking someone else out of a network"))
    return _run(
        "leave_network",
        network_id,
        command,
        if_match,
        lambda: maillage.leave_network(network_id=network_id, professional_id=person),
    )


@router.post(
    "/networks/{network_id}/dissolution",
    response_model=CommandResult,
    summary="Dissolve a network (admin)",
)
@KEEPING
def dissolve_network(
    network_id: UUID,
    body: Dissolution,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return _run(
        "dissolve_network",
        network_id,
        command,
        if_match,
        lambda: maillage.dissolve_network(
            network_id=network_id, reason=body.reason, occurred_at=body.occurred_at
        ),
    )
