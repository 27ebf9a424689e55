"""The life of a case: opening, participants, coordinator, consents, referrals, meetings, closing.

Each test: given (use-case calls building state) → when (one command) → then (the new events, or
the error and no new event).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID, uuid4

import pytest

from domain.application import Maillage
from domain.case import BeneficiaryIdentity
from domain.case_values import Participant
from domain.errors import (
    AlreadyParticipatingError,
    CaseClosedError,
    CaseNotClosedError,
    ConsentAlreadyWithdrawnError,
    ConsentNotFoundError,
    InvalidValueError,
    NotACaseParticipantError,
    ReferralNotFoundError,
    ReferralNotPendingError,
    SameInstitutionError,
    WrongInstitutionError,
)
from domain.values import Actor, Basis, BasisKind
from tests.world import NOW, World, ago, events_since, names, position

# --- helpers --------------------------------------------------------------------------------


def holder_basis(world: World, institution: str = "aemo") -> Basis:
    return Basis(BasisKind.CASE_HOLDER, world.i(institution))


def join(app: Maillage, world: World, case_id: UUID, who: str, *, days: float = 9) -> None:
    app.join_case(case_id=case_id, by=world.actor(who), role="partner", occurred_at=ago(days))


def give_consent(
    app: Maillage,
    world: World,
    case_id: UUID,
    *,
    days: float = 8,
    recipients: tuple[str, ...] = ("cmp",),
    categories: tuple[str, ...] = ("family_situation",),
) -> UUID:
    recorded = app.give_consent(
        case_id=case_id,
        by=world.actor("jeanne"),
        giver="beneficiary",
        recipients=[world.i(r) for r in recipients],
        categories=list(categories),
        occurred_at=ago(days),
    )
    assert recorded.entity_id is not None
    return recorded.entity_id


def refer_to_ase(app: Maillage, world: World, case_id: UUID, *, days: float = 8) -> UUID:
    """Jeanne refers the case to the ASE, on the person's consent to share who they are."""
    return world.refer(
        case_id, "jeanne", "ase", reason="needs a child welfare assessment", occurred_at=ago(days)
    )


# --- opening --------------------------------------------------------------------------------


def test_opening_makes_the_opener_a_participant_on_a_case_holder_basis(
    app: Maillage, world: World
) -> None:
    before = position(app)

    case_id = world.open_case(by="jeanne")

    events = events_since(app, before)
    assert names(events) == ["CaseOpened"]
    opened = events[0]
    assert opened.originator_id == case_id
    assert opened.by == world.actor("jeanne")
    assert opened.basis == holder_basis(world)
    assert opened.occurred_at == ago(10)
    assert opened.legal_framework == "judicial"
    case = app.repository.get(case_id)
    assert case.participants == [
        Participant(world.p("jeanne"), world.i("aemo"), "referent", holder_basis(world), ago(10))
    ]
    assert case.holder_institution_id == world.i("aemo")
    assert case.coordinator is None
    assert case.closed is False


def test_opening_refuses_a_birth_date_after_the_opening(app: Maillage, world: World) -> None:
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.open_case(
            beneficiary=BeneficiaryIdentity("Léo", "Schmitt", date(2026, 11, 15)),
            legal_framework="judicial",
            by=world.actor("jeanne"),
            occurred_at=ago(10),  # 2026-11-10: before the birth date
        )

    assert refused.value.field == "beneficiary.birth_date"
    assert position(app) == before


def test_opening_accepts_a_birth_on_the_day_of_opening(app: Maillage, world: World) -> None:
    before = position(app)

    app.open_case(
        beneficiary=BeneficiaryIdentity("Léo", "Schmitt", ago(10).date()),
        legal_framework="administrative",
        by=world.actor("jeanne"),
        occurred_at=ago(10),
    )

    assert names(events_since(app, before)) == ["CaseOpened"]


def test_opening_refuses_an_unknown_legal_framework_naming_the_field(
    app: Maillage, world: World
) -> None:
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        world.open_case(legal_framework="martial")

    assert refused.value.field == "legal_framework"
    assert "martial" in refused.value.message
    assert position(app) == before


