"""Each referral of the case as a `ServiceRequest` (what the referring institution asks of
another: to take part) and a `Task` (its handling by the receiving side, whose status follows
the referral's: requested, accepted, rejected, cancelled — or failed once unanswered past its
expiry). Maillage's own status is kept beside it (`Task.businessStatus`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from api.fhir import codes
from api.fhir.care import period
from api.fhir.parties import organization_id, patient_id, role_id
from api.fhir.record import CaseRecord, ReferralRecord
from domain.wording import Wording

Resource = dict[str, Any]

TASK_STATUS = {
    "pending": "requested",
    "accepted": "accepted",
    "declined": "rejected",
    "revoked": "cancelled",
    "expired": "failed",
}
REQUEST_STATUS = {
    "pending": "active",
    "accepted": "active",
    "declined": "revoked",
    "revoked": "revoked",
    "expired": "revoked",
}
REFERRAL = {"system": codes.SNOMED, "code": "3457005", "display": "Patient referral"}


def request_id(referral_id: UUID) -> str:
    return codes.rid("ServiceRequest", referral_id)


def task_id(referral_id: UUID) -> str:
    return codes.rid("Task", referral_id)


def service_request(record: CaseRecord, r: ReferralRecord, consents: set[UUID]) -> Resource:
    resource: Resource = {
        "resourceType": "ServiceRequest",
        "id": request_id(r.referral_id),
        "identifier": [codes.identifier("referral", r.referral_id)],
        "status": REQUEST_STATUS[r.status],
        "intent": "order",
        "code": {"coding": [REFERRAL]},
        "subject": codes.ref("Patient", patient_id(record.case_id)),
        "authoredOn": r.made_at.isoformat(),
        "requester": codes.ref("PractitionerRole", role_id(r.by)),
        "performer": [codes.ref("Organization", organization_id(r.to_institution_id))],
    }
    shared_under = [c for c in r.consent_ids if c in consents]
    if shared_under:  # the consents the referral shares under
        resource["supportingInfo"] = [
            codes.ref("Consent", codes.rid("Consent", c)) for c in shared_under
        ]
    return resource


def task(record: CaseRecord, r: ReferralRecord, words: Wording) -> Resource:
    resource: Resource = {
        "resourceType": "Task",
        "id": task_id(r.referral_id),
        "identifier": [codes.identifier("referral", r.referral_id)],
        "basedOn": [codes.ref("ServiceRequest", request_id(r.referral_id))],
        "status": TASK_STATUS[r.status],
        "businessStatus": codes.concept("referral_status", r.status, words),
        "intent": "order",
        "code": {"coding": [{"system": codes.TASK_CODE, "code": "fulfill"}]},
        "focus": codes.ref("ServiceRequest", request_id(r.referral_id)),
        "for": codes.ref("Patient", patient_id(record.case_id)),
        "authoredOn": r.made_at.isoformat(),
        "lastModified": (r.answered_at or r.made_at).isoformat(),
        "requester": codes.ref("PractitionerRole", role_id(r.by)),
        "owner": codes.ref("Organization", organization_id(r.to_institution_id)),
    }
    if r.expires_at is not None:  # unanswered by then, it expires
        resource["restriction"] = {"period": period(None, r.expires_at)}
    return resource
