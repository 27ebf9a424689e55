"""Examples of the bodies of `api.http.routers.partnerships`."""

from __future__ import annotations

from typing import Any

from api.http.examples.ids import AEMO, ASE, CMP, JEANNE

EXAMPLES: dict[str, dict[str, Any]] = {
    "propose_partnership": {
        "convention": {
            "summary": "A convention imposed by a departmental protocol",
            "value": {
                "kind": "convention",
                "title": "Protocole départemental de prévention et de protection de l'enfance",
                "origin": "mandated",
                "mandate_reference": "Protocole CD68-ASE 2026, CASF art. L.226-3",
                "parties": [AEMO, CMP],
                "valid_from": "2026-01-01",
                "valid_until": "2028-12-31",
                "scopes": [
                    {
                        "institution_id": AEMO,
                        "action_kinds": ["case_participation", "meeting", "coordination"],
                        "information_categories": ["family_situation", "education"],
                    },
                    {
                        "institution_id": CMP,
                        "action_kinds": ["case_participation", "consultation", "assessment"],
                        "information_categories": ["health"],
                    },
                ],
            },
        },
        "charter": {
            "summary": "A charter of shared values (no operational scope)",
            "value": {
                "kind": "charter",
                "title": "Charte du travail en réseau autour de l'enfant",
                "origin": "spontaneous",
                "parties": [AEMO, ASE, CMP],
                "valid_from": "2026-03-01",
                "values_statement": "Respect de la personne accompagnée, partage du strict "
                "nécessaire, information des familles.",
            },
        },
    },
    "sign_partnership": {
        "aemo": {
            "summary": "The AEMO's director signs",
            "value": {"institution_id": AEMO, "signed_on": "2026-01-15", "signatory_id": JEANNE},
        }
    },
    "amend_partnership": {
        "extend": {
            "summary": "Avenant: extended by a year",
            "value": {"reference": "Avenant n°1 du 2 novembre 2026", "valid_until": "2029-12-31"},
        }
    },
    "suspend_partnership": {
        "audit": {
            "summary": "Suspended during an inspection",
            "value": {
                "reason": "Suspension le temps de l'inspection conjointe ARS-département.",
                "occurred_at": "2026-11-02T09:00:00+01:00",
            },
        }
    },
    "resume_partnership": {
        "now": {"summary": "Resumed now", "value": {}},
        "backdated": {
            "summary": "Resumed on Monday",
            "value": {"occurred_at": "2026-11-16T09:00:00+01:00"},
        },
    },
    "terminate_partnership": {
        "denounced": {
            "summary": "Denounced by a party",
            "value": {
                "reason": "Dénonciation par le CMP, préavis de trois mois respecté.",
                "terminated_on": "2027-02-28",
            },
        }
    },
}
