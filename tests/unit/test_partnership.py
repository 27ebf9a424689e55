"""Partnership rules: charters and conventions, signatures, force in time, and what they cover."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from uuid import UUID, uuid4

import pytest

from domain.application import Maillage
from domain.errors import (
    AlreadySignedError,
    CharterHasNoScopeError,
    InvalidValueError,
    MandateReferenceRequiredError,
    NotAPartyError,
    NotFoundError,
    PartnershipEndedError,
    PartnershipStateError,
)
from domain.institution import Institution
from domain.partnership import ConventionLack, Partnership, PartyScope, Signature
from tests.world import NOW, World, ago, events_since, names, position


def load(app: Maillage, partnership_id: UUID) -> Partnership:
    partnership = app.repository.get(partnership_id)
    assert isinstance(partnership, Partnership)
    return partnership


def scope(
    world: World,
    party: str,
    kinds: Sequence[str] = ("home_visit",),
    categories: Sequence[str] = ("family_situation",),
) -> PartyScope:
    return PartyScope.parse(world.i(party), kinds, categories)


def charter(app: Maillage, world: World, *parties: str) -> UUID:
    return app.propose_partnership(
        kind="charter",
        title="Charte du travail en réseau",
        origin="spontaneous",
        parties=[world.i(p) for p in parties or ("aemo", "ase")],
        valid_from=date(2025, 1, 1),
        values_statement="respect of the person, reciprocity",
    ).id


def sign_all(app: Maillage, world: World, partnership_id: UUID, *parties: str) -> None:
    for party in parties:
        app.sign_partnership(
            partnership_id=partnership_id, institution_id=world.i(party), signed_on=date(2025, 1, 1)
        )


def covers(
    partnership: Partnership,
    world: World,
    acting: str = "aemo",
    other: str = "ase",
    *,
    at: datetime = NOW,
    action_kind: str = "home_visit",
    categories: Sequence[str] = (),
) -> bool:
    return partnership.covers_exchange(
        acting_institution_id=world.i(acting),
        other_institution_id=world.i(other),
        at=at,
        action_kind=action_kind,
        categories=categories,
    )


# --- proposing ----------------------------------------------------------------------------


def test_proposing_a_convention_records_it_and_each_party_enters_it(
    app: Maillage, world: World
) -> None:
    before = position(app)

    partnership_id = world.convention("aemo", "ase", sign=False)

    events = events_since(app, before)
    assert names(events) == ["PartnershipProposed", "PartnershipEntered", "PartnershipEntered"]
    proposed, *entered = events
    assert proposed.originator_id == partnership_id
    assert proposed.kind == "convention"
    assert proposed.origin == "spontaneous"
    assert proposed.parties == [world.i("aemo"), world.i("ase")]
    assert {e.originator_id for e in entered} == {world.i("aemo"), world.i("ase")}
    assert all(e.partnership_id == partnership_id for e in entered)
    for party in ("aemo", "ase"):
        institution = app.repository.get(world.i(party))
        assert isinstance(institution, Institution)
        assert institution.partnership_ids == [partnership_id]


def test_a_charter_states_values_without_scope(app: Maillage, world: World) -> None:
    before = position(app)

    partnership_id = charter(app, world)

    events = events_since(app, before)
    assert names(events) == ["PartnershipProposed", "PartnershipEntered", "PartnershipEntered"]
    assert events[0].originator_id == partnership_id
    assert events[0].kind == "charter"
    assert events[0].scopes == []
    assert events[0].values_statement == "respect of the person, reciprocity"


def test_a_charter_with_a_scope_is_refused(app: Maillage, world: World) -> None:
    before = position(app)

    with pytest.raises(CharterHasNoScopeError) as refused:
        app.propose_partnership(
            kind="charter",
            title="Charte",
            origin="spontaneous",
            parties=[world.i("aemo"), world.i("ase")],
            valid_from=date(2025, 1, 1),
            scopes=[scope(world, "aemo")],
        )

    assert refused.value.field == "scopes"
    assert position(app) == before


def test_a_mandated_partnership_without_its_reference_is_refused(
    app: Maillage, world: World
) -> None:
    before = position(app)

    with pytest.raises(MandateReferenceRequiredError) as refused:
        app.propose_partnership(
            kind="charter",
            title="Protocole départemental",
            origin="mandated",
            parties=[world.i("ase"), world.i("crip")],
            valid_from=date(2025, 1, 1),
            mandate_reference="  ",
        )

    assert refused.value.field == "mandate_reference"
    assert position(app) == before


def test_a_mandated_partnership_keeps_its_reference(app: Maillage, world: World) -> None:
    before = position(app)

    app.propose_partnership(
        kind="charter",
        title="Protocole départemental",
        origin="mandated",
        parties=[world.i("ase"), world.i("crip")],
        valid_from=date(2025, 1, 1),
        mandate_reference=" CASF art. L.226-3 ",
    )

    events = events_since(app, before)
    assert names(events)[0] == "PartnershipProposed"
    assert events[0].origin == "mandated"
    assert events[0].mandate_reference == "CASF art. L.226-3"


def test_a_convention_without_scopes_is_refused(app: Maillage, world: World) -> None:
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.propose_partnership(
            kind="convention",
            title="Convention",
            origin="spontaneous",
            parties=[world.i("aemo"), world.i("ase")],
            valid_from=date(2025, 1, 1),
        )

    assert refused.value.field == "scopes"
    assert position(app) == before


def test_a_convention_scope_for_a_non_party_is_refused(app: Maillage, world: World) -> None:
    before = position(app)

    with pytest.raises(NotAPartyError) as refused:
        app.propose_partnership(
            kind="convention",
            title="Convention",
            origin="spontaneous",
            parties=[world.i("aemo"), world.i("ase")],
            valid_from=date(2025, 1, 1),
            scopes=[scope(world, "aemo"), scope(world, "cmp")],
        )

    assert refused.value.field == "scopes"
    assert position(app) == before


def test_two_scopes_for_the_same_party_are_refused(app: Maillage, world: World) -> None:
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.propose_partnership(
            kind="convention",
            title="Convention",
            origin="spontaneous",
            parties=[world.i("aemo"), world.i("ase")],
            valid_from=date(2025, 1, 1),
            scopes=[scope(world, "aemo"), scope(world, "aemo", ("assessment",))],
        )

    assert refused.value.field == "scopes"
    assert position(app) == before


@pytest.mark.parametrize("parties", [("aemo",), ("aemo", "aemo")])
def test_a_partnership_needs_at_least_two_institutions(
    app: Maillage, world: World, parties: tuple[str, ...]
) -> None:
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.propose_partnership(
            kind="charter",
            title="Charte",
            origin="spontaneous",
            parties=[world.i(p) for p in parties],
            valid_from=date(2025, 1, 1),
        )

    assert refused.value.field == "parties"
    assert position(app) == before


def test_a_partnership_with_an_unknown_institution_is_refused(app: Maillage, world: World) -> None:
    before = position(app)

    with pytest.raises(NotFoundError) as refused:
        app.propose_partnership(
            kind="charter",
            title="Charte",
            origin="spontaneous",
            parties=[world.i("aemo"), uuid4()],
            valid_from=date(2025, 1, 1),
        )

    assert refused.value.field == "parties"
    assert position(app) == before


# --- signing ------------------------------------------------------------------------------


def test_signing_records_the_signature(app: Maillage, world: World) -> None:
    partnership_id = world.convention("aemo", "ase", sign=False)
    before = position(app)

    app.sign_partnership(
        partnership_id=partnership_id,
        institution_id=world.i("aemo"),
        signed_on=date(2025, 2, 1),
        signatory_id=world.p("jeanne"),
    )

    events = events_since(app, before)
    assert names(events) == ["PartnershipSigned"]
    assert events[0].signature == Signature(world.i("aemo"), date(2025, 2, 1), world.p("jeanne"))


def test_signing_by_a_non_party_is_refused(app: Maillage, world: World) -> None:
    partnership_id = world.convention("aemo", "ase", sign=False)
    before = position(app)

    with pytest.raises(NotAPartyError) as refused:
        app.sign_partnership(
            partnership_id=partnership_id, institution_id=world.i("cmp"), signed_on=date(2025, 1, 1)
        )

    assert refused.value.field == "institution_id"
    assert position(app) == before


def test_signing_twice_is_refused(app: Maillage, world: World) -> None:
    partnership_id = world.convention("aemo", "ase", sign=False)
    sign_all(app, world, partnership_id, "aemo")
    before = position(app)

    with pytest.raises(AlreadySignedError):
        app.sign_partnership(
            partnership_id=partnership_id,
            institution_id=world.i("aemo"),
            signed_on=date(2025, 2, 1),
        )

    assert position(app) == before


def test_signing_an_unknown_partnership_is_refused(app: Maillage, world: World) -> None:
    before = position(app)

    with pytest.raises(NotFoundError) as refused:
        app.sign_partnership(
            partnership_id=world.i("aemo"),  # an institution's id, not a partnership's
            institution_id=world.i("aemo"),
            signed_on=date(2025, 1, 1),
        )

    assert refused.value.field == "partnership_id"
    assert position(app) == before


# --- in force -----------------------------------------------------------------------------


def test_a_partnership_is_in_force_only_once_every_party_signed(
    app: Maillage, world: World
) -> None:
    partnership_id = world.convention("aemo", "ase", sign=False)
    assert not load(app, partnership_id).in_force_at(NOW)

    sign_all(app, world, partnership_id, "aemo")
    assert not load(app, partnership_id).in_force_at(NOW)

    sign_all(app, world, partnership_id, "ase")
    assert load(app, partnership_id).in_force_at(NOW)


def test_a_partnership_is_not_in_force_outside_its_dates(app: Maillage, world: World) -> None:
    partnership_id = app.propose_partnership(
        kind="charter",
        title="Charte 2026",
        origin="spontaneous",
        parties=[world.i("aemo"), world.i("ase")],
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 6, 30),
    ).id
    sign_all(app, world, partnership_id, "aemo", "ase")
    partnership = load(app, partnership_id)

    assert not partnership.in_force_at(datetime(2025, 12, 31, 12, 0, tzinfo=UTC))
    assert partnership.in_force_at(datetime(2026, 1, 1, 12, 0, tzinfo=UTC))
    assert partnership.in_force_at(datetime(2026, 6, 30, 12, 0, tzinfo=UTC))
    assert not partnership.in_force_at(datetime(2026, 7, 1, 12, 0, tzinfo=UTC))


def test_suspending_records_the_instant_and_ends_force_from_then(
    app: Maillage, world: World
) -> None:
    partnership_id = world.convention("aemo", "ase")
    before = position(app)

    app.suspend_partnership(
        partnership_id=partnership_id, reason="dispute over roles", occurred_at=ago(5)
    )

    events = events_since(app, before)
    assert names(events) == ["PartnershipSuspended"]
    assert events[0].suspended_at == ago(5)
    assert events[0].reason == "dispute over roles"
    partnership = load(app, partnership_id)
    assert partnership.in_force_at(ago(5, hours=1))
    assert not partnership.in_force_at(ago(5))
    assert not partnership.in_force_at(NOW)


def test_suspending_a_suspended_partnership_is_refused(app: Maillage, world: World) -> None:
    partnership_id = world.convention("aemo", "ase")
    app.suspend_partnership(partnership_id=partnership_id, reason="dispute", occurred_at=ago(5))
    before = position(app)

    with pytest.raises(PartnershipStateError):
        app.suspend_partnership(partnership_id=partnership_id, reason="again")

    assert position(app) == before


def test_resuming_puts_a_suspended_partnership_back_in_force(app: Maillage, world: World) -> None:
    partnership_id = world.convention("aemo", "ase")
    app.suspend_partnership(partnership_id=partnership_id, reason="dispute", occurred_at=ago(5))
    before = position(app)

    app.resume_partnership(partnership_id=partnership_id, occurred_at=ago(1))

    events = events_since(app, before)
    assert names(events) == ["PartnershipResumed"]
    assert events[0].resumed_at == ago(1)
    assert load(app, partnership_id).in_force_at(NOW)


def test_resuming_a_partnership_that_is_not_suspended_is_refused(
    app: Maillage, world: World
) -> None:
    partnership_id = world.convention("aemo", "ase")
    before = position(app)

    with pytest.raises(PartnershipStateError):
        app.resume_partnership(partnership_id=partnership_id)

    assert position(app) == before


def test_a_past_suspension_still_ends_force_during_it_after_resume(
    app: Maillage, world: World
) -> None:
    partnership_id = world.convention("aemo", "ase")
    app.suspend_partnership(partnership_id=partnership_id, reason="dispute", occurred_at=ago(10))
    app.resume_partnership(partnership_id=partnership_id, occurred_at=ago(2))

    partnership = load(app, partnership_id)

    assert partnership.in_force_at(NOW)
    assert not partnership.in_force_at(ago(5))


def test_a_partnership_cannot_resume_before_it_was_suspended(app: Maillage, world: World) -> None:
    partnership_id = world.convention("aemo", "ase")
    app.suspend_partnership(partnership_id=partnership_id, reason="dispute", occurred_at=ago(5))
    before = position(app)

    with pytest.raises(InvalidValueError):
        app.resume_partnership(partnership_id=partnership_id, occurred_at=ago(10))

    assert position(app) == before


# --- terminating --------------------------------------------------------------------------


def test_terminating_ends_force_from_the_termination_day(app: Maillage, world: World) -> None:
    partnership_id = world.convention("aemo", "ase")
    before = position(app)

    app.terminate_partnership(
        partnership_id=partnership_id, reason="project over", terminated_on=date(2026, 11, 1)
    )

    events = events_since(app, before)
    assert names(events) == ["PartnershipTerminated"]
    assert events[0].terminated_on == date(2026, 11, 1)
    assert events[0].reason == "project over"
    partnership = load(app, partnership_id)
    assert partnership.in_force_at(datetime(2026, 10, 31, 12, 0, tzinfo=UTC))
    assert not partnership.in_force_at(datetime(2026, 11, 1, 12, 0, tzinfo=UTC))


def test_a_partnership_cannot_terminate_before_it_starts(app: Maillage, world: World) -> None:
    partnership_id = world.convention("aemo", "ase")
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.terminate_partnership(
            partnership_id=partnership_id, reason="never mind", terminated_on=date(2024, 12, 31)
        )

    assert refused.value.field == "terminated_on"
    assert position(app) == before


CHANGES: dict[str, Callable[[Maillage, World, UUID], object]] = {
    "sign": lambda app, world, pid: app.sign_partnership(
        partnership_id=pid, institution_id=world.i("ase"), signed_on=date(2026, 11, 1)
    ),
    "amend": lambda app, world, pid: app.amend_partnership(
        partnership_id=pid, reference="avenant 1", valid_until=date(2027, 12, 31)
    ),
    "suspend": lambda app, world, pid: app.suspend_partnership(
        partnership_id=pid, reason="dispute"
    ),
    "resume": lambda app, world, pid: app.resume_partnership(partnership_id=pid),
    "terminate": lambda app, world, pid: app.terminate_partnership(
        partnership_id=pid, reason="again", terminated_on=date(2026, 11, 20)
    ),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_a_terminated_partnership_takes_no_further_change(
    app: Maillage, world: World, change: str
) -> None:
    partnership_id = world.convention("aemo", "ase", sign=False)
    sign_all(app, world, partnership_id, "aemo")
    app.terminate_partnership(
        partnership_id=partnership_id, reason="project over", terminated_on=date(2026, 11, 1)
    )
    before = position(app)

    with pytest.raises(PartnershipEndedError):
        CHANGES[change](app, world, partnership_id)

    assert position(app) == before


# --- amending -----------------------------------------------------------------------------


def test_amending_the_end_date_records_it_and_keeps_signatures(app: Maillage, world: World) -> None:
    partnership_id = world.convention("aemo", "ase")
    before = position(app)

    app.amend_partnership(
        partnership_id=partnership_id, reference="avenant 1", valid_until=date(2026, 11, 19)
    )

    events = events_since(app, before)
    assert names(events) == ["PartnershipAmended"]
    assert events[0].reference == "avenant 1"
    assert events[0].valid_until == date(2026, 11, 19)
    assert events[0].scopes is None
    partnership = load(app, partnership_id)
    assert partnership.fully_signed
    assert partnership.in_force_at(datetime(2026, 11, 19, 12, 0, tzinfo=UTC))
    assert not partnership.in_force_at(NOW)


def test_amending_the_scopes_changes_what_the_convention_covers(
    app: Maillage, world: World
) -> None:
    partnership_id = world.convention("aemo", "ase")
    new_scopes = [
        scope(world, "aemo", ("assessment",), ("education",)),
        scope(world, "ase", ("home_visit",), ("family_situation",)),
    ]
    before = position(app)

    app.amend_partnership(partnership_id=partnership_id, reference="avenant 2", scopes=new_scopes)

    events = events_since(app, before)
    assert names(events) == ["PartnershipAmended"]
    assert events[0].scopes == new_scopes
    assert events[0].valid_until is None
    partnership = load(app, partnership_id)
    assert covers(partnership, world, "aemo", "ase", action_kind="assessment")
    assert not covers(partnership, world, "aemo", "ase", action_kind="home_visit")


def test_an_amendment_that_changes_nothing_is_refused(app: Maillage, world: World) -> None:
    partnership_id = world.convention("aemo", "ase")
    before = position(app)

    with pytest.raises(InvalidValueError):
        app.amend_partnership(partnership_id=partnership_id, reference="avenant vide")

    assert position(app) == before


def test_an_amendment_needs_a_reference(app: Maillage, world: World) -> None:
    partnership_id = world.convention("aemo", "ase")
    before = position(app)

    with pytest.raises(InvalidValueError) as refused:
        app.amend_partnership(
            partnership_id=partnership_id, reference="", valid_until=date(2027, 12, 31)
        )

    assert refused.value.field == "reference"
    assert position(app) == before


def test_an_amended_end_before_the_start_is_refused(app: Maillage, world: World) -> None:
    partnership_id = world.convention("aemo", "ase")
    before = position(app)

    with pytest.raises(InvalidValueError):
        app.amend_partnership(
            partnership_id=partnership_id, reference="avenant", valid_until=date(2024, 12, 31)
        )

    assert position(app) == before


def test_amending_a_charter_with_scopes_is_refused(app: Maillage, world: World) -> None:
    partnership_id = charter(app, world)
    before = position(app)

    with pytest.raises(CharterHasNoScopeError):
        app.amend_partnership(
            partnership_id=partnership_id, reference="avenant", scopes=[scope(world, "aemo")]
        )

    assert position(app) == before


def test_amending_scopes_for_a_non_party_is_refused(app: Maillage, world: World) -> None:
    partnership_id = world.convention("aemo", "ase")
    before = position(app)

    with pytest.raises(NotAPartyError):
        app.amend_partnership(
            partnership_id=partnership_id, reference="avenant", scopes=[scope(world, "cmp")]
        )

    assert position(app) == before


# --- what a convention covers -------------------------------------------------------------


def test_a_convention_in_force_covers_exchanges_in_the_acting_party_scope(
    app: Maillage, world: World
) -> None:
    partnership = load(app, world.convention("aemo", "ase"))

    assert covers(partnership, world, "aemo", "ase", categories=["family_situation", "health"])
    assert covers(partnership, world, "ase", "aemo", action_kind="information_sharing")


def test_a_convention_covers_only_exchanges_between_its_parties(
    app: Maillage, world: World
) -> None:
    partnership = load(app, world.convention("aemo", "ase"))

    assert not covers(partnership, world, "aemo", "cmp")
    assert not covers(partnership, world, "cmp", "aemo")


def test_a_convention_covers_only_action_kinds_and_categories_in_scope(
    app: Maillage, world: World
) -> None:
    partnership = load(app, world.convention("aemo", "ase"))

    assert not covers(partnership, world, action_kind="assessment")
    assert not covers(partnership, world, categories=["family_situation", "justice"])


def test_a_convention_uses_the_scope_of_the_acting_party(app: Maillage, world: World) -> None:
    partnership_id = app.propose_partnership(
        kind="convention",
        title="Convention AEMO-CMP",
        origin="spontaneous",
        parties=[world.i("aemo"), world.i("cmp")],
        valid_from=date(2025, 1, 1),
        scopes=[
            scope(world, "aemo", ("home_visit",), ("family_situation",)),
            scope(world, "cmp", ("consultation",), ("health",)),
        ],
    ).id
    sign_all(app, world, partnership_id, "aemo", "cmp")
    partnership = load(app, partnership_id)

    assert covers(partnership, world, "aemo", "cmp", action_kind="home_visit")
    assert not covers(partnership, world, "cmp", "aemo", action_kind="home_visit")
    assert covers(partnership, world, "cmp", "aemo", action_kind="consultation")
    assert not covers(
        partnership,
        world,
        "cmp",
        "aemo",
        action_kind="consultation",
        categories=["family_situation"],
    )


def test_a_party_without_a_scope_is_not_covered(app: Maillage, world: World) -> None:
    partnership_id = app.propose_partnership(
        kind="convention",
        title="Convention AEMO-CMP",
        origin="spontaneous",
        parties=[world.i("aemo"), world.i("cmp")],
        valid_from=date(2025, 1, 1),
        scopes=[scope(world, "aemo")],
    ).id
    sign_all(app, world, partnership_id, "aemo", "cmp")
    partnership = load(app, partnership_id)

    assert covers(partnership, world, "aemo", "cmp")
    assert not covers(partnership, world, "cmp", "aemo")


def test_a_convention_not_in_force_covers_nothing(app: Maillage, world: World) -> None:
    unsigned = load(app, world.convention("aemo", "ase", sign=False))
    suspended_id = world.convention("aemo", "cmp")
    app.suspend_partnership(partnership_id=suspended_id, reason="dispute", occurred_at=ago(5))
    suspended = load(app, suspended_id)

    assert not covers(unsigned, world, "aemo", "ase")
    assert not covers(suspended, world, "aemo", "cmp")
    assert covers(suspended, world, "aemo", "cmp", at=ago(6))


def test_a_charter_never_covers_an_exchange(app: Maillage, world: World) -> None:
    partnership_id = charter(app, world)
    sign_all(app, world, partnership_id, "aemo", "ase")
    partnership = load(app, partnership_id)

    assert partnership.in_force_at(NOW)
    assert not covers(partnership, world, "aemo", "ase")


def test_joining_a_case_under_a_convention_in_force_rests_on_it(
    app: Maillage, world: World
) -> None:
    partnership_id = world.convention("aemo", "ase")
    case_id = world.open_case("jeanne", occurred_at=ago(20))
    before = position(app)

    app.join_case(case_id=case_id, by=world.actor("karim"), role="ASE referent", occurred_at=ago(1))

    events = events_since(app, before)
    assert names(events) == ["ParticipantJoined"]
    assert events[0].basis.kind == "convention"
    assert events[0].basis.ref_id == partnership_id


def test_joining_a_case_while_the_convention_is_suspended_rests_on_nothing_formal(
    app: Maillage, world: World
) -> None:
    partnership_id = world.convention("aemo", "ase")
    case_id = world.open_case("jeanne", occurred_at=ago(20))
    app.suspend_partnership(partnership_id=partnership_id, reason="dispute", occurred_at=ago(10))
    before = position(app)

    app.join_case(case_id=case_id, by=world.actor("karim"), role="ASE referent", occurred_at=ago(1))

    events = events_since(app, before)
    assert names(events) == ["ParticipantJoined"]
    assert events[0].basis.kind == "informal"


def test_joining_backdated_into_a_past_suspension_does_not_rest_on_the_convention(
    app: Maillage, world: World
) -> None:
    partnership_id = world.convention("aemo", "ase")
    case_id = world.open_case("jeanne", occurred_at=ago(20))
    app.suspend_partnership(partnership_id=partnership_id, reason="dispute", occurred_at=ago(10))
    app.resume_partnership(partnership_id=partnership_id, occurred_at=ago(2))
    before = position(app)

    app.join_case(case_id=case_id, by=world.actor("karim"), role="ASE referent", occurred_at=ago(5))

    events = events_since(app, before)
    assert names(events) == ["ParticipantJoined"]
    assert events[0].basis.kind == "informal"


# --- why a convention does not cover --------------------------------------------------------


def why_not(
    partnership: Partnership,
    world: World,
    acting: str = "cmp",
    on_case: Sequence[str] = ("aemo",),
    *,
    at: datetime = NOW,
    action_kind: str = "case_participation",
    categories: Sequence[str] = (),
) -> ConventionLack | None:
    return partnership.why_not_covering(
        acting_institution_id=world.i(acting),
        on_case=[world.i(i) for i in on_case],
        at=at,
        action_kind=action_kind,
        categories=categories,
    )


def cmp_convention(
    app: Maillage, world: World, other: str = "aemo", kinds: Sequence[str] = ("consultation",)
) -> UUID:
    partnership_id = app.propose_partnership(
        kind="convention",
        title=f"Convention CMP-{other}",
        origin="spontaneous",
        parties=[world.i("cmp"), world.i(other)],
        valid_from=date(2025, 1, 1),
        valid_until=date(2027, 12, 31),
        scopes=[scope(world, "cmp", kinds, ("health",)), scope(world, other)],
    ).id
    sign_all(app, world, partnership_id, "cmp", other)
    return partnership_id


def test_taking_part_comes_with_any_action_kind_of_the_acting_partys_scope(
    app: Maillage, world: World
) -> None:
    """A convention's scope says what its professionals may do on a shared case: taking part in
    it (joining) comes with any of those acts, with no `case_participation` of its own."""
    partnership = load(app, cmp_convention(app, world, kinds=("consultation", "assessment")))

    assert why_not(partnership, world) is None
    assert covers(partnership, world, "cmp", "aemo", action_kind="case_participation")
    assert why_not(partnership, world, action_kind="assessment") is None
    assert why_not(partnership, world, action_kind="home_visit") is (
        ConventionLack.ACTION_NOT_IN_SCOPE
    )
    assert why_not(partnership, world, action_kind="consultation", categories=["justice"]) is (
        ConventionLack.CATEGORY_NOT_IN_SCOPE
    )


def test_a_scope_naming_no_action_kind_lets_no_one_take_part(app: Maillage, world: World) -> None:
    partnership = load(app, cmp_convention(app, world, kinds=()))

    assert why_not(partnership, world) is ConventionLack.NO_ACTION_KINDS
    assert not covers(partnership, world, "cmp", "aemo", action_kind="case_participation")
    assert why_not(partnership, world, "aemo", ("cmp",)) is None  # the other party's scope does


def test_why_a_convention_does_not_cover_says_what_it_is_before_the_case(
    app: Maillage, world: World
) -> None:
    """Each reason, in order: what the partnership is, whether it is in force, what it says for
    the acting party; whether a party is on the case comes last."""
    assert why_not(load(app, charter(app, world, "cmp", "aemo")), world) is ConventionLack.CHARTER
    unsigned = load(app, world.convention("cmp", "aemo", sign=False))
    assert why_not(unsigned, world, on_case=()) is ConventionLack.NOT_SIGNED

    dated = load(app, cmp_convention(app, world))
    assert why_not(dated, world, at=datetime(2024, 12, 31, 12, tzinfo=UTC)) is (
        ConventionLack.NOT_YET_IN_FORCE
    )
    assert why_not(dated, world, at=datetime(2028, 1, 1, 12, tzinfo=UTC)) is ConventionLack.EXPIRED
    assert why_not(dated, world, "school") is ConventionLack.NOT_A_PARTY
    assert why_not(dated, world, on_case=("school", "cmp")) is ConventionLack.NO_PARTY_ON_CASE
    assert why_not(dated, world, on_case=("school", "aemo")) is None

    suspended_id = cmp_convention(app, world, "ase")
    app.suspend_partnership(partnership_id=suspended_id, reason="audit", occurred_at=ago(3))
    assert why_not(load(app, suspended_id), world, on_case=("ase",)) is ConventionLack.SUSPENDED
    assert why_not(load(app, suspended_id), world, on_case=("ase",), at=ago(4)) is None

    terminated_id = cmp_convention(app, world, "school")
    app.terminate_partnership(
        partnership_id=terminated_id, reason="fin", terminated_on=date(2026, 6, 1)
    )
    assert why_not(load(app, terminated_id), world, on_case=("school",)) is (
        ConventionLack.TERMINATED
    )
