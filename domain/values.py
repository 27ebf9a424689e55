"""Value types shared by the aggregates: the vocabulary of DOMAIN.md.

Enumerations are `StrEnum`s, so an event stores their plain value and a decoded event (where
they come back as `str`) still compares equal. Value objects are frozen dataclasses, registered
with the event store's transcoder in `domain.transcodings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from domain.errors import InvalidValueError
from domain.wording import N_


class Sector(StrEnum):
    SOCIAL = "social"
    MEDICO_SOCIAL = "medico_social"
    HEALTH = "health"
    EDUCATION = "education"
    JUSTICE = "justice"
    OTHER = "other"


class InstitutionKind(StrEnum):
    """What an institution is. `crip` is the département's unit for concerning information."""

    AEMO_SERVICE = "aemo_service"
    CHILD_WELFARE = "child_welfare"  # ASE
    CRIP = "crip"
    CMP = "cmp"  # centre médico-psychologique
    HOSPITAL = "hospital"
    SCHOOL = "school"
    SOCIAL_SERVICE = "social_service"
    MEDICO_SOCIAL_ESTABLISHMENT = "medico_social_establishment"
    COURT = "court"
    ASSOCIATION = "association"
    OTHER = "other"


class ActionKind(StrEnum):
    """Kinds of action a professional performs for a beneficiary; scopes are made of these."""

    HOME_VISIT = "home_visit"
    ASSESSMENT = "assessment"
    CONSULTATION = "consultation"
    EDUCATIONAL_SUPPORT = "educational_support"
    CARE = "care"
    SCHOOL_SUPPORT = "school_support"
    MEETING = "meeting"
    REFERRAL = "referral"
    INFORMATION_SHARING = "information_sharing"
    COORDINATION = "coordination"
    CASE_PARTICIPATION = "case_participation"
    OTHER = "other"


def scope_allows(scope: Iterable[str], action_kind: str) -> bool:
    """Does a scope (a delegation's, a convention party's) allow this kind of action on a case?

    Taking part in a case (`case_participation`: joining it, leaving it) is allowed by any scope
    that names an act: one takes part in a case to perform those acts. A scope may still name
    `case_participation` alone (taking part, to be informed, with no act of one's own).
    """
    kinds = tuple(scope)
    return action_kind in kinds or (action_kind == ActionKind.CASE_PARTICIPATION and bool(kinds))


class InformationCategory(StrEnum):
    IDENTITY = "identity"
    FAMILY_SITUATION = "family_situation"
    HEALTH = "health"
    EDUCATION = "education"
    SOCIAL = "social"
    JUSTICE = "justice"
    CHILD_PROTECTION = "child_protection"
    OTHER = "other"


class PartnershipKind(StrEnum):
    CHARTER = "charter"
    CONVENTION = "convention"


class PartnershipOrigin(StrEnum):
    SPONTANEOUS = "spontaneous"
    MANDATED = "mandated"  # imposed by a law, a public-policy scheme or a commissioning body


class NetworkKind(StrEnum):
    INFORMAL = "informal"
    FORMAL = "formal"


class LegalFramework(StrEnum):
    ADMINISTRATIVE = "administrative"
    JUDICIAL = "judicial"
    VOLUNTARY = "voluntary"


class ConsentGiver(StrEnum):
    BENEFICIARY = "beneficiary"
    LEGAL_REPRESENTATIVE = "legal_representative"


class BasisKind(StrEnum):
    """On what an action rests, from the most to the least formal.

    `case_holder`: the professional acts for the institution that opened (holds) the case — its
    own mandate. The other four are those of DOMAIN.md.
    """

    DELEGATION = "delegation"
    CASE_HOLDER = "case_holder"
    CONVENTION = "convention"
    NETWORK = "network"
    INFORMAL = "informal"


