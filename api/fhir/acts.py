"""What was done and what was read: one `Provenance` per act of the case (its professional,
the institution acted for, and the basis — delegation, convention, network, case holder — as
its policy), one `AuditEvent` per reading of the case's content (who, for which institution,
when, why, which view)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.fhir import codes
from api.fhir.care import episode_id
from api.fhir.parties import (
    DEVICE_ID,
    client_id,
    organization_id,
    patient_id,
    practitioner_id,
    role_id,
)
from api.fhir.record import Act, CaseRecord, Reading
from api.fhir.referrals import request_id, task_id
from domain.values import Actor
from domain.wording import Wording

Resource = dict[str, Any]


def provenance(record: CaseRecord, act: Act, consents: set[UUID], words: Wording) -> Resource:
    kind, ref_id = str(act.basis.kind), act.basis.ref_id
    activity = [codes.coding("case_event", act.event, words)]
    if act.action_kind is not None:
        activity.append(codes.coding("action_kind", act.action_kind, words))
    resource: Resource = {
        "resourceType": "Provenance",
        "id": codes.rid("Provenance", record.case_id, act.version),
        "extension": [codes.basis_extension(kind, ref_id, words)],
        "target": [_target(record, act, consents)],
        "occurredDateTime": act.occurred_at.isoformat(),
        "recorded": act.recorded_at.isoformat(),
        "activity": {"coding": activity},
        "agent": [
            {
                "type": {"coding": [{"system": codes.PARTICIPANT_TYPE, "code": "performer"}]},
                "who": _who(record, act.by, "Practitioner"),
                "onBehalfOf": codes.ref("Organization", organization_id(act.by.institution_id)),
            }
        ],
        "entity": [
            {
                "role": "source",
                "what": {
                    "identifier": codes.identifier("event", f"{record.case_id}/{act.version}")
                },
            }
        ],
    }
    policy = codes.basis_uri(kind, ref_id)
    if policy is not None:
        resource["policy"] = [policy]
    return resource


def _target(record: CaseRecord, act: Act, consents: set[UUID]) -> dict[str, str]:
    """The resource the act made or changed: a consent, a referral (made: its request;
    answered: its task), else the episode of care."""
    if act.consent_id is not None and act.consent_id in consents:
        return codes.ref("Consent", codes.rid("Consent", act.consent_id))
    if act.referral_id is not None:
        if act.event == "ReferralMade":
            return codes.ref("ServiceRequest", request_id(act.referral_id))
        return codes.ref("Task", task_id(act.referral_id))
    return codes.ref("EpisodeOfCare", episode_id(record))


def audit_event(record: CaseRecord, reading: Reading, words: Wording) -> Resource:
    purpose = str(reading.purpose)
    hl7 = codes.PURPOSE_OF_USE.get(purpose)
    purposes = [codes.coding("read_purpose", purpose, words)]
    if hl7 is not None:
        purposes.append({"system": codes.ACT_REASON, "code": hl7[0], "display": hl7[1]})
    return {
        "resourceType": "AuditEvent",
        "id": codes.rid("AuditEvent", reading.consultation_id),
        "type": {"system": codes.DICOM, "code": "110110", "display": "Patient Record"},
        "subtype": [{"system": codes.RESTFUL, "code": "read", "display": "read"}],
        "action": "R",
        "recorded": reading.recorded_at.isoformat(),
        "period": {
            "start": reading.occurred_at.isoformat(),
            "end": reading.occurred_at.isoformat(),
        },
        "outcome": "0",
        "purposeOfEvent": [{"coding": purposes}],
        "agent": [
            {
                "role": [codes.concept("role", reading.role, words)],
                # a PractitionerRole: the professional, and the institution read for; a
                # client application's reading: its Device (software, not a person)
                "who": _who(record, reading.by, "PractitionerRole"),
                "requestor": True,
                "purposeOfUse": [{"coding": purposes}],
            }
        ],
        "source": {"observer": codes.ref("Device", DEVICE_ID)},
        "entity": [
            {
                "what": codes.ref("Patient", patient_id(record.case_id)),
                "role": {
                    "system": "http://terminology.hl7.org/CodeSystem/object-role",
                    "code": "1",
                    "display": "Patient",
                },
            },
            {
                "what": codes.ref("EpisodeOfCare", episode_id(record)),
                "detail": [{"type": "view", "valueString": str(reading.view)}],
                "name": label_of_view(reading.view, words),
            },
        ],
        "extension": [
            {
                "url": f"{codes.CANONICAL}/StructureDefinition/consultation",
                "valueIdentifier": codes.identifier("consultation", reading.consultation_id),
            }
        ],
    }


def _who(record: CaseRecord, by: Actor, person: str) -> dict[str, str]:
    """Who acted or read: a client application's `Device`, else the professional
    (`Practitioner`) or the professional for their institution (`PractitionerRole`)."""
    if record.is_client(by):
        return codes.ref("Device", client_id(by.professional_id))
    if person == "Practitioner":
        return codes.ref("Practitioner", practitioner_id(by.professional_id))
    return codes.ref("PractitionerRole", role_id(by))


def label_of_view(view: str, words: Wording) -> str:
    return str(codes.coding("case_view", view, words)["display"])
