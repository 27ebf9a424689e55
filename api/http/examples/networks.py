"""Examples of the bodies of `api.http.routers.networks`."""

from __future__ import annotations

from typing import Any

from api.http.examples.ids import AEMO, CMP, DELEGATION, JEANNE, KARIM, SOPHIE

EXAMPLES: dict[str, dict[str, Any]] = {
    "found_informal_network": {
        "educators": {
            "summary": "Educators who meet about the same children",
            "value": {
                "name": "Réseau des éducateurs du secteur Colmar-Nord",
                "values_statement": "Confiance, réciprocité, et toujours l'accord des familles.",
            },
        }
    },
    "found_formal_network": {
        "mental_health": {
            "summary": "A formal child-mental-health network",
            "value": {
                "name": "Réseau santé mentale enfance Haut-Rhin",
                "founding_institutions": [AEMO, CMP],
                "objectives": [
                    "Réduire les délais d'accès au premier rendez-vous en CMP.",
                    "Tenir une réunion de concertation mensuelle.",
                ],
                "occurred_at": "2026-09-01T09:00:00+02:00",
            },
        }
    },
    "invite_to_network": {
        "colleague": {"summary": "Invite a colleague of the ASE", "value": {"invitee_id": KARIM}}
    },
    "add_institution_to_network": {
        "aemo": {"summary": "The AEMO joins the formal network", "value": {"institution_id": AEMO}}
    },
    "admit_to_network": {
        "delegate": {
            "summary": "Admit the AEMO's delegate",
            "value": {"delegation_id": DELEGATION, "occurred_at": "2026-11-03T14:00:00+01:00"},
        }
    },
    "appoint_network_coordinator": {
        "psychologist": {"summary": "The CMP's psychologist", "value": {"professional_id": SOPHIE}}
    },
    "update_network_project": {
        "objectives": {
            "summary": "The project for 2027",
            "value": {
                "objectives": [
                    "Un référent de parcours désigné pour chaque enfant suivi à plusieurs.",
                    "Une fiche de liaison commune AEMO-CMP.",
                ]
            },
        }
    },
    "record_network_meeting": {
        "monthly": {
            "summary": "The monthly concertation meeting",
            "value": {
                "attendees": [JEANNE, SOPHIE],
                "decisions": ["Fiche de liaison adoptée, diffusion au 1er décembre."],
                "occurred_at": "2026-11-17T14:00:00+01:00",
            },
        }
    },
    "leave_network": {
        "yourself": {"summary": "Leave the network yourself", "value": {}},
        "someone": {
            "summary": "An administrator takes a professional out",
            "value": {"professional_id": KARIM},
        },
    },
    "dissolve_network": {
        "project_done": {
            "summary": "Its project is done",
            "value": {
                "reason": "Objectifs atteints ; relais pris par le dispositif départemental."
            },
        }
    },
}
