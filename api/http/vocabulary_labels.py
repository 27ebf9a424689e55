"""The words of `GET /vocabulary`: a label for every code the API takes or answers, and for
some a sentence saying what it means, as English templates marked for the catalogues (French in
`api/i18n/locales/fr/vocabulary.po`).

The codes come from the domain (its enumerations, and the legal grounds of
`domain.grounds.FRANCE` with their conditions); only their words are kept here, so a code added
to the domain without words here fails `tests/e2e/test_vocabulary.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from domain.access import ReadPurpose, Role
from domain.case_values import ErasureGround
from domain.funding import FundedKind
from domain.values import (
    ActionKind,
    AlertKind,
    BasisKind,
    ConsentGiver,
    InformationCategory,
    InstitutionKind,
    LegalFramework,
    NetworkKind,
    PartnershipKind,
    PartnershipOrigin,
    Sector,
)
from domain.wording import N_
from projections.coherence import AsOf

CONDITION_KINDS = ("attested", "stated", "fact")  # domain.grounds.ConditionKind
SCOPES = ("delegation", "convention", "consent")
# The codes of each list of the vocabulary, in the domain's order.
SOURCES: Mapping[str, Iterable[str]] = {
    "action_kinds": ActionKind,
    "information_categories": InformationCategory,
    "condition_kinds": CONDITION_KINDS,
    "roles": Role,
    "read_purposes": ReadPurpose,
    "scopes": SCOPES,
    "basis_kinds": BasisKind,
    "alert_kinds": AlertKind,
    "sectors": Sector,
    "institution_kinds": InstitutionKind,
    "legal_frameworks": LegalFramework,
    "consent_givers": ConsentGiver,
    "partnership_kinds": PartnershipKind,
    "partnership_origins": PartnershipOrigin,
    "network_kinds": NetworkKind,
    "erasure_grounds": ErasureGround,
    "funded_kinds": FundedKind,
    "as_of_questions": AsOf,
}

# list -> code -> (label, description or None)
LABELS: dict[str, dict[str, tuple[str, str | None]]] = {
    "action_kinds": {
        "home_visit": (N_("Home visit"), None),
        "assessment": (N_("Assessment"), None),
        "consultation": (N_("Consultation"), None),
        "educational_support": (N_("Educational support"), None),
        "care": (N_("Care"), None),
        "school_support": (N_("School support"), None),
        "meeting": (N_("Meeting"), None),
        "referral": (N_("Referral"), None),
        "information_sharing": (N_("Information sharing"), None),
        "coordination": (N_("Coordination"), None),
        "case_participation": (N_("Taking part in a case"), None),
        "other": (N_("Other"), None),
    },
    "information_categories": {
        "identity": (N_("Identity"), None),
        "family_situation": (N_("Family situation"), None),
        "health": (N_("Health"), None),
        "education": (N_("Schooling"), None),
        "social": (N_("Social situation"), None),
        "justice": (N_("Justice"), None),
        "child_protection": (N_("Child protection"), None),
        "other": (N_("Other"), None),
    },
    "condition_kinds": {
        "attested": (
            N_("Attested by the professional"),
            N_("List its code in `legal_ground.attested`."),
        ),
        "stated": (
            N_("Stated in a text"),
            N_("Give the text in `legal_ground.statements`, under its code."),
        ),
        "fact": (
            N_("Checked by the service"),
            N_("The service checks it from the case; nothing to send."),
        ),
    },
    "roles": {
        "case_worker": (
            N_("Case worker"),
            N_(
                "Opens cases; reads and acts on the cases they take part in or hold a delegation "
                "for; answers referrals to their institution."
            ),
        ),
        "supervisor": (
            N_("Supervisor"),
            N_(
                "Head of service, network coordinator or inspector: audits the cases their "
                "institution is or was involved in, reads its reports and the network map; never "
                "acts on a case."
            ),
        ),
        "funder": (
            N_("Funder"),
            N_(
                "Reads the reports of what its institution funds, over the funded period; never a "
                "case."
            ),
        ),
        "admin": (
            N_("Administrator"),
            N_(
                "Keeps the registry (institutions, professionals, delegations, partnerships, "
                "networks, fundings) and erases personal data on a legal request; reads no case "
                "content."
            ),
        ),
    },
    "read_purposes": {
        "follow_up": (N_("Follow-up"), None),
        "coordination": (N_("Coordination"), None),
        "supervision": (N_("Supervision"), None),
        "audit": (N_("Audit"), None),
        "legal_request": (N_("Legal request"), None),
        "emergency": (N_("Emergency"), None),
    },
    "scopes": {
        "delegation": (
            N_("Delegation scope"),
            N_(
                "The action kinds an institution delegates to one of its professionals, on a case "
                "or in a formal network."
            ),
        ),
        "convention": (
            N_("Convention scope"),
            N_(
                "For each party, the action kinds it may perform and the information categories it"
                " may exchange."
            ),
        ),
        "consent": (
            N_("Consent"),
            N_(
                "The information categories the person agreed may be shared, and with which "
                "institutions."
            ),
        ),
    },
    "basis_kinds": {
        "delegation": (
            N_("Delegation"),
            N_("A formal delegation of the institution acted for, in force and covering the act."),
        ),
        "case_holder": (
            N_("Case holder's own mandate"),
            N_("The professional acts for the institution that holds the case."),
        ),
        "convention": (
            N_("Convention"),
            N_("A convention in force, signed by both institutions, whose scope covers the act."),
        ),
        "network": (
            N_("Network"),
            N_("A network shared with the case's coordinator."),
        ),
        "informal": (
            N_("Informal"),
            N_("None of the above: recorded and shown, never refused."),
        ),
    },
    "alert_kinds": {
        "action_without_valid_basis": (
            N_("Action without a valid basis"),
            N_("An act rested on no valid basis when it was done."),
        ),
        "delegation_lapsed_in_use": (
            N_("Lapsed delegation still in use"),
            N_("An actor still on the case acts under a delegation that expired or was revoked."),
        ),
        "exchange_without_convention": (
            N_("Exchange without a convention"),
            N_(
                "Two institutions exchanged about the person with no convention in force between "
                "them."
            ),
        ),
        "shared_beyond_consent": (
            N_("Information shared beyond consent"),
            N_("Information was shared beyond what the consent in force covered."),
        ),
        "no_coordinator": (
            N_("No coordinator"),
            N_("Nobody keeps the person's path coherent across institutions."),
        ),
        "idle_actor": (
            N_("Idle actor"),
            N_(
                "An actor on the case has recorded nothing for a long time "
                "(MAILLAGE_IDLE_AFTER_DAYS)."
            ),
        ),
    },
    "sectors": {
        "social": (N_("Social"), None),
        "medico_social": (N_("Medico-social"), None),
        "health": (N_("Health"), None),
        "education": (N_("Education"), None),
        "justice": (N_("Justice"), None),
        "other": (N_("Other"), None),
    },
    "institution_kinds": {
        "aemo_service": (N_("AEMO service (educational action in an open setting)"), None),
        "child_welfare": (N_("Child welfare (ASE)"), None),
        "crip": (N_("Unit for concerning information (CRIP)"), None),
        "cmp": (N_("Medico-psychological centre (CMP)"), None),
        "hospital": (N_("Hospital"), None),
        "school": (N_("School"), None),
        "social_service": (N_("Social service"), None),
        "medico_social_establishment": (N_("Medico-social establishment"), None),
        "court": (N_("Court"), None),
        "association": (N_("Association"), None),
        "other": (N_("Other"), None),
    },
    "legal_frameworks": {
        "administrative": (N_("Administrative (agreed with the family)"), None),
        "judicial": (N_("Judicial (a judge's order)"), None),
        "voluntary": (N_("Voluntary (the person's own request)"), None),
    },
    "consent_givers": {
        "beneficiary": (N_("The beneficiary"), None),
        "legal_representative": (N_("Legal representative"), None),
    },
    "partnership_kinds": {
        "charter": (
            N_("Charter"),
            N_("Shared values; no operational commitment."),
        ),
        "convention": (
            N_("Convention"),
            N_("Who does what and may exchange which information, for how long."),
        ),
    },
    "partnership_origins": {
        "spontaneous": (N_("Spontaneous"), None),
        "mandated": (N_("Imposed (law, scheme or commissioning body)"), None),
    },
    "network_kinds": {
        "informal": (
            N_("Informal network"),
            N_(
                "Professionals who share values and exchange on personal trust; joined by "
                "invitation."
            ),
        ),
        "formal": (
            N_("Formal network"),
            N_("Set up by institutions around a common project; members act under a delegation."),
        ),
    },
    "erasure_grounds": {
        "erasure_request": (N_("The person's request (RGPD art. 17)"), None),
        "retention_expired": (N_("Retention period expired"), None),
        "court_order": (N_("Court order"), None),
    },
    "funded_kinds": {
        "partnership": (N_("Partnership"), None),
        "network": (N_("Network"), None),
        "institution": (N_("Institution"), None),
    },
    "as_of_questions": {
        "recorded": (N_("As recorded then"), None),
        "occurred": (N_("As it happened, known now"), None),
    },
}

GROUNDS: dict[str, str] = {
    "shared_secrecy_child_protection": N_("Shared secrecy in child protection"),
    "care_team": N_("Care team"),
    "court_order": N_("Court order or judge's mandate"),
    "concerning_information": N_("Concerning information"),
}

# (ground, condition) -> label; alternatives under their codes joined by "|".
CONDITIONS: dict[tuple[str, str], str] = {
    ("shared_secrecy_child_protection", "beneficiary_is_minor"): N_("the beneficiary is a child"),
    ("shared_secrecy_child_protection", "recipient_bound_by_secrecy"): N_(
        "the recipient is bound by professional secrecy"
    ),
    ("shared_secrecy_child_protection", "contributes_to_child_protection"): N_(
        "both carry out or contribute to child protection"
    ),
    ("shared_secrecy_child_protection", "strictly_necessary"): N_(
        "only what is strictly necessary to assess the situation or to decide and carry out "
        "protective action is shared"
    ),
    ("shared_secrecy_child_protection", "parental_authority_informed"): N_(
        "the holders of parental authority (and the child, by age and maturity) were informed "
        "beforehand"
    ),
    ("shared_secrecy_child_protection", "not_informed_reason"): N_(
        "why informing them beforehand is against the child's interest"
    ),
    ("shared_secrecy_child_protection", "parental_authority_informed|not_informed_reason"): N_(
        "parents informed beforehand, or the reason they were not"
    ),
    ("care_team", "recipient_on_case"): N_(
        "the recipient institution takes part in the team around the person"
    ),
    ("care_team", "same_care_team"): N_("sender and recipient belong to the care team"),
    ("care_team", "strictly_necessary"): N_(
        "only what is strictly necessary for coordination and continuity of care"
    ),
    ("court_order", "court_order_reference"): N_("the reference of the judge's order"),
    ("concerning_information", "recipient_is_crip"): N_(
        "the recipient is the département's unit for concerning information (CRIP)"
    ),
}
