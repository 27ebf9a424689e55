"""A realistic demo: one child-protection situation around Colmar, and a teenager's file.

Everything goes through the use cases, so the demo obeys every rule and its bases are decided by
the domain. It holds deliberate incoherences for the read side to show: a delegation revoked while
its holder is still on the case, an exchange between two institutions with no convention in force
(theirs lacks one signature), a case with no coordinator.

Two funders (a département, a regional health agency) fund the departmental protocol, the AEMO
service and the formal network, so that a funder's token reaches reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from uuid import UUID

from api.http.auth import mint_token
from api.settings import Settings
from domain.access import Role
from domain.application import Maillage
from domain.case import BeneficiaryIdentity
from domain.grounds import GroundClaim
from domain.partnership import PartyScope
from domain.values import Actor


class Progress(Protocol):
    def print(self, *objects: object) -> None: ...


@dataclass
class DemoStory:
    institutions: dict[str, UUID] = field(default_factory=dict)
    professionals: dict[str, UUID] = field(default_factory=dict)
    partnerships: dict[str, UUID] = field(default_factory=dict)
    networks: dict[str, UUID] = field(default_factory=dict)
    delegations: dict[str, UUID] = field(default_factory=dict)
    cases: dict[str, UUID] = field(default_factory=dict)
    funders: dict[str, UUID] = field(default_factory=dict)  # institutions too, apart
    fundings: dict[str, UUID] = field(default_factory=dict)
    events: int = 0

    def actor(self, professional: str, institution: str) -> Actor:
        return Actor(self.professionals[professional], self.institutions[institution])

    def summary(self) -> str:
        return (
            f"{len(self.institutions)} institutions, {len(self.funders)} funders, "
            f"{len(self.professionals)} professionals, "
            f"{len(self.partnerships)} partnerships, {len(self.networks)} networks, "
            f"{len(self.delegations)} delegations, {len(self.fundings)} fundings, "
            f"{len(self.cases)} cases, "
            f"log position {self.events}"
        )


INSTITUTIONS = {
    "aemo": ("Service AEMO de Colmar", "social", "aemo_service"),
    "ase": ("Aide sociale à l'enfance du Haut-Rhin", "social", "child_welfare"),
    "crip": ("CRIP du Haut-Rhin", "social", "crip"),
    "cmp": ("CMP enfants et adolescents de Colmar", "health", "cmp"),
    "school": ("École élémentaire Louis Pasteur", "education", "school"),
    "hospital": ("Hôpital Pasteur — pédiatrie", "health", "hospital"),
    "ime": ("IME Les Tilleuls", "medico_social", "medico_social_establishment"),
    "court": ("Tribunal judiciaire de Colmar — juge des enfants", "justice", "court"),
}

# Funders: institutions of the registry too, whose staff read the reports of what they fund.
FUNDERS = {
    "departement": ("Conseil départemental du Haut-Rhin", "social", "other"),
    "ars": ("Agence régionale de santé Grand Est", "health", "other"),
}

PROFESSIONALS = {
    "jeanne": ("Jeanne Martin", "éducatrice spécialisée", "aemo"),
    "claire": ("Claire Roth", "cheffe de service", "aemo"),
    "karim": ("Karim Benali", "assistant de service social", "ase"),
    "sophie": ("Dr Sophie Weber", "pédopsychiatre", "cmp"),
    "paul": ("Paul Klein", "professeur des écoles", "school"),
    "luc": ("Luc Meyer", "infirmier", "hospital"),
    "nadia": ("Nadia Haddad", "éducatrice", "ime"),
    "thomas": ("Thomas Fischer", "évaluateur", "crip"),
}


@dataclass(frozen=True)
class DemoToken:
    variable: str
    label: str
    who: str
    token: str


# Funders and administrators are people too, outside the demo's registry: fixed ids.
DEMO_FUNDER = UUID("00000000-0000-4000-8000-00000000f0d1")
DEMO_ADMIN = UUID("00000000-0000-4000-8000-0000000000ad")


def demo_tokens(settings: Settings, story: DemoStory) -> list[DemoToken]:
    """A token for each role, over the demo's people."""
    i, p = story.institutions, story.professionals
    grants = [
        (
            "CASE_WORKER_TOKEN",
            "case worker",
            "Jeanne Martin, AEMO (Léo's referent)",
            p["jeanne"],
            Role.CASE_WORKER,
            i["aemo"],
        ),
        (
            "CASE_WORKER_CMP_TOKEN",
            "case worker",
            "Dr Sophie Weber, CMP (delegation revoked)",
            p["sophie"],
            Role.CASE_WORKER,
            i["cmp"],
        ),
        (
            "SUPERVISOR_TOKEN",
            "supervisor",
            "Claire Roth, head of the AEMO service",
            p["claire"],
            Role.SUPERVISOR,
            i["aemo"],
        ),
        (
            "FUNDER_TOKEN",
            "funder",
            "the département's funding officer: reports of the departmental protocol "
            f"(/reports/partnerships/{story.partnerships['protocol']}) and of the AEMO service",
            DEMO_FUNDER,
            Role.FUNDER,
            story.funders["departement"],
        ),
        (
            "ADMIN_TOKEN",
            "admin",
            "the registry's administrator (no case content)",
            DEMO_ADMIN,
            Role.ADMIN,
            None,
        ),
    ]
    return [
        DemoToken(
            variable,
            label,
            who,
            mint_token(settings, subject=subject, role=role, institution_id=institution),
        )
        for variable, label, who, subject, role, institution in grants
    ]


