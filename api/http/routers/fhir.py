"""A case as FHIR (R4B, `api.fhir`): `GET /cases/{id}/fhir` answers one `Bundle` mapping the
case to Patient, Organization, Practitioner(Role), EpisodeOfCare, CareTeam, Consent,
Provenance, ServiceRequest/Task — and, for a reader who may audit the case, an AuditEvent per
reading of its content.

The same rules as reading the case's file: admitted by `CASE_ADMISSIONS[CaseUse.READ]`, the
reading recorded (view `fhir`, with its declared purpose) before anything is read or sent.
"""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Header, Query, Response

from api.fhir.bundle import MEDIA_TYPE, bundle, validated
from api.fhir.source import case_record, names_of, numbers_of, with_clients
from api.http.deps import ConnectionDep, MaillageDep, PrincipalDep, ProjectionsDep, WordsDep
from api.http.guard import GuardedRoute, admits
from api.http.params import Purpose, wait_for_read_side
from api.http.problem_document import PROBLEM_JSON, Problem
from api.http.problems import PreconditionError
from domain.access import CASE_ADMISSIONS, CaseUse
from domain.wording import N_
from projections import queries

router = APIRouter(tags=["views"], route_class=GuardedRoute)
VIEW = "fhir"
# The readings of a case (who read it, when, why) are its audit: shown to those who may audit it.
AUDITORS = CASE_ADMISSIONS[CaseUse.AUDIT].roles

Format = Annotated[
    str | None,
    Query(
        alias="_format",
        description="FHIR's `_format`, JSON only (`json`, `application/fhir+json`, "
        "`application/json`); any other is 406. Given, it overrides `Accept`.",
    ),
]
# What FHIR's REST API calls JSON (`_format`), and the media ranges that let JSON in (`Accept`).
JSON_FORMATS = frozenset({"json", "application/json", "application/fhir+json"})
JSON_RANGES = JSON_FORMATS - {"json"} | {"*/*", "application/*"}
NOT_JSON = N_(
    "this view is served as JSON only (application/fhir+json): {asked} is not served; "
    "ask for _format=json or Accept: application/fhir+json"
)
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {MEDIA_TYPE: {"schema": {"type": "object"}}},
        "description": "A FHIR R4B Bundle (`type: collection`); see docs/fhir-mapping.md.",
    },
    406: {
        "model": Problem,
        "content": {PROBLEM_JSON: {}},
        "description": "`_format` or `Accept` asks for something other than JSON "
        "(`format-not-acceptable`).",
    },
}


def check_format(asked: str | None, accept: str | None) -> None:
    """JSON, or 406: `_format` if given (FHIR: it overrides `Accept`), else `Accept` must let
    JSON in (a range of JSON, `application/*` or `*/*` with q > 0; none at all is JSON)."""
    if asked is not None:
        if asked.strip().lower() not in JSON_FORMATS:
            raise PreconditionError(
                406, "format-not-acceptable", NOT_JSON, "query._format", details={"asked": asked}
            )
        return
    if accept is None or not accept.strip():
        return
    for item in accept.split(","):
        media, *params = (part.strip().lower() for part in item.split(";"))
        if media in JSON_RANGES and not any(p.replace(" ", "") in _NONE for p in params):
            return
    raise PreconditionError(
        406, "format-not-acceptable", NOT_JSON, "header.Accept", details={"asked": accept}
    )


_NONE = {"q=0", "q=0.0", "q=0.00", "q=0.000"}


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
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    check_format(format, accept)
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
    record = with_clients(conn, case_record(maillage, case, readings, at=at))
    numbers = numbers_of(conn, record)
    document = validated(bundle(record, names_of(conn, record), at, words, numbers))
    return Response(
        document.model_dump_json(exclude_none=True, by_alias=True), media_type=MEDIA_TYPE
    )
