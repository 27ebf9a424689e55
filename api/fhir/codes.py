"""The code systems, identifier systems and references of Maillage's FHIR view.

Where a standard code fits it is used (HL7 terminology, SNOMED CT, LOINC, DICOM); Maillage's own
codes — bases, acts, roles, purposes, categories — are published under `CANONICAL`, one
CodeSystem per family (`docs/fhir-mapping.md` lists them). Codes are the stable English codes of
the API; their displays are the labels of `domain.labels`, in the reader's language.

Identifiers: ONE function per kind of resource builds its `identifier` list
(`institution_identifiers`, `professional_identifiers`, …): the Maillage id, then the national
numbers the registry holds (FINESS, SIRET for an institution; RPPS or ADELI for a professional)
with their FR Core systems and the national identifier derived from them
(`domain.identifiers.fhir_identifiers`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID, uuid5

from domain.identifiers import Scheme, fhir_identifiers
from domain.labels import LABELS, label
from domain.wording import Wording

# Maillage's canonical base: its code systems, identifier systems and extensions live under it.
CANONICAL = "https://maillage.example/fhir"
NAMESPACE = UUID("6f0d5f7e-3b1e-5c2a-9d7a-2f4b8c1e0a19")  # resource ids: uuid5(NAMESPACE, …)

# Maillage's code systems (family -> URL); the family is a `domain.labels` family.
SYSTEMS = {
    "basis_kind": f"{CANONICAL}/CodeSystem/basis-kind",
    "case_event": f"{CANONICAL}/CodeSystem/case-event",
    "action_kind": f"{CANONICAL}/CodeSystem/action-kind",
    "role": f"{CANONICAL}/CodeSystem/role",
    "read_purpose": f"{CANONICAL}/CodeSystem/read-purpose",
    "case_view": f"{CANONICAL}/CodeSystem/case-view",
    "information_category": f"{CANONICAL}/CodeSystem/information-category",
    "legal_framework": f"{CANONICAL}/CodeSystem/legal-framework",
    "consent_giver": f"{CANONICAL}/CodeSystem/consent-giver",
    "referral_status": f"{CANONICAL}/CodeSystem/referral-status",
}
# Identifier systems of Maillage's own ids.
ID_SYSTEMS = {
    "case": f"{CANONICAL}/sid/case",
    "institution": f"{CANONICAL}/sid/institution",
    "professional": f"{CANONICAL}/sid/professional",
    "client": f"{CANONICAL}/sid/client-id",  # a client application (a Device)
    "consent": f"{CANONICAL}/sid/consent",
    "referral": f"{CANONICAL}/sid/referral",
    "consultation": f"{CANONICAL}/sid/consultation",
    "event": f"{CANONICAL}/sid/case-event",  # "<case id>/<version>"
}
# Extensions of Maillage's own.
BASIS_EXTENSION = f"{CANONICAL}/StructureDefinition/basis"  # kind (Coding), ref (uri)
HOLDER_EXTENSION = f"{CANONICAL}/StructureDefinition/holder"  # institution, period
# A basis's reference as a URI (`Provenance.policy`): `{BASIS_URI}/<kind>/<id>`.
BASIS_URI = f"{CANONICAL}/basis"

# Standard systems.
PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
ACT_REASON = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
CONSENT_ACTION = "http://terminology.hl7.org/CodeSystem/consentaction"
TASK_CODE = "http://hl7.org/fhir/CodeSystem/task-code"
DICOM = "http://dicom.nema.org/resources/ontology/DCM"
RESTFUL = "http://hl7.org/fhir/restful-interaction"
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"

# A reading's purpose as the HL7 purpose of use it is closest to (v3-ActReason).
PURPOSE_OF_USE = {
    "follow_up": ("TREAT", "treatment"),
    "coordination": ("COC", "coordination of care"),
    "supervision": ("HOPERAT", "healthcare operations"),
    "audit": ("HOPERAT", "healthcare operations"),
    "legal_request": ("LEGAL", "legal"),
    "emergency": ("ETREAT", "Emergency Treatment"),
}


def rid(kind: str, *parts: object) -> str:
    """A resource's id, the same at every reading: derived from what it stands for."""
    return str(uuid5(NAMESPACE, "/".join([kind, *map(str, parts)])))


def ref(resource_type: str, resource_id: str) -> dict[str, str]:
    """A reference to a resource of the bundle (its `fullUrl`)."""
    return {"reference": f"urn:uuid:{resource_id}", "type": resource_type}


def coding(family: str, code: object, words: Wording) -> dict[str, Any]:
    """A Maillage code of `family`, displayed in the reader's language (the event types of a
    case have no label: their code, the event's name, is shown as it is)."""
    found = {"system": SYSTEMS[family], "code": str(code)}
    if family in LABELS:
        found["display"] = label(words, family, code)
    return found


def concept(family: str, code: object, words: Wording) -> dict[str, Any]:
    return {"coding": [coding(family, code, words)]}


def identifier(kind: str, value: object) -> dict[str, str]:
    return {"use": "official", "system": ID_SYSTEMS[kind], "value": str(value)}


# --- one function per kind of resource: where the national numbers are added ----------------


def institution_identifiers(
    institution_id: UUID, held: Mapping[Scheme, str] | None = None
) -> list[dict[str, Any]]:
    """An `Organization.identifier` list: the Maillage id, then the FINESS (and SIRET) numbers
    the institution holds (`held`) and the national structure identifier."""
    national = [i.as_fhir() for i in fhir_identifiers(held or {})]
    return [identifier("institution", institution_id), *national]


def professional_identifiers(
    professional_id: UUID, held: Mapping[Scheme, str] | None = None
) -> list[dict[str, Any]]:
    """A `Practitioner.identifier` list: the Maillage id, then the RPPS or ADELI number the
    professional holds (`held`) and the national professional identifier."""
    national = [i.as_fhir() for i in fhir_identifiers(held or {})]
    return [identifier("professional", professional_id), *national]


def patient_identifiers(case_id: UUID) -> list[dict[str, Any]]:
    """The beneficiary is known by their case (no national number: the NIR is not held)."""
    return [identifier("case", case_id)]


# --- a basis (delegation, convention, network, case holder, informal) ------------------------


def basis_uri(kind: str, ref_id: UUID | None) -> str | None:
    """The URI naming the delegation, convention, network or holding institution an act rests
    on (`Provenance.policy`); None for an informal act, which names none."""
    return f"{BASIS_URI}/{kind}/{ref_id}" if ref_id is not None else None


def basis_extension(kind: str, ref_id: UUID | None, words: Wording) -> dict[str, Any]:
    """The basis as an extension (`CareTeam.participant`, `Provenance`): its kind, and what
    it names."""
    parts: list[dict[str, Any]] = [
        {"url": "kind", "valueCoding": coding("basis_kind", kind, words)}
    ]
    uri = basis_uri(kind, ref_id)
    if uri is not None:
        parts.append({"url": "ref", "valueUri": uri})
    return {"url": BASIS_EXTENSION, "extension": parts}
