"""Names beside ids and labels beside codes for the registry's answers: delegations (listed
from the read side or read from the aggregate), partnerships and networks.

One query per kind of id an answer shows (`projections.names`); names are current
(`api.http.schemas.naming`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import Connection

from api.http.naming import named
from api.http.schemas.networks import InvitationRead, MemberRead, NetworkRead
from api.http.schemas.partnerships import PartnershipRead, ScopeRead, SignatureRead
from api.http.schemas.registry import DelegationRead
from api.i18n import Words
from domain.delegation import Delegation
from domain.labels import label, labels
from domain.network import Network
from domain.partnership import Partnership
from projections.names import names


def delegation_items(
    conn: Connection, items: Sequence[dict[str, Any]], words: Words
) -> list[dict[str, Any]]:
    """Delegations as listed: the delegating institution, the delegate, the network named."""
    found = names(
        conn,
        professionals=[i["professional_id"] for i in items],
        institutions=[i["institution_id"] for i in items],
        networks=[i["network_id"] for i in items],
    )
    return [
        {
            **i,
            "institution_name": found.institution(i["institution_id"]),
            "professional_name": found.professional(i["professional_id"]),
            "network_name": found.network(i["network_id"]),
            "scope_labels": labels(words, "action_kind", i["scope"]),
        }
        for i in items
    ]


def delegation_read(d: Delegation, conn: Connection, words: Words) -> DelegationRead:
    found = names(
        conn,
        professionals=[d.professional_id, d.granted_by],
        institutions=[d.institution_id],
        networks=[d.network_id],
    )
    scope = [str(k) for k in d.scope]
    return DelegationRead(
        id=d.id,
        delegation_id=d.id,
        version=d.version,
        institution_id=d.institution_id,
        institution_name=found.institution(d.institution_id),
        professional_id=d.professional_id,
        professional_name=found.professional(d.professional_id),
        case_id=d.case_id,
        network_id=d.network_id,
        network_name=found.network(d.network_id),
        scope=scope,
        scope_labels=labels(words, "action_kind", scope),
        valid_from=d.valid_from,
        valid_until=d.valid_until,
        granted_by=d.granted_by,
        granted_by_name=found.professional(d.granted_by),
        revoked_at=d.revoked_at,
        revocation_reason=d.revocation_reason,
    )


def partnership_items(
    conn: Connection, items: Sequence[dict[str, Any]], words: Words
) -> list[dict[str, Any]]:
    """Partnerships as listed: their parties and signatories named, their kind labelled."""
    found = names(conn, institutions=[p for i in items for p in (*i["parties"], *i["signed_by"])])
    return [
        {
            **i,
            "kind_label": label(words, "partnership_kind", i["kind"]),
            "party_names": named(i["parties"], found.institution),
            "signed_by_names": named(i["signed_by"], found.institution),
        }
        for i in items
    ]


def partnership_read(p: Partnership, conn: Connection, words: Words) -> PartnershipRead:
    found = names(
        conn,
        institutions=[
            *p.parties,
            *(s.institution_id for s in p.scopes),
            *(s.institution_id for s in p.signatures),
        ],
        professionals=[s.signatory_id for s in p.signatures],
    )
    return PartnershipRead(
        id=p.id,
        version=p.version,
        kind=str(p.kind),
        kind_label=label(words, "partnership_kind", p.kind),
        title=p.title,
        origin=str(p.origin),
        origin_label=label(words, "partnership_origin", p.origin),
        mandate_reference=p.mandate_reference,
        parties=list(p.parties),
        party_names=named(p.parties, found.institution),
        valid_from=p.valid_from,
        valid_until=p.valid_until,
        scopes=[
            ScopeRead(
                institution_id=s.institution_id,
                institution_name=found.institution(s.institution_id),
                action_kinds=[str(k) for k in s.action_kinds],
                action_kind_labels=labels(words, "action_kind", s.action_kinds),
                information_categories=[str(c) for c in s.information_categories],
                information_category_labels=labels(
                    words, "information_category", s.information_categories
                ),
            )
            for s in p.scopes
        ],
        values_statement=p.values_statement,
        signatures=[
            SignatureRead(
                institution_id=s.institution_id,
                institution_name=found.institution(s.institution_id),
                signed_on=s.signed_on,
                signatory_id=s.signatory_id,
                signatory_name=found.professional(s.signatory_id),
            )
            for s in p.signatures
        ],
        suspensions=list(p.suspensions),
        terminated_on=p.terminated_on,
    )


def network_read(n: Network, conn: Connection, words: Words) -> NetworkRead:
    people: list[UUID | None] = [n.coordinator_id, *(m.professional_id for m in n.members)]
    people += [p for i in n.invitations for p in (i.invitee_id, i.inviter_id)]
    found = names(
        conn,
        professionals=people,
        institutions=[*n.institutions, *(m.institution_id for m in n.members)],
    )
    return NetworkRead(
        id=n.id,
        version=n.version,
        kind=str(n.kind),
        kind_label=label(words, "network_kind", n.kind),
        name=n.name,
        values_statement=n.values_statement,
        institutions=list(n.institutions),
        institution_names=named(n.institutions, found.institution),
        objectives=list(n.objectives),
        members=[
            MemberRead(
                professional_id=m.professional_id,
                professional_name=found.professional(m.professional_id),
                institution_id=m.institution_id,
                institution_name=found.institution(m.institution_id),
                delegation_id=m.delegation_id,
            )
            for m in n.members
        ],
        invitations=[
            InvitationRead(
                invitee_id=i.invitee_id,
                invitee_name=found.professional(i.invitee_id),
                inviter_id=i.inviter_id,
                inviter_name=found.professional(i.inviter_id),
            )
            for i in n.invitations
        ],
        coordinator_id=n.coordinator_id,
        coordinator_name=found.professional(n.coordinator_id),
        dissolved=n.dissolved,
    )
