"""The registry terms folded by the coherence projection: re-applying an event changes nothing,
and an act under a convention names the event that took the convention out of force."""

from __future__ import annotations

from datetime import timedelta

from domain.application import Maillage
from domain.coherence import Registry
from domain.values import AlertKind
from projections.coherence import AsOf, coherence_as_of
from tests.world import NOW, World, ago, events_since, position


def test_re_applied_registry_events_change_nothing(app: Maillage, world: World) -> None:
    start = position(app)
    convention = world.convention("aemo", "cmp")
    app.suspend_partnership(partnership_id=convention, reason="audit", occurred_at=ago(10))
    app.resume_partnership(partnership_id=convention, occurred_at=ago(5))
    delegation = app.grant_delegation(
        institution_id=world.i("cmp"),
        professional_id=world.p("sophie"),
        network_id=None,
        case_id=world.open_case(),
        scope=["consultation"],
        valid_from=NOW.date() - timedelta(days=20),
        valid_until=NOW.date() + timedelta(days=20),
    ).id
    app.extend_delegation(delegation_id=delegation, valid_until=NOW.date() + timedelta(days=40))
    events = events_since(app, start)

    once, twice = Registry(), Registry()
    for e in events:
        once.apply(e)
    for e in events + events:  # as after a position reset: every event a second time
        twice.apply(e)

    assert twice == once
    assert twice.partnerships[convention].in_force_at(NOW)
    assert len(twice.delegations[delegation].events) == 2


def test_an_act_under_a_convention_suspended_late_names_the_suspension(
    app: Maillage, world: World
) -> None:
    convention = world.convention("aemo", "cmp")
    case_id = world.open_case()
    app.join_case(case_id=case_id, by=world.actor("sophie"), role="psy", occurred_at=ago(3))
    suspended = app.suspend_partnership(
        partnership_id=convention, reason="audit", occurred_at=ago(4)
    )
    app.resume_partnership(partnership_id=convention, occurred_at=ago(1))

    view = coherence_as_of(app, case_id, at=NOW, question=AsOf.OCCURRED)

    assert view is not None
    (alert,) = [a for a in view.alerts if a.kind == AlertKind.ACTION_WITHOUT_VALID_BASIS]
    assert [(r.type, r.version) for r in alert.related] == [
        ("Partnership.PartnershipSuspended", suspended.version)
    ]


def test_the_convention_named_between_two_institutions_does_not_depend_on_gathering_order(
    app: Maillage, world: World
) -> None:
    """Two conventions bind the AEMO and the CMP: the projection and the log gather them in
    different orders, and must name the same one."""
    start = position(app)
    first, second = world.convention("aemo", "cmp"), world.convention("aemo", "cmp")
    events = events_since(app, start)
    forward, backward = Registry(), Registry()
    for e in events:
        forward.apply(e)
    for e in sorted(events, key=lambda e: e.originator_id == first):  # `second`'s first
        backward.apply(e)
    aemo, cmp = world.i("aemo"), world.i("cmp")

    in_force = forward.convention_in_force(aemo, cmp, NOW)
    assert in_force is not None
    assert in_force == backward.convention_in_force(cmp, aemo, NOW)
    assert in_force.partnership_id == min((first, second), key=str)
    between = forward.convention_between(aemo, cmp)
    assert between is not None
    assert between.partnership_id == in_force.partnership_id
