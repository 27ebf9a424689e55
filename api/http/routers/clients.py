"""Client applications of institutions (issue 19): administrators register them, set what they
may follow, rotate their secrets and revoke them (`api.integration.clients`). A client's secret
is answered once — when it is registered or rotated — and never again.

They are configuration beside the store, not events of the log: each change is logged for
operators (`maillage.integration`), and holds at the client's next request (the feed reads its
scope at every request).

Personal data takes two people: an administrator requests it, a data-protection officer of the
client's institution approves or withdraws it (`…/personal-data-approval`, the DPO's only
routes here: they see the client, never a secret).
"""

from __future__ import annotations

import re
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, Query, Response
from sqlalchemy import Connection

from api.http.deps import ClientsDep, ConnectionDep, MaillageDep, PrincipalDep, SettingsDep
from api.http.guard import GuardedRoute, admits
from api.http.params import Cursor, Limit, id_cursor
from api.http.problems import PreconditionError
from api.http.schemas.clients import ClientCreate, ClientRead, ClientSecret, ClientUpdate
from api.http.schemas.common import Page
from api.integration.client_approval import approve_personal_data, withdraw_personal_data
from api.integration.clients import (
    ClientRecord,
    Registered,
    check_institution,
    rotation_grace,
)
from domain.integration import (
    APPROVING_PERSONAL_DATA,
    KEEPING_INTEGRATIONS,
    check_personal_data_approver,
)
from domain.wording import N_
from projections.names import names

router = APIRouter(tags=["integration"], route_class=GuardedRoute)
KEEPING = admits(KEEPING_INTEGRATIONS)
APPROVING = admits(APPROVING_PERSONAL_DATA)
NO_STORE = {"Cache-Control": "no-store"}  # an answer carrying a secret is kept by no cache


def _read(conn: Connection, records: list[ClientRecord]) -> list[ClientRead]:
    found = names(conn, institutions=[r.institution_id for r in records])
    return [ClientRead.of(r, found.institution(r.institution_id)) for r in records]


def _tagged(response: Response, record: ClientRecord) -> ClientRecord:
    """The answer's ETag: the tag of the client's request for personal data, which a DPO's
    approval names in `If-Match`."""
    response.headers["ETag"] = f'"{record.request_tag}"'
    return record


_TAG = re.compile(r"^[0-9a-f]{32}$")
SeenTag = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description=(
            "Required: the ETag the GET of the request answered, e.g. "
            '`"3f2a…"`. The approval is refused with 412 if the request changed since.'
        ),
    ),
]


def _seen(if_match: str | None) -> str:
    """The tag of the request the DPO read, from `If-Match` (428 without one, or with `*`:
    an approval names what it approves)."""
    value = (if_match or "").strip()
    if value in ("", "*"):
        raise PreconditionError(
            428,
            "if-match-required",
            N_(
                "approving personal data takes If-Match: the ETag of the request you read "
                "(GET …/personal-data-approval), so that you approve that request and no other"
            ),
            "header.If-Match",
        )
    tag = value.removeprefix("W/").strip('"')
    if not _TAG.match(tag):
        raise PreconditionError(
            422,
            "invalid-if-match",
            N_("If-Match takes the ETag the request's GET answered, as it answered it"),
            "header.If-Match",
        )
    return tag


def _secret(response: Response, registered: Registered, **extra: Any) -> ClientSecret:
    response.headers.update(NO_STORE)
    return ClientSecret(client_id=registered.client_id, client_secret=registered.secret, **extra)


@router.post(
    "/integration/clients",
    status_code=201,
    response_model=ClientSecret,
    summary="Register a client application (admin): its secret is shown this once",
)
@KEEPING
def register_client(
    body: ClientCreate,
    principal: PrincipalDep,
    maillage: MaillageDep,
    clients: ClientsDep,
    response: Response,
) -> ClientSecret:
    check_institution(maillage, body.institution_id, field="institution_id")
    registered = clients.register(
        name=body.name,
        institution_id=body.institution_id,
        kinds=body.kinds,
        personal_data=body.personal_data,
        purpose=body.purpose,
        by=principal.subject,
    )
    response.headers["Location"] = f"/integration/clients/{registered.client_id}"
    return _secret(response, registered)


