"""Sharing information about a beneficiary with another institution needs a legal basis.

A consent in force covering the recipient and every category, or a legal ground (kept as data in
`domain.grounds`) whose conditions are met; concerning information goes to a CRIP, always allowed
and always traced. Given (use-case calls) → when (one command) → then (events, or error and no
new event).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

import pytest

from domain.application import Maillage
from domain.errors import (
    CaseClosedError,
    InvalidValueError,
    LegalGroundConditionsNotMetError,
    NoLegalBasisForSharingError,
    NotACaseParticipantError,
    NotACripError,
    SameInstitutionError,
    UnknownLegalGroundError,
)
from domain.grounds import FRANCE, AnyOf, Condition, GroundClaim, LegalGround, evaluate
from domain.values import Basis, BasisKind
from tests.world import World, ago, events_since, names, position

SHARED_SECRECY_ATTESTED = (
    "recipient_bound_by_secrecy",
    "contributes_to_child_protection",
    "strictly_necessary",
    "parental_authority_informed",
)

# --- helpers --------------------------------------------------------------------------------


def consent(
    app: Maillage,
    world: World,
    case_id: UUID,
    *,
    to: Sequence[str] = ("cmp",),
    categories: Sequence[str] = ("family_situation", "health"),
    valid_until: date | None = None,
    days: float = 8,
) -> UUID:
    recorded = app.give_consent(
        case_id=case_id,
        by=world.actor("jeanne"),
        giver="beneficiary",
        recipients=[world.i(r) for r in to],
        categories=list(categories),
        valid_until=valid_until,
        occurred_at=ago(days),
    )
    assert recorded.entity_id is not None
    return recorded.entity_id


def share(
    app: Maillage,
    world: World,
    case_id: UUID,
    *,
    by: str = "jeanne",
    to: str = "cmp",
    categories: Sequence[str] = ("family_situation", "health"),
    ground: GroundClaim | None = None,
    days: float = 2,
) -> UUID:
    recorded = app.share_information(
        case_id=case_id,
        by=world.actor(by),
        recipient_institution_id=world.i(to),
        categories=list(categories),
        legal_ground=ground,
        summary="situation at home",
        occurred_at=ago(days),
    )
    assert recorded.entity_id is not None
    return recorded.entity_id


def shared_secrecy(
    attested: Sequence[str] = SHARED_SECRECY_ATTESTED, statements: dict[str, str] | None = None
) -> GroundClaim:
    return GroundClaim(
        code="shared_secrecy_child_protection",
        attested=tuple(attested),
        statements=statements or {},
    )


# --- no basis -------------------------------------------------------------------------------


def test_sharing_without_consent_or_ground_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(NoLegalBasisForSharingError) as refused:
        share(app, world, case_id)

    assert type(refused.value) is NoLegalBasisForSharingError
    assert refused.value.details["uncovered"] == ["family_situation", "health"]
    assert position(app) == before


# --- consent --------------------------------------------------------------------------------


def test_a_consent_covering_recipient_and_every_category_allows_sharing(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    consent_id = consent(app, world, case_id)
    before = position(app)

    share_id = share(app, world, case_id, categories=["health", "family_situation"])

    events = events_since(app, before)
    assert names(events) == ["InformationShared"]
    shared = events[0]
    assert shared.share_id == share_id
    assert shared.consent_ids == [consent_id]
    assert shared.legal_ground is None
    assert shared.legal_reference is None
    assert shared.recipient_institution_id == world.i("cmp")
    assert shared.categories == ["health", "family_situation"]
    assert shared.by == world.actor("jeanne")
    assert shared.basis == Basis(BasisKind.CASE_HOLDER, world.i("aemo"))
    assert shared.occurred_at == ago(2)


def test_two_consents_may_together_cover_the_categories(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    family = consent(app, world, case_id, categories=["family_situation"])
    health = consent(app, world, case_id, categories=["health"], days=7)
    before = position(app)

    share(app, world, case_id, categories=["family_situation", "health"])

    events = events_since(app, before)
    assert names(events) == ["InformationShared"]
    assert events[0].consent_ids == [family, health]


def test_a_consent_not_covering_one_category_refuses_and_names_it(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    consent(app, world, case_id, categories=["family_situation"])
    before = position(app)

    with pytest.raises(NoLegalBasisForSharingError) as refused:
        share(app, world, case_id, categories=["family_situation", "health"])

    assert refused.value.details["uncovered"] == ["health"]
    assert refused.value.field == "categories"
    assert "health" in refused.value.message
    assert position(app) == before


def test_a_consent_for_another_recipient_does_not_cover_sharing(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    consent(app, world, case_id, to=["school"])
    before = position(app)

    with pytest.raises(NoLegalBasisForSharingError) as refused:
        share(app, world, case_id, to="cmp")

    assert refused.value.details["uncovered"] == ["family_situation", "health"]
    assert position(app) == before


def test_a_withdrawn_consent_no_longer_covers_sharing(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    consent_id = consent(app, world, case_id)
    app.withdraw_consent(
        case_id=case_id, consent_id=consent_id, by=world.actor("jeanne"), occurred_at=ago(4)
    )
    before = position(app)

    with pytest.raises(NoLegalBasisForSharingError):
        share(app, world, case_id, days=2)

    assert position(app) == before


def test_a_share_dated_before_the_withdrawal_was_covered(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    consent_id = consent(app, world, case_id, days=8)
    app.withdraw_consent(
        case_id=case_id, consent_id=consent_id, by=world.actor("jeanne"), occurred_at=ago(4)
    )
    before = position(app)

    share(app, world, case_id, days=6)  # entered late: it happened while the consent was in force

    events = events_since(app, before)
    assert names(events) == ["InformationShared"]
    assert events[0].consent_ids == [consent_id]


def test_a_share_dated_before_the_consent_was_given_is_not_covered(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    consent(app, world, case_id, days=5)
    before = position(app)

    with pytest.raises(NoLegalBasisForSharingError):
        share(app, world, case_id, days=7)

    assert position(app) == before


def test_a_consent_past_its_end_date_no_longer_covers_sharing(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    consent(app, world, case_id, valid_until=ago(5).date(), days=8)
    before = position(app)

    with pytest.raises(NoLegalBasisForSharingError):
        share(app, world, case_id, days=2)

    assert position(app) == before


def test_a_consent_covers_sharing_on_its_last_day(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    consent_id = consent(app, world, case_id, valid_until=ago(2).date(), days=8)
    before = position(app)

    share(app, world, case_id, days=2)

    events = events_since(app, before)
    assert names(events) == ["InformationShared"]
    assert events[0].consent_ids == [consent_id]


def test_a_non_participant_cannot_share_even_with_a_consent(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    consent(app, world, case_id, to=["school"])
    before = position(app)

    with pytest.raises(NotACaseParticipantError):
        share(app, world, case_id, by="sophie", to="school")

    assert position(app) == before


def test_a_closed_case_refuses_sharing(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    consent(app, world, case_id)
    app.close_case(case_id=case_id, by=world.actor("jeanne"), reason="done", occurred_at=ago(3))
    before = position(app)

    with pytest.raises(CaseClosedError):
        share(app, world, case_id, days=2)

    assert position(app) == before


def test_a_non_participant_learns_nothing_of_the_consents_when_sharing_is_refused(
    app: Maillage, world: World
) -> None:
    """Participation is checked before the legal basis, whose refusal names consented data."""
    case_id = world.open_case()
    consent(app, world, case_id, to=["school"], categories=["family_situation"])
    before = position(app)

    with pytest.raises(NotACaseParticipantError):
        share(
            app, world, case_id, by="sophie", to="school", categories=["family_situation", "health"]
        )

    assert position(app) == before


def test_a_non_participant_learns_nothing_of_the_beneficiary_from_a_refused_ground(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case(birth_year=2000)
    before = position(app)

    with pytest.raises(NotACaseParticipantError):
        share(app, world, case_id, by="sophie", to="ase", ground=shared_secrecy())

    assert position(app) == before


def test_a_closed_case_refuses_sharing_as_closed_even_without_a_consent(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    app.close_case(case_id=case_id, by=world.actor("jeanne"), reason="done", occurred_at=ago(3))
    before = position(app)

    with pytest.raises(CaseClosedError):
        share(app, world, case_id, days=2)

    assert position(app) == before


@pytest.mark.parametrize("categories", [(), ("health", "gossip")])
def test_sharing_names_known_information_categories(
    app: Maillage, world: World, categories: tuple[str, ...]
) -> None:
    case_id = world.open_case()
    consent(app, world, case_id)
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        share(app, world, case_id, categories=categories)

    assert refused.value.field == "categories"
    assert position(app) == before


def test_sharing_within_ones_own_institution_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    consent(app, world, case_id, to=["aemo"])
    before = position(app)

    with pytest.raises(SameInstitutionError) as refused:
        share(app, world, case_id, to="aemo", ground=shared_secrecy())

    assert refused.value.field == "recipient_institution_id"
    assert position(app) == before


# --- legal ground: shared secrecy in child protection ---------------------------------------


def test_shared_secrecy_in_child_protection_with_every_condition_allows_sharing(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case(birth_year=2015)
    claim = shared_secrecy()
    before = position(app)

    share(app, world, case_id, to="ase", categories=["child_protection"], ground=claim)

    events = events_since(app, before)
    assert names(events) == ["InformationShared"]
    shared = events[0]
    assert shared.legal_ground == claim
    assert shared.legal_reference == "CASF art. L.226-2-2"
    assert shared.consent_ids == []
    assert shared.recipient_institution_id == world.i("ase")


@pytest.mark.parametrize(
    "missing",
    ["recipient_bound_by_secrecy", "contributes_to_child_protection", "strictly_necessary"],
)
def test_shared_secrecy_without_an_attestation_is_refused_naming_it(
    app: Maillage, world: World, missing: str
) -> None:
    case_id = world.open_case()
    attested = [a for a in SHARED_SECRECY_ATTESTED if a != missing]
    before = position(app)

    with pytest.raises(LegalGroundConditionsNotMetError) as refused:
        share(app, world, case_id, to="ase", ground=shared_secrecy(attested))

    assert refused.value.details["missing_conditions"] == [missing]
    assert refused.value.field == "legal_ground"
    assert position(app) == before


def test_a_failed_ground_is_a_missing_legal_basis(app: Maillage, world: World) -> None:
    """An unmet ground is refused like a missing consent (DOMAIN.md)."""
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(NoLegalBasisForSharingError):
        share(app, world, case_id, to="ase", ground=shared_secrecy(()))

    assert position(app) == before


def test_a_failed_ground_is_not_replaced_by_a_consent(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    consent(app, world, case_id, to=["ase"])
    before = position(app)

    with pytest.raises(LegalGroundConditionsNotMetError) as refused:
        share(app, world, case_id, to="ase", ground=shared_secrecy(SHARED_SECRECY_ATTESTED[1:]))

    assert refused.value.details["missing_conditions"] == ["recipient_bound_by_secrecy"]
    assert position(app) == before


def test_shared_secrecy_needs_parents_informed_or_the_reason_they_were_not(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(LegalGroundConditionsNotMetError) as refused:
        share(app, world, case_id, to="ase", ground=shared_secrecy(SHARED_SECRECY_ATTESTED[:3]))

    assert refused.value.details["missing_conditions"] == [
        {"any_of": ["parental_authority_informed", "not_informed_reason"]}
    ]
    assert refused.value.details["condition_kinds"] == {
        "parental_authority_informed": "attested",
        "not_informed_reason": "stated",
    }
    assert position(app) == before


def test_the_reason_parents_were_not_informed_satisfies_the_alternative(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    claim = shared_secrecy(
        SHARED_SECRECY_ATTESTED[:3],
        {"not_informed_reason": "informing the father would put the child at risk"},
    )
    before = position(app)

    share(app, world, case_id, to="ase", ground=claim)

    events = events_since(app, before)
    assert names(events) == ["InformationShared"]
    assert events[0].legal_ground == claim
    assert events[0].legal_ground.statements == {
        "not_informed_reason": "informing the father would put the child at risk"
    }
    assert events[0].legal_reference == "CASF art. L.226-2-2"


def test_a_blank_reason_does_not_satisfy_the_alternative(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    claim = shared_secrecy(SHARED_SECRECY_ATTESTED[:3], {"not_informed_reason": "   "})
    before = position(app)

    with pytest.raises(LegalGroundConditionsNotMetError) as refused:
        share(app, world, case_id, to="ase", ground=claim)

    assert refused.value.details["missing_conditions"] == [
        {"any_of": ["parental_authority_informed", "not_informed_reason"]}
    ]
    assert position(app) == before


def test_shared_secrecy_in_child_protection_does_not_apply_to_an_adult(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case(birth_year=2000)
    before = position(app)

    with pytest.raises(LegalGroundConditionsNotMetError) as refused:
        share(app, world, case_id, to="ase", ground=shared_secrecy())

    assert refused.value.details["missing_conditions"] == ["beneficiary_is_minor"]
    assert position(app) == before


def test_every_unmet_condition_is_named(app: Maillage, world: World) -> None:
    case_id = world.open_case(birth_year=2000)
    before = position(app)

    with pytest.raises(LegalGroundConditionsNotMetError) as refused:
        share(app, world, case_id, to="ase", ground=shared_secrecy(["strictly_necessary"]))

    assert refused.value.details["missing_conditions"] == [
        "beneficiary_is_minor",
        "recipient_bound_by_secrecy",
        "contributes_to_child_protection",
        {"any_of": ["parental_authority_informed", "not_informed_reason"]},
    ]
    assert position(app) == before


# --- legal ground: care team, court order, unknown ------------------------------------------

CARE_TEAM = GroundClaim(code="care_team", attested=("same_care_team", "strictly_necessary"))


def test_the_care_team_ground_needs_the_recipient_institution_on_the_case(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(LegalGroundConditionsNotMetError) as refused:
        share(app, world, case_id, to="cmp", categories=["health"], ground=CARE_TEAM)

    assert refused.value.details["missing_conditions"] == ["recipient_on_case"]
    assert position(app) == before


def test_the_care_team_ground_allows_sharing_with_an_institution_on_the_case(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    app.join_case(
        case_id=case_id, by=world.actor("sophie"), role="psychiatrist", occurred_at=ago(9)
    )
    before = position(app)

    share(app, world, case_id, to="cmp", categories=["health"], ground=CARE_TEAM)

    events = events_since(app, before)
    assert names(events) == ["InformationShared"]
    assert events[0].legal_ground == CARE_TEAM
    assert events[0].legal_reference == "CSP art. L.1110-4"


def test_the_care_team_ground_no_longer_applies_once_the_recipient_left(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    app.join_case(
        case_id=case_id, by=world.actor("sophie"), role="psychiatrist", occurred_at=ago(9)
    )
    app.leave_case(case_id=case_id, by=world.actor("sophie"), occurred_at=ago(5))
    before = position(app)

    with pytest.raises(LegalGroundConditionsNotMetError) as refused:
        share(app, world, case_id, to="cmp", categories=["health"], ground=CARE_TEAM)

    assert refused.value.details["missing_conditions"] == ["recipient_on_case"]
    assert position(app) == before


@pytest.mark.parametrize("statements", [{}, {"court_order_reference": "  "}])
def test_the_court_order_ground_needs_the_order_reference(
    app: Maillage, world: World, statements: dict[str, str]
) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(LegalGroundConditionsNotMetError) as refused:
        share(app, world, case_id, to="ase", ground=GroundClaim("court_order", (), statements))

    assert refused.value.details["missing_conditions"] == ["court_order_reference"]
    assert position(app) == before


def test_the_court_order_ground_with_its_reference_allows_sharing(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case(birth_year=2000)
    claim = GroundClaim("court_order", (), {"court_order_reference": "TE Colmar 26/00412"})
    before = position(app)

    share(app, world, case_id, to="ase", ground=claim)

    events = events_since(app, before)
    assert names(events) == ["InformationShared"]
    assert events[0].legal_ground == claim
    assert events[0].legal_reference == FRANCE["court_order"].reference


def test_an_unknown_legal_ground_is_refused(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(UnknownLegalGroundError) as refused:
        share(app, world, case_id, to="ase", ground=GroundClaim("good_intentions"))

    assert refused.value.field == "legal_ground.code"
    assert "good_intentions" in refused.value.message
    assert position(app) == before


# --- the convention named on the event ------------------------------------------------------


def test_the_share_names_the_convention_covering_the_exchange(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    world.convention("aemo", "school")  # another pair: not this exchange
    convention_id = world.convention("aemo", "cmp")
    consent(app, world, case_id)
    before = position(app)

    share(app, world, case_id, to="cmp", categories=["family_situation", "health"])

    events = events_since(app, before)
    assert names(events) == ["InformationShared"]
    assert events[0].convention_id == convention_id


def test_a_convention_not_signed_by_both_is_not_named(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    partnership_id = world.convention("aemo", "cmp", sign=False)
    app.sign_partnership(
        partnership_id=partnership_id, institution_id=world.i("aemo"), signed_on=date(2025, 1, 1)
    )
    consent(app, world, case_id)
    before = position(app)

    share(app, world, case_id, to="cmp")

    events = events_since(app, before)
    assert names(events) == ["InformationShared"]
    assert events[0].convention_id is None


def test_a_convention_not_covering_a_category_is_not_named(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    world.convention("aemo", "cmp", categories=("family_situation",))
    consent(app, world, case_id)
    before = position(app)

    share(app, world, case_id, to="cmp", categories=["family_situation", "health"])

    events = events_since(app, before)
    assert names(events) == ["InformationShared"]
    assert events[0].convention_id is None


def test_a_convention_without_information_sharing_in_scope_is_not_named(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    world.convention("aemo", "cmp", kinds=("case_participation", "home_visit"))
    consent(app, world, case_id)
    before = position(app)

    share(app, world, case_id, to="cmp")

    events = events_since(app, before)
    assert names(events) == ["InformationShared"]
    assert events[0].convention_id is None


def test_without_a_convention_the_share_is_lawful_and_names_none(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    world.convention("aemo", "school")
    consent(app, world, case_id)
    before = position(app)

    share(app, world, case_id, to="cmp")

    events = events_since(app, before)
    assert names(events) == ["InformationShared"]
    assert events[0].convention_id is None


# --- concerning information (information préoccupante) --------------------------------------


def transmit(app: Maillage, world: World, case_id: UUID, *, by: str, to: str, at: datetime) -> UUID:
    recorded = app.transmit_concerning_information(
        case_id=case_id,
        by=world.actor(by),
        crip_institution_id=world.i(to),
        summary="bruises seen twice this month",
        occurred_at=at,
    )
    assert recorded.entity_id is not None
    return recorded.entity_id


@pytest.mark.parametrize("to", ["ase", "cmp"])
def test_concerning_information_goes_to_a_crip_only(app: Maillage, world: World, to: str) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(NotACripError) as refused:
        transmit(app, world, case_id, by="jeanne", to=to, at=ago(2))

    assert refused.value.field == "crip_institution_id"
    assert position(app) == before


def test_any_professional_may_transmit_concerning_information_to_the_crip(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    before = position(app)

    transmission_id = transmit(app, world, case_id, by="paul", to="crip", at=ago(2))

    events = events_since(app, before)
    assert names(events) == ["ConcerningInformationTransmitted"]
    sent = events[0]
    assert sent.transmission_id == transmission_id
    assert sent.originator_id == case_id
    assert sent.crip_institution_id == world.i("crip")
    assert sent.legal_reference == "CASF art. L.226-3"
    assert sent.summary == "bruises seen twice this month"
    assert sent.by == world.actor("paul")
    assert sent.basis == Basis.informal()
    assert sent.occurred_at == ago(2)
    assert not app.repository.get(case_id).is_participant(world.actor("paul"))


def test_concerning_information_is_allowed_on_a_closed_case(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    app.close_case(case_id=case_id, by=world.actor("jeanne"), reason="done", occurred_at=ago(4))
    before = position(app)

    transmit(app, world, case_id, by="luc", to="crip", at=ago(2))

    events = events_since(app, before)
    assert names(events) == ["ConcerningInformationTransmitted"]
    assert events[0].legal_reference == "CASF art. L.226-3"
    assert app.repository.get(case_id).closed is True


def test_concerning_information_says_what_is_feared(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.transmit_concerning_information(
            case_id=case_id,
            by=world.actor("paul"),
            crip_institution_id=world.i("crip"),
            summary="   ",
            occurred_at=ago(2),
        )

    assert refused.value.field == "summary"
    assert position(app) == before


# --- grounds are data: another catalogue, the same engine -----------------------------------

BELGIUM = {
    g.code: g
    for g in (
        LegalGround(
            code="secret_professionnel_partage",
            title="Secret professionnel partagé",
            reference="Code pénal belge art. 458quater",
            requirements=(
                Condition("beneficiary_informed", "attested", "the person was informed"),
                AnyOf(
                    (
                        Condition("concertation_case", "fact", "a concertation case exists"),
                        Condition("mandate", "stated", "the mandate of the concertation"),
                    ),
                    "a concertation case or a mandate",
                ),
            ),
        ),
    )
}


def test_a_custom_catalogue_grants_a_ground_whose_conditions_are_met() -> None:
    claim = GroundClaim("secret_professionnel_partage", attested=("beneficiary_informed",))

    granted = evaluate(claim, {"concertation_case": True}, BELGIUM)

    assert granted is BELGIUM["secret_professionnel_partage"]
    assert granted.reference == "Code pénal belge art. 458quater"


def test_a_custom_catalogue_accepts_a_stated_alternative() -> None:
    claim = GroundClaim(
        "secret_professionnel_partage",
        attested=("beneficiary_informed",),
        statements={"mandate": "arrêté du 12 mars 2026"},
    )

    granted = evaluate(claim, {}, BELGIUM)

    assert granted.code == "secret_professionnel_partage"


def test_a_custom_catalogue_refuses_naming_its_unmet_conditions() -> None:
    claim = GroundClaim("secret_professionnel_partage")

    with pytest.raises(LegalGroundConditionsNotMetError) as refused:
        evaluate(claim, {"concertation_case": False}, BELGIUM)

    assert refused.value.details["missing_conditions"] == [
        "beneficiary_informed",
        {"any_of": ["concertation_case", "mandate"]},
    ]
    assert "Code pénal belge art. 458quater" in refused.value.message


def test_a_custom_catalogue_does_not_know_the_french_grounds() -> None:
    with pytest.raises(UnknownLegalGroundError) as refused:
        evaluate(shared_secrecy(), {"beneficiary_is_minor": True}, BELGIUM)

    assert "secret_professionnel_partage" in refused.value.message


def test_the_french_catalogue_is_the_default() -> None:
    granted = evaluate(shared_secrecy(), {"beneficiary_is_minor": True})

    assert granted is FRANCE["shared_secrecy_child_protection"]
