"""A beneficiary's rights, exercised by a data-protection officer: access and portability (the
export of everything held, read from the log), rectification of the identity. Erasure is in
`domain.usecases.erasure`; who may do any of them, in `domain.access_rights`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cache
from typing import ClassVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.access import Admission, Principal
from domain.access_rights import check_rights_officer
from domain.case import Case
from domain.delegation import Delegation
from domain.errors import NotFoundError
from domain.event_classes import CaseContentRead
from domain.institution import Institution
from domain.network import Network
from domain.partnership import Partnership
from domain.personal_data import PersonalDataExport
from domain.professional import Professional
from domain.usecases.base import Recorded, UseCaseBase


class RightsUseCases(UseCaseBase):
    def authorise_rights(self, principal: Principal, case_id: UUID, admission: Admission) -> Case:
        """Load the case and refuse unless `principal` may exercise the person's rights on it
        (`admission`: which one): a data-protection officer of an institution that holds it or
        is or was involved in it. Unknown ids are 404s, but only for an admitted role."""
        admission.check(principal)
        case = self.load(Case, case_id, field="case_id")
        institution = principal.institution_id
        involved = institution is not None and case.was_involved(institution)
        check_rights_officer(principal, admission, involved)
        return case

    def rectify_identity(
        self,
        *,
        case_id: UUID,
        requested_by: str,
        institution_id: UUID,
        reason: str,
        first_name: str | None = None,
        last_name: str | None = None,
        birth_date: date | None = None,
    ) -> Recorded:
        """Record the rectified identity (RGPD art. 16); the previous one stays sealed in the
        event under the person's key."""
        at = self.time.now()

        def decide() -> list[Case]:
            case = self.load(Case, case_id, field="case_id")
            case.rectify_identity(
                first_name=first_name,
                last_name=last_name,
                birth_date=birth_date,
                reason=reason,
                requested_by=requested_by,
                institution_id=institution_id,
                occurred_at=at,
            )
            return [case]

        return self.execute(decide, lock=case_id)

    def personal_data(
        self, case_id: UUID, readings: Iterable[UUID], *, principal: Principal
    ) -> PersonalDataExport:
        """Everything held about the case's beneficiary, from the log: the case's events with
        their personal fields opened (`[erased]` once the key is destroyed), and the readings
        `readings` names (consultation ids; those of another case are left out)."""
        mapper = self.read_mapper
        events = [
            mapper.opened(mapper.to_domain_event(stored))
            for stored in self.recorder.select_events(case_id)
        ]
        if not events:
            raise NotFoundError("case", case_id, field="case_id")
        read: list[CaseContentRead] = []
        for consultation_id in dict.fromkeys(readings):
            for stored in self.recorder.select_events(consultation_id, limit=1):
                event = mapper.to_domain_event(stored)
                if isinstance(event, CaseContentRead) and event.case_id == case_id:
                    read.append(event)
        return PersonalDataExport.of(
            events,
            read,
            exported_by=principal.actor,
            exported_at=self.time.now(),
            name=cache(self._name),
        )

    _KINDS: ClassVar[dict[str, type[Aggregate]]] = {
        "institution": Institution,
        "professional": Professional,
        "partnership": Partnership,
        "network": Network,
        "delegation": Delegation,
    }

    def _name(self, kind: str, ident: UUID) -> str | None:
        """The current name of a registry record, from its aggregate (None if unknown)."""
        try:
            record: Aggregate = self.load(self._KINDS[kind], ident)
        except NotFoundError:
            return None
        if isinstance(record, Partnership):
            return str(record.title)
        if isinstance(record, Delegation):
            professional = self._name("professional", record.professional_id)
            institution = self._name("institution", record.institution_id)
            return f"{professional} ({institution})"
        return str(getattr(record, "name", "")) or None
