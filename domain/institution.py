"""An institution: an organisation whose professionals act on shared cases."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.identifiers import INSTITUTION_SCHEMES, Scheme
from domain.values import InstitutionKind, Sector, parse_enum, require_text


class Institution(Aggregate):
    """Registry entry of an organisation (AEMO service, CMP, school, ASE, CRIP, hospital…).

    It also keeps the list of partnerships it is party to, so that the basis of an action can be
    decided by loading this aggregate rather than scanning the log.

    Its national identifiers (FINESS, SIRET) are set by `identify` (`InstitutionIdentified`,
    also recorded right after the registration when it gives them); each number's uniqueness is
    held by its `domain.identifier_claim.IdentifierClaim`, saved with the event.
    """

    # Class defaults: snapshots taken before identifiers existed load without them.
    finess: str | None = None
    siret: str | None = None

    @classmethod
    def register(
        cls, *, name: str, sector: str, kind: str, department: str | None = None
    ) -> Institution:
        return cls(
            name=require_text(name, field="name", max_length=200),
            sector=parse_enum(Sector, sector, field="sector"),
            kind=parse_enum(InstitutionKind, kind, field="kind"),
            department=department.strip() if department else None,
        )

    @event("InstitutionRegistered")
    def __init__(self, name: str, sector: str, kind: str, department: str | None) -> None:
        self.name = name
        self.sector = sector
        self.kind = kind
        self.department = department
        self.partnership_ids: list[UUID] = []

    @property
    def identifiers(self) -> dict[Scheme, str]:
        """The national identifiers it holds, by scheme (`domain.identifiers.fhir_identifiers`
        turns them into FHIR identifiers)."""
        held = {Scheme.FINESS: self.finess, Scheme.SIRET: self.siret}
        return {scheme: number for scheme, number in held.items() if number is not None}

    def identify(self, numbers: dict[Scheme, str]) -> None:
        """Its identifiers are `numbers` from now on (parsed already; a scheme absent: none).
        Nothing is recorded if they are those it has."""
        wanted = {s: numbers.get(s) for s in INSTITUTION_SCHEMES}
        if wanted != {s: self.identifiers.get(s) for s in INSTITUTION_SCHEMES}:
            self._identified(finess=wanted[Scheme.FINESS], siret=wanted[Scheme.SIRET])

    @event("InstitutionIdentified")
    def _identified(self, finess: str | None, siret: str | None) -> None:
        self.finess = finess
        self.siret = siret

    @property
    def is_crip(self) -> bool:
        return self.kind == InstitutionKind.CRIP

    def enter_partnership(self, partnership_id: UUID) -> None:
        if partnership_id not in self.partnership_ids:
            self._entered_partnership(partnership_id=partnership_id)

    @event("PartnershipEntered")
    def _entered_partnership(self, partnership_id: UUID) -> None:
        self.partnership_ids.append(partnership_id)