def load_demo(
    app: Maillage, *, now: datetime | None = None, progress: Progress | None = None
) -> DemoStory:
    """Record the demo in `app`; dates are relative to `now`, within the back-dating window."""
    now = now or datetime.now(tz=UTC)
    story = DemoStory()

    def day(n: int, hour: int = 10) -> datetime:
        """`n` days ago, at a working hour."""
        return (now - timedelta(days=n)).replace(hour=hour, minute=0, second=0, microsecond=0)

    def say(message: str) -> None:
        if progress is not None:
            progress.print(f"  · {message}")

    say("registry: institutions and professionals")
    for key, (name, sector, kind) in INSTITUTIONS.items():
        story.institutions[key] = app.register_institution(
            name=name, sector=sector, kind=kind, department="68"
        ).id
    for key, (name, sector, kind) in FUNDERS.items():
        story.funders[key] = app.register_institution(
            name=name, sector=sector, kind=kind, department="68"
        ).id
    for key, (name, profession, employer) in PROFESSIONALS.items():
        story.professionals[key] = app.register_professional(name=name, profession=profession).id
        app.start_employment(
            professional_id=story.professionals[key],
            institution_id=story.institutions[employer],
            start=date(2019, 9, 1),
        )
    i, p = story.institutions, story.professionals
    year_start = date(now.year - 1, 1, 1)

    say("partnerships: the departmental protocol (mandated convention) and a charter")
    protocol = app.propose_partnership(
        kind="convention",
        title="Protocole départemental de prévention et de protection de l'enfance",
        origin="mandated",
        mandate_reference="Protocole départemental Haut-Rhin 2024 (CASF art. L.226-3)",
        parties=[i["ase"], i["aemo"], i["cmp"], i["crip"]],
        valid_from=year_start,
        valid_until=date(now.year + 2, 12, 31),
        scopes=[
            PartyScope.parse(
                i["ase"],
                [
                    "case_participation",
                    "assessment",
                    "home_visit",
                    "meeting",
                    "information_sharing",
                    "coordination",
                ],
                ["family_situation", "social", "child_protection", "education"],
            ),
            PartyScope.parse(
                i["aemo"],
                [
                    "case_participation",
                    "educational_support",
                    "home_visit",
                    "meeting",
                    "information_sharing",
                ],
                ["family_situation", "social", "child_protection", "education"],
            ),
            PartyScope.parse(
                i["cmp"],
                [
                    "case_participation",
                    "consultation",
                    "assessment",
                    "meeting",
                    "information_sharing",
                ],
                ["health", "family_situation"],
            ),
            PartyScope.parse(
                i["crip"], ["assessment", "information_sharing"], ["child_protection"]
            ),
        ],
    ).id
    for party in ("ase", "aemo", "cmp", "crip"):
        app.sign_partnership(partnership_id=protocol, institution_id=i[party], signed_on=year_start)
    story.partnerships["protocol"] = protocol

    charter = app.propose_partnership(
        kind="charter",
        title="Charte Colmar jeunesse — agir ensemble autour de l'enfant",
        origin="spontaneous",
        parties=[i["aemo"], i["school"], i["ime"]],
        valid_from=year_start,
        values_statement="Respect de la personne, co-construction avec les familles, réciprocité.",
    ).id
    for party in ("aemo", "school", "ime"):
        app.sign_partnership(partnership_id=charter, institution_id=i[party], signed_on=year_start)
    story.partnerships["charter"] = charter

    care = app.propose_partnership(
        kind="convention",
        title="Convention de soins partagés CMP — pédiatrie",
        origin="spontaneous",
        parties=[i["cmp"], i["hospital"]],
        valid_from=year_start,
        scopes=[
            PartyScope.parse(i["cmp"], ["consultation", "information_sharing"], ["health"]),
            PartyScope.parse(i["hospital"], ["care", "information_sharing"], ["health"]),
        ],
    ).id
    app.sign_partnership(partnership_id=care, institution_id=i["cmp"], signed_on=year_start)
    story.partnerships["care_unsigned"] = care  # the hospital never signed: not in force

    say("networks: an informal one among educators, a formal one in child mental health")
    informal = app.found_informal_network(
        name="Réseau des éducateurs du Grand Colmar",
        values_statement="Échanger entre pairs, en confiance, autour des mêmes enfants.",
        founder_id=p["jeanne"],
        occurred_at=day(28),
    ).id
    for invitee in ("paul", "nadia"):
        app.invite_to_network(network_id=informal, inviter_id=p["jeanne"], invitee_id=p[invitee])
        app.accept_network_invitation(network_id=informal, invitee_id=p[invitee])
    story.networks["informal"] = informal

    formal = app.found_formal_network(
        name="Réseau santé mentale enfants 68",
        founding_institutions=[i["cmp"], i["ase"], i["hospital"]],
        objectives=[
            "Réduire le délai d'accès à une consultation pédopsychiatrique",
            "Coordonner les prises en charge des enfants confiés",
        ],
        occurred_at=day(27),
    ).id
    story.networks["formal"] = formal

    say("fundings: the département funds the protocol and the AEMO, the ARS the formal network")
    for funder, kind, target in (
        ("departement", "partnership", protocol),
        ("departement", "institution", i["aemo"]),
        ("ars", "network", formal),
    ):
        story.fundings[f"{funder}_{kind}"] = app.grant_funding(
            funder_id=story.funders[funder],
            target_kind=kind,
            target_id=target,
            valid_from=year_start,
            valid_until=date(now.year + 1, 12, 31),
            reference=f"Convention de financement {now.year - 1}-{now.year + 1}",
        ).id
    for who, inst in (("sophie", "cmp"), ("karim", "ase"), ("luc", "hospital")):
        delegation = app.grant_delegation(
            institution_id=i[inst],
            professional_id=p[who],
            network_id=formal,
            scope=["coordination", "meeting"],
            valid_from=year_start,
            valid_until=date(now.year + 1, 12, 31),
        ).id
        story.delegations[f"{who}_network"] = delegation
        app.admit_to_network(network_id=formal, delegation_id=delegation, occurred_at=day(26))
    app.appoint_network_coordinator(network_id=formal, professional_id=p["sophie"])
    app.record_network_meeting(
        network_id=formal,
        recorded_by=p["sophie"],
        attendees=[p["sophie"], p["karim"], p["luc"]],
        decisions=["Créneau d'urgence hebdomadaire au CMP", "Fiche de liaison commune"],
        occurred_at=day(25, 14),
    )

    say("case 1: Léo, 11, followed by the AEMO under a judge's order")
    jeanne = story.actor("jeanne", "aemo")
    karim = story.actor("karim", "ase")
    sophie = story.actor("sophie", "cmp")
    paul = story.actor("paul", "school")
    luc = story.actor("luc", "hospital")
    nadia = story.actor("nadia", "ime")
    leo = app.open_case(
        beneficiary=BeneficiaryIdentity("Léo", "Schmitt", date(now.year - 11, 5, 14)),
        legal_framework="judicial",
        by=jeanne,
        role="éducatrice référente AEMO",
        occurred_at=day(24),
    ).id
    story.cases["leo"] = leo
    app.give_consent(
        case_id=leo,
        by=jeanne,
        giver="legal_representative",
        representative_name="Mme Schmitt (mère)",
        recipients=[i["cmp"], i["ase"], i["school"]],
        categories=["health", "education", "family_situation"],
        occurred_at=day(24, 11),
    )
    app.join_case(case_id=leo, by=karim, role="référent ASE", occurred_at=day(23))  # convention
    sophie_case = app.grant_delegation(
        institution_id=i["cmp"],
        professional_id=p["sophie"],
        case_id=leo,
        scope=[
            "case_participation",
            "consultation",
            "assessment",
            "meeting",
            "information_sharing",
        ],
        valid_from=(now - timedelta(days=23)).date(),
        valid_until=(now + timedelta(days=180)).date(),
    ).id
    story.delegations["sophie_leo"] = sophie_case
    app.join_case(case_id=leo, by=sophie, role="pédopsychiatre", occurred_at=day(22))  # delegation
    app.designate_coordinator(case_id=leo, by=jeanne, coordinator=jeanne, occurred_at=day(22, 15))
    app.join_case(
        case_id=leo, by=paul, role="enseignant", occurred_at=day(21)
    )  # network (informal)
    # Luc has no convention nor network with anyone on the case: he comes in on a referral to
    # the hospital (the API lets no one join on personal trust alone), and acts informally.
    to_hospital = app.refer(
        case_id=leo,
        by=jeanne,
        to_institution_id=i["hospital"],
        reason="Suivi somatique après un passage aux urgences",
        occurred_at=day(21, 16),
    ).entity_id
    assert to_hospital is not None
    app.accept_referral(case_id=leo, referral_id=to_hospital, by=luc, occurred_at=day(20, 9))
    app.join_case(case_id=leo, by=luc, role="infirmier", occurred_at=day(20))  # informal
    plan = [
        (jeanne, "home_visit", 20),
        (jeanne, "educational_support", 19),
        (sophie, "consultation", 19),
        (paul, "school_support", 18),
        (karim, "assessment", 18),
        (jeanne, "home_visit", 17),
        (sophie, "assessment", 16),
        (luc, "care", 15),
        (paul, "school_support", 14),
        (jeanne, "educational_support", 13),
        (karim, "home_visit", 12),
        (sophie, "consultation", 12),
        (jeanne, "home_visit", 10),
        (paul, "school_support", 9),
        (luc, "care", 8),
        (jeanne, "educational_support", 7),
        (sophie, "consultation", 5),
        (karim, "assessment", 4),
        (jeanne, "home_visit", 3),
        (paul, "school_support", 2),
    ]
    for actor, kind, ago in plan:
        app.record_intervention(
            case_id=leo,
            by=actor,
            kind=kind,
            summary=f"{kind.replace('_', ' ')}",
            occurred_at=day(ago),
        )
    app.share_information(
        case_id=leo,
        by=jeanne,
        recipient_institution_id=i["cmp"],
        categories=["family_situation"],
        summary="Contexte familial avant la première consultation",
        occurred_at=day(19, 9),
    )  # consent + protocol
    app.share_information(
        case_id=leo,
        by=jeanne,
        recipient_institution_id=i["ase"],
        categories=["child_protection"],
        legal_ground=GroundClaim(
            "shared_secrecy_child_protection",
            attested=(
                "recipient_bound_by_secrecy",
                "contributes_to_child_protection",
                "strictly_necessary",
                "parental_authority_informed",
            ),
        ),
        summary="Éléments d'évaluation pour le point de situation",
        occurred_at=day(11),
    )
    app.share_information(
        case_id=leo,
        by=luc,
        recipient_institution_id=i["cmp"],
        categories=["health"],
        legal_ground=GroundClaim("care_team", attested=("same_care_team", "strictly_necessary")),
        summary="Compte rendu de passage aux urgences",
        occurred_at=day(8, 16),
    )  # lawful, but CMP–hospital convention not in force
    app.hold_coordination_meeting(
        case_id=leo,
        by=jeanne,
        attendees=[karim, sophie, paul],
        decisions=["Orientation vers l'IME à étudier", "Point d'étape dans six semaines"],
        occurred_at=day(6, 14),
    )
    referral = app.refer(
        case_id=leo,
        by=jeanne,
        to_institution_id=i["ime"],
        reason="Besoin d'un accompagnement médico-éducatif",
        occurred_at=day(6, 16),
    ).entity_id
    assert referral is not None
    app.accept_referral(case_id=leo, referral_id=referral, by=nadia, occurred_at=day(3))
    app.revoke_delegation(
        delegation_id=sophie_case, reason="Changement de service au CMP", occurred_at=day(1)
    )  # Sophie is still on the case: the coherence view must flag it

    say("case 2: Inès, 16, followed by the ASE, no coordinator yet")
    ines = app.open_case(
        beneficiary=BeneficiaryIdentity("Inès", "Moreau", date(now.year - 16, 2, 3)),
        legal_framework="administrative",
        by=karim,
        role="référent ASE",
        occurred_at=day(15),
    ).id
    story.cases["ines"] = ines
    app.join_case(case_id=ines, by=jeanne, role="éducatrice", occurred_at=day(14))  # protocol
    # A network gives a basis only when shared with the case's coordinator, and Inès's case has
    # none: Paul comes in on a referral to the school, and acts informally.
    to_school = app.refer(
        case_id=ines,
        by=karim,
        to_institution_id=i["school"],
        reason="Suivi de la scolarité",
        occurred_at=day(14, 10),
    ).entity_id
    assert to_school is not None
    app.accept_referral(case_id=ines, referral_id=to_school, by=paul, occurred_at=day(14, 10))
    app.join_case(case_id=ines, by=paul, role="professeur principal", occurred_at=day(14, 11))
    for actor, kind, ago in [
        (karim, "assessment", 14),
        (karim, "home_visit", 12),
        (paul, "school_support", 11),
        (jeanne, "educational_support", 10),
        (karim, "meeting", 7),
        (paul, "school_support", 5),
        (jeanne, "home_visit", 4),
        (karim, "home_visit", 2),
    ]:
        app.record_intervention(case_id=ines, by=actor, kind=kind, occurred_at=day(ago))
    app.transmit_concerning_information(
        case_id=ines,
        by=paul,
        crip_institution_id=i["crip"],
        summary="Absences répétées et propos inquiétants rapportés en classe",
        occurred_at=day(5, 17),
    )
    story.events = app.recorder.max_notification_id() or 0
    return story
