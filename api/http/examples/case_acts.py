"""Examples of the bodies of `api.http.routers.case_acts`."""

from __future__ import annotations

from typing import Any

from api.http.examples.ids import AEMO, ASE, CMP, CRIP, DELEGATION, JEANNE, SCHOOL, SOPHIE

EXAMPLES: dict[str, dict[str, Any]] = {
    "give_consent": {
        "parents": {
            "summary": "The parents agree that the CMP and the school receive health and "
            "schooling information",
            "value": {
                "giver": "legal_representative",
                "representative_name": "Nadia Martin (mère)",
                "recipients": [CMP, SCHOOL],
                "categories": ["health", "education"],
                "valid_until": "2027-06-30",
                "occurred_at": "2026-11-16T10:15:00+01:00",
            },
        },
        "adult": {
            "summary": "An adult beneficiary consents for themself",
            "value": {
                "giver": "beneficiary",
                "recipients": [ASE],
                "categories": ["family_situation", "social"],
            },
        },
    },
    "withdraw_consent": {
        "now": {"summary": "Withdrawn today", "value": {}},
        "backdated": {
            "summary": "Withdrawn by letter received yesterday",
            "value": {"occurred_at": "2026-11-19T09:00:00+01:00"},
        },
    },
    "record_intervention": {
        "home_visit": {
            "summary": "A home visit",
            "value": {
                "kind": "home_visit",
                "summary": "Visite à domicile : échange avec la mère sur la scolarité de Léo.",
                "occurred_at": "2026-11-18T14:30:00+01:00",
            },
        },
        "under_delegation": {
            "summary": "An assessment under a delegation naming the case",
            "value": {
                "kind": "assessment",
                "summary": "Évaluation de la situation familiale à la demande de l'ASE.",
                "delegation_id": DELEGATION,
            },
        },
    },
    "share_information": {
        "consent": {
            "summary": "Share with the CMP under the parents' consent",
            "value": {
                "recipient_institution_id": CMP,
                "recipient_professional_id": SOPHIE,
                "categories": ["health"],
                "summary": "Compte rendu de la consultation pédiatrique du 12 novembre.",
            },
        },
        "shared_secrecy": {
            "summary": "Share with child welfare under shared secrecy (CASF art. L.226-2-2)",
            "description": "Conditions of kind `attested` are listed in `attested`; those of "
            "kind `stated` are given as texts in `statements`; `fact` conditions are the "
            "service's to check (see `GET /vocabulary`). Of the alternatives "
            "`parental_authority_informed` / `not_informed_reason`, one is enough.",
            "value": {
                "recipient_institution_id": ASE,
                "categories": ["child_protection", "family_situation"],
                "legal_ground": {
                    "code": "shared_secrecy_child_protection",
                    "attested": [
                        "recipient_bound_by_secrecy",
                        "contributes_to_child_protection",
                        "strictly_necessary",
                    ],
                    "statements": {
                        "not_informed_reason": "Informer le père exposerait l'enfant à des "
                        "représailles (violences signalées le 10 novembre)."
                    },
                },
                "summary": "Éléments d'évaluation nécessaires à la décision de protection.",
            },
        },
    },
    "transmit_concerning_information": {
        "concern": {
            "summary": "An information préoccupante to the département's CRIP",
            "value": {
                "crip_institution_id": CRIP,
                "summary": "Léo est arrivé à l'école avec des ecchymoses au visage et dit "
                "avoir peur de rentrer chez lui.",
                "occurred_at": "2026-11-19T16:45:00+01:00",
            },
        }
    },
    "refer": {
        "to_cmp": {
            "summary": "Refer to the child-psychiatry centre",
            "value": {
                "to_institution_id": CMP,
                "reason": "Troubles du sommeil et anxiété importante : demande de bilan "
                "pédopsychiatrique.",
            },
        }
    },
    "accept_referral": {
        "now": {"summary": "Accepted now", "value": {}},
        "backdated": {
            "summary": "Accepted at this morning's admission meeting",
            "value": {"occurred_at": "2026-11-20T09:30:00+01:00"},
        },
    },
    "decline_referral": {
        "no_place": {
            "summary": "Declined for lack of a place",
            "value": {
                "reason": "Pas de place disponible avant mars ; orientation vers le CMP "
                "de Guebwiller conseillée."
            },
        }
    },
    "hold_coordination_meeting": {
        "synthesis": {
            "summary": "A synthesis meeting of the AEMO and the CMP",
            "value": {
                "attendees": [
                    {"professional_id": JEANNE, "institution_id": AEMO},
                    {"professional_id": SOPHIE, "institution_id": CMP},
                ],
                "decisions": [
                    "Bilan psychologique à programmer avant les vacances de Noël.",
                    "Point avec l'école le 3 décembre.",
                ],
                "occurred_at": "2026-11-18T10:00:00+01:00",
            },
        }
    },
    "acknowledge_alert": {
        "exchange": {
            "summary": "The holder acknowledges an exchange made without a convention",
            "value": {
                "alert_kind": "exchange_without_convention",
                "versions": [7],
                "note": "Échange ponctuel avec l'école validé par la cheffe de service ; "
                "convention en cours de signature.",
            },
        }
    },
}
