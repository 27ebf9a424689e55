"""The rules a case command's arguments must follow, before the case looks at its own state.

Pure functions: each takes what a caller asked for and returns it normalised (trimmed text,
parsed kinds, duplicates dropped), or refuses it with the domain error naming the broken rule.
The aggregate (`domain.case`) calls them before it records anything, so a refused command
leaves no event; keeping them apart keeps the aggregate to its state and its events.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from domain.case_values import BeneficiaryIdentity
from domain.errors import InvalidValueError, SameInstitutionError
from domain.values import (
    ACKNOWLEDGEABLE_ALERTS,
    Actor,
    AlertKind,
    ConsentGiver,
    InformationCategory,
    parse_enum,
    parse_enums,
    require_text,
)
from domain.wording import N_


def optional_text(value: str | None, *, field: str, max_length: int = 10000) -> str | None:
    """Blank text is no text; other text follows `require_text`."""
    if value is None or not value.strip():
        return None
    return require_text(value, field=field, max_length=max_length)


def role_text(role: str) -> str:
    return require_text(role, field="role", max_length=100)


def reason_text(reason: str) -> str:
    return require_text(reason, field="reason", max_length=2000)


def opening_identity(
    beneficiary: BeneficiaryIdentity, occurred_at: datetime
) -> BeneficiaryIdentity:
    """The beneficiary a case is opened for: named, and born before the opening if a birth date
    is known."""
    identity = BeneficiaryIdentity(
        first_name=require_text(beneficiary.first_name, field="beneficiary.first_name"),
        last_name=require_text(beneficiary.last_name, field="beneficiary.last_name"),
        birth_date=beneficiary.birth_date,
    )
    if identity.birth_date is not None and identity.birth_date > occurred_at.date():
        raise InvalidValueError(
            N_("the beneficiary's birth date is after the case opening"),
            field="beneficiary.birth_date",
        )
    return identity


@dataclass(frozen=True)
class ConsentTerms:
    """What a consent says, checked: who gave it, to which institutions, for what."""

    giver: ConsentGiver
    representative_name: str | None
    recipients: list[UUID]
    categories: list[str]


def consent_terms(
    *,
    giver: str,
    representative_name: str | None,
    recipients: Sequence[UUID],
    categories: Iterable[str],
    valid_until: date | None,
    occurred_at: datetime,
) -> ConsentTerms:
    """A consent names its recipients and categories, its giver (a legal representative by
    name), and does not end before it is given."""
    giver_ = parse_enum(ConsentGiver, giver, field="giver")
    name = representative_name.strip() if representative_name else None
    if giver_ is ConsentGiver.LEGAL_REPRESENTATIVE and not name:
        raise InvalidValueError(
            N_("a consent given by a legal representative names them"),
            field="representative_name",
        )
    to = list(dict.fromkeys(recipients))
    if not to:
        raise InvalidValueError(
            N_("a consent names its recipient institutions"), field="recipients"
        )
    kinds = parse_enums(InformationCategory, categories, field="categories")
    if not kinds:
        raise InvalidValueError(N_("a consent names information categories"), field="categories")
    if valid_until is not None and valid_until < occurred_at.date():
        raise InvalidValueError(N_("a consent cannot end before it is given"), field="valid_until")
    return ConsentTerms(giver_, name, to, [str(k) for k in kinds])


def sharing_categories(categories: Iterable[str]) -> list[str]:
    """A share names what is shared, as information categories."""
    kinds = parse_enums(InformationCategory, categories, field="categories")
    if not kinds:
        raise InvalidValueError(
            N_("name what is shared (information categories)"), field="categories"
        )
    return [str(k) for k in kinds]


def check_cross_institution(by: Actor, recipient_institution_id: UUID) -> None:
    """A share goes to another institution than the one acting."""
    if recipient_institution_id == by.institution_id:
        raise SameInstitutionError(
            N_("sharing within one institution is not a cross-institution act"),
            field="recipient_institution_id",
        )


def check_referral_target(by: Actor, to_institution_id: UUID) -> None:
    """A referral goes to another institution than the one referring."""
    if to_institution_id == by.institution_id:
        raise SameInstitutionError(
            N_("a referral goes to another institution"), field="to_institution_id"
        )


def acknowledged_alert(
    alert_kind: str, versions: Iterable[int], *, case_id: UUID, last_version: int
) -> tuple[AlertKind, list[int]]:
    """The alert kind acknowledged and the events it is acknowledged for (sorted, once each):
    only alerts about past acts are acknowledged, for events the case has."""
    kind = parse_enum(AlertKind, alert_kind, field="alert_kind")
    if kind not in ACKNOWLEDGEABLE_ALERTS:
        raise InvalidValueError(
            N_("an alert {alert_kind} is cleared by fixing its cause, not by acknowledging it"),
            field="alert_kind",
            alert_kind=kind,
        )
    named = sorted(set(versions))
    if not named:
        raise InvalidValueError(N_("name the events acknowledged"), field="versions")
    if named[0] < 1 or named[-1] > last_version:
        raise InvalidValueError(
            N_("case {case_id} has events 1 to {last_version}"),
            field="versions",
            case_id=case_id,
            last_version=last_version,
        )
    return kind, named
