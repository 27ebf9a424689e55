"""The demo's two cases, as data (see `api.cli.demo_script` for the registry and the networks).

Léo, 11, followed by the AEMO under a judge's order: five professionals on five different bases,
a delegation revoked while its holder is still on the case, a share between two institutions
whose convention is not in force, an act recorded with the wrong kind and corrected. Inès, 16,
followed by the ASE with no référent de parcours yet, a referral to the CMP waiting for its
answer, and the AEMO asking to hold her case.
"""

from __future__ import annotations

from api.cli.demo_terms import (
    Acting,
    Beneficiary,
    DateDaysFromNow,
    DaysAgo,
    Ref,
    Say,
    Step,
    case,
    delegation,
    do,
    institution,
    professional,
    referral,
)
from domain.grounds import GroundClaim
from domain.wording import N_

JEANNE = Acting("jeanne", "aemo")
KARIM = Acting("karim", "ase")
SOPHIE = Acting("sophie", "cmp")
PAUL = Acting("paul", "school")
LUC = Acting("luc", "hospital")
NADIA = Acting("nadia", "ime")

# Shared secrecy in child protection (CASF art. L.226-2-2), its conditions attested: what the
# ASE share and the three referrals rest on (a referral shares who the child is: issue 17).
SHARED_SECRECY = GroundClaim(
    "shared_secrecy_child_protection",
    attested=(
        "recipient_bound_by_secrecy",
        "contributes_to_child_protection",
        "strictly_necessary",
        "parental_authority_informed",
    ),
)

# Léo's interventions: (who, kind, days ago), each with its kind as a summary.
LEO_PLAN = [
    (JEANNE, "home_visit", 20),
    (JEANNE, "educational_support", 19),
    (SOPHIE, "consultation", 19),
    (PAUL, "school_support", 18),
    (KARIM, "assessment", 18),
    (JEANNE, "home_visit", 17),
    (SOPHIE, "assessment", 16),
    (LUC, "care", 15),
    (PAUL, "school_support", 14),
    (JEANNE, "educational_support", 13),
    (KARIM, "home_visit", 12),
    (SOPHIE, "consultation", 12),
    (JEANNE, "home_visit", 10),
    (PAUL, "school_support", 9),
    (LUC, "care", 8),
    (JEANNE, "educational_support", 7),
    (SOPHIE, "consultation", 5),
    (KARIM, "assessment", 4),
    (JEANNE, "home_visit", 3),
    (PAUL, "school_support", 2),
]
# Inès's interventions, without summaries.
INES_PLAN = [
    (KARIM, "assessment", 14),
    (KARIM, "home_visit", 12),
    (PAUL, "school_support", 11),
    (JEANNE, "educational_support", 10),
    (KARIM, "meeting", 7),
    (PAUL, "school_support", 5),
    (JEANNE, "home_visit", 4),
    (KARIM, "home_visit", 2),
]

LEO: list[Say | Step] = [
    Say(N_("case 1: Léo, 11, followed by the AEMO under a judge's order")),
    do(
        "open_case",
        beneficiary=Beneficiary("Léo", "Schmitt", age=11, month=5, day=14),
        legal_framework="judicial",
        by=JEANNE,
        role="éducatrice référente AEMO",
        occurred_at=DaysAgo(24),
        keep=("cases", "leo"),
    ),
    do(
        "give_consent",
        case_id=case("leo"),
        by=JEANNE,
        giver="legal_representative",
        representative_name="Mme Schmitt (mère)",
        recipients=[institution("cmp"), institution("ase"), institution("school")],
        categories=["health", "education", "family_situation"],
        occurred_at=DaysAgo(24, 11),
    ),
    # on the departmental protocol (a convention)
    do("join_case", case_id=case("leo"), by=KARIM, role="référent ASE", occurred_at=DaysAgo(23)),
    do(
        "grant_delegation",
        institution_id=institution("cmp"),
        professional_id=professional("sophie"),
        case_id=case("leo"),
        scope=[
            "case_participation",
            "consultation",
            "assessment",
            "meeting",
            "information_sharing",
        ],
        valid_from=DateDaysFromNow(-23),
        valid_until=DateDaysFromNow(180),
        keep=("delegations", "sophie_leo"),
    ),
    # on that delegation
    do("join_case", case_id=case("leo"), by=SOPHIE, role="pédopsychiatre", occurred_at=DaysAgo(22)),
    do(
        "designate_coordinator",
        case_id=case("leo"),
        by=JEANNE,
        coordinator=JEANNE,
        occurred_at=DaysAgo(22, 15),
    ),
    # on the informal network he shares with the coordinator
    do("join_case", case_id=case("leo"), by=PAUL, role="enseignant", occurred_at=DaysAgo(21)),
    # Luc has no convention nor network with anyone on the case: he comes in on a referral to
    # the hospital (the API lets no one join on personal trust alone), and acts informally.
    do(
        "refer",
        case_id=case("leo"),
        by=JEANNE,
        to_institution_id=institution("hospital"),
        reason="Suivi somatique après un passage aux urgences",
        occurred_at=DaysAgo(21, 16),
        categories=["identity"],
        legal_ground=SHARED_SECRECY,
        keep=("referrals", "leo_hospital"),
        entity=True,
    ),
    do(
        "accept_referral",
        case_id=case("leo"),
        referral_id=referral("leo_hospital"),
        by=LUC,
        occurred_at=DaysAgo(20, 9),
    ),
    do("join_case", case_id=case("leo"), by=LUC, role="infirmier", occurred_at=DaysAgo(20)),
    *(
        do(
            "record_intervention",
            case_id=case("leo"),
            by=actor,
            kind=kind,
            summary=kind.replace("_", " "),
            occurred_at=DaysAgo(ago),
        )
        for actor, kind, ago in LEO_PLAN
    ),
    # on the consent and the protocol
    do(
        "share_information",
        case_id=case("leo"),
        by=JEANNE,
        recipient_institution_id=institution("cmp"),
        categories=["family_situation"],
        summary="Contexte familial avant la première consultation",
        occurred_at=DaysAgo(19, 9),
    ),
    do(
        "share_information",
        case_id=case("leo"),
        by=JEANNE,
        recipient_institution_id=institution("ase"),
        categories=["child_protection"],
        legal_ground=SHARED_SECRECY,
        summary="Éléments d'évaluation pour le point de situation",
        occurred_at=DaysAgo(11),
    ),
    # lawful on the mother's consent, but the CMP–hospital convention is not in force (and no
    # legal ground was claimed): an exchange between the two without a convention
    do(
        "share_information",
        case_id=case("leo"),
        by=LUC,
        recipient_institution_id=institution("cmp"),
        categories=["health"],
        summary="Compte rendu de passage aux urgences",
        occurred_at=DaysAgo(8, 16),
    ),
    do(
        "hold_coordination_meeting",
        case_id=case("leo"),
        by=JEANNE,
        attendees=[KARIM, SOPHIE, PAUL],
        decisions=["Orientation vers l'IME à étudier", "Point d'étape dans six semaines"],
        occurred_at=DaysAgo(6, 14),
    ),
    do(
        "refer",
        case_id=case("leo"),
        by=JEANNE,
        to_institution_id=institution("ime"),
        reason="Besoin d'un accompagnement médico-éducatif",
        occurred_at=DaysAgo(6, 16),
        categories=["identity"],
        legal_ground=SHARED_SECRECY,
        keep=("referrals", "leo_ime"),
        entity=True,
    ),
    do(
        "accept_referral",
        case_id=case("leo"),
        referral_id=referral("leo_ime"),
        by=NADIA,
        occurred_at=DaysAgo(3),
    ),
    # Recorded as a home visit, it was a session at the service: Jeanne corrects its kind (the
    # audit keeps both; the reports count it once, as corrected)
    do(
        "record_intervention",
        case_id=case("leo"),
        by=JEANNE,
        kind="home_visit",
        summary="Séance éducative au service",
        occurred_at=DaysAgo(1, 14),
        keep=("acts", "leo_session"),
        entity=True,
    ),
    do(
        "correct_act",
        case_id=case("leo"),
        act_id=Ref("acts", "leo_session"),
        by=JEANNE,
        reason="Saisie erronée : séance au service, pas une visite à domicile",
        kind="educational_support",
    ),
    # Sophie is still on the case: the coherence view must flag it
    do(
        "revoke_delegation",
        delegation_id=delegation("sophie_leo"),
        reason="Changement de service au CMP",
        occurred_at=DaysAgo(1),
    ),
]