class AlertKind(StrEnum):
    """What the coherence view flags on a case (DOMAIN.md, "What the projections show")."""

    ACTION_WITHOUT_VALID_BASIS = "action_without_valid_basis"
    DELEGATION_LAPSED_IN_USE = "delegation_lapsed_in_use"
    EXCHANGE_WITHOUT_CONVENTION = "exchange_without_convention"
    SHARED_BEYOND_CONSENT = "shared_beyond_consent"
    NO_COORDINATOR = "no_coordinator"
    IDLE_ACTOR = "idle_actor"
    ACT_OUTSIDE_DELEGATION = "act_outside_delegation"
    REFERRAL_EXPIRED = "referral_expired"  # unanswered past `TimePolicy.referral_expiry`


# Alerts about past acts: the past cannot be undone, so they stay (open) until a supervisor
# acknowledges them with a note — even once their cause is remedied (a convention coming into
# force, a consent obtained), which the alert then shows as resolved. The other kinds are live
# conditions (no coordinator, an idle actor, a lapsed delegation still in use): they end when
# the condition ends, and are never acknowledged.
ACKNOWLEDGEABLE_ALERTS = frozenset(
    {
        AlertKind.ACTION_WITHOUT_VALID_BASIS,
        AlertKind.EXCHANGE_WITHOUT_CONVENTION,
        AlertKind.SHARED_BEYOND_CONSENT,
        AlertKind.ACT_OUTSIDE_DELEGATION,
        AlertKind.REFERRAL_EXPIRED,  # the referrer is told, and says what they did about it
    }
)


class DelegationGap(StrEnum):
    """Why a delegation a professional holds for a case did not cover one of their acts."""

    OUTSIDE_SCOPE = "outside_scope"  # the kind of act is not in its scope
    NOT_YET_VALID = "not_yet_valid"
    EXPIRED = "expired"
    REVOKED = "revoked"


@dataclass(frozen=True)
class Actor:
    """Who acts, and on whose behalf: a professional acting for an institution."""

    professional_id: UUID
    institution_id: UUID


@dataclass(frozen=True)
class OutsideDelegation:
    """A delegation the acting professional holds for the case that did not cover the act, and
    why (`DelegationGap`): recorded on the act's basis, which the domain then decided otherwise."""

    delegation_id: UUID
    reason: str
    action_kind: str


@dataclass(frozen=True)
class Basis:
    """The basis an action rests on; `ref_id` names the delegation, convention or network.

    `outside_delegation`: the professional holds a delegation for the case that did not cover
    this act (stored only when there is one: older events read as before)."""

    kind: str
    ref_id: UUID | None = None
    outside_delegation: OutsideDelegation | None = None

    @classmethod
    def informal(cls) -> Basis:
        return cls(kind=BasisKind.INFORMAL)


@dataclass(frozen=True)
class Period:
    """A closed validity period of dates; `end` None means open-ended."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end < self.start:
            raise InvalidValueError(
                N_("period ends ({end}) before it starts ({start})"),
                field="end",
                end=self.end,
                start=self.start,
            )

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


E = TypeVar("E", bound=StrEnum)


def parse_enum(enum: type[E], value: object, *, field: str) -> E:
    """Turn a raw value into a member of `enum`, or refuse it naming the field."""
    try:
        return enum(str(value))
    except ValueError:
        raise InvalidValueError(
            N_("'{value}' is not a valid {field}; expected one of: {expected}"),
            field=field,
            value=str(value),
            expected=[m.value for m in enum],
        ) from None


def parse_enums(enum: type[E], values: Iterable[object], *, field: str) -> tuple[E, ...]:
    """Parse a collection of enum values, removing duplicates but keeping the given order."""
    parsed: list[E] = []
    for value in values:
        member = parse_enum(enum, value, field=field)
        if member not in parsed:
            parsed.append(member)
    return tuple(parsed)


def require_text(value: str, *, field: str, max_length: int = 500) -> str:
    """A required free text: stripped, non-empty, bounded."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidValueError(N_("{field} must not be empty"), field=field)
    if len(text) > max_length:
        raise InvalidValueError(
            N_("{field} is longer than {max_length} characters"),
            field=field,
            max_length=max_length,
        )
    return text
