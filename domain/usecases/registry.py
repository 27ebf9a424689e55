"""Registry use cases: institutions, professionals and their employments, delegations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from uuid import UUID

from domain.case import Case
from domain.delegation import Delegation
from domain.errors import NetworkKindError
from domain.identifier_claim import IdentifierClaim
from domain.identifiers import INSTITUTION_SCHEMES, PROFESSIONAL_SCHEMES, parse_identifiers
from domain.institution import Institution
from domain.network import Network
from domain.professional import DelegationRef, Professional
from domain.usecases.base import Recorded
from domain.usecases.identification import IdentificationUseCases
from domain.wording import N_


class RegistryUseCases(IdentificationUseCases):
    def register_institution(
        self,
        *,
        name: str,
        sector: str,
        kind: str,
        department: str | None = None,
        finess: str | None = None,
        siret: str | None = None,
    ) -> Recorded:
        """Registered, then identified (FINESS, SIRET) in the same save when numbers are given."""
        numbers = parse_identifiers({"finess": finess, "siret": siret}, INSTITUTION_SCHEMES)

        def decide() -> list[Institution | IdentifierClaim]:
            institution = Institution.register(
                name=name, sector=sector, kind=kind, department=department
            )
            claims = self.claims(institution.id, {}, numbers)
            institution.identify(numbers)
            return [institution, *claims]

        return self.execute(decide)

    def register_professional(
        self,
        *,
        name: str,
        profession: str,
        rpps: str | None = None,
        adeli: str | None = None,
    ) -> Recorded:
        """Registered, then identified (RPPS, ADELI) in the same save when numbers are given."""
        numbers = parse_identifiers({"rpps": rpps, "adeli": adeli}, PROFESSIONAL_SCHEMES)

        def decide() -> list[Professional | IdentifierClaim]:
            professional = Professional.register(name=name, profession=profession)
            claims = self.claims(professional.id, {}, numbers)
            professional.identify(numbers)
            return [professional, *claims]

        return self.execute(decide)

    def start_employment(
        self,
        *,
        professional_id: UUID,
        institution_id: UUID,
        start: date,
        end: date | None = None,
        position: str | None = None,
    ) -> Recorded:
        self.load(Institution, institution_id, field="institution_id")

        def decide() -> list[Professional]:
            professional = self.load(Professional, professional_id, field="professional_id")
            professional.start_employment(
                institution_id=institution_id, start=start, end=end, position=position
            )
            return [professional]

        return self.execute(decide)

    def end_employment(self, *, professional_id: UUID, institution_id: UUID, end: date) -> Recorded:
        def decide() -> list[Professional]:
            professional = self.load(Professional, professional_id, field="professional_id")
            professional.end_employment(institution_id=institution_id, end=end)
            return [professional]

        return self.execute(decide)

    # --- delegations ------------------------------------------------------------------------

    def grant_delegation(
        self,
        *,
        institution_id: UUID,
        professional_id: UUID,
        scope: Iterable[str],
        valid_from: date,
        valid_until: date,
        case_id: UUID | None = None,
        network_id: UUID | None = None,
        granted_by: UUID | None = None,
    ) -> Recorded:
        self.load(Institution, institution_id, field="institution_id")
        if case_id is not None:
            self.load(Case, case_id, field="case_id")
        if network_id is not None:
            network = self.load(Network, network_id, field="network_id")
            if not network.is_formal:
                raise NetworkKindError(
                    N_(
                        "delegations are given for formal networks; informal ones rest on "
                        "personal engagement"
                    ),
                    field="network_id",
                    network_id=network_id,
                )
        scope = list(scope)

        def decide() -> list[Delegation | Professional]:
            holder = self.load(Professional, professional_id, field="professional_id")
            delegation = Delegation.grant(
                institution_id=institution_id,
                holder=holder,
                scope=scope,
                valid_from=valid_from,
                valid_until=valid_until,
                case_id=case_id,
                network_id=network_id,
                granted_by=granted_by,
            )
            holder.hold_delegation(
                DelegationRef(delegation.id, institution_id, case_id, network_id)
            )
            return [delegation, holder]

        return self.execute(decide)

    def extend_delegation(self, *, delegation_id: UUID, valid_until: date) -> Recorded:
        def decide() -> list[Delegation]:
            delegation = self.load(Delegation, delegation_id, field="delegation_id")
            delegation.extend(valid_until=valid_until)
            return [delegation]

        return self.execute(decide)

    def revoke_delegation(
        self,
        *,
        delegation_id: UUID,
        reason: str,
        revoked_by: UUID | None = None,
        occurred_at: datetime | None = None,
    ) -> Recorded:
        at = self.occurred(occurred_at)

        def decide() -> list[Delegation]:
            delegation = self.load(Delegation, delegation_id, field="delegation_id")
            delegation.revoke(reason=reason, revoked_at=at, revoked_by=revoked_by)
            return [delegation]

        return self.execute(decide)
