"""Registry rules: institutions, professionals, employments, and acting only while employed."""

from __future__ import annotations

from datetime import date

import pytest

from domain.application import Maillage
from domain.case import BeneficiaryIdentity
from domain.errors import (
    EmploymentOverlapError,
    InvalidValueError,
    NotEmployedError,
    NotFoundError,
)
from domain.institution import Institution
from domain.professional import Professional
from domain.values import Actor
from tests.world import World, ago, events_since, names, position

# --- institutions -------------------------------------------------------------------------


def test_registering_an_institution_records_its_name_sector_and_kind(app: Maillage) -> None:
    before = position(app)

    recorded = app.register_institution(
        name="  SESSAD Les Tilleuls ",
        sector="medico_social",
        kind="medico_social_establishment",
        department="68",
    )

    events = events_since(app, before)
    assert names(events) == ["InstitutionRegistered"]
    (registered,) = events
    assert registered.originator_id == recorded.id
    assert registered.name == "SESSAD Les Tilleuls"
    assert registered.sector == "medico_social"
    assert registered.kind == "medico_social_establishment"
    assert registered.department == "68"


@pytest.mark.parametrize(
    ("sector", "kind", "field"),
    [("banking", "school", "sector"), ("education", "bank", "kind")],
)
def test_an_institution_with_an_unknown_sector_or_kind_is_refused_naming_the_field(
    app: Maillage, sector: str, kind: str, field: str
) -> None:
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.register_institution(name="Somewhere", sector=sector, kind=kind)

    assert refused.value.field == field
    assert position(app) == before


@pytest.mark.parametrize("name", ["", "   "])
def test_an_institution_without_a_name_is_refused(app: Maillage, name: str) -> None:
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.register_institution(name=name, sector="social", kind="aemo_service")

    assert refused.value.field == "name"
    assert position(app) == before


def test_a_crip_institution_is_recognised_as_such(app: Maillage, world: World) -> None:
    crip = app.repository.get(world.i("crip"))
    aemo = app.repository.get(world.i("aemo"))

    assert isinstance(crip, Institution)
    assert isinstance(aemo, Institution)
    assert crip.is_crip
    assert not aemo.is_crip


# --- professionals ------------------------------------------------------------------------


def test_registering_a_professional_records_name_and_profession(app: Maillage) -> None:
    before = position(app)

    recorded = app.register_professional(name="Amina", profession="psychologist")

    events = events_since(app, before)
    assert names(events) == ["ProfessionalRegistered"]
    assert events[0].originator_id == recorded.id
    assert events[0].name == "Amina"
    assert events[0].profession == "psychologist"


@pytest.mark.parametrize(
    ("name", "profession", "field"),
    [("", "nurse", "name"), ("Amina", "  ", "profession")],
)
def test_a_professional_without_name_or_profession_is_refused(
    app: Maillage, name: str, profession: str, field: str
) -> None:
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.register_professional(name=name, profession=profession)

    assert refused.value.field == field
    assert position(app) == before


# --- employments --------------------------------------------------------------------------


def test_starting_an_employment_records_institution_and_dates(app: Maillage, world: World) -> None:
    before = position(app)

    app.start_employment(
        professional_id=world.p("jeanne"),
        institution_id=world.i("school"),
        start=date(2024, 9, 1),
        end=date(2025, 6, 30),
        position="part-time educator",
    )

    events = events_since(app, before)
    assert names(events) == ["EmploymentStarted"]
    started = events[0]
    assert started.originator_id == world.p("jeanne")
    assert started.institution_id == world.i("school")
    assert started.start == date(2024, 9, 1)
    assert started.end == date(2025, 6, 30)
    assert started.position == "part-time educator"


def test_an_employment_at_an_unknown_institution_is_refused(app: Maillage, world: World) -> None:
    before = position(app)

    with pytest.raises(NotFoundError) as refused:
        app.start_employment(
            professional_id=world.p("jeanne"),
            institution_id=world.p("karim"),  # a professional's id, not an institution's
            start=date(2024, 1, 1),
        )

    assert refused.value.field == "institution_id"
    assert position(app) == before


def test_an_overlapping_employment_at_the_same_institution_is_refused(
    app: Maillage, world: World
) -> None:
    before = position(app)

    with pytest.raises(EmploymentOverlapError):
        app.start_employment(
            professional_id=world.p("jeanne"),
            institution_id=world.i("aemo"),
            start=date(2024, 1, 1),
        )

    assert position(app) == before


