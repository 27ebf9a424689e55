"""The demo's story, as data: one child-protection situation around Colmar, and a teenager's file.

Each step is a use case of the application, played in order by `api.cli.demo.load_demo`, so the
demo obeys every rule and its bases are decided by the domain. It holds deliberate incoherences
for the read side to show: a delegation revoked while its holder is still on the case, an
exchange between two institutions with no convention in force (theirs lacks one signature), a
case with no coordinator.

Two funders (a département, a regional health agency) fund the departmental protocol, the AEMO
service and the formal network, so that a funder's token reaches reports.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from api.cli.demo_cases import INES, LEO
from api.cli.demo_terms import (
    DaysAgo,
    Say,
    Scope,
    Step,
    YearEnd,
    YearStart,
    YearsText,
    delegation,
    do,
    funder,
    institution,
    network,
    partnership,
    professional,
)
from domain.identifiers import with_luhn_key
from domain.wording import N_

# key: (name, sector, kind)
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

# key: (name, profession, employer)
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


def _siret(siren_stem: str, nic_stem: str) -> str:
    """A SIRET with valid keys: the SIREN's (Luhn on 9 digits), then the whole one's."""
    return with_luhn_key(with_luhn_key(siren_stem) + nic_stem)


# National identifiers (fictitious numbers, with valid keys): FINESS for the health and
# medico-social services, SIRET where the body has one; RPPS for the health professionals,
# ADELI for the social worker. The others (educators, teachers, courts, schools) have none.
IDENTIFIERS: dict[str, dict[str, Any]] = {  # Any: spread into `do`'s keyword arguments
    "aemo": {"finess": with_luhn_key("68000460"), "siret": _siret("77562411", "0003")},
    "cmp": {"finess": with_luhn_key("68000170")},
    "hospital": {"finess": with_luhn_key("68000024"), "siret": _siret("26680002", "0001")},
    "ime": {"finess": with_luhn_key("68000781")},
    "departement": {"siret": _siret("22680001", "0001")},
    "ars": {"siret": _siret("13000853", "0006")},
    "sophie": {"rpps": with_luhn_key("1000350001")},
    "luc": {"rpps": with_luhn_key("1000350002")},
    "karim": {"adeli": "689300417"},
}

EMPLOYED_SINCE = date(2019, 9, 1)
YEAR_START = YearStart(-1)  # partnerships, fundings and network delegations run from last year

REGISTRY: list[Say | Step] = [
    Say(N_("registry: institutions and professionals")),
    *(
        do(
            "register_institution",
            name=name,
            sector=sector,
            kind=kind,
            department="68",
            **IDENTIFIERS.get(key, {}),
            keep=("institutions", key),
        )
        for key, (name, sector, kind) in INSTITUTIONS.items()
    ),
    *(
        do(
            "register_institution",
            name=name,
            sector=sector,
            kind=kind,
            department="68",
            **IDENTIFIERS.get(key, {}),
            keep=("funders", key),
        )
        for key, (name, sector, kind) in FUNDERS.items()
    ),
    *(
        step
        for key, (name, profession, employer) in PROFESSIONALS.items()
        for step in (
            do(
                "register_professional",
                name=name,
                profession=profession,
                **IDENTIFIERS.get(key, {}),
                keep=("professionals", key),
            ),
            do(
                "start_employment",
                professional_id=professional(key),
                institution_id=institution(employer),
                start=EMPLOYED_SINCE,
            ),
        )
    ),
]


def signatures(key: str, *parties: str) -> list[Step]:
    return [
        do(
            "sign_partnership",
            partnership_id=partnership(key),
            institution_id=institution(party),
            signed_on=YEAR_START,
        )
        for party in parties
    ]


PARTNERSHIPS: list[Say | Step] = [
    Say(N_("partnerships: the departmental protocol (mandated convention) and a charter")),
    do(
        "propose_partnership",
        kind="convention",
        title="Protocole départemental de prévention et de protection de l'enfance",
        origin="mandated",
        mandate_reference="Protocole départemental Haut-Rhin 2024 (CASF art. L.226-3)",
        parties=[institution("ase"), institution("aemo"), institution("cmp"), institution("crip")],
        valid_from=YEAR_START,
        valid_until=YearEnd(2),
        scopes=[
            Scope(
                "ase",
                (
                    "case_participation",
                    "assessment",
                    "home_visit",
                    "meeting",
                    "information_sharing",
                    "coordination",
                ),
                ("family_situation", "social", "child_protection", "education"),
            ),
            Scope(
                "aemo",
                (
                    "case_participation",
                    "educational_support",
                    "home_visit",
                    "meeting",
                    "information_sharing",
                ),
                ("family_situation", "social", "child_protection", "education"),
            ),
            Scope(
                "cmp",
                (
                    "case_participation",
                    "consultation",
                    "assessment",
                    "meeting",
                    "information_sharing",
                ),
                ("health", "family_situation"),
            ),
            Scope("crip", ("assessment", "information_sharing"), ("child_protection",)),
        ],
        keep=("partnerships", "protocol"),
    ),
    *signatures("protocol", "ase", "aemo", "cmp", "crip"),
    do(
        "propose_partnership",
        kind="charter",
        title="Charte Colmar jeunesse — agir ensemble autour de l'enfant",
        origin="spontaneous",
        parties=[institution("aemo"), institution("school"), institution("ime")],
        valid_from=YEAR_START,
        values_statement="Respect de la personne, co-construction avec les familles, réciprocité.",
        keep=("partnerships", "charter"),
    ),
    *signatures("charter", "aemo", "school", "ime"),
    do(
        "propose_partnership",
        kind="convention",
        title="Convention de soins partagés CMP — pédiatrie",
        origin="spontaneous",
        parties=[institution("cmp"), institution("hospital")],
        valid_from=YEAR_START,
        scopes=[
            Scope("cmp", ("consultation", "information_sharing"), ("health",)),
            Scope("hospital", ("care", "information_sharing"), ("health",)),
        ],
        keep=("partnerships", "care_unsigned"),
    ),
    *signatures("care_unsigned", "cmp"),  # the hospital never signed: not in force
]

NETWORKS: list[Say | Step] = [
    Say(N_("networks: an informal one among educators, a formal one in child mental health")),
    do(
        "found_informal_network",
        name="Réseau des éducateurs du Grand Colmar",
        values_statement="Échanger entre pairs, en confiance, autour des mêmes enfants.",
        founder_id=professional("jeanne"),
        occurred_at=DaysAgo(28),
        keep=("networks", "informal"),
    ),
    *(
        step
        for invitee in ("paul", "nadia")
        for step in (
            do(
                "invite_to_network",
                network_id=network("informal"),
                inviter_id=professional("jeanne"),
                invitee_id=professional(invitee),
            ),
            do(
                "accept_network_invitation",
                network_id=network("informal"),
                invitee_id=professional(invitee),
            ),
        )
    ),
    do(
        "found_formal_network",
        name="Réseau santé mentale enfants 68",
        founding_institutions=[institution("cmp"), institution("ase"), institution("hospital")],
        objectives=[
            "Réduire le délai d'accès à une consultation pédopsychiatrique",
            "Coordonner les prises en charge des enfants confiés",
        ],
        occurred_at=DaysAgo(27),
        keep=("networks", "formal"),
    ),
]

FUNDINGS: list[Say | Step] = [
    Say(
        N_("fundings: the département funds the protocol and the AEMO, the ARS the formal network")
    ),
    *(
        do(
            "grant_funding",
            funder_id=funder(who),
            target_kind=kind,
            target_id=target,
            valid_from=YEAR_START,
            valid_until=YearEnd(1),
            reference=YearsText("Convention de financement {last_year}-{next_year}"),
            keep=("fundings", f"{who}_{kind}"),
        )
        for who, kind, target in (
            ("departement", "partnership", partnership("protocol")),
            ("departement", "institution", institution("aemo")),
            ("ars", "network", network("formal")),
        )
    ),
    # Three professionals delegated by their institutions to the formal network.
    *(
        step
        for who, employer in (("sophie", "cmp"), ("karim", "ase"), ("luc", "hospital"))
        for step in (
            do(
                "grant_delegation",
                institution_id=institution(employer),
                professional_id=professional(who),
                network_id=network("formal"),
                scope=["coordination", "meeting"],
                valid_from=YEAR_START,
                valid_until=YearEnd(1),
                keep=("delegations", f"{who}_network"),
            ),
            do(
                "admit_to_network",
                network_id=network("formal"),
                delegation_id=delegation(f"{who}_network"),
                occurred_at=DaysAgo(26),
            ),
        )
    ),
    do(
        "appoint_network_coordinator",
        network_id=network("formal"),
        professional_id=professional("sophie"),
    ),
    do(
        "record_network_meeting",
        network_id=network("formal"),
        recorded_by=professional("sophie"),
        attendees=[professional("sophie"), professional("karim"), professional("luc")],
        decisions=["Créneau d'urgence hebdomadaire au CMP", "Fiche de liaison commune"],
        occurred_at=DaysAgo(25, 14),
    ),
]

# The whole story, in the order it is played.
SCRIPT: list[Say | Step] = [*REGISTRY, *PARTNERSHIPS, *NETWORKS, *FUNDINGS, *LEO, *INES]
