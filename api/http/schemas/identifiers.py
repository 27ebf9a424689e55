"""National identifiers in the registry's bodies and answers (FINESS, SIRET, RPPS, ADELI).

A number is sent as people write it (spaces allowed); the domain checks it
(`domain.identifiers`) and keeps it compact. Reads show each one with its FHIR system.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel, Field

from api.http.schemas.common import RequestBody
from domain.identifiers import FHIR_SYSTEMS, Scheme

# Each bounded before the domain reads it: the longest number (SIRET, 14) with its spaces.
FINESS = Field(
    default=None,
    min_length=1,
    max_length=24,
    description="FINESS (9 characters: département, 6 digits, Luhn key), if it has one.",
    examples=["680001195"],
)
SIRET = Field(
    default=None,
    min_length=1,
    max_length=24,
    description="SIRET (14 digits, Luhn key), if it has one.",
    examples=["26680001000016"],
)
RPPS = Field(
    default=None,
    min_length=1,
    max_length=24,
    description="RPPS number (11 digits, Luhn key), if they have one.",
    examples=["10000000017"],
)
ADELI = Field(
    default=None,
    min_length=1,
    max_length=24,
    description="ADELI number (9 characters: département, 7 digits), if they have one.",
    examples=["689300016"],
)


class InstitutionIdentifiers(RequestBody):
    """An institution's national identifiers from now on: a number left out or null, none."""

    finess: str | None = FINESS
    siret: str | None = SIRET


class ProfessionalIdentifiers(RequestBody):
    """A professional's national identifiers from now on: a number left out or null, none."""

    rpps: str | None = RPPS
    adeli: str | None = ADELI


class NationalIdentifier(BaseModel):
    """One national identifier, with the FHIR `Identifier.system` it is exchanged under."""

    scheme: Scheme
    value: str
    system: str = Field(description="FHIR `Identifier.system` (FR Core).")


def national_identifiers(held: Mapping[Scheme, str]) -> list[NationalIdentifier]:
    return [
        NationalIdentifier(scheme=scheme, value=number, system=FHIR_SYSTEMS[scheme].system)
        for scheme, number in held.items()
    ]