@router.get(
    "/integration/clients",
    response_model=Page[ClientRead],
    summary="List client applications (admin)",
)
@KEEPING
def list_clients(
    principal: PrincipalDep,
    clients: ClientsDep,
    conn: ConnectionDep,
    limit: Limit = 100,
    cursor: Cursor = None,
    institution_id: Annotated[
        UUID | None, Query(description="Only the clients of this institution.")
    ] = None,
    revoked: Annotated[
        bool | None, Query(description="true: only revoked clients; false: only active ones.")
    ] = None,
) -> Page[ClientRead]:
    found = clients.list(
        institution_id=institution_id, revoked=revoked, after=id_cursor(cursor), limit=limit + 1
    )
    items = _read(conn, found[:limit])
    more = len(found) > limit and items
    return Page[ClientRead](items=items, next_cursor=str(items[-1].client_id) if more else None)


@router.get(
    "/integration/clients/{client_id}",
    response_model=ClientRead,
    summary="Read a client application (admin; never its secret)",
)
@KEEPING
def read_client(
    client_id: UUID,
    principal: PrincipalDep,
    clients: ClientsDep,
    conn: ConnectionDep,
    response: Response,
) -> ClientRead:
    return _read(conn, [_tagged(response, clients.get(client_id))])[0]


@router.patch(
    "/integration/clients/{client_id}",
    response_model=ClientRead,
    summary="Change what a client application may follow (admin)",
)
@KEEPING
def update_client(
    client_id: UUID,
    body: ClientUpdate,
    principal: PrincipalDep,
    clients: ClientsDep,
    conn: ConnectionDep,
    response: Response,
) -> ClientRead:
    record = clients.update(
        client_id,
        by=principal.subject,
        name=body.name,
        kinds=body.kinds,
        personal_data=body.personal_data,
        purpose=body.purpose,
    )
    return _read(conn, [_tagged(response, record)])[0]


@router.post(
    "/integration/clients/{client_id}/secret",
    response_model=ClientSecret,
    summary="Rotate a client application's secret (admin): the new one is shown this once",
)
@KEEPING
def rotate_client_secret(
    client_id: UUID,
    principal: PrincipalDep,
    clients: ClientsDep,
    settings: SettingsDep,
    response: Response,
    grace_minutes: Annotated[
        int | None,
        Query(
            description=(
                "How long the previous secret is still accepted, 0 to "
                "MAILLAGE_INTEGRATION_SECRET_GRACE_MINUTES (the default). 0: refused at once, "
                "and the tokens already issued with it too (a leaked secret)."
            )
        ),
    ] = None,
) -> ClientSecret:
    grace = rotation_grace(grace_minutes, settings.integration_secret_grace_minutes)
    rotated = clients.rotate(client_id, by=principal.subject, grace=grace)
    record = clients.get(client_id)
    return _secret(
        response,
        rotated,
        previous_secret_valid_until=record.previous_secret_valid_until,
        personal_data_in_force=record.personal_data_in_force,
    )


@router.post(
    "/integration/clients/{client_id}/revoke",
    response_model=ClientRead,
    summary="Revoke a client application (admin): at once, its tokens included",
)
@KEEPING
def revoke_client(
    client_id: UUID, principal: PrincipalDep, clients: ClientsDep, conn: ConnectionDep
) -> ClientRead:
    return _read(conn, [clients.revoke(client_id, by=principal.subject)])[0]


@router.get(
    "/integration/clients/{client_id}/personal-data-approval",
    response_model=ClientRead,
    summary="A client application's request for personal data, to approve (DPO)",
)
@APPROVING
def read_personal_data_request(
    client_id: UUID,
    principal: PrincipalDep,
    clients: ClientsDep,
    conn: ConnectionDep,
    response: Response,
) -> ClientRead:
    record = clients.get(client_id)
    check_personal_data_approver(principal, record.institution_id)
    return _read(conn, [_tagged(response, record)])[0]


@router.post(
    "/integration/clients/{client_id}/personal-data-approval",
    response_model=ClientRead,
    summary="Approve a client application's access to personal data (its institution's DPO)",
)
@APPROVING
def approve_client_personal_data(
    client_id: UUID,
    principal: PrincipalDep,
    clients: ClientsDep,
    conn: ConnectionDep,
    response: Response,
    if_match: SeenTag = None,
) -> ClientRead:
    # who and which client first (403, 404), then what they read
    check_personal_data_approver(principal, clients.get(client_id).institution_id)
    seen = _seen(if_match)
    record = approve_personal_data(clients, client_id, principal, seen=seen)
    return _read(conn, [_tagged(response, record)])[0]


@router.delete(
    "/integration/clients/{client_id}/personal-data-approval",
    response_model=ClientRead,
    summary="Withdraw the approval of a client application's personal data (its institution's DPO)",
)
@APPROVING
def withdraw_client_personal_data(
    client_id: UUID, principal: PrincipalDep, clients: ClientsDep, conn: ConnectionDep
) -> ClientRead:
    return _read(conn, [withdraw_personal_data(clients, client_id, principal)])[0]
