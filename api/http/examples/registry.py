"""Examples of the bodies of `api.http.routers.registry` and `api.http.routers.delegations`."""

from __future__ import annotations

from typing import Any

from api.http.examples.ids import AEMO, CASE, JEANNE, KARIM

EXAMPLES: dict[str, dict[str, Any]] = {
    "register_institution": {
        "aemo": {
            "summary": "An AEMO service",
            "value": {
                "name": "Service AEMO Colmar",
                "sector": "social",
                "kind": "aemo_service",
                "department": "68",
            },
        },
        "crip": {
            "summary": "The département's unit for concerning information",
            "value": {
                "name": "CRIP du Haut-Rhin",
                "sector": "social",
                "kind": "crip",
                "department": "68",
            },
        },
    },
    "register_professional": {
        "educator": {
            "summary": "A specialised educator",
            "value": {"name": "Jeanne Koenig", "profession": "éducatrice spécialisée"},
        }
    },
    "start_employment": {
        "open_ended": {
            "summary": "Hired by the AEMO service, open-ended",
            "value": {
                "institution_id": AEMO,
                "start": "2024-09-01",
                "position": "éducatrice spécialisée, équipe AEMO Nord",
            },
        },
        "fixed_term": {
            "summary": "A fixed-term contract",
            "value": {"institution_id": AEMO, "start": "2026-10-01", "end": "2027-03-31"},
        },
    },
    "end_employment": {
        "resignation": {"summary": "Last day worked", "value": {"end": "2026-12-31"}}
    },
    "grant_delegation": {
        "case": {
            "summary": "The AEMO mandates an educator on Léo's case",
            "value": {
                "institution_id": AEMO,
                "professional_id": JEANNE,
                "scope": ["home_visit", "assessment", "case_participation"],
                "valid_from": "2026-11-01",
                "valid_until": "2027-04-30",
                "case_id": CASE,
                "granted_by": KARIM,
            },
        }
    },
    "extend_delegation": {
        "six_months": {
            "summary": "Extended to the end of 2027",
            "value": {"valid_until": "2027-12-31"},
        }
    },
    "revoke_delegation": {
        "change_of_team": {
            "summary": "Revoked: the delegate changed team",
            "value": {
                "reason": "Changement d'équipe : la mesure est reprise par un collègue.",
                "revoked_by": KARIM,
                "occurred_at": "2026-11-19T08:30:00+01:00",
            },
        }
    },
}
