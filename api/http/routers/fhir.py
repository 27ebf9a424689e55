"""A case as FHIR (R4B, `api.fhir`): `GET /cases/{id}/fhir` answers one `Bundle` mapping the
case to Patient, Organization, Practitioner(Role), EpisodeOfCare, CareTeam, Consent,
Provenance, ServiceRequest/Task — and, for a reader who may audit the case, an AuditEvent per
reading of its content.

The same rules as reading the case's file: admitted by `CASE_ADMISSIONS[CaseUse.READ]`, the
reading recorded (view `fhir`, with its declared purpose) before anything is read or sent.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Query, Response

from api.fhir.bundle import MEDIA_TYPE, bundle, validated
from api.fhir.source import case_record, names_of, numbers_of
from api.http.deps import ConnectionDep, MaillageDep, PrincipalDep, ProjectionsDep, WordsDep
from api.http.guard import GuardedRoute, admits
from api.http.params import Purpose, wait_for_read_side
from domain.access import CASE_ADMISSIONS, CaseUse
from projections import queries

router = APIRouter(tags=["views"], route_class=GuardedRoute)
VIEW = "fhir"
# The readings of a case (who read it, when, why) are its audit: shown to those who may audit it.
AUDITORS = CASE_ADMISSIONS[CaseUse.AUDIT].roles

Format = Annotated[
    Literal["json", "application/json", "application/fhir+json"] | None,
    Query(
        alias="_format",
        description="FHIR's `_format`: JSON only (`json`, `application/fhir+json`).",
    ),
]
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {MEDIA_TYPE: {"schema": {"type": "object"}}},
        "description": "A FHIR R4B Bundle (`type: collection`); see docs/fhir-mapping.md.",
    }
}


@router.get(
    "/cases/{case_id}/fhir",
    response_class=Response,
    responses=RESPONSES,
    summary="The case as a FHIR R4B Bundle (recorded with your purpose)",
)
@admits(CASE_ADMISSIONS[CaseUse.READ])
def case_fhir(
    case_id: UUID,
    purpose: Purpose,
    principal: PrincipalDep,
    maillage: MaillageDep,
    conn: ConnectionDep,
    projections: ProjectionsDep,
    words: WordsDep,
    format: Format = None,
) -> Response:
    case = maillage.authorise_case(principal, case_id, CaseUse.READ)
    reading = maillage.record_consultation(
        case_id=case_id, principal=principal, view=VIEW, purpose=purpose.value
    )
    readings: list[UUID] = []
    if principal.role in AUDITORS:
        # Found through the audit trail once it holds this reading, then read from the log.
        position = reading.position if reading.position is not None else projections.head()
        wait_for_read_side(projections, position)
        readings = [*queries.case_readings(conn, case_id), reading.id]
    at = maillage.time.now()
    record = case_record(maillage, case, readings, at=at)
    numbers = numbers_of(conn, record)
    document = validated(bundle(record, names_of(conn, record), at, words, numbers))
    return Response(
        document.model_dump_json(exclude_none=True, by_alias=True), media_type=MEDIA_TYPE
    )
