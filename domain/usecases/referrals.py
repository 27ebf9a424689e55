"""Case use cases of referrals (*orientation*), both sides: refer (a share of what the referral
carries, on a consent or a legal ground, refused without one exactly like a share), revoke
before an answer, accept or decline; and reading one referral — what it shares, no more — for
the two institutions it links. Expiry (`TimePolicy.referral_expiry`) is computed, never
recorded: an expired referral is neither answered nor revoked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from domain.access import Principal
from domain.access_referrals import check_referral_reader
from domain.case import BeneficiaryIdentity, Case
from domain.case_referrals import referral_categories
from domain.case_rules import check_referral_target
from domain.erased import ERASED_TEXT, Erased
from domain.errors import NotFoundError
from domain.event_classes import ReferralAccepted, ReferralDeclined, ReferralMade, ReferralRevoked
from domain.grounds import GroundClaim
from domain.institution import Institution
from domain.professional import Professional
from domain.sharing import authorise_sharing
from domain.usecases.base import Recorded, new_id
from domain.usecases.case_actions import CaseActions
from domain.usecases.consultations import ConsultationUseCases
from domain.values import ActionKind, Actor, Basis, InformationCategory

# What a referral shares when the client does not say (clients older than the field): who the
# person is, so that the referred institution knows whom it is asked to follow.
DEFAULT_REFERRAL_CATEGORIES = (str(InformationCategory.IDENTITY),)


@dataclass(frozen=True)
class ReferralDetail:
    """One referral as its two institutions read it: what it says and shares (the person's
    identity only if `identity` is among the categories shared), where it stands."""

    referral_id: UUID
    case_id: UUID
    referred_by: Actor
    to_institution_id: UUID
    reason: str | None  # None: no longer shown to the referred side
    categories: tuple[str, ...]
    consent_ids: tuple[UUID, ...]
    legal_reference: str | None
    made_at: datetime
    status: str  # pending | accepted | declined | revoked | expired
    expires_at: datetime
    answered_at: datetime | None
    answered_by: Actor | None
    beneficiary: BeneficiaryIdentity | None


class ReferralUseCases(CaseActions, ConsultationUseCases):
    def refer(
        self,
        *,
        case_id: UUID,
        by: Actor,
        to_institution_id: UUID,
        reason: str,
        categories: Iterable[str] | None = None,
        legal_ground: GroundClaim | None = None,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        """Refused unless a consent in force or a legal ground covers the referred institution
        and the categories shared (`identity` if none are named), exactly like a share."""
        recipient = self.load(Institution, to_institution_id, field="to_institution_id")
        raw = list(categories) if categories is not None else list(DEFAULT_REFERRAL_CATEGORIES)
        referral_id = new_id()

        def step(case: Case, basis: Basis, at: datetime) -> None:
            case.check_can_act(by)  # before anything that would reveal the case's consents
            check_referral_target(by, recipient.id)
            kinds = case.sharing_categories(raw)
            authorisation = authorise_sharing(
                case=case, recipient=recipient, categories=kinds, at=at, claim=legal_ground
            )
            case.refer(
                referral_id=referral_id,
                by=by,
                basis=basis,
                to_institution_id=recipient.id,
                reason=reason,
                categories=kinds,
                authorisation=authorisation,
                occurred_at=at,
            )

        return self._act(case_id, by, ActionKind.REFERRAL, occurred_at, step, entity_id=referral_id)

    def accept_referral(
        self, *, case_id: UUID, referral_id: UUID, by: Actor, occurred_at: datetime | None = None
    ) -> Recorded:
        return self._on_referral(Case.accept_referral, case_id, referral_id, by, occurred_at)

    def decline_referral(
        self,
        *,
        case_id: UUID,
        referral_id: UUID,
        by: Actor,
        reason: str,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        return self._on_referral(
            Case.decline_referral, case_id, referral_id, by, occurred_at, reason=reason
        )

    def revoke_referral(
        self,
        *,
        case_id: UUID,
        referral_id: UUID,
        by: Actor,
        reason: str,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        return self._on_referral(
            Case.revoke_referral, case_id, referral_id, by, occurred_at, reason=reason
        )

    def _on_referral(
        self,
        command: Callable[..., None],
        case_id: UUID,
        referral_id: UUID,
        by: Actor,
        occurred_at: datetime | None,
        **arguments: str,
    ) -> Recorded:
        """Answer or revoke a referral (`command`: the case's method), under the expiry the
        time policy gives."""
        expiry = self.time.referral_expiry
        return self._act(
            case_id,
            by,
            ActionKind.REFERRAL,
            occurred_at,
            lambda case, basis, at: command(
                case,
                referral_id=referral_id,
                by=by,
                basis=basis,
                occurred_at=at,
                expiry=expiry,
                **arguments,
            ),
            entity_id=referral_id,
        )

    # --- reading one referral -----------------------------------------------------------------

    def authorise_referral(self, principal: Principal, case_id: UUID, referral_id: UUID) -> Case:
        """Load the case and refuse unless the principal works, now, for the institution that
        made the referral or the one it is made to; unknown ids are 404s."""
        check_referral_reader(principal, employed=self.employs(principal))
        case = self.load(Case, case_id, field="case_id")
        referral = case.known_referral(referral_id)
        check_referral_reader(
            principal,
            employed=True,
            institutions=(referral.from_institution_id, referral.to_institution_id),
            on_case=self._stands_on_case(principal, case),
            referring=principal.institution_id == referral.from_institution_id,
        )
        return case

    def _stands_on_case(self, principal: Principal, case: Case) -> bool:
        """Takes part in the case, or holds a delegation in force for it: reads it."""
        standing = self.case_standing(principal, case, self.time.now())
        return standing.participant or standing.delegated

    def employs(self, principal: Principal) -> bool:
        """The token's professional is employed now by the institution it names."""
        if principal.institution_id is None:
            return False
        try:
            professional = self.load(Professional, principal.subject)
        except NotFoundError:
            return False
        return professional.employed_at(principal.institution_id, self.time.now().date())

    def referral_detail(
        self, case: Case, referral_id: UUID, *, referred_side: bool = False
    ) -> ReferralDetail:
        """What the referral says, its reason opened from the log (sealed there, like the notes
        `acknowledgement_notes` opens; `[erased]` once the person's key is destroyed), for a
        reader `authorise_referral` allowed. The referred institution (`referred_side`) reads
        the reason and the identity shared only while the referral is pending or accepted:
        declined, revoked or expired, it keeps only who referred, when and what became of it."""
        referral = case.known_referral(referral_id)
        expiry = self.time.referral_expiry
        made: ReferralMade | None = None
        answer: ReferralAccepted | ReferralDeclined | ReferralRevoked | None = None
        mapper = self.read_mapper
        for stored in self.recorder.select_events(case.id, lte=case.version):
            event = mapper.to_domain_event(stored)
            if getattr(event, "referral_id", None) != referral_id:
                continue
            if isinstance(event, ReferralMade):
                made = mapper.opened(event)
            elif isinstance(event, ReferralAccepted | ReferralDeclined | ReferralRevoked):
                answer = event
        if made is None:
            raise NotFoundError("referral", referral_id, field="referral_id")
        categories = referral_categories(made)
        status = referral.status_at(self.time.now(), expiry)
        closed = referred_side and status not in ("pending", "accepted")
        shown = str(InformationCategory.IDENTITY) in categories and not closed
        reason = made.reason
        return ReferralDetail(
            referral_id=referral_id,
            case_id=case.id,
            referred_by=made.by,
            to_institution_id=referral.to_institution_id,
            reason=None if closed else ERASED_TEXT if isinstance(reason, Erased) else str(reason),
            categories=categories,
            consent_ids=tuple(getattr(made, "consent_ids", None) or ()),
            legal_reference=getattr(made, "legal_reference", None),
            made_at=made.occurred_at,
            status=status,
            expires_at=made.occurred_at + expiry,
            answered_at=answer.occurred_at if answer is not None else None,
            answered_by=answer.by if answer is not None else None,
            beneficiary=case.beneficiary if shown else None,
        )
