"""Networks of professionals: informal ones, on personal trust (members invite and accept for
themselves), and formal ones under a project and delegations (administrators keep them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from api.http.deps import CommandResult, IfMatch, MaillageDep, PrincipalDep, etag, run_command
from domain.access import Principal, Role, check_role, check_self_or_role
from domain.network import Invitation, Member, Network

router = APIRouter(tags=["networks"])
ADMIN = "keeping formal networks"


class InformalNetworkCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    values_statement: str = Field(min_length=1, max_length=10000)
    founder_id: UUID | None = Field(
        default=None, description="Yourself by default; another professional: admin only."
    )
    occurred_at: datetime | None = None


class FormalNetworkCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    founding_institutions: list[UUID] = Field(min_length=1, max_length=100)
    objectives: list[str] = Field(min_length=1, max_length=50)
    values_statement: str | None = Field(default=None, max_length=10000)
    occurred_at: datetime | None = None


class InvitationCreate(BaseModel):
    invitee_id: UUID
    inviter_id: UUID | None = Field(default=None, description="Yourself by default.")


class InstitutionAdd(BaseModel):
    institution_id: UUID


class Admission(BaseModel):
    delegation_id: UUID = Field(description="The delegation naming this network.")
    occurred_at: datetime | None = None


class CoordinatorAppointment(BaseModel):
    professional_id: UUID


class Project(BaseModel):
    objectives: list[str] = Field(min_length=1, max_length=50)


class NetworkMeeting(BaseModel):
    attendees: list[UUID] = Field(min_length=1, max_length=200)
    decisions: list[str] = Field(default_factory=list, max_length=100)
    recorded_by: UUID | None = Field(default=None, description="Yourself by default.")
    occurred_at: datetime | None = None


class Departure(BaseModel):
    professional_id: UUID | None = Field(default=None, description="Yourself by default.")


class Dissolution(BaseModel):
    reason: str = Field(min_length=1, max_length=2000)
    occurred_at: datetime | None = None


class NetworkRead(BaseModel):
    id: UUID
    version: int
    kind: str
    name: str
    values_statement: str | None
    institutions: list[UUID]
    objectives: list[str]
    members: list[Member]
    invitations: list[Invitation]
    coordinator_id: UUID | None
    dissolved: bool


def _person(principal: Principal, given: UUID | None, doing: str) -> UUID:
    """The professional a network act is for: yourself, or anyone for an administrator."""
    person = given or principal.subject
    check_self_or_role(principal, person, Role.ADMIN, doing=doing)
    return person


def _run(
    name: str,
    network_id: UUID,
    request: Request,
    response: Response,
    if_match: int | None,
    action: Any,
) -> CommandResult:
    return run_command(
        request, response, name, action, target=network_id, expected_version=if_match
    )


@router.post(
    "/networks/informal",
    status_code=201,
    response_model=CommandResult,
    summary="Found an informal network (yourself as founder)",
)
def found_informal_network(
    body: InformalNetworkCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
) -> CommandResult:
    founder = _person(principal, body.founder_id, "founding a network for someone else")
    result = run_command(
        request,
        response,
        "found_informal_network",
        lambda: maillage.found_informal_network(
            name=body.name,
            values_statement=body.values_statement,
            founder_id=founder,
            occurred_at=body.occurred_at,
        ),
    )
    response.headers["Location"] = f"/networks/{result.id}"
    return result


@router.post(
    "/networks/formal",
    status_code=201,
    response_model=CommandResult,
    summary="Found a formal network (admin)",
)
def found_formal_network(
    body: FormalNetworkCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing=ADMIN)
    result = run_command(
        request,
        response,
        "found_formal_network",
        lambda: maillage.found_formal_network(
            name=body.name,
            founding_institutions=body.founding_institutions,
            objectives=body.objectives,
            values_statement=body.values_statement,
            occurred_at=body.occurred_at,
        ),
    )
    response.headers["Location"] = f"/networks/{result.id}"
    return result


@router.get(
    "/networks/{network_id}",
    response_model=NetworkRead,
    summary="Read a network: members, invitations, project (ETag: its version)",
)
def read_network(
    network_id: UUID, principal: PrincipalDep, maillage: MaillageDep, response: Response
) -> NetworkRead:
    n = maillage.load(Network, network_id, field="network_id")
    etag(response, n.version)
    return NetworkRead(
        id=n.id,
        version=n.version,
        kind=str(n.kind),
        name=n.name,
        values_statement=n.values_statement,
        institutions=list(n.institutions),
        objectives=list(n.objectives),
        members=list(n.members),
        invitations=list(n.invitations),
        coordinator_id=n.coordinator_id,
        dissolved=n.dissolved,
    )


@router.post(
    "/networks/{network_id}/invitations",
    response_model=CommandResult,
    summary="Invite a professional to an informal network (a member, for themselves)",
)
def invite(
    network_id: UUID,
    body: InvitationCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    inviter = _person(principal, body.inviter_id, "inviting on someone else's behalf")
    return _run(
        "invite_to_network",
        network_id,
        request,
        response,
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
def accept_invitation(
    network_id: UUID,
    invitee_id: UUID,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    _person(principal, invitee_id, "answering someone else's invitation")
    return _run(
        "accept_network_invitation",
        network_id,
        request,
        response,
        if_match,
        lambda: maillage.accept_network_invitation(network_id=network_id, invitee_id=invitee_id),
    )


@router.post(
    "/networks/{network_id}/invitations/{invitee_id}/decline",
    response_model=CommandResult,
    summary="Decline an invitation (the invitee)",
)
def decline_invitation(
    network_id: UUID,
    invitee_id: UUID,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    _person(principal, invitee_id, "answering someone else's invitation")
    return _run(
        "decline_network_invitation",
        network_id,
        request,
        response,
        if_match,
        lambda: maillage.decline_network_invitation(network_id=network_id, invitee_id=invitee_id),
    )


@router.post(
    "/networks/{network_id}/institutions",
    response_model=CommandResult,
    summary="Add an institution to a formal network (admin)",
)
def add_institution(
    network_id: UUID,
    body: InstitutionAdd,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing=ADMIN)
    return _run(
        "add_institution_to_network",
        network_id,
        request,
        response,
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
def admit(
    network_id: UUID,
    body: Admission,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing=ADMIN)
    return _run(
        "admit_to_network",
        network_id,
        request,
        response,
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
def appoint_coordinator(
    network_id: UUID,
    body: CoordinatorAppointment,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing=ADMIN)
    return _run(
        "appoint_network_coordinator",
        network_id,
        request,
        response,
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
def update_project(
    network_id: UUID,
    body: Project,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing=ADMIN)
    return _run(
        "update_network_project",
        network_id,
        request,
        response,
        if_match,
        lambda: maillage.update_network_project(network_id=network_id, objectives=body.objectives),
    )


@router.post(
    "/networks/{network_id}/meetings",
    response_model=CommandResult,
    summary="Record a network meeting (a member, for themselves)",
)
def record_meeting(
    network_id: UUID,
    body: NetworkMeeting,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    recorder = _person(principal, body.recorded_by, "recording a meeting for someone else")
    return _run(
        "record_network_meeting",
        network_id,
        request,
        response,
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
def leave(
    network_id: UUID,
    body: Departure,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    person = _person(principal, body.professional_id, "taking someone else out of a network")
    return _run(
        "leave_network",
        network_id,
        request,
        response,
        if_match,
        lambda: maillage.leave_network(network_id=network_id, professional_id=person),
    )


@router.post(
    "/networks/{network_id}/dissolution",
    response_model=CommandResult,
    summary="Dissolve a network (admin)",
)
def dissolve(
    network_id: UUID,
    body: Dissolution,
    principal: PrincipalDep,
    maillage: MaillageDep,
    request: Request,
    response: Response,
    if_match: IfMatch,
) -> CommandResult:
    check_role(principal, Role.ADMIN, doing=ADMIN)
    return _run(
        "dissolve_network",
        network_id,
        request,
        response,
        if_match,
        lambda: maillage.dissolve_network(
            network_id=network_id, reason=body.reason, occurred_at=body.occurred_at
        ),
    )
