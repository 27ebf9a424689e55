"""Reading what a case's FHIR view is made of, from the log: the case's events up to the
version its reader loaded, and the readings of its content (found through the audit trail's
index, then read from the log, as the export of the person's data does). Names are the
registry's current ones (`projections.names`), as every view shows them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from sqlalchemy import Connection

from api.fhir.bundle import actors, client_actors, institution_ids, professional_ids
from api.fhir.record import CaseRecord
from domain.application import Maillage
from domain.case import Case
from domain.event_classes import CaseContentRead
from projections.identifiers import Held, registry_identifiers
from projections.names import Names, client_ids, names


def case_record(
    maillage: Maillage, case: Case, readings: Iterable[UUID], *, at: datetime
) -> CaseRecord:
    """The record of `case` as loaded (sealed fields of its events left sealed), with the
    readings `readings` names (consultation ids; those of another case are left out)."""
    mapper = maillage.read_mapper
    stored = maillage.recorder.select_events(case.id, lte=case.version)
    events = [mapper.to_domain_event(s) for s in stored]
    read: list[CaseContentRead] = []
    for consultation_id in dict.fromkeys(readings):
        for s in maillage.recorder.select_events(consultation_id, limit=1):
            event = mapper.to_domain_event(s)
            if isinstance(event, CaseContentRead):
                read.append(event)
    return CaseRecord.of(case, events, read, at=at, referral_expiry=maillage.time.referral_expiry)


def with_clients(conn: Connection, record: CaseRecord) -> CaseRecord:
    """`record`, its client applications known: the actors the registry of client
    applications holds (an act or a reading by software), besides the readings it made."""
    ids = [a.professional_id for a in actors(record)]
    record.clients = record.clients | client_ids(conn, ids)
    return record


def names_of(conn: Connection, record: CaseRecord) -> Names:
    clients = [a.professional_id for a in client_actors(record)]
    return names(
        conn,
        institutions=institution_ids(record),
        professionals=[*professional_ids(record), *clients],
    )


def numbers_of(conn: Connection, record: CaseRecord) -> tuple[Held, Held]:
    """The national identifiers (FINESS, SIRET, RPPS, ADELI) of the bundle's institutions and
    professionals, as the registry's read model holds them."""
    return registry_identifiers(
        conn, institutions=institution_ids(record), professionals=professional_ids(record)
    )
