"""The words of `GET /vocabulary` that the views do not say: for some codes a sentence saying
what they mean, the labels of the few lists no family of `domain.labels` covers, and the legal
grounds with their conditions, as English templates marked for the catalogues (French in
`api/i18n/locales/fr/vocabulary.po`).

Every other label is the one of `domain.labels`, the product's one table of labels (French in
`views.po`), so a code reads the same in the vocabulary, the views and the audit trail. The codes
come from the domain (its enumerations, the legal grounds of `domain.grounds.FRANCE` with their
conditions) and `projections.coherence.AsOf`; a code added without words fails at import
(`domain.labels`) or in `tests/e2e/test_vocabulary.py`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import get_args

from domain.access import ReadPurpose, Role
from domain.case_values import ErasureGround
from domain.funding import FundedKind
from domain.grounds import ConditionKind
from domain.identifiers import Scheme
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

# Each list of the vocabulary and its codes, in the domain's order.
SOURCES: Mapping[str, Iterable[str]] = {
    "action_kinds": ActionKind,
    "information_categories": InformationCategory,
    "condition_kinds": get_args(ConditionKind),
    "roles": Role,
    "read_purposes": ReadPurpose,
    "scopes": ("delegation", "convention", "consent"),
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
    "identifier_schemes": Scheme,
}
# The family of `domain.labels` that labels each list's codes, as the views label them.
FAMILIES: Mapping[str, str] = {
    "action_kinds": "action_kind",
    "information_categories": "information_category",
    "condition_kinds": "condition_kind",
    "roles": "role",
    "read_purposes": "read_purpose",
    "basis_kinds": "basis_kind",
    "alert_kinds": "alert_kind",
    "sectors": "sector",
    "institution_kinds": "institution_kind",
    "legal_frameworks": "legal_framework",
    "consent_givers": "consent_giver",
    "partnership_kinds": "partnership_kind",
    "partnership_origins": "partnership_origin",
    "network_kinds": "network_kind",
    "erasure_grounds": "erasure_ground",
    "funded_kinds": "funded_kind",
}
# The lists no family of the domain labels: the kinds of scope (what a delegation, a convention
# or a consent covers) and the two questions of a past coherence view (`projections.coherence`).
OWN_LABELS: dict[str, dict[str, str]] = {
    "scopes": {
        "delegation": N_("Delegation scope"),
        "convention": N_("Convention scope"),
        "consent": N_("Consent"),
    },
    "as_of_questions": {
        "recorded": N_("As recorded then"),
        "occurred": N_("As it happened, known now"),
    },
    "identifier_schemes": {
        "finess": N_("FINESS number (health and social establishments)"),
        "siret": N_("SIRET number (establishment of a legal entity)"),
        "rpps": N_("RPPS number (health professional)"),
        "adeli": N_("ADELI number (health, social and psychology professions)"),
    },
}

# list -> code -> what the code means, for the codes a label alone does not explain
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "condition_kinds": {
        "attested": N_("List its code in `legal_ground.attested`."),
        "stated": N_("Give the text in `legal_ground.statements`, under its code."),
        "fact": N_("The service checks it from the case; nothing to send."),
    },
    "roles": {
        "case_worker": N_(
            "Opens cases; reads and acts on the cases they take part in or hold a delegation "
            "for; answers referrals to their institution."
        ),
        "supervisor": N_(
            "Head of service, network coordinator or inspector: audits the cases their "
            "institution is or was involved in, reads its reports and the network map; never "
            "acts on a case."
        ),
        "funder": N_(
            "Reads the reports of what its institution funds, over the funded period; never a case."
        ),
        "admin": N_(
            "Keeps the registry (institutions, professionals, delegations, partnerships, "
            "networks, fundings) and erases personal data on a legal request; reads no case "
            "content."
        ),
    },
    "scopes": {
        "delegation": N_(
            "The action kinds an institution delegates to one of its professionals, on a case "
            "or in a formal network."
        ),
        "convention": N_(
            "For each party, the action kinds it may perform and the information categories it"
            " may exchange."
        ),
        "consent": N_(
            "The information categories the person agreed may be shared, and with which "
            "institutions."
        ),
    },
    "basis_kinds": {
        "delegation": N_(
            "A formal delegation of the institution acted for, in force and covering the act."
        ),
        "case_holder": N_("The professional acts for the institution that holds the case."),
        "convention": N_(
            "A convention in force, signed by both institutions, whose scope covers the act."
        ),
        "network": N_("A network shared with the case's coordinator."),
        "informal": N_("None of the above: recorded and shown, never refused."),
    },
    "alert_kinds": {
        "action_without_valid_basis": N_("An act rested on no valid basis when it was done."),
        "delegation_lapsed_in_use": N_(
            "An actor still on the case acts under a delegation that expired or was revoked."
        ),
        "exchange_without_convention": N_(
            "Two institutions exchanged about the person with no convention in force between them."
        ),
        "shared_beyond_consent": N_(
            "Information was shared beyond what the consent in force covered."
        ),
        "no_coordinator": N_(
            "No référent de parcours: nobody keeps the person's path coherent across institutions."
        ),
        "idle_actor": N_(
            "An actor on the case has recorded nothing for a long time (MAILLAGE_IDLE_AFTER_DAYS)."
        ),
        "referral_expired": N_(
            "A referral was not answered in time (MAILLAGE_REFERRAL_EXPIRY_DAYS); the referring "
            "institution is told."
        ),
    },
    "institution_kinds": {"aemo_service": N_("Educational action in an open setting.")},
    "legal_frameworks": {
        "administrative": N_("Agreed with the family."),
        "judicial": N_("Ordered by a judge."),
        "voluntary": N_("At the person's own request."),
    },
    "partnership_kinds": {
        "charter": N_("Shared values; no operational commitment."),
        "convention": N_("Who does what and may exchange which information, for how long."),
    },
    "partnership_origins": {
        "mandated": N_("Imposed by law, a scheme or a commissioning body."),
    },
    "network_kinds": {
        "informal": N_(
            "Professionals who share values and exchange on personal trust; joined by invitation."
        ),
        "formal": N_(
            "Set up by institutions around a common project; members act under a delegation."
        ),
    },
    "erasure_grounds": {"erasure_request": N_("Right to erasure (RGPD art. 17).")},
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
