"""A realistic département, generated quickly through the domain's aggregates.

Institutions of every sector, their professionals, signed conventions between some of them,
and cases: each opened by a professional of its holding institution, joined by others (under a
delegation, a convention, or informally), with consents, interventions, shares, a coordinator,
meetings, sometimes a late consent withdrawal or a closing. Every event is produced by the
aggregates' own methods (so their rules hold); bases are chosen as the domain would decide them.
Aggregates are saved many at a time, which is what makes millions of events take minutes.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

from eventsourcing.domain import Aggregate

from domain.application import Maillage
from domain.case import BeneficiaryIdentity, Case
from domain.case_values import SharingAuthorisation
from domain.delegation import Delegation
from domain.institution import Institution
from domain.partnership import Partnership, PartyScope
from domain.privacy import keys_at_hand
from domain.professional import DelegationRef, Professional
from domain.values import ActionKind, Actor, Basis, BasisKind, InformationCategory

SECTORS = [
    ("social", "aemo_service"),
    ("social", "child_welfare"),
    ("social", "social_service"),
    ("health", "cmp"),
    ("health", "hospital"),
    ("education", "school"),
    ("medico_social", "medico_social_establishment"),
    ("justice", "court"),
    ("social", "association"),
]
ACTIONS = [
    ActionKind.HOME_VISIT,
    ActionKind.ASSESSMENT,
    ActionKind.CONSULTATION,
    ActionKind.EDUCATIONAL_SUPPORT,
    ActionKind.CARE,
    ActionKind.SCHOOL_SUPPORT,
]
CATEGORIES = [str(c) for c in InformationCategory]
START = date(2023, 1, 1)


@dataclass
class Department:
    institutions: list[UUID] = field(default_factory=list)
    staff: dict[UUID, list[UUID]] = field(default_factory=dict)  # institution -> professionals
    conventions: dict[frozenset[UUID], UUID] = field(default_factory=dict)
    cases: list[UUID] = field(default_factory=list)
    events: int = 0


class Generator:
    def __init__(
        self, app: Maillage, *, seed: int = 7, save_every: int = 2000, now: datetime | None = None
    ) -> None:
        self.app = app
        self.rng = random.Random(seed)
        self.save_every = save_every
        self.now = now or datetime.now(tz=UTC)
        self.pending: list[Aggregate] = []
        self.pending_events = 0
        self.dept = Department()
        self.delegated: dict[tuple[UUID, Actor], UUID] = {}

    # --- saving in bulk ---------------------------------------------------------------------

    def _keep(self, *aggregates: Aggregate) -> None:
        for aggregate in aggregates:
            self.pending_events += len(aggregate.pending_events)
        self.pending.extend(aggregates)
        if self.pending_events >= self.save_every:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            cases = [a.id for a in self.pending if isinstance(a, Case)]
            with keys_at_hand(self.app.keyring, cases):  # new cases' keys: one transaction
                self.app.save(*self.pending)
            self.dept.events += self.pending_events
        self.pending, self.pending_events = [], 0

    # --- the registry -----------------------------------------------------------------------

    def registry(self, institutions: int, professionals_each: int, conventions: int) -> None:
        for n in range(institutions):
            sector, kind = SECTORS[n % len(SECTORS)]
            institution = Institution.register(
                name=f"Institution {n}", sector=sector, kind=kind, department="68"
            )
            self.dept.institutions.append(institution.id)
            staff = []
            for m in range(professionals_each):
                professional = Professional.register(name=f"Pro {n}-{m}", profession=kind)
                professional.start_employment(
                    institution_id=institution.id, start=START, end=None, position=None
                )
                staff.append(professional.id)
                self._keep(professional)
            self.dept.staff[institution.id] = staff
            self._keep(institution)
        self.flush()
        by_id = {i: self.app.repository.get(i) for i in self.dept.institutions}
        for _ in range(conventions):
            a, b = self.rng.sample(self.dept.institutions, 2)
            if frozenset((a, b)) in self.dept.conventions:
                continue
            scope = [PartyScope.parse(x, [str(k) for k in ActionKind], CATEGORIES) for x in (a, b)]
            convention = Partnership.propose(
                kind="convention",
                title="Convention",
                origin="spontaneous",
                parties=[a, b],
                valid_from=START,
                scopes=scope,
            )
            for party in (a, b):
                convention.sign(institution_id=party, signed_on=START, signatory_id=None)
                by_id[party].enter_partnership(convention.id)
            self.dept.conventions[frozenset((a, b))] = convention.id
            self._keep(convention)
        self._keep(*by_id.values())
        self.flush()

    # --- cases ------------------------------------------------------------------------------

    def cases(self, count: int, events_each: int, progress: Callable[[int], None] | None) -> None:
        for n in range(count):
            self._case(events_each)
            if progress is not None and n % 100 == 99:
                progress(100)
        self.flush()

    def _actor(self, institution: UUID) -> Actor:
        return Actor(self.rng.choice(self.dept.staff[institution]), institution)

    def _case(self, events_each: int) -> None:
        rng = self.rng
        holder = rng.choice(self.dept.institutions)
        opener = self._actor(holder)
        at = self.now - timedelta(days=rng.randint(40, 900), minutes=rng.randint(0, 1440))
        case = Case.open(
            beneficiary=BeneficiaryIdentity("Prénom", f"Nom{rng.randint(0, 99999)}"),
            legal_framework=rng.choice(["administrative", "judicial", "voluntary"]),
            opened_by=opener,
            role="referent",
            occurred_at=at,
        )
        self.dept.cases.append(case.id)
        others = rng.sample([i for i in self.dept.institutions if i != holder], rng.randint(1, 4))
        actors = [opener]
        extra: list[Aggregate] = []
        for institution in others:
            at += timedelta(days=rng.randint(1, 10))
            actor = self._actor(institution)
            basis = self._basis(case, actor, at, extra)
            case.join(by=actor, role="intervenant", basis=basis, occurred_at=at)
            actors.append(actor)
        case.give_consent(
            consent_id=_uuid(rng),
            by=opener,
            basis=Basis(BasisKind.CASE_HOLDER, holder),
            giver="legal_representative",
            representative_name="Parent",
            recipients=others,
            categories=rng.sample(CATEGORIES, 2),
            valid_until=None,
            occurred_at=at,
        )
        coordinator = rng.choice(actors)
        case.designate_coordinator(
            by=opener,
            basis=Basis(BasisKind.CASE_HOLDER, holder),
            coordinator=coordinator,
            occurred_at=at,
        )
        remaining = max(events_each - len(case.pending_events), 0)
        for _ in range(remaining):
            at += timedelta(hours=rng.randint(2, 200))
            actor = rng.choice(actors)
            basis = self._basis(case, actor, at, extra)
            roll = rng.random()
            if roll < 0.8:
                case.record_intervention(
                    intervention_id=_uuid(rng),
                    by=actor,
                    basis=basis,
                    kind=str(rng.choice(ACTIONS)),
                    summary="Notes de suivi",
                    occurred_at=at,
                )
            elif roll < 0.95:
                to = rng.choice([a.institution_id for a in actors if a != actor] or [holder])
                if to == actor.institution_id:
                    continue
                consents = case.consents_covering(to, case.consents[0].categories[:1], at)
                authorisation = (
                    SharingAuthorisation(consent_ids=consents)
                    if consents
                    else SharingAuthorisation(ground=None, consent_ids=())
                )
                if not authorisation.consent_ids:
                    continue
                case.share_information(
                    share_id=_uuid(rng),
                    by=actor,
                    basis=basis,
                    recipient_institution_id=to,
                    recipient_professional_id=None,
                    categories=list(case.consents[0].categories[:1]),
                    authorisation=authorisation,
                    convention_id=self.dept.conventions.get(frozenset((actor.institution_id, to))),
                    summary=None,
                    occurred_at=at,
                )
            else:
                case.hold_coordination_meeting(
                    meeting_id=_uuid(rng),
                    by=coordinator,
                    basis=self._basis(case, coordinator, at, extra),
                    attendees=actors[:3],
                    decisions=["Suite du suivi"],
                    occurred_at=at,
                )
        self._keep(case, *extra)

    def _basis(self, case: Case, actor: Actor, at: datetime, extra: list[Aggregate]) -> Basis:
        """As `domain.basis` would decide, from what this generator knows."""
        if actor.institution_id == case.holder_institution_id:
            return Basis(BasisKind.CASE_HOLDER, actor.institution_id)
        convention = self.dept.conventions.get(
            frozenset((actor.institution_id, case.holder_institution_id))
        )
        if convention is not None:
            return Basis(BasisKind.CONVENTION, convention)
        key = (case.id, actor)
        if key in self.delegated:
            return Basis(BasisKind.DELEGATION, self.delegated[key])
        if self.rng.random() < 0.3:
            holder = self.app.repository.get(actor.professional_id)
            delegation = Delegation.grant(
                institution_id=actor.institution_id,
                holder=holder,
                scope=[str(k) for k in ActionKind],
                valid_from=START,
                valid_until=(self.now + timedelta(days=365)).date(),
                case_id=case.id,
            )
            extra.append(delegation)
            holder.hold_delegation(
                DelegationRef(delegation.id, actor.institution_id, case.id, None)
            )
            self.app.save(holder)
            self.dept.events += 1
            self.delegated[key] = delegation.id
            return Basis(BasisKind.DELEGATION, delegation.id)
        return Basis.informal()


def _uuid(rng: random.Random) -> UUID:
    return UUID(int=rng.getrandbits(128), version=4)


def generate(
    app: Maillage,
    *,
    cases: int,
    events_each: int = 10,
    institutions: int = 200,
    professionals_each: int = 10,
    conventions: int = 150,
    progress: Callable[[int], None] | None = None,
) -> Department:
    generator = Generator(app)
    generator.registry(institutions, professionals_each, conventions)
    generator.cases(cases, events_each, progress)
    return generator.dept