INES: list[Say | Step] = [
    Say(N_("case 2: Inès, 16, followed by the ASE, no coordinator yet")),
    do(
        "open_case",
        beneficiary=Beneficiary("Inès", "Moreau", age=16, month=2, day=3),
        legal_framework="administrative",
        by=KARIM,
        role="référent ASE",
        occurred_at=DaysAgo(15),
        keep=("cases", "ines"),
    ),
    # on the protocol
    do("join_case", case_id=case("ines"), by=JEANNE, role="éducatrice", occurred_at=DaysAgo(14)),
    # A network gives a basis only when shared with the case's coordinator, and Inès's case has
    # none: Paul comes in on a referral to the school, and acts informally.
    do(
        "refer",
        case_id=case("ines"),
        by=KARIM,
        to_institution_id=institution("school"),
        reason="Suivi de la scolarité",
        occurred_at=DaysAgo(14, 10),
        categories=["identity"],
        legal_ground=SHARED_SECRECY,
        keep=("referrals", "ines_school"),
        entity=True,
    ),
    do(
        "accept_referral",
        case_id=case("ines"),
        referral_id=referral("ines_school"),
        by=PAUL,
        occurred_at=DaysAgo(14, 10),
    ),
    do(
        "join_case",
        case_id=case("ines"),
        by=PAUL,
        role="professeur principal",
        occurred_at=DaysAgo(14, 11),
    ),
    *(
        do(
            "record_intervention",
            case_id=case("ines"),
            by=actor,
            kind=kind,
            occurred_at=DaysAgo(ago),
        )
        for actor, kind, ago in INES_PLAN
    ),
    do(
        "transmit_concerning_information",
        case_id=case("ines"),
        by=PAUL,
        crip_institution_id=institution("crip"),
        summary="Absences répétées et propos inquiétants rapportés en classe",
        occurred_at=DaysAgo(5, 17),
    ),
    # Inès agrees that the CMP be asked for an assessment: the referral waits for its answer
    do(
        "give_consent",
        case_id=case("ines"),
        by=KARIM,
        giver="beneficiary",
        recipients=[institution("cmp")],
        categories=["identity", "health"],
        occurred_at=DaysAgo(2, 10),
    ),
    do(
        "refer",
        case_id=case("ines"),
        by=KARIM,
        to_institution_id=institution("cmp"),
        reason="Évaluation pédopsychiatrique après des propos inquiétants",
        categories=["identity", "health"],
        occurred_at=DaysAgo(2, 11),
        keep=("referrals", "ines_cmp"),
        entity=True,
    ),
    # The AEMO, which sees Inès every week, asks to hold her case: the ASE has to answer
    do(
        "request_transfer",
        case_id=case("ines"),
        by=JEANNE,
        to_institution_id=institution("aemo"),
        reason="Mesure éducative désormais confiée à l'AEMO",
        occurred_at=DaysAgo(1, 9),
        keep=("transfers", "ines_aemo"),
        entity=True,
    ),
]
