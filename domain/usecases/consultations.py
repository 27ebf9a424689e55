"""Reading a case: the reader's standing towards it, and the record of each reading.

The standing is gathered from the write model (the aggregates, always current), not from a
projection, so a professional who has just joined a case can read it at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from domain.access import (
    PROFESSIONAL_ROLES,
    CaseStanding,
    CaseUse,
    Principal,
    check_case_access,
)
from domain.basis import BasisDecision
from domain.case import Case
from domain.consultation import Consultation
from domain.delegation import Delegation, delegation_lapse
from domain.errors import AccessDeniedError, NotEmployedError, NotFoundError
from domain.institution import Institution
from domain.network import Network
from domain.partnership import Partnership
from domain.professional import Professional
from domain.usecases.base import Recorded, RegistrySources, UseCaseBase
from domain.values import ActionKind, Actor, BasisKind
from domain.wording import N_


class ConsultationUseCases(UseCaseBase):
    def case_standing(
        self, principal: Principal, case: Case, at: datetime, use: CaseUse = CaseUse.READ
    ) -> CaseStanding:
        """What the log says about `principal` and `case` at `at` (only what `use` needs)."""
        institution_id = principal.institution_id
        if institution_id is None:
            return CaseStanding()
        try:
            professional = self.load(Professional, principal.subject)
        except NotFoundError:
            return CaseStanding()  # a token for no registered professional has no standing
        if not professional.employed_at(institution_id, at.date()):
            return CaseStanding()
        actor = principal.actor
        participant = case.is_participant(actor)
        # a delegation naming the case is the institution's mandate to act on it: a standing
        holds, lapsed = (
            (False, ()) if participant else self._delegations(professional, case, actor, at)
        )
        on_case = institution_id in case.institutions
        referred = case.referred_to(institution_id)
        joining = use is CaseUse.JOIN and not (participant or holds or on_case or referred)
        linked, conventions = self._formal_link(case, actor, at) if joining else (False, ())
        return CaseStanding(
            employed=True,
            participant=participant,
            delegated=holds,
            institution_on_case=on_case,
            holder=institution_id == case.holder_institution_id,
            institution_was_involved=case.was_involved(institution_id),
            referred=referred,
            addressed=case.addressed_to(institution_id),
            formal_link=linked,
            conventions=conventions,
            lapsed_delegations=lapsed,
        )

    def _delegations(
        self, professional: Professional, case: Case, actor: Actor, at: datetime
    ) -> tuple[bool, tuple[tuple[UUID, str], ...]]:
        """Does the professional hold a delegation in force for the case from the institution
        they act for? If not, those they hold for it and why each does not hold (a `Lapse`)."""
        lapsed: list[tuple[UUID, str]] = []
        for delegation_id in professional.delegations_for_case(case.id, actor.institution_id):
            delegation = self.load(Delegation, delegation_id)
            lapse = delegation_lapse(
                delegation.valid_from, delegation.valid_until, delegation.revoked_at, at
            )
            if lapse is None:
                return True, ()
            lapsed.append((delegation_id, str(lapse)))
        return False, tuple(lapsed)

    def _formal_link(
        self, case: Case, actor: Actor, at: datetime
    ) -> tuple[bool, tuple[tuple[UUID, str], ...]]:
        """Would the domain find a basis other than personal trust for them to take part in this
        case, leaving delegations aside (a convention in force with an institution on it, or a
        network shared with its coordinator)? If not, why each partnership of their institution
        does not serve."""
        decision = BasisDecision(actor, ActionKind.CASE_PARTICIPATION, at)
        sources = _WithoutDelegations(RegistrySources(self))
        basis = decision.decide(case, sources)
        if basis.kind in (BasisKind.CASE_HOLDER, BasisKind.CONVENTION, BasisKind.NETWORK):
            return True, ()
        lacks = tuple((p, str(lack)) for p, lack in decision.conventions(case, sources) if lack)
        return False, lacks

    def check_claims(self, principal: Principal, *, professional: bool = False) -> None:
        """Refuse a principal the registry does not know, before a token is minted for it: the
        institution it names is registered; its subject is a registered professional, employed
        now by that institution, in a professional's role (`PROFESSIONAL_ROLES`) or whenever
        it is said to be one (`professional`)."""
        if principal.institution_id is not None:
            self.load(Institution, principal.institution_id, field="institution_id")
        if not professional and principal.role not in PROFESSIONAL_ROLES:
            return
        person = self.load(Professional, principal.subject, field="professional_id")
        if principal.institution_id is not None and principal.role in PROFESSIONAL_ROLES:
            person.check_acts_for(principal.institution_id, self.time.now())

    def check_session(self, principal: Principal) -> None:
        """A session opened earlier (the console's) still holds: its claims are checked again
        (`check_claims`), and one that no longer holds — the employment ended, the institution
        or the person unknown — is refused as an access is (`AccessDeniedError`)."""
        try:
            self.check_claims(principal)
        except (NotEmployedError, NotFoundError) as error:
            raise AccessDeniedError(
                N_(
                    "this session no longer holds: you are not employed today by the "
                    "institution you signed in for; sign in again"
                ),
                field="institution_id",
            ) from error

    def authorise_case(self, principal: Principal, case_id: UUID, use: CaseUse) -> Case:
        """Load the case and refuse unless the principal may `use` it; unknown ids are 404s."""
        case = self.load(Case, case_id, field="case_id")
        check_case_access(principal, use, self.case_standing(principal, case, self.time.now(), use))
        return case

    def record_consultation(
        self, *, case_id: UUID, principal: Principal, view: str, purpose: str
    ) -> Recorded:
        """Record that `principal` reads `view` of the case, for `purpose` (before showing it)."""
        at = self.time.now()
        return self.execute(
            lambda: [
                Consultation.record(
                    case_id=case_id,
                    by=principal.actor,
                    role=principal.role,
                    view=view,
                    purpose=purpose,
                    occurred_at=at,
                )
            ]
        )


class _WithoutDelegations:
    """The registry as seen by a basis decision that leaves delegations aside."""

    def __init__(self, sources: RegistrySources) -> None:
        self.sources = sources

    def delegations_of(self, actor: Actor, case_id: UUID) -> Iterable[Delegation]:
        return ()

    def partnerships_of(self, institution_id: UUID) -> Iterable[Partnership]:
        return self.sources.partnerships_of(institution_id)

    def shared_networks(self, a: UUID, b: UUID) -> Iterable[Network]:
        return self.sources.shared_networks(a, b)
