"""An institution: an organisation whose professionals act on shared cases."""

from __future__ import annotations

from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.values import InstitutionKind, Sector, parse_enum, require_text


class Institution(Aggregate):
    """Registry entry of an organisation (AEMO service, CMP, school, ASE, CRIP, hospital…).

    It also keeps the list of partnerships it is party to, so that the basis of an action can be
    decided by loading this aggregate rather than scanning the log.
    """

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
    def is_crip(self) -> bool:
        return self.kind == InstitutionKind.CRIP

    def enter_partnership(self, partnership_id: UUID) -> None:
        if partnership_id not in self.partnership_ids:
            self._entered_partnership(partnership_id=partnership_id)

    @event("PartnershipEntered")
    def _entered_partnership(self, partnership_id: UUID) -> None:
        self.partnership_ids.append(partnership_id)