def test_an_overlapping_employment_at_another_institution_is_accepted(
    app: Maillage, world: World
) -> None:
    before = position(app)

    app.start_employment(
        professional_id=world.p("jeanne"), institution_id=world.i("cmp"), start=date(2024, 1, 1)
    )

    assert names(events_since(app, before)) == ["EmploymentStarted"]
    jeanne = app.repository.get(world.p("jeanne"))
    assert isinstance(jeanne, Professional)
    assert jeanne.employed_at(world.i("aemo"), date(2024, 6, 1))
    assert jeanne.employed_at(world.i("cmp"), date(2024, 6, 1))


def test_a_new_employment_after_the_previous_one_ended_is_accepted(
    app: Maillage, world: World
) -> None:
    app.end_employment(
        professional_id=world.p("jeanne"), institution_id=world.i("aemo"), end=date(2025, 12, 31)
    )
    before = position(app)

    app.start_employment(
        professional_id=world.p("jeanne"), institution_id=world.i("aemo"), start=date(2026, 1, 1)
    )

    assert names(events_since(app, before)) == ["EmploymentStarted"]


def test_ending_an_employment_records_its_end_date(app: Maillage, world: World) -> None:
    before = position(app)

    app.end_employment(
        professional_id=world.p("jeanne"), institution_id=world.i("aemo"), end=date(2026, 10, 31)
    )

    events = events_since(app, before)
    assert names(events) == ["EmploymentEnded"]
    assert events[0].institution_id == world.i("aemo")
    assert events[0].end == date(2026, 10, 31)
    jeanne = app.repository.get(world.p("jeanne"))
    assert isinstance(jeanne, Professional)
    assert jeanne.employed_at(world.i("aemo"), date(2026, 10, 31))
    assert not jeanne.employed_at(world.i("aemo"), date(2026, 11, 1))


def test_an_employment_cannot_end_before_it_started(app: Maillage, world: World) -> None:
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.end_employment(
            professional_id=world.p("jeanne"),
            institution_id=world.i("aemo"),
            end=date(2019, 12, 31),
        )

    assert refused.value.field == "end"
    assert position(app) == before


def test_ending_an_employment_that_is_not_open_is_refused(app: Maillage, world: World) -> None:
    app.end_employment(
        professional_id=world.p("jeanne"), institution_id=world.i("aemo"), end=date(2026, 10, 31)
    )
    before = position(app)

    with pytest.raises(NotEmployedError):
        app.end_employment(
            professional_id=world.p("jeanne"),
            institution_id=world.i("aemo"),
            end=date(2026, 11, 1),
        )

    assert position(app) == before


# --- acting only while employed -----------------------------------------------------------


def test_opening_a_case_for_an_institution_after_the_employment_ended_is_refused(
    app: Maillage, world: World
) -> None:
    app.end_employment(
        professional_id=world.p("jeanne"), institution_id=world.i("aemo"), end=date(2026, 10, 31)
    )
    before = position(app)

    with pytest.raises(NotEmployedError) as refused:
        app.open_case(
            beneficiary=BeneficiaryIdentity("Léo", "Schmitt", date(2015, 5, 14)),
            legal_framework="judicial",
            by=world.actor("jeanne"),
            occurred_at=ago(5),
        )

    assert refused.value.field == "institution_id"
    assert position(app) == before


def test_opening_a_case_for_an_institution_that_does_not_employ_the_actor_is_refused(
    app: Maillage, world: World
) -> None:
    before = position(app)
    jeanne_for_the_school = Actor(world.p("jeanne"), world.i("school"))

    with pytest.raises(NotEmployedError):
        app.open_case(
            beneficiary=BeneficiaryIdentity("Léo", "Schmitt", date(2015, 5, 14)),
            legal_framework="judicial",
            by=jeanne_for_the_school,
            occurred_at=ago(5),
        )

    assert position(app) == before


def test_an_intervention_after_the_employment_ended_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case("jeanne", occurred_at=ago(20))
    app.end_employment(
        professional_id=world.p("jeanne"), institution_id=world.i("aemo"), end=ago(10).date()
    )
    before = position(app)

    with pytest.raises(NotEmployedError):
        app.record_intervention(
            case_id=case_id, by=world.actor("jeanne"), kind="home_visit", occurred_at=ago(5)
        )

    assert position(app) == before


def test_an_intervention_backdated_to_while_employed_is_still_accepted(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case("jeanne", occurred_at=ago(20))
    app.end_employment(
        professional_id=world.p("jeanne"), institution_id=world.i("aemo"), end=ago(10).date()
    )
    before = position(app)

    app.record_intervention(
        case_id=case_id, by=world.actor("jeanne"), kind="home_visit", occurred_at=ago(15)
    )

    events = events_since(app, before)
    assert names(events) == ["InterventionRecorded"]
    assert events[0].by == world.actor("jeanne")
    assert events[0].occurred_at == ago(15)
