"""The case as an `EpisodeOfCare` (its holder, its holders over time, its référent, its open
and closed periods) and the professionals on it as a `CareTeam` (each participant a
`Practitioner` acting `onBehalfOf` their institution, with their role, period and basis)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from api.fhir import codes
from api.fhir.parties import organization_id, patient_id, practitioner_id, role_id
from api.fhir.record import CaseRecord, Member
from domain.wording import Wording

Resource = dict[str, Any]


def episode_id(record: CaseRecord) -> str:
    return codes.rid("EpisodeOfCare", record.case_id)


def team_id(record: CaseRecord) -> str:
    return codes.rid("CareTeam", record.case_id)


def period(start: datetime | None, end: datetime | None = None) -> dict[str, str]:
    found: dict[str, str] = {}
    if start is not None:
        found["start"] = start.isoformat()
    if end is not None:
        found["end"] = end.isoformat()
    return found


def episode_of_care(record: CaseRecord, words: Wording) -> Resource:
    holder = codes.ref("Organization", organization_id(record.holder_institution_id))
    resource: Resource = {
        "resourceType": "EpisodeOfCare",
        "id": episode_id(record),
        "identifier": [codes.identifier("case", record.case_id)],
        "status": "finished" if record.closed_at is not None else "active",
        "statusHistory": [
            {"status": status, "period": period(start, end)}
            for status, start, end in record.status_history
        ],
        "type": [codes.concept("legal_framework", record.legal_framework, words)],
        "patient": codes.ref("Patient", patient_id(record.case_id)),
        "managingOrganization": holder,
        "period": period(record.opened_at, record.closed_at),
        "team": [codes.ref("CareTeam", team_id(record))],
        "extension": [
            {
                "url": codes.HOLDER_EXTENSION,
                "extension": [
                    {
                        "url": "institution",
                        "valueReference": codes.ref(
                            "Organization", organization_id(h.institution_id)
                        ),
                    },
                    {"url": "period", "valuePeriod": period(h.since, h.until)},
                ],
            }
            for h in record.holders
        ],
    }
    if record.coordinator is not None:
        resource["careManager"] = codes.ref("PractitionerRole", role_id(record.coordinator))
    return resource


def care_team(record: CaseRecord, words: Wording) -> Resource:
    return {
        "resourceType": "CareTeam",
        "id": team_id(record),
        "status": "inactive" if record.closed_at is not None else "active",
        "subject": codes.ref("Patient", patient_id(record.case_id)),
        "period": period(record.opened_at, record.closed_at),
        "managingOrganization": [
            codes.ref("Organization", organization_id(record.holder_institution_id))
        ],
        "participant": [_participant(m, words) for m in record.members],
    }


def _participant(member: Member, words: Wording) -> Resource:
    p = member.participant
    return {
        "extension": [codes.basis_extension(str(p.basis.kind), p.basis.ref_id, words)],
        "role": [{"text": p.role}],
        # a Practitioner, not a PractitionerRole: `onBehalfOf` is for a Practitioner (ctm-1)
        "member": codes.ref("Practitioner", practitioner_id(p.professional_id)),
        "onBehalfOf": codes.ref("Organization", organization_id(p.institution_id)),
        "period": period(member.joined_at, member.left_at),
    }
