"""What a person reads beside a code: `kind: "home_visit"`, `kind_label: "Visite à domicile"`.

Codes stay stable English identifiers (`domain.values` and the few enumerations beside the rules
they belong to); each has a label, an English template marked with `N_` and translated where it
is shown (`api/i18n/locales/fr/views.po`). The domain keeps the labels and no language:

    label(words, "action_kind", "home_visit")   # "Visite à domicile" for Words("fr")

`words` is anything that translates (`domain.wording.Wording`: `api.i18n.Words` at the edge, the
`Wording` a projection or a chart is given). A code a family does not know (an older stored
value, a code added since) reads as itself; a family that does not exist is an error.
`LABELS` lists every family and code, and `ENUMS` the enumeration behind each family that has
one, for a vocabulary to publish. This is the one table of labels of the product: the views, the
audit trail and `GET /vocabulary` (`api.http.vocabulary`, which adds descriptions) all read it,
so a code reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import get_args

from domain.access import ReadPurpose, Role
from domain.case_values import ErasureGround
from domain.funding import FundedKind
from domain.grounds import ConditionKind
from domain.values import (
    ActionKind,
    AlertKind,
    BasisKind,
    ConsentGiver,
    DelegationGap,
    InformationCategory,
    InstitutionKind,
    LegalFramework,
    NetworkKind,
    PartnershipKind,
    PartnershipOrigin,
    Sector,
)
from domain.wording import N_, Wording

ENUMS: dict[str, type[StrEnum]] = {}  # the families that label an enumeration's codes


def _family(name: str, enum: type[StrEnum], labels: Mapping[str, str]) -> dict[str, str]:
    missing = {member.value for member in enum} - set(labels)
    if missing:  # a code added to the enumeration without its label
        raise KeyError(f"no label for {enum.__name__} {sorted(missing)}")
    ENUMS[name] = enum
    return dict(labels)


def _of(codes: tuple[str, ...], labels: Mapping[str, str]) -> dict[str, str]:
    """The labels of codes that are no enumeration (a `Literal`, say), each code labelled."""
    missing = set(codes) - set(labels)
    if missing:
        raise KeyError(f"no label for {sorted(missing)}")
    return {code: labels[code] for code in codes}


LABELS: dict[str, dict[str, str]] = {
    "action_kind": _family(
        "action_kind",
        ActionKind,
        {
            "home_visit": N_("Home visit"),
            "assessment": N_("Assessment"),
            "consultation": N_("Consultation"),
            "educational_support": N_("Educational support"),
            "care": N_("Care"),
            "school_support": N_("School support"),
            "meeting": N_("Meeting"),
            "referral": N_("Referral"),
            "information_sharing": N_("Information sharing"),
            "coordination": N_("Coordination"),
            "case_participation": N_("Taking part in a case"),
            "other": N_("Other"),
        },
    ),
    "information_category": _family(
        "information_category",
        InformationCategory,
        {
            "identity": N_("Identity"),
            "family_situation": N_("Family situation"),
            "health": N_("Health"),
            "education": N_("Schooling"),
            "social": N_("Social situation"),
            "justice": N_("Justice"),
            "child_protection": N_("Child protection"),
            "other": N_("Other"),
        },
    ),
    "basis_kind": _family(
        "basis_kind",
        BasisKind,
        {
            "delegation": N_("Delegation"),
            "case_holder": N_("Case holder"),
            "convention": N_("Convention"),
            "network": N_("Network"),
            "informal": N_("Informal"),
        },
    ),
    "sector": _family(
        "sector",
        Sector,
        {
            "social": N_("Social"),
            "medico_social": N_("Medico-social"),
            "health": N_("Health"),
            "education": N_("Education"),
            "justice": N_("Justice"),
            "other": N_("Other"),
        },
    ),
    "institution_kind": _family(
        "institution_kind",
        InstitutionKind,
        {
            "aemo_service": N_("AEMO service"),
            "child_welfare": N_("Child welfare (ASE)"),
            "crip": N_("Concerning-information unit (CRIP)"),
            "cmp": N_("Mental-health centre (CMP)"),
            "hospital": N_("Hospital"),
            "school": N_("School"),
            "social_service": N_("Social service"),
            "medico_social_establishment": N_("Medico-social establishment"),
            "court": N_("Court"),
            "association": N_("Association"),
            "other": N_("Other"),
        },
    ),
    "partnership_kind": _family(
        "partnership_kind",
        PartnershipKind,
        {"charter": N_("Charter"), "convention": N_("Convention")},
    ),
    "partnership_origin": _family(
        "partnership_origin",
        PartnershipOrigin,
        {"spontaneous": N_("Spontaneous"), "mandated": N_("Mandated")},
    ),
    "network_kind": _family(
        "network_kind", NetworkKind, {"informal": N_("Informal"), "formal": N_("Formal")}
    ),
    "legal_framework": _family(
        "legal_framework",
        LegalFramework,
        {
            "administrative": N_("Administrative"),
            "judicial": N_("Judicial"),
            "voluntary": N_("Voluntary"),
        },
    ),
    "consent_giver": _family(
        "consent_giver",
        ConsentGiver,
        {"beneficiary": N_("Beneficiary"), "legal_representative": N_("Legal representative")},
    ),
    "delegation_gap": _family(
        "delegation_gap",
        DelegationGap,
        {
            "outside_scope": N_("Outside the delegation's scope"),
            "not_yet_valid": N_("Delegation not yet valid"),
            "expired": N_("Delegation expired"),
            "revoked": N_("Delegation revoked"),
        },
    ),
    "alert_kind": _family(
        "alert_kind",
        AlertKind,
        {
            "action_without_valid_basis": N_("Action without a valid basis"),
            "delegation_lapsed_in_use": N_("Lapsed delegation still in use"),
            "exchange_without_convention": N_("Exchange without a convention"),
            "shared_beyond_consent": N_("Shared beyond consent"),
            "no_coordinator": N_("No référent de parcours"),
            "idle_actor": N_("Idle actor"),
            "act_outside_delegation": N_("Act outside a delegation"),
            "referral_expired": N_("Referral expired unanswered"),
        },
    ),
    "role": _family(
        "role",
        Role,
        {
            "case_worker": N_("Case worker"),
            "supervisor": N_("Supervisor"),
            "funder": N_("Funder"),
            "admin": N_("Administrator"),
            "dpo": N_("Data-protection officer"),
            "integration": N_("Client application"),
        },
    ),
    "read_purpose": _family(
        "read_purpose",
        ReadPurpose,
        {
            "follow_up": N_("Follow-up"),
            "coordination": N_("Coordination"),
            "supervision": N_("Supervision"),
            "audit": N_("Audit"),
            "legal_request": N_("Legal request"),
            "emergency": N_("Emergency"),
        },
    ),
    "erasure_ground": _family(
        "erasure_ground",
        ErasureGround,
        {
            "erasure_request": N_("Request of the person"),
            "retention_expired": N_("Retention period over"),
            "court_order": N_("Court order"),
        },
    ),
    "funded_kind": _family(
        "funded_kind",
        FundedKind,
        {
            "partnership": N_("Partnership"),
            "network": N_("Network"),
            "institution": N_("Institution"),
        },
    ),
    # not enumerations: how a legal ground's condition is met, the views a reading names, and a
    # referral's answer
    "condition_kind": _of(
        get_args(ConditionKind),
        {
            "attested": N_("Attested by the professional"),
            "stated": N_("Stated in a text"),
            "fact": N_("Checked by the service"),
        },
    ),
    "case_view": {
        "file": N_("Case file"),
        "coherence": N_("Coherence view"),
        "coherence_as_of": N_("Coherence view as of a past instant"),
        "audit_trail": N_("Audit trail"),
        "personal_data": N_("Export of the person's data"),
        "referral": N_("Referral"),
        "fhir": N_("FHIR view of the case"),
        "feed": N_("Catch-up feed"),
    },
    "referral_status": {
        "pending": N_("Pending"),
        "accepted": N_("Accepted"),
        "declined": N_("Declined"),
        "revoked": N_("Revoked"),
        "expired": N_("Expired"),
    },
}


def label(words: Wording, family: str, code: object) -> str:
    """The label of `code` in `family`, in the language of `words`; an unknown code reads as
    itself. Raises KeyError for a family `LABELS` does not have."""
    text = str(code)
    template = LABELS[family].get(text)
    return words.gettext(template) if template is not None else text


def labels(words: Wording, family: str, codes: Iterable[object]) -> list[str]:
    """The labels of several codes of one family, in their order."""
    return [label(words, family, code) for code in codes]
