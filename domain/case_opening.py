"""How a case is opened: `Case.open`, apart from the aggregate's module so that `domain.case`
keeps to the events (their stored topics are `domain.case:Case.<Event>`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self
from uuid import UUID

from domain.case_rules import opening_identity, role_text
from domain.case_values import BeneficiaryIdentity
from domain.values import Actor, Basis, BasisKind, LegalFramework, parse_enum


class CaseOpening:
    """`Case.open`: the checked fields of `CaseOpened`, recorded by the aggregate's `__init__`."""

    @classmethod
    def open(
        cls,
        *,
        beneficiary: BeneficiaryIdentity,
        legal_framework: str,
        opened_by: Actor,
        role: str,
        occurred_at: datetime,
        case_id: UUID | None = None,
    ) -> Self:
        """A new case; `case_id` names it in advance (an import derives it from the source's
        reference, so that importing the same case twice is refused, not duplicated)."""
        fields: dict[str, Any] = {
            "beneficiary": opening_identity(beneficiary, occurred_at),
            "legal_framework": parse_enum(LegalFramework, legal_framework, field="legal_framework"),
            "by": opened_by,
            "role": role_text(role),
            "basis": Basis(BasisKind.CASE_HOLDER, opened_by.institution_id),
            "occurred_at": occurred_at,
        }
        if case_id is None:
            return cls(**fields)
        opened = cls.CaseOpened  # type: ignore[attr-defined]  # made by @event on the aggregate
        create = cls._create  # type: ignore[attr-defined]  # the aggregate's (eventsourcing)
        created: Self = create(event_class=opened, id=case_id, **fields)
        return created
