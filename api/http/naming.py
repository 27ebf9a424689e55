"""Names beside ids and labels beside codes, for the answers read from aggregates: a case's
file, a delegation, a partnership, a network (the views of the read side are named in
`projections.view_wording`).

Each answer gathers every id it shows and names them with one query per kind
(`projections.names`); names are the registry's current ones (`api.http.schemas.naming`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import Connection

from api.http.schemas.case_file import (
    ActorRead,
    BasisRead,
    ConsentRead,
    HolderRead,
    HoldingInstitutionRead,
    OutsideDelegationRead,
    ParticipantRead,
    ReferralRead,
    TransferRead,
)
from api.http.schemas.cases import BeneficiaryRead, CaseRead
from api.i18n import Words
from domain.case import Case
from domain.case_values import Referral
from domain.holding import Transfer
from domain.labels import label, labels
from domain.timing import DEFAULT_REFERRAL_EXPIRY
from domain.values import Actor, Basis
from projections.names import Names, basis_ids, names


def case_file(
    case: Case,
    conn: Connection,
    words: Words,
    *,
    at: datetime | None = None,
    referral_expiry: timedelta = DEFAULT_REFERRAL_EXPIRY,
) -> CaseRead:
    """The file of `case` as its reader sees it (the identity opened, as the case was loaded);
    at `at` (the reading instant), a referral unanswered past `referral_expiry` reads expired."""

    def status(r: Referral) -> str:
        return r.status_at(at, referral_expiry) if at is not None else r.status

    actors = [p.actor for p in case.participants]
    if case.coordinator is not None:
        actors.append(case.coordinator)
    wanted: dict[str, list[UUID]] = defaultdict(list)
    wanted["professionals"] += [a.professional_id for a in actors]
    wanted["institutions"] += [
        case.holder_institution_id,
        *(a.institution_id for a in actors),
        *(i for c in case.consents for i in c.recipients),
        *(i for r in case.referrals for i in (r.from_institution_id, r.to_institution_id)),
        *(h.institution_id for h in case.holding_history),
        *(i for t in case.transfers for i in (t.from_institution_id, t.to_institution_id)),
    ]
    for p in case.participants:
        for kind, ids in basis_ids(p.basis.kind, p.basis.ref_id).items():
            wanted[kind] += ids
    found = names(conn, **wanted)
    b = case.beneficiary
    return CaseRead(
        id=case.id,
        version=case.version,
        beneficiary=BeneficiaryRead(
            first_name=b.first_name, last_name=b.last_name, birth_date=b.birth_date
        ),
        legal_framework=str(case.legal_framework),
        legal_framework_label=label(words, "legal_framework", case.legal_framework),
        holder_institution_id=case.holder_institution_id,
        holder_institution_name=found.institution(case.holder_institution_id),
        holder=HoldingInstitutionRead(
            institution_id=case.holder_institution_id,
            institution_name=found.institution(case.holder_institution_id),
        ),
        holders=[
            HolderRead(
                institution_id=h.institution_id,
                institution_name=found.institution(h.institution_id),
                since=h.since,
                until=h.until,
            )
            for h in case.holding_history
        ],
        participants=[
            ParticipantRead(
                **actor_read(p.actor, found).model_dump(),
                role=p.role,
                basis=basis_read(p.basis, found, words),
            )
            for p in case.participants
        ],
        coordinator=actor_read(case.coordinator, found) if case.coordinator else None,
        referent=actor_read(case.coordinator, found) if case.coordinator else None,
        consents=[
            ConsentRead(
                consent_id=c.consent_id,
                giver=str(c.giver),
                giver_label=label(words, "consent_giver", c.giver),
                representative_name=c.representative_name,
                recipients=list(c.recipients),
                recipient_names=[found.institution(i) for i in c.recipients],
                categories=[str(k) for k in c.categories],
                category_labels=labels(words, "information_category", c.categories),
                given_at=c.given_at,
                valid_until=c.valid_until,
                withdrawn_at=c.withdrawn_at,
            )
            for c in case.consents
        ],
        referrals=[
            ReferralRead(
                referral_id=r.referral_id,
                from_institution_id=r.from_institution_id,
                from_institution_name=found.institution(r.from_institution_id),
                to_institution_id=r.to_institution_id,
                to_institution_name=found.institution(r.to_institution_id),
                status=status(r),
                status_label=label(words, "referral_status", status(r)),
            )
            for r in case.referrals
        ],
        transfers=[transfer_read(t, found) for t in case.transfers],
        closed=case.closed,
        erased=case.erased,
    )


def transfer_read(t: Transfer, found: Names) -> TransferRead:
    return TransferRead(
        transfer_id=t.transfer_id,
        from_institution_id=t.from_institution_id,
        from_institution_name=found.institution(t.from_institution_id),
        to_institution_id=t.to_institution_id,
        to_institution_name=found.institution(t.to_institution_id),
        requesting_institution_id=t.requesting_institution_id,
        requesting_institution_name=found.institution(t.requesting_institution_id),
        answering_institution_id=t.answering_institution_id,
        answering_institution_name=found.institution(t.answering_institution_id),
        status=t.status,
        requested_at=t.requested_at,
    )


def actor_read(actor: Actor, found: Names) -> ActorRead:
    return ActorRead(
        professional_id=actor.professional_id,
        professional_name=found.professional(actor.professional_id),
        institution_id=actor.institution_id,
        institution_name=found.institution(actor.institution_id),
    )


def basis_read(basis: Basis, found: Names, words: Words) -> BasisRead:
    return BasisRead(
        kind=str(basis.kind),
        kind_label=label(words, "basis_kind", basis.kind),
        ref_id=basis.ref_id,
        name=found.basis(str(basis.kind), basis.ref_id),
        outside_delegation=OutsideDelegationRead.of(basis.outside_delegation),
    )


def named(ids: Iterable[UUID], name: Callable[[UUID], str | None]) -> list[str | None]:
    """The names of `ids`, in their order (`name`: a `Names` method such as `.institution`)."""
    return [name(i) for i in ids]
