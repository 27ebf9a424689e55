"""The second person of a client's access to personal data (issue 19, security review): an
administrator requests it (`personal_data`), a data-protection officer of the client's own
institution approves it here, or withdraws the approval. Only then does the feed open personal
fields to the client (`ClientScope.personal_data`). Who approved, when, is kept on the client and
shown; an administrator's change that widens the request lapses it (`ClientRegistry.update`).

A DPO approves the request they were shown, none other: the approval names its tag (`seen`,
the ETag of the GET, `ClientRecord.request_tag`), checked against the request as it stands, the
client's row held meanwhile (`held_row`) — an administrator who widened it between the DPO's
reading and their approval gets it refused (`PersonalDataRequestChangedError`), nothing
approved. Every approval and withdrawal is logged for operators; the DPO sees no secret.
"""

from __future__ import annotations

import logging
from uuid import UUID

from sqlalchemy import Connection, update

from api.integration.client_records import (
    ClientNotFoundError,
    ClientRecord,
    ClientRevokedError,
    PersonalDataNotRequestedError,
    PersonalDataRequestChangedError,
    held_row,
    integration_client,
)
from api.integration.clients import ClientRegistry, request_of
from domain.access import Principal
from domain.integration import check_personal_data_approver, request_tag
from projections.tables import as_utc

log = logging.getLogger("maillage.integration")
_c = integration_client.c


def _checked(conn: Connection, client_id: UUID, principal: Principal) -> tuple[bool, bool, str]:
    """The client's (requested, approved, request's tag), once `principal` is found a DPO of
    its institution and it is not revoked; its row held until the transaction ends."""
    row = held_row(
        conn,
        client_id,
        _c.institution_id,
        _c.kinds,
        _c.purpose,
        _c.personal_data,
        _c.updated_at,
        _c.personal_data_approved_at,
        _c.revoked_at,
    )
    if row is None:
        raise ClientNotFoundError(client_id)
    check_personal_data_approver(principal, UUID(row.institution_id))
    if row.revoked_at is not None:
        raise ClientRevokedError(client_id)
    tag = request_tag(request_of(row), as_utc(row.updated_at))
    return bool(row.personal_data), row.personal_data_approved_at is not None, tag


def approve_personal_data(
    registry: ClientRegistry, client_id: UUID, principal: Principal, *, seen: str | None = None
) -> ClientRecord:
    """A DPO of the client's institution approves the personal data an administrator requested
    for it — the request of tag `seen` (the ETag they read), refused if it changed since (None:
    whatever it is now, for callers that show none); approving it again keeps the first
    approval."""
    with registry.engine.begin() as conn:
        requested, approved, tag = _checked(conn, client_id, principal)
        if seen is not None and seen != tag:
            raise PersonalDataRequestChangedError(client_id)
        if not requested:
            raise PersonalDataNotRequestedError(client_id)
        if not approved:
            conn.execute(
                update(integration_client)
                .where(_c.client_id == str(client_id))
                .values(
                    personal_data_approved_at=registry.clock(),
                    personal_data_approved_by=str(principal.subject),
                )
            )
    if not approved:
        log.info(
            "integration client %s: personal data approved by data-protection officer %s of %s "
            "(request %s)",
            client_id,
            principal.subject,
            principal.institution_id,
            tag,
        )
    return registry.get(client_id)


def withdraw_personal_data(
    registry: ClientRegistry, client_id: UUID, principal: Principal
) -> ClientRecord:
    """A DPO of the client's institution withdraws the approval: the feed opens no personal
    field to the client from its next request. Withdrawing none changes nothing (it narrows:
    no tag is asked for)."""
    with registry.engine.begin() as conn:
        _, approved, _ = _checked(conn, client_id, principal)
        if approved:
            conn.execute(
                update(integration_client)
                .where(_c.client_id == str(client_id))
                .values(personal_data_approved_at=None, personal_data_approved_by=None)
            )
    if approved:
        log.info(
            "integration client %s: approval of personal data withdrawn by data-protection "
            "officer %s of %s",
            client_id,
            principal.subject,
            principal.institution_id,
        )
    return registry.get(client_id)
