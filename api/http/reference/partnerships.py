"""The descriptions and request-body examples of the operations of
`api.http.routers.partnerships`."""

from __future__ import annotations

from typing import Any

from api.http.reference.ids import AEMO, ASE, CMP, JEANNE

DESCRIPTIONS: dict[str, str] = {
    "propose_partnership": """
        Propose a partnership between institutions: a *charter* of shared values (no operational
        commitment), or a *convention* stating, for each party, the action kinds it may perform and
        the information categories it may exchange (`scopes`). `origin` says whether it is
        spontaneous or `mandated` (imposed by a law, a public-policy scheme or a commissioning body:
        then `mandate_reference` names it). A convention covers exchanges between parties that
        signed it, while in force.

        Records `PartnershipProposed`, and `PartnershipEntered` on each party.

        Refusals:
        - 404 `not-found`: a party is not in the registry.
        - 422 `mandate-reference-required`: a mandated partnership without its reference.
        - 422 `charter-has-no-scope`: scopes given to a charter.
        - 422 `not-a-party`: a scope names an institution that is not a party.
        - 422 `invalid-value`: fewer than two parties, a convention without scopes, two scopes for
          one party, dates in the wrong order.
    """,
    "list_partnerships": """
        Partnerships (kind, title, parties, validity, who signed, termination), filtered by a party
        (`institution_id`) or `kind`, paged by `cursor`. Every role reads them, funders included:
        partnerships are what they finance, not a person's file.

        Refusals:
        - 422 `invalid-request`: an unknown `kind`, a `limit` out of 1–500.
    """,
    "read_partnership": """
        A partnership: kind, title, origin and mandate, parties, validity, scopes, values,
        signatures, suspensions, termination. `ETag` is its version.

        Refusals:
        - 404 `not-found`: no such partnership.
    """,
    "sign_partnership": """
        Record a party's signature (on `signed_on`, by `signatory_id` if given). A convention covers
        exchanges only between parties that signed it.

        Records `PartnershipSigned`.

        Refusals:
        - 404 `not-found`: no such partnership.
        - 409 `already-signed`: that party has signed already.
        - 409 `partnership-terminated`: it is terminated.
        - 422 `not-a-party`: the institution is not a party.
    """,
    "amend_partnership": """
        Amend a partnership (*avenant*, named by `reference`): its end date, its scopes (conventions
        only), or both. Signatures stay.

        Records `PartnershipAmended`.

        Refusals:
        - 404 `not-found`: no such partnership.
        - 409 `partnership-terminated`: it is terminated.
        - 422 `charter-has-no-scope`: scopes given to a charter.
        - 422 `not-a-party`: a scope names an institution that is not a party.
        - 422 `invalid-value`: neither an end nor scopes, or an end before the start.
    """,
    "suspend_partnership": """
        Suspend a partnership, with the reason: while suspended, a convention covers no exchange
        (exchanges made then show as alerts).

        Records `PartnershipSuspended`.

        Refusals:
        - 404 `not-found`: no such partnership.
        - 409 `partnership-state`: it is suspended already.
        - 409 `partnership-terminated`: it is terminated.
        - 422 `invalid-value`: a blank reason.
    """,
    "resume_partnership": """
        Resume a suspended partnership from `occurred_at` (default: now).

        Records `PartnershipResumed`.

        Refusals:
        - 404 `not-found`: no such partnership.
        - 409 `partnership-state`: it is not suspended.
        - 409 `partnership-terminated`: it is terminated.
        - 422 `invalid-value`: it would resume before it was suspended.
    """,
    "terminate_partnership": """
        Terminate a partnership on `terminated_on`, with the reason: it covers nothing after that
        day, and takes no further change.

        Records `PartnershipTerminated`.

        Refusals:
        - 404 `not-found`: no such partnership.
        - 409 `partnership-terminated`: it is terminated. already.
        - 422 `invalid-value`: it would end before it starts, or a blank reason.
    """,
}

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
