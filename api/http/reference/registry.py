"""The descriptions and request-body examples of the operations of `api.http.routers.registry`
and `api.http.routers.delegations`."""

from __future__ import annotations

from typing import Any

from api.http.reference.ids import AEMO, CASE, JEANNE, KARIM

DESCRIPTIONS: dict[str, str] = {
    "register_institution": """
        Register an institution: an AEMO service, a CMP, a school, the département's child welfare
        or its CRIP… (`sector` and `kind`: `GET /vocabulary`).

        Its national identifiers may be given now (`finess`, `siret`) or later
        (`identify_institution`).

        Records `InstitutionRegistered` (and `InstitutionIdentified` with the claims on its
        numbers, in the same transaction); `id` and `Location` name it.

        Refusals:
        - 409 `identifier-taken`: another institution holds that FINESS or SIRET.
        - 422 `invalid-value`: a blank name, or a number of the wrong length or characters, or
          whose check key is wrong (the field is named).
    """,
    "list_institutions": """
        The directory of institutions (id, name, sector, kind, FINESS, SIRET), filtered by
        `sector`, `kind`, part of the `name` (case-insensitive), a whole `finess` or `siret`, paged
        by `cursor`. Every role reads it: it holds nobody's file.

        Refusals:
        - 422 `invalid-request`: an unknown `sector` or `kind`, a `limit` out of 1–500.
        - 422 `invalid-value`: a `finess` or `siret` that is no valid number.
    """,
    "read_institution": """
        An institution: name, sector, kind, département, the partnerships it entered, and its
        national identifiers (each with its FHIR system). `ETag` is its version.

        Refusals:
        - 404 `not-found`: no such institution.
    """,
    "register_professional": """
        Register a professional (name, profession). They act for an institution only while employed
        there (`start_employment`).

        Their national identifiers may be given now (`rpps`, `adeli`) or later
        (`identify_professional`).

        Records `ProfessionalRegistered` (and `ProfessionalIdentified` with the claims on their
        numbers); `id` and `Location` name them.

        Refusals:
        - 409 `identifier-taken`: another professional holds that RPPS or ADELI number.
        - 422 `invalid-value`: a blank name or profession, or a number of the wrong length or
          characters, or whose check key is wrong (the field is named).
    """,
    "list_professionals": """
        The directory of professionals (id, name, profession, RPPS, ADELI), filtered by part of the
        `name` (case-insensitive), by `profession`, or by a whole `rpps` or `adeli`, paged by
        `cursor`. Every role reads it.

        Refusals:
        - 422 `invalid-request`: a `limit` out of 1–500, a filter too long.
        - 422 `invalid-value`: an `rpps` or `adeli` that is no valid number.
    """,
    "read_professional": """
        A professional: name, profession, employments (institution, dates, position), the networks
        they belong to, and their national identifiers (each with its FHIR system). `ETag` is their
        version.

        Refusals:
        - 404 `not-found`: no such professional.
    """,
    "start_employment": """
        Record that the professional works for an institution from `start` (until `end`, if known):
        they may act for it on those days.

        Records `EmploymentStarted`.

        Refusals:
        - 404 `not-found`: no such professional or institution.
        - 409 `employment-overlap`: an employment at that institution overlaps these dates.
        - 422 `invalid-value`: it ends before it starts.
    """,
    "end_employment": """
        Record the last day of an employment: from the next day the professional no longer acts for
        that institution, and tokens naming it are refused on the cases.

        Records `EmploymentEnded`.

        Refusals:
        - 404 `not-found`: no such professional.
        - 422 `not-employed`: they have no employment there to end.
        - 422 `invalid-value`: it would end before it started.
    """,
    "grant_delegation": """
        An institution mandates one of its professionals (*délégation formelle*) for a `scope` of
        action kinds, from `valid_from` to `valid_until`, on a case (`case_id`), in a formal network
        (`network_id`), or both. Acts within it rest on the delegation until it expires or is
        revoked.

        Records `DelegationGranted`, and `DelegationReceived` on the professional.

        Refusals:
        - 404 `not-found`: no such institution, professional, case or network.
        - 422 `network-kind`: the network is informal (informal networks rest on personal
          engagement, not on delegations).
        - 422 `not-employed`: the professional is not employed by the institution on `valid_from`.
        - 422 `invalid-value`: neither a case nor a network, an empty scope, or dates in the wrong
          order.
    """,
    "list_delegations": """
        Delegations, each reader their part: an administrator all of them (filtered by
        `professional_id`, `institution_id`, `case_id`), a supervisor those of their institution,
        anyone else their own. Paged by `cursor`.

        Refusals:
        - 422 `invalid-request`: a filter that is not an id, a `limit` out of 1–500.
    """,
    "read_delegation": """
        A delegation: its delegate, the delegating institution, scope, case or network, validity,
        and its revocation if any. `ETag` is its version.

        Shown to administrators, to its delegate and to supervisors of the delegating institution.

        Refusals:
        - 403 `access-denied`: you are none of those.
        - 404 `not-found`: no such delegation.
    """,
    "extend_delegation": """
        Move a delegation's end to a later day.

        Records `DelegationExtended`.

        Refusals:
        - 404 `not-found`: no such delegation.
        - 422 `delegation-revoked`: it is revoked.
        - 422 `invalid-value`: the new end is not after the current one.
    """,
    "revoke_delegation": """
        Revoke a delegation, with the reason: from `occurred_at` on, acts cannot rest on it, and its
        delegate still acting on the case shows as an alert.

        Records `DelegationRevoked`.

        Refusals:
        - 404 `not-found`: no such delegation.
        - 422 `delegation-revoked`: it is revoked already.
        - 422 `invalid-value`: a blank reason.
    """,
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "register_institution": {
        "aemo": {
            "summary": "An AEMO service",
            "value": {
                "name": "Service AEMO Colmar",
                "sector": "social",
                "kind": "aemo_service",
                "department": "68",
                "finess": "680001195",
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
        },
        "psychologist": {
            "summary": "A psychologist with an ADELI number",
            "value": {"name": "Marc Bauer", "profession": "psychologue", "adeli": "689300016"},
        },
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
