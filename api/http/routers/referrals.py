"""Referrals, both sides: the referring side revokes one before an answer; each institution
lists the referrals it received (its inbox) and made; the two institutions a referral links read
it — what it shares, no more: until it is accepted, the referred institution does not read the
case's file. Answering (accept, decline) and referring are acts on the case
(`api.http.routers.case_acts`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query

from api.http.commands import CommandDep
from api.http.deps import ConnectionDep, MaillageDep, PrincipalDep, ProjectionsDep, WordsDep
from api.http.guard import GuardedRoute, admits
from api.http.params import After, Cursor, IfMatch, Limit, Purpose, wait_for_read_side
from api.http.routers.cases import ACTING, act_on_case
from api.http.schemas.cases import Reason
from api.http.schemas.common import CommandResult, Page
from api.http.schemas.referrals import ReferralDetailRead, ReferralItem
from api.i18n import Words
from domain.access import READING_REFERRALS, CaseUse
from domain.access_referrals import check_referral_reader
from domain.labels import label, labels
from domain.usecases.referrals import ReferralDetail
from projections import referral_queries
from projections.names import Names, names

router = APIRouter(tags=["referrals"], route_class=GuardedRoute)

Box = Annotated[
    Literal["received", "sent"],
    Query(
        description="`received`: the referrals made to your institution (its inbox); `sent`: "
        "those it made."
    ),
]
Status = Annotated[
    Literal["pending", "accepted", "declined", "revoked", "expired"] | None,
    Query(
        description="Only the referrals in this state (`expired`: still unanswered past the "
        "delay, `pending`: not yet)."
    ),
]


@router.post(
    "/cases/{case_id}/referrals/{referral_id}/revocation",
    response_model=CommandResult,
    summary="Revoke a referral your institution made, before it is answered",
)
@ACTING
def revoke_referral(
    case_id: UUID,
    referral_id: UUID,
    body: Reason,
    principal: PrincipalDep,
    maillage: MaillageDep,
    command: CommandDep,
    if_match: IfMatch,
) -> CommandResult:
    return act_on_case(
        "revoke_referral",
        case_id,
        CaseUse.ACT,
        principal,
        maillage,
        command,
        if_match,
        lambda by: maillage.revoke_referral(
            case_id=case_id,
            referral_id=referral_id,
            by=by,
            reason=body.reason,
            occurred_at=body.occurred_at,
        ),
    )


@router.get(
    "/referrals",
    response_model=Page[ReferralItem],
    summary="The referrals your institution received (its inbox) or made",
)
@admits(READING_REFERRALS)
def list_referrals(
    principal: PrincipalDep,
    maillage: MaillageDep,
    conn: ConnectionDep,
    projections: ProjectionsDep,
    words: WordsDep,
    box: Box = "received",
    status: Status = None,
    case_id: UUID | None = None,
    limit: Limit = 100,
    cursor: Cursor = None,
    after: After = None,
) -> Page[Any]:
    check_referral_reader(principal, employed=maillage.employs(principal))
    wait_for_read_side(projections, after)
    found = referral_queries.referrals(
        conn,
        institution_id=principal.actor.institution_id,
        box=box,
        now=maillage.time.now(),
        expiry=maillage.time.referral_expiry,
        status=status,
        case_id=case_id,
        cursor=cursor,
        limit=limit,
    )
    named = names(
        conn,
        professionals=[
            UUID(r[k]) for r in found.rows for k in ("referred_by", "answered_by") if r[k]
        ],
        institutions=[
            UUID(r[k]) for r in found.rows for k in ("from_institution_id", "to_institution_id")
        ],
    )
    return Page[Any](
        items=[referral_item(row, named, words) for row in found.rows],
        next_cursor=found.next_cursor,
    )


def referral_item(row: dict[str, Any], found: Names, words: Words) -> dict[str, Any]:
    def uuid(key: str) -> UUID | None:
        return UUID(str(row[key])) if row.get(key) else None

    return {
        **row,
        "from_institution_name": found.institution(uuid("from_institution_id")),
        "to_institution_name": found.institution(uuid("to_institution_id")),
        "referred_by_name": found.professional(uuid("referred_by")),
        "answered_by_name": found.professional(uuid("answered_by")),
        "category_labels": labels(words, "information_category", row["categories"]),
        "status_label": label(words, "referral_status", row["status"]),
    }


@router.get(
    "/cases/{case_id}/referrals/{referral_id}",
    response_model=ReferralDetailRead,
    summary="Read a referral: what it shares, no more (its two institutions; recorded with "
    "your purpose)",
)
@admits(READING_REFERRALS)
def read_referral(
    case_id: UUID,
    referral_id: UUID,
    purpose: Purpose,
    principal: PrincipalDep,
    maillage: MaillageDep,
    conn: ConnectionDep,
    words: WordsDep,
) -> dict[str, Any]:
    case = maillage.authorise_referral(principal, case_id, referral_id)
    maillage.record_consultation(
        case_id=case_id, principal=principal, view="referral", purpose=purpose.value
    )
    referral = case.known_referral(referral_id)
    detail = maillage.referral_detail(
        case, referral_id, referred_side=principal.institution_id == referral.to_institution_id
    )
    found = names(
        conn,
        professionals=[detail.referred_by.professional_id, _answerer(detail)],
        institutions=[detail.referred_by.institution_id, detail.to_institution_id],
    )
    row = {
        "referral_id": str(detail.referral_id),
        "case_id": str(detail.case_id),
        "from_institution_id": str(detail.referred_by.institution_id),
        "referred_by": str(detail.referred_by.professional_id),
        "to_institution_id": str(detail.to_institution_id),
        "categories": list(detail.categories),
        "made_at": detail.made_at,
        "expires_at": detail.expires_at,
        "status": detail.status,
        "answered_at": detail.answered_at,
        "answered_by": str(_answerer(detail)) if _answerer(detail) else None,
    }
    b = detail.beneficiary
    return {
        **referral_item(row, found, words),
        "reason": detail.reason,
        "consent_ids": list(detail.consent_ids),
        "legal_reference": detail.legal_reference,
        "beneficiary": (
            {"first_name": b.first_name, "last_name": b.last_name, "birth_date": b.birth_date}
            if b is not None
            else None
        ),
    }


def _answerer(detail: ReferralDetail) -> UUID | None:
    return detail.answered_by.professional_id if detail.answered_by is not None else None
