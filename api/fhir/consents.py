"""Each consent of the case as a FHIR `Consent` (R4 shape): who gave it (the person, or their
legal representative), the institutions it allows sharing with (`provision.actor`, as
information recipients), the categories of information (`provision.code`), its validity
(`provision.period`), in force or not (`status`)."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from api.fhir import codes
from api.fhir.care import period
from api.fhir.parties import organization_id, patient_id, representative_id
from api.fhir.record import CaseRecord, ConsentRecord
from domain.values import ConsentGiver
from domain.wording import Wording

Resource = dict[str, Any]


def consent_id(record: ConsentRecord) -> str:
    return codes.rid("Consent", record.consent.consent_id)


def consent(record: CaseRecord, given: ConsentRecord, at: datetime, words: Wording) -> Resource:
    c = given.consent
    giver = (
        codes.ref("Patient", patient_id(record.case_id))
        if c.giver == ConsentGiver.BENEFICIARY
        else codes.ref("RelatedPerson", representative_id(c.consent_id))
    )
    return {
        "resourceType": "Consent",
        "id": consent_id(given),
        "identifier": [codes.identifier("consent", c.consent_id)],
        "status": "active" if c.in_force_at(at) else "inactive",
        "scope": {"coding": [{"system": codes.CONSENT_SCOPE, "code": "patient-privacy"}]},
        "category": [
            {"coding": [{"system": codes.LOINC, "code": "59284-0", "display": "Patient Consent"}]},
            codes.concept("consent_giver", c.giver, words),
        ],
        "patient": codes.ref("Patient", patient_id(record.case_id)),
        "dateTime": c.given_at.isoformat(),
        "performer": [giver],
        "organization": [
            codes.ref("Organization", organization_id(given.recorded_by.institution_id))
        ],
        "policyRule": {"coding": [{"system": codes.ACT_CODE, "code": "OPTIN"}]},
        "provision": {
            "type": "permit",
            "period": period(c.given_at, _ends(c.valid_until, c.withdrawn_at)),
            "actor": [
                {
                    "role": {"coding": [{"system": codes.PARTICIPATION, "code": "IRCP"}]},
                    "reference": codes.ref("Organization", organization_id(i)),
                }
                for i in c.recipients
            ],
            "action": [{"coding": [{"system": codes.CONSENT_ACTION, "code": "disclose"}]}],
            "code": [codes.concept("information_category", k, words) for k in c.categories],
        },
    }


def _ends(valid_until: Any, withdrawn_at: datetime | None) -> datetime | None:
    """When it stops allowing: withdrawn, or the end of its last valid day, whichever first."""
    until = datetime.combine(valid_until, time.max, tzinfo=UTC) if valid_until is not None else None
    ends = [e for e in (until, withdrawn_at) if e is not None]
    return min(ends) if ends else None
