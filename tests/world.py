"""A small registry shared by the tests: institutions, professionals, employments.

`World.build(app)` records it through the use cases, so every test starts from the same valid
state and states only what its rule needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol

from domain.application import Maillage
from domain.case import BeneficiaryIdentity
from domain.grounds import GroundClaim
from domain.identifiers import with_luhn_key
from domain.values import Actor

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


# A legal ground met on any case of World's children (born 2015): what a test that refers or
# shares without a consent gives instead (a referral shares information, DOMAIN.md).
CHILD_PROTECTION = GroundClaim(
    "shared_secrecy_child_protection",
    attested=(
        "recipient_bound_by_secrecy",
        "contributes_to_child_protection",
        "strictly_necessary",
        "parental_authority_informed",
    ),
)
CHILD_PROTECTION_JSON = {"code": CHILD_PROTECTION.code, "attested": list(CHILD_PROTECTION.attested)}


def ago(days: float = 0, hours: float = 0) -> datetime:
    return NOW - timedelta(days=days, hours=hours)


@dataclass
class World:
    app: Maillage
    institutions: dict[str, UUID] = field(default_factory=dict)
    professionals: dict[str, UUID] = field(default_factory=dict)

    INSTITUTIONS = {
        "aemo": ("AEMO Colmar", "social", "aemo_service"),
        "ase": ("ASE 68", "social", "child_welfare"),
        "cmp": ("CMP Colmar", "health", "cmp"),
        "school": ("École Pasteur", "education", "school"),
        "hospital": ("Hôpital Pasteur", "health", "hospital"),
        "crip": ("CRIP 68", "social", "crip"),
    }
    # professional -> (profession, employer)
    PROFESSIONALS = {
        "jeanne": ("educator", "aemo"),
        "karim": ("social worker", "ase"),
        "sophie": ("psychiatrist", "cmp"),
        "paul": ("teacher", "school"),
        "luc": ("nurse", "hospital"),
        "thomas": ("assessor", "crip"),
    }

    # National identifiers (fictitious, valid keys); the others have none.
    IDENTIFIERS = {
        "aemo": {"finess": with_luhn_key("68000119"), "siret": with_luhn_key("2668000100001")},
        "cmp": {"finess": with_luhn_key("68000120")},
        "hospital": {"finess": with_luhn_key("68000130")},
        "sophie": {"rpps": with_luhn_key("1000000001")},
        "luc": {"rpps": with_luhn_key("1000000002")},
        "karim": {"adeli": "689300012"},
    }

    @classmethod
    def build(cls, app: Maillage, *, identified: bool = True) -> World:
        """The registry; `identified=False` without national identifiers (a second world in a
        store that holds one already: each number belongs to one holder)."""
        world = cls(app)
        numbers = cls.IDENTIFIERS if identified else {}
        for key, (name, sector, kind) in cls.INSTITUTIONS.items():
            world.institutions[key] = app.register_institution(
                name=name, sector=sector, kind=kind, **numbers.get(key, {})
            ).id
        for key, (profession, employer) in cls.PROFESSIONALS.items():
            pid = app.register_professional(
                name=key.title(), profession=profession, **numbers.get(key, {})
            ).id
            world.professionals[key] = pid
            app.start_employment(
                professional_id=pid,
                institution_id=world.institutions[employer],
                start=date(2020, 1, 1),
            )
        return world

    def actor(self, professional: str) -> Actor:
        employer = self.PROFESSIONALS[professional][1]
        return Actor(self.professionals[professional], self.institutions[employer])

    def i(self, key: str) -> UUID:
        return self.institutions[key]

    def p(self, key: str) -> UUID:
        return self.professionals[key]

    def open_case(self, by: str = "jeanne", *, birth_year: int = 2015, **kwargs: Any) -> UUID:
        return self.app.open_case(
            beneficiary=BeneficiaryIdentity("Léo", "Schmitt", date(birth_year, 5, 14)),
            legal_framework=kwargs.pop("legal_framework", "judicial"),
            by=self.actor(by),
            occurred_at=kwargs.pop("occurred_at", ago(10)),
            **kwargs,
        ).id

    def refer(
        self,
        case_id: UUID,
        by: str | Actor,
        to: str | UUID,
        *,
        reason: str = "Orientation",
        occurred_at: datetime | None = None,
        categories: tuple[str, ...] = ("identity",),
    ) -> UUID:
        """`by` refers the case to an institution (a key of INSTITUTIONS or an id), on the
        person's consent, given just before, to share `categories` with it: a referral shares
        information, so it needs one (or a legal ground). The referral's id."""
        actor = by if isinstance(by, Actor) else self.actor(by)
        to_id = to if isinstance(to, UUID) else self.i(to)
        self.app.give_consent(
            case_id=case_id,
            by=actor,
            giver="beneficiary",
            recipients=[to_id],
            categories=list(categories),
            occurred_at=occurred_at,
        )
        recorded = self.app.refer(
            case_id=case_id,
            by=actor,
            to_institution_id=to_id,
            reason=reason,
            categories=list(categories),
            occurred_at=occurred_at,
        )
        assert recorded.entity_id is not None
        return recorded.entity_id

    def delegation(self, who: str, case_id: UUID, *scope: str) -> UUID:
        """Their employer mandates `who` to act on the case for `scope`, from today for a year."""
        return self.app.grant_delegation(
            institution_id=self.institutions[self.PROFESSIONALS[who][1]],
            professional_id=self.professionals[who],
            case_id=case_id,
            scope=list(scope),
            valid_from=TODAY,
            valid_until=TODAY + timedelta(days=365),
        ).id

    def convention(
        self,
        a: str,
        b: str,
        *,
        kinds: tuple[str, ...] = ("case_participation", "home_visit", "information_sharing"),
        categories: tuple[str, ...] = ("family_situation", "health"),
        sign: bool = True,
    ) -> UUID:
        from domain.partnership import PartyScope

        pid = self.app.propose_partnership(
            kind="convention",
            title=f"Convention {a}-{b}",
            origin="spontaneous",
            parties=[self.i(a), self.i(b)],
            valid_from=date(2025, 1, 1),
            scopes=[
                PartyScope.parse(self.i(a), kinds, categories),
                PartyScope.parse(self.i(b), kinds, categories),
            ],
        ).id
        if sign:
            for party in (a, b):
                self.app.sign_partnership(
                    partnership_id=pid, institution_id=self.i(party), signed_on=date(2025, 1, 1)
                )
        return pid


def events_since(app: Maillage, position: int | None) -> list[DomainEventProtocol[UUID]]:
    """The domain events recorded after `position` in the application log (the 'then'), their
    personal fields opened (they are sealed in the store: domain.privacy)."""
    start = (position or 0) + 1
    return [
        app.read_mapper.opened(app.read_mapper.to_domain_event(n))
        for n in app.recorder.select_notifications(start=start, limit=10_000)
    ]


def position(app: Maillage) -> int:
    return app.recorder.max_notification_id() or 0


def names(events: list[DomainEventProtocol[UUID]]) -> list[str]:
    return [type(e).__name__ for e in events]
