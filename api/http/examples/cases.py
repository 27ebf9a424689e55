"""Examples of the bodies of `api.http.routers.cases`."""

from __future__ import annotations

from typing import Any

from api.http.examples.ids import CMP, DELEGATION, SOPHIE

EXAMPLES: dict[str, dict[str, Any]] = {
    "open_case": {
        "judicial": {
            "summary": "A child followed under a judge's AEMO order",
            "value": {
                "beneficiary": {
                    "first_name": "Léo",
                    "last_name": "Martin",
                    "birth_date": "2015-04-12",
                },
                "legal_framework": "judicial",
                "role": "éducatrice référente",
                "occurred_at": "2026-11-16T09:30:00+01:00",
            },
        },
        "voluntary": {
            "summary": "A family that asked for help (no date of birth known yet)",
            "value": {
                "beneficiary": {"first_name": "Inès", "last_name": "Benali"},
                "legal_framework": "voluntary",
            },
        },
    },
    "close_case": {
        "end_of_order": {
            "summary": "The judge ends the measure",
            "value": {
                "reason": "Mainlevée de la mesure d'AEMO par le juge des enfants.",
                "occurred_at": "2026-11-18T11:00:00+01:00",
            },
        }
    },
    "reopen_case": {
        "new_order": {
            "summary": "A new order after a closure",
            "value": {"reason": "Nouvelle ordonnance du juge des enfants du 17 novembre."},
        }
    },
    "join_case": {
        "convention": {
            "summary": "A psychologist of the CMP joins (a convention links the CMP to the case)",
            "value": {"role": "psychologue référente du suivi"},
        },
        "delegation": {
            "summary": "Joining under a delegation naming the case",
            "value": {
                "role": "éducateur délégué",
                "delegation_id": DELEGATION,
                "occurred_at": "2026-11-17T10:00:00+01:00",
            },
        },
    },
    "leave_case": {
        "now": {"summary": "Leave the case now", "value": {}},
        "backdated": {
            "summary": "Left at the end of last week",
            "value": {"occurred_at": "2026-11-13T17:00:00+01:00"},
        },
    },
    "designate_coordinator": {
        "cmp_psychologist": {
            "summary": "The CMP's psychologist becomes référente de parcours",
            "value": {
                "coordinator": {"professional_id": SOPHIE, "institution_id": CMP},
                "occurred_at": "2026-11-18T15:00:00+01:00",
            },
        }
    },
    "erase_beneficiary": {
        "request": {
            "summary": "The person asked for erasure (RGPD art. 17)",
            "value": {"ground": "erasure_request", "reference": "DPO-2026-114"},
        },
        "retention": {
            "summary": "The retention period after closing has run out",
            "value": {"ground": "retention_expired", "reference": "Purge annuelle 2026"},
        },
    },
}
