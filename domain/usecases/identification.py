"""National identifiers of institutions and professionals: set or changed, each number held by
one of them at a time (`domain.identifier_claim`).

A command that gives numbers saves, in one transaction, the holder's `…Identified` event and the
claims it changes: the new numbers claimed, the numbers it no longer has released. Two writers
claiming one number both write the claim's same version, and the store refuses the second: its
use case decides again, finds the number taken and refuses with `IdentifierTakenError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from uuid import UUID

from domain.errors import NotFoundError
from domain.identifier_claim import IdentifierClaim, claim_id
from domain.identifiers import (
    INSTITUTION_SCHEMES,
    PROFESSIONAL_SCHEMES,
    Scheme,
    parse_identifiers,
)
from domain.institution import Institution
from domain.professional import Professional
from domain.usecases.base import Recorded, UseCaseBase


class IdentificationUseCases(UseCaseBase):
    def identify_institution(
        self, *, institution_id: UUID, finess: str | None = None, siret: str | None = None
    ) -> Recorded:
        """The institution's FINESS and SIRET are these from now on (None: it has none)."""
        numbers = parse_identifiers({"finess": finess, "siret": siret}, INSTITUTION_SCHEMES)

        def decide() -> list[Institution | IdentifierClaim]:
            institution = self.load(Institution, institution_id, field="institution_id")
            claims = self.claims(institution.id, institution.identifiers, numbers)
            institution.identify(numbers)
            return [institution, *claims]

        return self.execute(decide)

    def identify_professional(
        self, *, professional_id: UUID, rpps: str | None = None, adeli: str | None = None
    ) -> Recorded:
        """The professional's RPPS and ADELI numbers are these from now on (None: none)."""
        numbers = parse_identifiers({"rpps": rpps, "adeli": adeli}, PROFESSIONAL_SCHEMES)

        def decide() -> list[Professional | IdentifierClaim]:
            professional = self.load(Professional, professional_id, field="professional_id")
            claims = self.claims(professional.id, professional.identifiers, numbers)
            professional.identify(numbers)
            return [professional, *claims]

        return self.execute(decide)

    def claims(
        self, holder_id: UUID, before: Mapping[Scheme, str], after: Mapping[Scheme, str]
    ) -> list[IdentifierClaim]:
        """The claims changed when `holder_id` goes from the numbers `before` to those `after`:
        released, claimed (refused with `IdentifierTakenError` if another holds one)."""
        changed: list[IdentifierClaim] = []
        for scheme in (*INSTITUTION_SCHEMES, *PROFESSIONAL_SCHEMES):
            old, new = before.get(scheme), after.get(scheme)
            if old == new:
                continue
            if new is not None:
                claim = self._claim(scheme, new)
                if claim is None:
                    claim = IdentifierClaim(scheme=scheme.value, number=new, holder_id=holder_id)
                else:
                    claim.claim(holder_id)
                changed.append(claim)
            if old is not None:
                held = self._claim(scheme, old)
                if held is not None:
                    held.release(holder_id)
                    changed.append(held)
        return changed

    def _claim(self, scheme: Scheme, number: str) -> IdentifierClaim | None:
        try:
            return self.load(IdentifierClaim, claim_id(scheme, number), field=scheme.value)
        except NotFoundError:
            return None
