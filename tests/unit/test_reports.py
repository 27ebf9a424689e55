"""Fundings, report periods, report figures, who may read them, and the network map's ties."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from domain.access import (
    Principal,
    Role,
)
from domain.access_reports import check_network_map_reader, check_report_reader
from domain.application import Maillage
from domain.errors import AccessDeniedError, FundingEndedError, InvalidValueError, NotFoundError
from domain.funding import FundedKind, Funding
from domain.network_map import Tie, network_map
from domain.reports import ActFact, CaseFact, Month, MonthRange, ReferralFact, Scope, compute_report
from tests.world import World, events_since, names, position

AT = datetime(2026, 4, 10, 10, tzinfo=UTC)
APRIL = MonthRange(Month(2026, 4), Month(2026, 4))


# --- fundings -----------------------------------------------------------------------------


def test_an_admin_records_a_funding_and_ends_it(app: Maillage, world: World) -> None:
    start = position(app)
    funding = app.grant_funding(
        funder_id=world.i("ase"),
        target_kind="institution",
        target_id=world.i("aemo"),
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
    ).id
    app.end_funding(funding_id=funding, ended_on=date(2026, 6, 30), reason="Budget")
    assert names(events_since(app, start)) == ["FundingGranted", "FundingEnded"]
    recorded = app.repository.get(funding)
    assert isinstance(recorded, Funding)
    assert recorded.last_day == date(2026, 6, 30)
    with pytest.raises(FundingEndedError):
        app.end_funding(funding_id=funding, ended_on=date(2026, 7, 31), reason="Again")


def test_a_funding_names_a_registered_target_of_its_kind(app: Maillage, world: World) -> None:
    with pytest.raises(NotFoundError) as found:
        app.grant_funding(
            funder_id=world.i("ase"),
            target_kind="partnership",
            target_id=world.i("aemo"),  # an institution, not a partnership
            valid_from=date(2026, 1, 1),
        )
    assert found.value.field == "target_id"
    with pytest.raises(InvalidValueError):
        app.grant_funding(
            funder_id=world.i("ase"),
            target_kind="institution",
            target_id=world.i("aemo"),
            valid_from=date(2026, 1, 1),
            valid_until=date(2025, 1, 1),
        )
    with pytest.raises(InvalidValueError):
        app.grant_funding(
            funder_id=world.i("ase"),
            target_kind="case",
            target_id=world.i("aemo"),
            valid_from=date(2026, 1, 1),
        )


# --- periods ------------------------------------------------------------------------------


def test_months_parse_and_periods_are_bounded() -> None:
    assert str(MonthRange(Month.parse("2025-11", field="from"), Month(2026, 2))) == (
        "2025-11 – 2026-02"
    )
    assert MonthRange(Month(2025, 11), Month(2026, 2)).months() == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    assert Month(2024, 2).last_day == date(2024, 2, 29)
    for wrong in ("2026-13", "2026-1", "26-01", "2026-00", "٢٠٢٦-01"):
        with pytest.raises(InvalidValueError):
            Month.parse(wrong, field="from")
    with pytest.raises(InvalidValueError):
        MonthRange(Month(2026, 2), Month(2026, 1))
    with pytest.raises(InvalidValueError):
        MonthRange(Month(2000, 1), Month(2026, 1))


# --- figures ------------------------------------------------------------------------------


def test_a_partnership_report_counts_the_beneficiaries_its_parties_follow_together() -> None:
    a, b, outsider = uuid4(), uuid4(), uuid4()
    pa, pb, po = uuid4(), uuid4(), uuid4()
    together, alone, earlier = uuid4(), uuid4(), uuid4()
    acts = [
        ActFact(together, AT, a, pa, "CaseOpened", "case_holder"),
        ActFact(together, AT, b, pb, "ParticipantJoined", "convention"),
        ActFact(together, AT, b, pb, "InterventionRecorded", "convention", "assessment"),
        ActFact(together, AT, outsider, po, "ParticipantJoined", "informal"),
        ActFact(alone, AT, a, pa, "InterventionRecorded", "case_holder", "home_visit"),
        # before the period: not counted
        ActFact(earlier, AT - timedelta(days=60), a, pa, "CaseOpened", "case_holder"),
        ActFact(earlier, AT - timedelta(days=60), b, pb, "ParticipantJoined", "convention"),
    ]
    cases = [
        CaseFact(together, AT, AT + timedelta(days=3)),
        CaseFact(alone, AT - timedelta(days=90), None),
    ]
    referrals = [
        ReferralFact(uuid4(), together, a, pa, AT, "accepted"),
        ReferralFact(uuid4(), alone, a, pa, AT, "pending"),  # not a shared beneficiary
    ]
    scope = Scope(FundedKind.PARTNERSHIP, uuid4(), "Convention", institutions=frozenset({a, b}))
    report = compute_report(scope, APRIL, acts, cases, referrals, min_cell=1)

    def cells(name: str) -> dict[str, int | None]:
        return {c.label: c.value for c in report.line(name).cells if c.value}

    assert report.line("beneficiaries").total.value == 1
    assert cells("beneficiaries") == {"newly opened": 1}
    assert cells("institutions_per_beneficiary") == {"3": 1}  # the outsider counts here
    assert cells("interventions_by_kind") == {"assessment": 1}
    assert cells("actions_by_basis") == {"case_holder": 1, "convention": 2}
    assert report.line("actions_by_basis").cells[2].share == pytest.approx(2 / 3, abs=1e-4)
    assert cells("referrals") == {"accepted": 1}
    assert report.median_days_to_first_meeting == 3.0

    institution = Scope(FundedKind.INSTITUTION, a, "A", institutions=frozenset({a}))
    alone_report = compute_report(institution, APRIL, acts, cases, referrals, min_cell=1)
    assert alone_report.line("beneficiaries").total.value == 2
    assert {c.label: c.value for c in alone_report.line("beneficiaries").cells} == {
        "newly opened": 1,
        "already open": 1,
    }
    assert {c.label: c.value for c in alone_report.line("referrals").cells} == {
        "accepted": 1,
        "declined": 0,
        "revoked": 0,  # a referral revoked before an answer (issue 17)
        "pending": 1,
    }

    protected = compute_report(scope, APRIL, acts, cases, referrals, min_cell=5)
    assert protected.line("beneficiaries").total.value is None
    assert protected.median_days_to_first_meeting is None
    assert protected.median_suppressed is True


# --- who reads ----------------------------------------------------------------------------


def test_a_funder_reads_the_report_of_what_it_funds_over_the_funded_period_only() -> None:
    funder_inst, aemo = uuid4(), uuid4()
    funder = Principal(uuid4(), Role.FUNDER, funder_inst)
    funded = [(date(2026, 1, 15), date(2026, 6, 30))]
    check_report_reader(funder, {aemo}, funded, date(2026, 1, 1), date(2026, 6, 30))
    check_report_reader(funder, {aemo}, funded, date(2026, 3, 1), date(2026, 3, 31))
    for first, last in (
        (date(2025, 12, 1), date(2026, 3, 31)),
        (date(2026, 6, 1), date(2026, 7, 31)),
    ):
        with pytest.raises(AccessDeniedError, match="funded period"):
            check_report_reader(funder, {aemo}, funded, first, last)
    with pytest.raises(AccessDeniedError):  # funds nothing here
        check_report_reader(funder, {aemo}, [], date(2026, 3, 1), date(2026, 3, 31))
    with pytest.raises(AccessDeniedError):  # a token naming no institution
        check_report_reader(
            Principal(uuid4(), Role.FUNDER), {aemo}, funded, date(2026, 3, 1), date(2026, 3, 31)
        )


def test_supervisors_read_the_reports_of_their_institution_and_what_it_belongs_to() -> None:
    aemo, ase = uuid4(), uuid4()
    period = (date(2026, 3, 1), date(2026, 3, 31))
    check_report_reader(Principal(uuid4(), Role.SUPERVISOR, aemo), {aemo, ase}, [], *period)
    with pytest.raises(AccessDeniedError):
        check_report_reader(Principal(uuid4(), Role.SUPERVISOR, uuid4()), {aemo}, [], *period)
    for role in (Role.CASE_WORKER, Role.ADMIN):
        with pytest.raises(AccessDeniedError):
            check_report_reader(Principal(uuid4(), role, aemo), {aemo}, [], *period)
    check_network_map_reader(Principal(uuid4(), Role.SUPERVISOR, aemo))
    for role in (Role.CASE_WORKER, Role.FUNDER, Role.ADMIN):
        with pytest.raises(AccessDeniedError):
            check_network_map_reader(Principal(uuid4(), role, aemo))


# --- the network map ----------------------------------------------------------------------


def test_the_map_styles_each_edge_by_its_strongest_tie_and_flags_unbound_ones() -> None:
    a, b, c, d = uuid4(), uuid4(), uuid4(), uuid4()
    pa, pb, pc, pd = uuid4(), uuid4(), uuid4(), uuid4()
    acts = []
    for n in range(6):  # six beneficiaries shared by a, b and c
        case = uuid4()
        acts += [
            ActFact(case, AT, a, pa, "CaseOpened", "case_holder"),
            ActFact(case, AT, b, pb, "ParticipantJoined", "convention"),
            ActFact(case, AT, c, pc, "ParticipantJoined", "informal"),
        ]
        if n < 2:  # two of them with d too
            acts.append(ActFact(case, AT, d, pd, "ParticipantJoined", "network"))
    institutions = {
        a: ("AEMO", "social"),
        b: ("ASE", "social"),
        c: ("École", "education"),
        d: ("CMP", "health"),
    }

    def tie(kind: str, members: set, *, complete: bool = True, until: date | None = None) -> Tie:  # type: ignore[type-arg]
        return Tie(
            kind, uuid4(), kind, frozenset(members), frozenset(), date(2025, 1, 1), until, complete
        )

    ties = [
        tie("charter", {a, b}),
        tie("convention", {a, b}),
        tie("convention", {a, c}, complete=False),  # one party never signed
        tie("convention", {b, c}, until=date(2026, 3, 31)),  # ended before the period
        Tie(
            "informal_network", uuid4(), "Pairs", frozenset(), frozenset({pa, pd}), None, None, True
        ),
    ]
    found = network_map(APRIL, acts, institutions, ties, min_cell=5)
    assert {n.name for n in found.nodes} == {"AEMO", "ASE", "École", "CMP"}
    edges = {(institutions[e.source][0], institutions[e.target][0]): e for e in found.edges}
    edges = {tuple(sorted(k)): v for k, v in edges.items()}  # type: ignore[misc]
    assert edges[("AEMO", "ASE")].tie == "convention"
    assert edges[("AEMO", "ASE")].weight == 6
    assert edges[("AEMO", "École")].tie == "none"
    assert edges[("AEMO", "École")].unbound is True
    assert edges[("ASE", "École")].unbound is True
    assert edges[("AEMO", "CMP")].tie == "informal_network"
    assert edges[("AEMO", "CMP")].weight is None  # two beneficiaries: fewer than 5
    assert edges[("AEMO", "CMP")].few is True
    assert edges[("ASE", "CMP")].unbound is True
