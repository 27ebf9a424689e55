"""The descriptions and request-body examples of the operations of
`api.http.routers.identifiers` (national identifiers of the registry)."""

from __future__ import annotations

from typing import Any

DESCRIPTIONS: dict[str, str] = {
    "identify_institution": """
        Set the institution's national identifiers from now on: its FINESS (9 characters, the
        département then digits, a Luhn key) and its SIRET (14 digits, a Luhn key). A number left
        out or null means none: the number it had is given up. Spaces are allowed; numbers are
        kept compact. Each number belongs to one institution at a time.

        Records `InstitutionIdentified` (nothing if the numbers are those it has), and the claims
        on the numbers taken and given up, in the same transaction.

        Refusals:
        - 404 `not-found`: no such institution.
        - 409 `identifier-taken`: another institution holds that FINESS or SIRET (the field is
          named).
        - 422 `invalid-value`: a number of the wrong length or characters, or whose check key is
          wrong (the field is named).
    """,
    "identify_professional": """
        Set the professional's national identifiers from now on: their RPPS number (11 digits, a
        Luhn key) and their ADELI number (9 characters: the département then digits). A number
        left out or null means none. Each number belongs to one professional at a time.

        Records `ProfessionalIdentified` (nothing if the numbers are those they have), and the
        claims on the numbers taken and given up, in the same transaction.

        Refusals:
        - 404 `not-found`: no such professional.
        - 409 `identifier-taken`: another professional holds that RPPS or ADELI number.
        - 422 `invalid-value`: a number of the wrong length or characters, or whose check key is
          wrong (the field is named).
    """,
}

EXAMPLES: dict[str, dict[str, Any]] = {
    "identify_institution": {
        "both": {
            "summary": "A FINESS and a SIRET",
            "value": {"finess": "680001195", "siret": "266 800 010 00016"},
        },
        "finess_only": {"summary": "A FINESS, no SIRET", "value": {"finess": "680001203"}},
    },
    "identify_professional": {
        "rpps": {"summary": "An RPPS number", "value": {"rpps": "10000000017"}},
        "adeli": {"summary": "An ADELI number (a psychologist)", "value": {"adeli": "689300016"}},
    },
}