def test_opening_refuses_an_empty_beneficiary_name(app: Maillage, world: World) -> None:
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.open_case(
            beneficiary=BeneficiaryIdentity("Léo", "  "),
            legal_framework="voluntary",
            by=world.actor("jeanne"),
            occurred_at=ago(10),
        )

    assert refused.value.field == "beneficiary.last_name"
    assert position(app) == before


# --- interventions --------------------------------------------------------------------------


def test_a_participant_records_an_intervention(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    recorded = app.record_intervention(
        case_id=case_id,
        by=world.actor("jeanne"),
        kind="home_visit",
        summary="visit at home",
        occurred_at=ago(5),
    )

    events = events_since(app, before)
    assert names(events) == ["InterventionRecorded"]
    assert events[0].intervention_id == recorded.entity_id
    assert events[0].kind == "home_visit"
    assert events[0].summary == "visit at home"
    assert events[0].by == world.actor("jeanne")
    assert events[0].basis == holder_basis(world)
    assert events[0].occurred_at == ago(5)


def test_a_non_participant_cannot_record_an_intervention(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(NotACaseParticipantError):
        app.record_intervention(
            case_id=case_id, by=world.actor("karim"), kind="home_visit", occurred_at=ago(5)
        )

    assert position(app) == before


def test_an_intervention_of_an_unknown_kind_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.record_intervention(
            case_id=case_id, by=world.actor("jeanne"), kind="exorcism", occurred_at=ago(5)
        )

    assert refused.value.field == "kind"
    assert position(app) == before


# --- participants ---------------------------------------------------------------------------


def test_joining_makes_a_professional_a_participant(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    app.join_case(case_id=case_id, by=world.actor("karim"), role="ASE referent", occurred_at=ago(9))

    events = events_since(app, before)
    assert names(events) == ["ParticipantJoined"]
    assert events[0].by == world.actor("karim")
    assert events[0].role == "ASE referent"
    assert events[0].basis == Basis.informal()  # no delegation, holder, convention or network
    assert events[0].occurred_at == ago(9)
    assert app.repository.get(case_id).is_participant(world.actor("karim"))


def test_joining_under_a_convention_with_the_holder_rests_on_that_convention(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    convention_id = world.convention("ase", "aemo")
    before = position(app)

    app.join_case(case_id=case_id, by=world.actor("karim"), role="partner", occurred_at=ago(9))

    events = events_since(app, before)
    assert names(events) == ["ParticipantJoined"]
    assert events[0].basis == Basis(BasisKind.CONVENTION, convention_id)


def test_joining_twice_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    join(app, world, case_id, "karim")
    before = position(app)

    with pytest.raises(AlreadyParticipatingError):
        join(app, world, case_id, "karim", days=5)

    assert position(app) == before


def test_the_opener_cannot_join_again(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(AlreadyParticipatingError):
        join(app, world, case_id, "jeanne", days=5)

    assert position(app) == before


def test_leaving_removes_the_participant(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    join(app, world, case_id, "karim")
    before = position(app)

    app.leave_case(case_id=case_id, by=world.actor("karim"), occurred_at=ago(4))

    events = events_since(app, before)
    assert names(events) == ["ParticipantLeft"]
    assert events[0].by == world.actor("karim")
    assert events[0].occurred_at == ago(4)
    assert not app.repository.get(case_id).is_participant(world.actor("karim"))


def test_a_professional_who_left_can_no_longer_act(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    join(app, world, case_id, "karim")
    app.leave_case(case_id=case_id, by=world.actor("karim"), occurred_at=ago(4))
    before = position(app)

    with pytest.raises(NotACaseParticipantError):
        app.record_intervention(
            case_id=case_id, by=world.actor("karim"), kind="assessment", occurred_at=ago(3)
        )

    assert position(app) == before


def test_a_non_participant_cannot_leave(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(NotACaseParticipantError):
        app.leave_case(case_id=case_id, by=world.actor("karim"), occurred_at=ago(4))

    assert position(app) == before


def test_a_participant_who_left_may_join_again(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    join(app, world, case_id, "karim")
    app.leave_case(case_id=case_id, by=world.actor("karim"), occurred_at=ago(4))
    before = position(app)

    join(app, world, case_id, "karim", days=3)

    assert names(events_since(app, before)) == ["ParticipantJoined"]
    assert app.repository.get(case_id).is_participant(world.actor("karim"))


# --- coordinator ----------------------------------------------------------------------------


def test_designating_a_first_coordinator_replaces_nobody(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    join(app, world, case_id, "karim")
    before = position(app)

    app.designate_coordinator(
        case_id=case_id,
        by=world.actor("jeanne"),
        coordinator=world.actor("karim"),
        occurred_at=ago(7),
    )

    events = events_since(app, before)
    assert names(events) == ["CoordinatorDesignated"]
    assert events[0].coordinator == world.actor("karim")
    assert events[0].replaces is None
    assert events[0].by == world.actor("jeanne")
    assert app.repository.get(case_id).coordinator == world.actor("karim")


def test_designating_a_new_coordinator_names_the_one_replaced(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    join(app, world, case_id, "karim")
    app.designate_coordinator(
        case_id=case_id,
        by=world.actor("jeanne"),
        coordinator=world.actor("jeanne"),
        occurred_at=ago(8),
    )
    before = position(app)

    app.designate_coordinator(
        case_id=case_id,
        by=world.actor("jeanne"),
        coordinator=world.actor("karim"),
        occurred_at=ago(7),
    )

    events = events_since(app, before)
    assert names(events) == ["CoordinatorDesignated"]
    assert events[0].coordinator == world.actor("karim")
    assert events[0].replaces == world.actor("jeanne")
    assert app.repository.get(case_id).coordinator == world.actor("karim")


def test_the_coordinator_must_be_a_participant(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(NotACaseParticipantError) as refused:
        app.designate_coordinator(
            case_id=case_id,
            by=world.actor("jeanne"),
            coordinator=world.actor("karim"),
            occurred_at=ago(7),
        )

    assert refused.value.field == "coordinator"
    assert position(app) == before
    assert app.repository.get(case_id).coordinator is None


def test_a_non_participant_cannot_designate_a_coordinator(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(NotACaseParticipantError) as refused:
        app.designate_coordinator(
            case_id=case_id,
            by=world.actor("karim"),
            coordinator=world.actor("jeanne"),
            occurred_at=ago(7),
        )

    assert refused.value.field == "professional_id"
    assert position(app) == before


def test_the_coordinator_leaving_clears_the_coordinator(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    join(app, world, case_id, "karim")
    app.designate_coordinator(
        case_id=case_id,
        by=world.actor("jeanne"),
        coordinator=world.actor("karim"),
        occurred_at=ago(7),
    )
    before = position(app)

    app.leave_case(case_id=case_id, by=world.actor("karim"), occurred_at=ago(4))

    assert names(events_since(app, before)) == ["ParticipantLeft"]
    assert app.repository.get(case_id).coordinator is None


def test_another_participant_leaving_keeps_the_coordinator(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    join(app, world, case_id, "karim")
    app.designate_coordinator(
        case_id=case_id,
        by=world.actor("jeanne"),
        coordinator=world.actor("jeanne"),
        occurred_at=ago(7),
    )
    before = position(app)

    app.leave_case(case_id=case_id, by=world.actor("karim"), occurred_at=ago(4))

    assert names(events_since(app, before)) == ["ParticipantLeft"]
    assert app.repository.get(case_id).coordinator == world.actor("jeanne")


# --- consents -------------------------------------------------------------------------------


def test_a_consent_given_by_the_beneficiary_is_recorded(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    recorded = app.give_consent(
        case_id=case_id,
        by=world.actor("jeanne"),
        giver="beneficiary",
        recipients=[world.i("cmp"), world.i("school"), world.i("cmp")],
        categories=["family_situation", "health", "health"],
        valid_until=date(2027, 6, 30),
        occurred_at=ago(8),
    )

    events = events_since(app, before)
    assert names(events) == ["ConsentGiven"]
    given = events[0]
    assert given.consent_id == recorded.entity_id
    assert given.giver == "beneficiary"
    assert given.representative_name is None
    assert given.recipients == [world.i("cmp"), world.i("school")]
    assert given.categories == ["family_situation", "health"]
    assert given.valid_until == date(2027, 6, 30)
    assert given.occurred_at == ago(8)


def test_a_consent_given_by_a_named_legal_representative_is_recorded(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    before = position(app)

    app.give_consent(
        case_id=case_id,
        by=world.actor("jeanne"),
        giver="legal_representative",
        representative_name="  Marie Schmitt ",
        recipients=[world.i("cmp")],
        categories=["health"],
        occurred_at=ago(8),
    )

    events = events_since(app, before)
    assert names(events) == ["ConsentGiven"]
    assert events[0].giver == "legal_representative"
    assert events[0].representative_name == "Marie Schmitt"


@pytest.mark.parametrize("representative_name", [None, "", "   "])
def test_a_consent_by_a_legal_representative_must_name_them(
    app: Maillage, world: World, representative_name: str | None
) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.give_consent(
            case_id=case_id,
            by=world.actor("jeanne"),
            giver="legal_representative",
            representative_name=representative_name,
            recipients=[world.i("cmp")],
            categories=["health"],
            occurred_at=ago(8),
        )

    assert refused.value.field == "representative_name"
    assert position(app) == before


@pytest.mark.parametrize(
    ("recipients", "categories", "field"),
    [
        ((), ("health",), "recipients"),
        (("cmp",), (), "categories"),
        (("cmp",), ("health", "horoscope"), "categories"),
    ],
)
def test_a_consent_names_its_recipients_and_categories(
    app: Maillage,
    world: World,
    recipients: tuple[str, ...],
    categories: tuple[str, ...],
    field: str,
) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.give_consent(
            case_id=case_id,
            by=world.actor("jeanne"),
            giver="beneficiary",
            recipients=[world.i(r) for r in recipients],
            categories=list(categories),
            occurred_at=ago(8),
        )

    assert refused.value.field == field
    assert position(app) == before


def test_a_consent_cannot_end_before_it_is_given(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.give_consent(
            case_id=case_id,
            by=world.actor("jeanne"),
            giver="beneficiary",
            recipients=[world.i("cmp")],
            categories=["health"],
            valid_until=ago(9).date(),
            occurred_at=ago(8),
        )

    assert refused.value.field == "valid_until"
    assert position(app) == before


def test_a_non_participant_cannot_record_a_consent(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(NotACaseParticipantError):
        app.give_consent(
            case_id=case_id,
            by=world.actor("sophie"),
            giver="beneficiary",
            recipients=[world.i("cmp")],
            categories=["health"],
            occurred_at=ago(8),
        )

    assert position(app) == before


def test_withdrawing_a_consent_is_recorded(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    consent_id = give_consent(app, world, case_id)
    before = position(app)

    app.withdraw_consent(
        case_id=case_id, consent_id=consent_id, by=world.actor("jeanne"), occurred_at=ago(3)
    )

    events = events_since(app, before)
    assert names(events) == ["ConsentWithdrawn"]
    assert events[0].consent_id == consent_id
    assert events[0].occurred_at == ago(3)
    withdrawn = app.repository.get(case_id).consent(consent_id)
    assert withdrawn is not None
    assert withdrawn.withdrawn_at == ago(3)


def test_withdrawing_a_consent_twice_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    consent_id = give_consent(app, world, case_id)
    app.withdraw_consent(
        case_id=case_id, consent_id=consent_id, by=world.actor("jeanne"), occurred_at=ago(3)
    )
    before = position(app)

    with pytest.raises(ConsentAlreadyWithdrawnError) as refused:
        app.withdraw_consent(
            case_id=case_id, consent_id=consent_id, by=world.actor("jeanne"), occurred_at=ago(2)
        )

    assert refused.value.field == "consent_id"
    assert position(app) == before


def test_withdrawing_an_unknown_consent_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    give_consent(app, world, case_id)
    before = position(app)

    with pytest.raises(ConsentNotFoundError) as refused:
        app.withdraw_consent(
            case_id=case_id, consent_id=uuid4(), by=world.actor("jeanne"), occurred_at=ago(3)
        )

    assert refused.value.field == "consent_id"
    assert position(app) == before


def test_a_consent_of_another_case_cannot_be_withdrawn_here(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    other_case_id = world.open_case()
    other_consent_id = give_consent(app, world, other_case_id)
    before = position(app)

    with pytest.raises(ConsentNotFoundError):
        app.withdraw_consent(
            case_id=case_id,
            consent_id=other_consent_id,
            by=world.actor("jeanne"),
            occurred_at=ago(3),
        )

    assert position(app) == before


# --- referrals ------------------------------------------------------------------------------


def test_a_referral_to_another_institution_is_recorded(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    give_consent(app, world, case_id, days=8, recipients=("ase",), categories=("identity",))
    before = position(app)

    recorded = app.refer(
        case_id=case_id,
        by=world.actor("jeanne"),
        to_institution_id=world.i("ase"),
        reason="  needs a child welfare assessment ",
        occurred_at=ago(8),
    )

    events = events_since(app, before)
    assert names(events) == ["ReferralMade"]
    assert events[0].referral_id == recorded.entity_id
    assert events[0].to_institution_id == world.i("ase")
    assert events[0].reason == "needs a child welfare assessment"
    assert events[0].by == world.actor("jeanne")


def test_a_referral_to_ones_own_institution_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(SameInstitutionError) as refused:
        app.refer(
            case_id=case_id,
            by=world.actor("jeanne"),
            to_institution_id=world.i("aemo"),
            reason="internal",
            occurred_at=ago(8),
        )

    assert refused.value.field == "to_institution_id"
    assert position(app) == before


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_referral_gives_a_reason(app: Maillage, world: World, reason: str) -> None:
    case_id = world.open_case()
    give_consent(app, world, case_id, recipients=("ase",), categories=("identity",))
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.refer(
            case_id=case_id,
            by=world.actor("jeanne"),
            to_institution_id=world.i("ase"),
            reason=reason,
            occurred_at=ago(8),
        )

    assert refused.value.field == "reason"
    assert position(app) == before


def test_a_professional_of_the_target_institution_accepts_the_referral(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    referral_id = refer_to_ase(app, world, case_id)
    before = position(app)

    app.accept_referral(
        case_id=case_id, referral_id=referral_id, by=world.actor("karim"), occurred_at=ago(6)
    )

    events = events_since(app, before)
    assert names(events) == ["ReferralAccepted"]
    assert events[0].referral_id == referral_id
    assert events[0].by == world.actor("karim")
    referral = app.repository.get(case_id).referral(referral_id)
    assert referral is not None
    assert referral.status == "accepted"


@pytest.mark.parametrize("who", ["sophie", "jeanne"])
def test_only_the_target_institution_answers_a_referral(
    app: Maillage, world: World, who: str
) -> None:
    case_id = world.open_case()
    referral_id = refer_to_ase(app, world, case_id)
    before = position(app)

    with pytest.raises(WrongInstitutionError):
        app.accept_referral(
            case_id=case_id, referral_id=referral_id, by=world.actor(who), occurred_at=ago(6)
        )

    assert position(app) == before


def test_only_the_target_institution_declines_a_referral(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    referral_id = refer_to_ase(app, world, case_id)
    before = position(app)

    with pytest.raises(WrongInstitutionError):
        app.decline_referral(
            case_id=case_id,
            referral_id=referral_id,
            by=world.actor("sophie"),
            reason="not ours",
            occurred_at=ago(6),
        )

    assert position(app) == before


AnswerReferral = Callable[[Maillage, World, UUID, UUID, datetime], object]


def _accept(app: Maillage, world: World, case_id: UUID, referral_id: UUID, at: datetime) -> object:
    return app.accept_referral(
        case_id=case_id, referral_id=referral_id, by=world.actor("karim"), occurred_at=at
    )


def _decline(app: Maillage, world: World, case_id: UUID, referral_id: UUID, at: datetime) -> object:
    return app.decline_referral(
        case_id=case_id,
        referral_id=referral_id,
        by=world.actor("karim"),
        reason="no place before spring",
        occurred_at=at,
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [(_accept, _accept), (_accept, _decline), (_decline, _accept), (_decline, _decline)],
)
def test_a_referral_is_answered_only_once(
    app: Maillage, world: World, first: AnswerReferral, second: AnswerReferral
) -> None:
    case_id = world.open_case()
    referral_id = refer_to_ase(app, world, case_id)
    first(app, world, case_id, referral_id, ago(6))
    before = position(app)

    with pytest.raises(ReferralNotPendingError):
        second(app, world, case_id, referral_id, ago(5))

    assert position(app) == before


def test_declining_a_referral_records_the_reason(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    referral_id = refer_to_ase(app, world, case_id)
    before = position(app)

    _decline(app, world, case_id, referral_id, ago(6))

    events = events_since(app, before)
    assert names(events) == ["ReferralDeclined"]
    assert events[0].referral_id == referral_id
    assert events[0].reason == "no place before spring"
    referral = app.repository.get(case_id).referral(referral_id)
    assert referral is not None
    assert referral.status == "declined"


@pytest.mark.parametrize("reason", ["", "  "])
def test_declining_a_referral_needs_a_reason(app: Maillage, world: World, reason: str) -> None:
    case_id = world.open_case()
    referral_id = refer_to_ase(app, world, case_id)
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.decline_referral(
            case_id=case_id,
            referral_id=referral_id,
            by=world.actor("karim"),
            reason=reason,
            occurred_at=ago(6),
        )

    assert refused.value.field == "reason"
    assert position(app) == before


def test_answering_an_unknown_referral_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    refer_to_ase(app, world, case_id)
    before = position(app)

    with pytest.raises(ReferralNotFoundError):
        app.accept_referral(
            case_id=case_id, referral_id=uuid4(), by=world.actor("karim"), occurred_at=ago(6)
        )

    assert position(app) == before


# --- coordination meetings ------------------------------------------------------------------


def test_the_organiser_is_added_to_the_attendees_of_a_meeting(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    join(app, world, case_id, "karim")
    before = position(app)

    recorded = app.hold_coordination_meeting(
        case_id=case_id,
        by=world.actor("jeanne"),
        attendees=[world.actor("karim"), world.actor("karim")],
        decisions=["karim visits the family"],
        occurred_at=ago(5),
    )

    events = events_since(app, before)
    assert names(events) == ["CoordinationMeetingHeld"]
    held = events[0]
    assert held.meeting_id == recorded.entity_id
    assert held.attendees == [world.actor("jeanne"), world.actor("karim")]
    assert held.decisions == ["karim visits the family"]
    assert held.by == world.actor("jeanne")


def test_an_organiser_listed_among_attendees_is_not_counted_twice(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    join(app, world, case_id, "karim")
    before = position(app)

    app.hold_coordination_meeting(
        case_id=case_id,
        by=world.actor("jeanne"),
        attendees=[world.actor("karim"), world.actor("jeanne")],
        decisions=[],
        occurred_at=ago(5),
    )

    events = events_since(app, before)
    assert names(events) == ["CoordinationMeetingHeld"]
    assert events[0].attendees == [world.actor("karim"), world.actor("jeanne")]


def test_meeting_attendees_must_be_participants(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    join(app, world, case_id, "karim")
    before = position(app)

    with pytest.raises(NotACaseParticipantError) as refused:
        app.hold_coordination_meeting(
            case_id=case_id,
            by=world.actor("jeanne"),
            attendees=[world.actor("karim"), world.actor("sophie")],
            decisions=["sophie sees the child"],
            occurred_at=ago(5),
        )

    assert refused.value.field == "attendees"
    assert position(app) == before


# --- closing and reopening ------------------------------------------------------------------


def test_closing_a_case_is_recorded(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    app.close_case(
        case_id=case_id, by=world.actor("jeanne"), reason="goals met", occurred_at=ago(2)
    )

    events = events_since(app, before)
    assert names(events) == ["CaseClosed"]
    assert events[0].reason == "goals met"
    assert events[0].by == world.actor("jeanne")
    assert app.repository.get(case_id).closed is True


def test_a_non_participant_cannot_close_a_case(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(NotACaseParticipantError):
        app.close_case(case_id=case_id, by=world.actor("karim"), reason="done", occurred_at=ago(2))

    assert position(app) == before
    assert app.repository.get(case_id).closed is False


@dataclass(frozen=True)
class Given:
    """A case with jeanne (holder) and karim, a consent, a pending referral to the ASE."""

    case_id: UUID
    consent_id: UUID
    referral_id: UUID


def given_busy_case(app: Maillage, world: World) -> Given:
    case_id = world.open_case()
    join(app, world, case_id, "karim", days=9)
    consent_id = give_consent(app, world, case_id, days=8)
    referral_id = refer_to_ase(app, world, case_id, days=8)
    return Given(case_id, consent_id, referral_id)


Command = Callable[[Maillage, World, Given, datetime], object]

COMMANDS: dict[str, Command] = {
    "record_intervention": lambda app, w, g, at: app.record_intervention(
        case_id=g.case_id, by=w.actor("jeanne"), kind="home_visit", occurred_at=at
    ),
    "join_case": lambda app, w, g, at: app.join_case(
        case_id=g.case_id, by=w.actor("sophie"), role="psychiatrist", occurred_at=at
    ),
    "leave_case": lambda app, w, g, at: app.leave_case(
        case_id=g.case_id, by=w.actor("karim"), occurred_at=at
    ),
    "designate_coordinator": lambda app, w, g, at: app.designate_coordinator(
        case_id=g.case_id, by=w.actor("jeanne"), coordinator=w.actor("karim"), occurred_at=at
    ),
    "give_consent": lambda app, w, g, at: app.give_consent(
        case_id=g.case_id,
        by=w.actor("jeanne"),
        giver="beneficiary",
        recipients=[w.i("school")],
        categories=["education"],
        occurred_at=at,
    ),
    "withdraw_consent": lambda app, w, g, at: app.withdraw_consent(
        case_id=g.case_id, consent_id=g.consent_id, by=w.actor("jeanne"), occurred_at=at
    ),
    "share_information": lambda app, w, g, at: app.share_information(
        case_id=g.case_id,
        by=w.actor("jeanne"),
        recipient_institution_id=w.i("cmp"),
        categories=["family_situation"],
        occurred_at=at,
    ),
    "refer": lambda app, w, g, at: app.refer(
        case_id=g.case_id,
        by=w.actor("jeanne"),
        to_institution_id=w.i("cmp"),
        reason="psychiatric follow-up",
        categories=["family_situation"],  # what the consent covers
        occurred_at=at,
    ),
    "accept_referral": lambda app, w, g, at: app.accept_referral(
        case_id=g.case_id, referral_id=g.referral_id, by=w.actor("karim"), occurred_at=at
    ),
    "decline_referral": lambda app, w, g, at: app.decline_referral(
        case_id=g.case_id,
        referral_id=g.referral_id,
        by=w.actor("karim"),
        reason="no place",
        occurred_at=at,
    ),
    "hold_coordination_meeting": lambda app, w, g, at: app.hold_coordination_meeting(
        case_id=g.case_id,
        by=w.actor("jeanne"),
        attendees=[w.actor("karim")],
        decisions=["next meeting in a month"],
        occurred_at=at,
    ),
    "close_case": lambda app, w, g, at: app.close_case(
        case_id=g.case_id, by=w.actor("jeanne"), reason="done", occurred_at=at
    ),
}

EXPECTED_EVENT = {
    "record_intervention": "InterventionRecorded",
    "join_case": "ParticipantJoined",
    "leave_case": "ParticipantLeft",
    "designate_coordinator": "CoordinatorDesignated",
    "give_consent": "ConsentGiven",
    "withdraw_consent": "ConsentWithdrawn",
    "share_information": "InformationShared",
    "refer": "ReferralMade",
    "accept_referral": "ReferralAccepted",
    "decline_referral": "ReferralDeclined",
    "hold_coordination_meeting": "CoordinationMeetingHeld",
    "close_case": "CaseClosed",
}

ACTOR_OF = {
    "join_case": "sophie",
    "leave_case": "karim",
    "accept_referral": "karim",
    "decline_referral": "karim",
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_closed_case_refuses_every_action(app: Maillage, world: World, command: str) -> None:
    given = given_busy_case(app, world)
    app.close_case(
        case_id=given.case_id, by=world.actor("jeanne"), reason="done", occurred_at=ago(4)
    )
    before = position(app)

    with pytest.raises(CaseClosedError):
        COMMANDS[command](app, world, given, ago(2))

    assert position(app) == before


def test_reopening_an_open_case_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(CaseNotClosedError):
        app.reopen_case(
            case_id=case_id, by=world.actor("jeanne"), reason="again", occurred_at=ago(2)
        )

    assert position(app) == before


def test_a_non_participant_cannot_reopen_a_case(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    app.close_case(case_id=case_id, by=world.actor("jeanne"), reason="done", occurred_at=ago(4))
    before = position(app)

    with pytest.raises(NotACaseParticipantError):
        app.reopen_case(
            case_id=case_id, by=world.actor("karim"), reason="again", occurred_at=ago(2)
        )

    assert position(app) == before
    assert app.repository.get(case_id).closed is True


def test_reopening_a_closed_case_is_recorded(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    app.close_case(case_id=case_id, by=world.actor("jeanne"), reason="done", occurred_at=ago(4))
    before = position(app)

    app.reopen_case(
        case_id=case_id, by=world.actor("jeanne"), reason="new concern", occurred_at=ago(2)
    )

    events = events_since(app, before)
    assert names(events) == ["CaseReopened"]
    assert events[0].reason == "new concern"
    assert events[0].by == world.actor("jeanne")
    assert app.repository.get(case_id).closed is False


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_after_reopening_the_case_accepts_actions_again(
    app: Maillage, world: World, command: str
) -> None:
    given = given_busy_case(app, world)
    app.close_case(
        case_id=given.case_id, by=world.actor("jeanne"), reason="done", occurred_at=ago(4)
    )
    app.reopen_case(
        case_id=given.case_id, by=world.actor("jeanne"), reason="new concern", occurred_at=ago(3)
    )
    before = position(app)

    COMMANDS[command](app, world, given, ago(2))

    assert names(events_since(app, before)) == [EXPECTED_EVENT[command]]


# --- every action event names who acted, on what basis, and when ----------------------------


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_action_event_carries_the_actor_the_basis_and_occurred_at(
    app: Maillage, world: World, command: str
) -> None:
    given = given_busy_case(app, world)
    before = position(app)

    COMMANDS[command](app, world, given, ago(2, hours=3))

    events = events_since(app, before)
    assert names(events) == [EXPECTED_EVENT[command]]
    event = events[0]
    actor = world.actor(ACTOR_OF.get(command, "jeanne"))
    assert isinstance(event.by, Actor)
    assert event.by == actor
    assert isinstance(event.basis, Basis)
    if actor.institution_id == world.i("aemo"):
        assert event.basis == holder_basis(world)
    else:
        assert event.basis == Basis.informal()
    assert event.occurred_at == ago(2, hours=3)
    assert event.occurred_at < NOW
    assert event.originator_id == given.case_id


def test_occurred_at_defaults_to_now(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    app.record_intervention(case_id=case_id, by=world.actor("jeanne"), kind="assessment")

    events = events_since(app, before)
    assert names(events) == ["InterventionRecorded"]
    assert events[0].occurred_at == NOW
