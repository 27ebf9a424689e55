"""Who the bundle speaks of: the beneficiary (`Patient`), the institutions (`Organization`),
the professionals (`Practitioner`), each professional acting for an institution
(`PractitionerRole`), a legal representative who gave a consent (`RelatedPerson`), the client
applications that read or acted (software: a `Device` each, owned by its institution) and
Maillage itself, which observed the readings (`Device`).

The Patient shows what the case's file shows its reader (names and birth date); once the person
is erased, nothing personal: an id, and the case it is known by.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from api.fhir import codes
from api.fhir.record import CaseRecord
from domain.identifiers import Scheme
from domain.values import Actor
from domain.wording import Wording

Resource = dict[str, Any]


def patient_id(case_id: UUID) -> str:
    return codes.rid("Patient", case_id)


def organization_id(institution_id: UUID) -> str:
    return codes.rid("Organization", institution_id)


def practitioner_id(professional_id: UUID) -> str:
    return codes.rid("Practitioner", professional_id)


def role_id(actor: Actor) -> str:
    return codes.rid("PractitionerRole", actor.professional_id, actor.institution_id)


DEVICE_ID = codes.rid("Device", "maillage")


def patient(record: CaseRecord) -> Resource:
    resource: Resource = {
        "resourceType": "Patient",
        "id": patient_id(record.case_id),
        "identifier": codes.patient_identifiers(record.case_id),
    }
    if record.erased:
        return resource
    resource["name"] = [
        {"use": "official", "family": record.last_name, "given": [record.first_name]}
    ]
    if record.birth_date is not None:
        resource["birthDate"] = record.birth_date.isoformat()
    return resource


def organization(
    institution_id: UUID, name: str | None, held: Mapping[Scheme, str] | None = None
) -> Resource:
    resource: Resource = {
        "resourceType": "Organization",
        "id": organization_id(institution_id),
        "identifier": codes.institution_identifiers(institution_id, held),
        "active": True,
    }
    if name:
        resource["name"] = name
    return resource


def practitioner(
    professional_id: UUID, name: str | None, held: Mapping[Scheme, str] | None = None
) -> Resource:
    resource: Resource = {
        "resourceType": "Practitioner",
        "id": practitioner_id(professional_id),
        "identifier": codes.professional_identifiers(professional_id, held),
    }
    if name:
        resource["name"] = [{"text": name}]
    return resource


def practitioner_role(actor: Actor) -> Resource:
    """A professional acting for an institution: the reader of an `AuditEvent`, the référent
    of the `EpisodeOfCare`, the requester of a referral."""
    return {
        "resourceType": "PractitionerRole",
        "id": role_id(actor),
        "practitioner": codes.ref("Practitioner", practitioner_id(actor.professional_id)),
        "organization": codes.ref("Organization", organization_id(actor.institution_id)),
    }


def representative_id(consent_id: UUID) -> str:
    return codes.rid("RelatedPerson", consent_id)


def representative(
    record: CaseRecord, consent_id: UUID, name: str | None, words: Wording
) -> Resource:
    """The legal representative who gave a consent (their name as the file shows it)."""
    resource: Resource = {
        "resourceType": "RelatedPerson",
        "id": representative_id(consent_id),
        "patient": codes.ref("Patient", patient_id(record.case_id)),
        "relationship": [codes.concept("consent_giver", "legal_representative", words)],
    }
    if name and not record.erased:
        resource["name"] = [{"text": name}]
    return resource


def client_id(client: UUID) -> str:
    return codes.rid("Device", "client", client)


def client_device(actor: Actor, name: str | None) -> Resource:
    """A client application of an institution (its `professional_id` is the client's id):
    software, who read or acted — never a person."""
    return {
        "resourceType": "Device",
        "id": client_id(actor.professional_id),
        "identifier": [codes.identifier("client", actor.professional_id)],
        "deviceName": [{"name": name or str(actor.professional_id), "type": "user-friendly-name"}],
        "owner": codes.ref("Organization", organization_id(actor.institution_id)),
    }


def device() -> Resource:
    """Maillage, the system that records the readings (`AuditEvent.source.observer`)."""
    return {
        "resourceType": "Device",
        "id": DEVICE_ID,
        "deviceName": [{"name": "Maillage", "type": "user-friendly-name"}],
    }
