"""Examples of the bodies of `api.http.routers.reports`."""

from __future__ import annotations

from typing import Any

from api.http.examples.ids import CONVENTION, DEPARTEMENT

EXAMPLES: dict[str, dict[str, Any]] = {
    "grant_funding": {
        "protocol": {
            "summary": "The département funds the protocol's convention",
            "value": {
                "funder_id": DEPARTEMENT,
                "target_kind": "partnership",
                "target_id": CONVENTION,
                "valid_from": "2026-01-01",
                "valid_until": "2026-12-31",
                "reference": "Convention de financement CD68 2026-03",
            },
        }
    },
    "end_funding": {
        "early": {
            "summary": "Ended early",
            "value": {"ended_on": "2026-09-30", "reason": "Fin anticipée de l'appel à projets."},
        }
    },
}
