"""A case as one FHIR R4B `Bundle` (a `collection`): every resource the case's record gives
(`api.fhir.record`), each entry at `urn:uuid:<id>`, every reference one of those entries;
validated by `fhir.resources` before it is sent."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fhir.resources.R4B.bundle import Bundle

from api.fhir import acts, care, codes, consents, parties, referrals
from api.fhir.record import CaseRecord
from domain.values import Actor, ConsentGiver
from domain.wording import Wording
from projections.identifiers import Held
from projections.names import Names

Resource = dict[str, Any]
MEDIA_TYPE = "application/fhir+json"


def institution_ids(record: CaseRecord) -> list[UUID]:
    """Every institution the bundle names (an `Organization` each)."""
    found = [h.institution_id for h in record.holders]
    found += [m.participant.institution_id for m in record.members]
    found += [a.by.institution_id for a in record.acts]
    found += [r.by.institution_id for r in record.readings]
    for r in record.referrals:
        found += [r.by.institution_id, r.to_institution_id]
    for c in record.consents:
        found += [c.recorded_by.institution_id, *c.consent.recipients]
    found += [a.institution_id for a in _roles(record)]
    return list(dict.fromkeys(found))


def professional_ids(record: CaseRecord) -> list[UUID]:
    """Every professional the bundle names (a `Practitioner` each); not the client
    applications (a `Device` each: `client_actors`)."""
    found = [m.participant.professional_id for m in record.members]
    found += [a.by.professional_id for a in record.acts if not record.is_client(a.by)]
    found += [a.professional_id for a in _roles(record)]
    return list(dict.fromkeys(found))


def actors(record: CaseRecord) -> list[Actor]:
    """Everyone who acted on or read the case, each with the institution they acted for."""
    return list(dict.fromkeys([*(a.by for a in record.acts), *(r.by for r in record.readings)]))


def client_actors(record: CaseRecord) -> list[Actor]:
    """The client applications that acted or read (a `Device` each, owned by its
    institution), one per client."""
    found = {a.professional_id: a for a in reversed(actors(record)) if record.is_client(a)}
    return list(reversed(found.values()))


def _roles(record: CaseRecord) -> list[Actor]:
    """The professionals named with the institution they act for (a `PractitionerRole` each):
    the référent, the referrers, the readers (not the client applications)."""
    found = [record.coordinator] if record.coordinator is not None else []
    found += [r.by for r in record.referrals]
    found += [r.by for r in record.readings]
    return [a for a in dict.fromkeys(found) if not record.is_client(a)]


def bundle(
    record: CaseRecord,
    names: Names,
    at: datetime,
    words: Wording,
    numbers: tuple[Held, Held] = ({}, {}),
) -> Resource:
    """The bundle of the case as a JSON document (validated: `validated`); `numbers`: the
    national identifiers of its institutions and professionals
    (`projections.identifiers.registry_identifiers`)."""
    institutions, professionals = numbers
    consent_ids = {c.consent.consent_id for c in record.consents}
    resources: list[Resource] = [
        parties.patient(record),
        care.episode_of_care(record, words),
        care.care_team(record, words),
        *(
            parties.organization(i, names.institution(i), institutions.get(i))
            for i in institution_ids(record)
        ),
        *(
            parties.practitioner(p, names.professional(p), professionals.get(p))
            for p in professional_ids(record)
        ),
        *(parties.practitioner_role(a) for a in _roles(record)),
    ]
    for c in record.consents:
        if c.consent.giver != ConsentGiver.BENEFICIARY:
            resources.append(
                parties.representative(
                    record, c.consent.consent_id, c.consent.representative_name, words
                )
            )
        resources.append(consents.consent(record, c, at, words))
    for r in record.referrals:
        resources.append(referrals.service_request(record, r, consent_ids))
        resources.append(referrals.task(record, r, words))
    resources += [acts.provenance(record, a, consent_ids, words) for a in record.acts]
    resources += [
        parties.client_device(a, names.professional(a.professional_id))
        for a in client_actors(record)
    ]
    if record.readings:
        resources.append(parties.device())
        resources += [acts.audit_event(record, r, words) for r in record.readings]
    return {
        "resourceType": "Bundle",
        "id": codes.rid("Bundle", record.case_id, record.version, at.isoformat()),
        "meta": {"lastUpdated": at.isoformat()},
        "identifier": codes.identifier("case", record.case_id),
        "type": "collection",
        "timestamp": at.isoformat(),
        "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r} for r in resources],
    }


def validated(document: Resource) -> Bundle:
    """The document parsed by `fhir.resources` (R4B): a resource that breaks FHIR's structure
    fails here, before anything is sent."""
    return Bundle.model_validate(document)
