"""French national identifiers of institutions (FINESS, SIRET) and professionals (RPPS, ADELI).

Each scheme has its parse function: spaces (and the dots or dashes people type) removed, then the
length, the characters and the check key checked, and a refusal (`InvalidValueError`) that names
the field and the broken rule. `python-stdnum` checks SIRET (Luhn, and La Poste's exception);
FINESS and RPPS end with a Luhn key (`stdnum.luhn`); ADELI has none we could find published, so
only its shape is checked. Sources and the reasons of each choice: `docs/identifiers.md`.

`FHIR_SYSTEMS` says, per scheme, how an identifier reads in FHIR (FR Core, published by
Interop'Santé with the ANS): its `Identifier.system`, its `Identifier.type` code, and the national
identifier the ANS builds from it (idNat_Struct / idNat_PS: an OID and a one-digit prefix).
`fhir_identifiers` turns what an institution or a professional holds into those entries.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError
from stdnum.fr import siret as stdnum_siret

from domain.errors import InvalidValueError
from domain.wording import N_


class Scheme(StrEnum):
    """A national identifier scheme; its value is also the field that carries it."""

    FINESS = "finess"  # Fichier national des établissements sanitaires et sociaux
    SIRET = "siret"  # Système d'identification du répertoire des établissements (INSEE)
    RPPS = "rpps"  # Répertoire partagé des professionnels de santé
    ADELI = "adeli"  # Automatisation des listes (auxiliaires médicaux, psychologues, ASS…)


INSTITUTION_SCHEMES: tuple[Scheme, ...] = (Scheme.FINESS, Scheme.SIRET)
PROFESSIONAL_SCHEMES: tuple[Scheme, ...] = (Scheme.RPPS, Scheme.ADELI)

_SEPARATORS = re.compile(r"[\s.\-]+")
_CORSICA = ("2A", "2B")
# A FINESS number's first two characters: a département 01–95, Corsica's 2A / 2B, overseas 97
# and 98 (00, 96, 99 are none — a Luhn key alone would let `000000000` pass)
_FINESS_DEPARTMENTS = frozenset([f"{n:02d}" for n in range(1, 96)] + [*_CORSICA, "97", "98"])


def _compact(value: object, field: str) -> str:
    if not isinstance(value, str):
        raise InvalidValueError(N_("{field} must be a text"), field=field)
    return _SEPARATORS.sub("", value).upper()


def _length(number: str, expected: int, field: str) -> None:
    if len(number) != expected:
        raise InvalidValueError(
            N_("{field} must have {expected} characters, not {length}"),
            field=field,
            expected=expected,
            length=len(number),
        )


def _digits(number: str, field: str) -> None:
    if not number.isascii() or not number.isdigit():
        raise InvalidValueError(N_("{field} must be made of digits only"), field=field)


def _department_then_digits(number: str, field: str) -> None:
    """Two characters of a département (digits, or Corsica's 2A / 2B), then digits."""
    head, rest = number[:2], number[2:]
    if not ((head.isascii() and head.isdigit()) or head in _CORSICA) or not (
        rest.isascii() and rest.isdigit()
    ):
        raise InvalidValueError(
            N_("{field} must be a département (two digits, or 2A or 2B) followed by digits"),
            field=field,
        )


def _luhn_key(number: str, field: str) -> None:
    if not luhn.is_valid(number):
        raise InvalidValueError(
            N_("{field} {value}: its check key (last digit) is wrong"), field=field, value=number
        )


def parse_finess(value: object, *, field: str = "finess") -> str:
    """Nine characters: the département (two digits, 2A or 2B), six digits, a Luhn key. The key
    of a Corsican number is not checked (see `docs/identifiers.md`)."""
    number = _compact(value, field)
    _length(number, 9, field)
    _department_then_digits(number, field)
    if number[:2] not in _FINESS_DEPARTMENTS:
        raise InvalidValueError(
            N_("{field} {value}: {department} is no département (01 to 95, 2A, 2B, 97 or 98)"),
            field=field,
            value=number,
            department=number[:2],
        )
    if number[:2] not in _CORSICA:
        _luhn_key(number, field)
    return number


def parse_siret(value: object, *, field: str = "siret") -> str:
    """Fourteen digits: the SIREN (nine, with its Luhn key) and the establishment's NIC, the
    whole with a Luhn key (La Poste's establishments excepted) — `stdnum.fr.siret`."""
    number = _compact(value, field)
    _length(number, 14, field)
    _digits(number, field)
    try:
        stdnum_siret.validate(number)
    except (InvalidChecksum, InvalidComponent):
        raise InvalidValueError(
            N_("{field} {value}: its check key (last digit) is wrong"), field=field, value=number
        ) from None
    except ValidationError:  # length and digits were checked above: any other refusal
        raise InvalidValueError(N_("{field} is not a valid SIRET"), field=field) from None
    return number


def parse_rpps(value: object, *, field: str = "rpps") -> str:
    """Eleven digits, the last a Luhn key."""
    number = _compact(value, field)
    _length(number, 11, field)
    _digits(number, field)
    _luhn_key(number, field)
    return number


def parse_adeli(value: object, *, field: str = "adeli") -> str:
    """Nine characters: the département (two digits, 2A or 2B) and seven digits (profession,
    order number). No check key is checked: none is published that we could rely on."""
    number = _compact(value, field)
    _length(number, 9, field)
    _department_then_digits(number, field)
    return number


PARSERS: Mapping[Scheme, Callable[..., str]] = {
    Scheme.FINESS: parse_finess,
    Scheme.SIRET: parse_siret,
    Scheme.RPPS: parse_rpps,
    Scheme.ADELI: parse_adeli,
}


def parse_identifier(scheme: Scheme, value: object, *, field: str | None = None) -> str:
    """`value` as a valid number of `scheme`, or refused naming `field` (default: the scheme)."""
    return PARSERS[scheme](value, field=field or scheme.value)


def parse_identifiers(
    values: Mapping[str, object | None], schemes: tuple[Scheme, ...]
) -> dict[Scheme, str]:
    """The identifiers given (None: none of that scheme), each parsed under its field's name."""
    return {
        scheme: parse_identifier(scheme, values[scheme.value])
        for scheme in schemes
        if values.get(scheme.value) is not None
    }


def with_luhn_key(stem: str) -> str:
    """`stem` followed by its Luhn key (to build valid FINESS and RPPS numbers: demo, tests)."""
    return stem + luhn.calc_check_digit(stem)


# --- FHIR --------------------------------------------------------------------------------------

FR_CORE_IDENTIFIER_TYPES = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
ID_NAT_STRUCT = "urn:oid:1.2.250.1.71.4.2.2"  # idNat_Struct: national identifier of a structure
ID_NAT_PS = "urn:oid:1.2.250.1.71.4.2.1"  # idNat_PS: national identifier of a professional


@dataclass(frozen=True)
class FhirSystem:
    """How one scheme reads in FHIR (FR Core): `Identifier.system`, `Identifier.type` (a code
    of `FR_CORE_IDENTIFIER_TYPES`), and the national identifier built from it: `national_system`
    with the value `national_prefix + number` (FR Core's idNatSt / idNatPs slices)."""

    system: str
    type_code: str
    type_display: str
    national_system: str
    national_prefix: str
    national_type_code: str


FHIR_SYSTEMS: Mapping[Scheme, FhirSystem] = {
    # FINEG: a Maillage institution is a service on a site (an établissement, FINESS EG).
    Scheme.FINESS: FhirSystem(
        "https://finess.esante.gouv.fr", "FINEG", "FINESS d'entité géographique",
        ID_NAT_STRUCT, "1", "IDNST",
    ),
    Scheme.SIRET: FhirSystem(
        "https://sirene.fr", "SIRET", "Identification de l'organisation au SIRET",
        ID_NAT_STRUCT, "3", "IDNST",
    ),
    Scheme.RPPS: FhirSystem(
        "https://rpps.esante.gouv.fr", "RPPS", "N° RPPS", ID_NAT_PS, "8", "IDNPS",
    ),
    Scheme.ADELI: FhirSystem(
        "https://adeli.esante.gouv.fr", "ADELI", "N° ADELI", ID_NAT_PS, "0", "IDNPS",
    ),
}  # fmt: skip


@dataclass(frozen=True)
class FhirIdentifier:
    """One FHIR `Identifier` (use `official`): `system`, `value`, and its type's coding."""

    scheme: Scheme
    system: str
    value: str
    type_system: str
    type_code: str
    type_display: str

    def as_fhir(self) -> dict[str, object]:
        """The `Identifier` as FHIR JSON."""
        return {
            "use": "official",
            "type": {
                "coding": [
                    {"system": self.type_system, "code": self.type_code,
                     "display": self.type_display}
                ]
            },
            "system": self.system,
            "value": self.value,
        }  # fmt: skip


def fhir_identifiers(held: Mapping[Scheme, str], *, national: bool = True) -> list[FhirIdentifier]:
    """The FHIR identifiers of what an institution or a professional holds (`held`, e.g.
    `institution.identifiers`): per scheme its own system, then (`national`) the national
    identifier the ANS derives from the first one held (idNat_Struct: FINESS before SIRET;
    idNat_PS: RPPS before ADELI)."""
    found: list[FhirIdentifier] = []
    nationals: dict[str, FhirIdentifier] = {}
    for scheme in (*INSTITUTION_SCHEMES, *PROFESSIONAL_SCHEMES):
        number = held.get(scheme)
        if number is None:
            continue
        fhir = FHIR_SYSTEMS[scheme]
        found.append(
            FhirIdentifier(
                scheme, fhir.system, number,
                FR_CORE_IDENTIFIER_TYPES, fhir.type_code, fhir.type_display,
            )
        )  # fmt: skip
        nationals.setdefault(
            fhir.national_system,
            FhirIdentifier(
                scheme, fhir.national_system, fhir.national_prefix + number,
                FR_CORE_IDENTIFIER_TYPES, fhir.national_type_code,
                "Identifiant national de structure"
                if fhir.national_type_code == "IDNST"
                else "Identifiant National de Professionnel de Santé",
            ),
        )  # fmt: skip
    return found + (list(nationals.values()) if national else [])
