"""Past incoherences stay until acknowledged, and keep their history (issue 15, 4c); lawful
sharing on a legal ground is not an irregular exchange (4d).

An alert about a past act is judged at the instant the act occurred: a convention resumed or
signed later resolves it, but it stays open until a supervisor acknowledges it with a note; then
it leaves the open list for `alert_history`, with when it was raised, resolved, acknowledged.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from domain.application import Maillage
from domain.coherence import NO_CONVENTION, Alert, Coherence, EventRef
from domain.usecases.base import Recorded
from domain.values import AlertKind
from projections.coherence import AsOf, coherence_as_of
from tests.coherence_scenes import SECRECY, consented_case, share_while_suspended
from tests.world import NOW, TODAY, World, ago

EXCHANGE = AlertKind.EXCHANGE_WITHOUT_CONVENTION


def view(app: Maillage, case_id: UUID, at: datetime = NOW) -> Coherence:
    found = coherence_as_of(app, case_id, at=at, question=AsOf.OCCURRED)
    assert found is not None
    return found


def of_kind(alerts: tuple[Alert, ...], kind: AlertKind) -> list[Alert]:
    return [a for a in alerts if a.kind == kind]


def share(app: Maillage, world: World, case_id: UUID, **kwargs: object) -> Recorded:
    return app.share_information(
        case_id=case_id,
        by=world.actor("jeanne"),
        recipient_institution_id=world.i("cmp"),
        categories=kwargs.pop("categories", ["health"]),
        occurred_at=kwargs.pop("occurred_at", ago(3)),
        **kwargs,  # type: ignore[arg-type]
    )


def suspended_then_resumed(app: Maillage, world: World) -> tuple[UUID, Recorded, EventRef]:
    case_id = consented_case(app, world)
    shared, resumption = share_while_suspended(app, world, case_id)
    return case_id, shared, resumption


def the_share(case_id: UUID, shared: Recorded) -> EventRef:
    return EventRef(case_id, shared.version, "Case.InformationShared")


def test_an_exchange_under_a_suspended_convention_stays_after_it_resumes_resolved(
    app: Maillage, world: World
) -> None:
    case_id, shared, resumption = suspended_then_resumed(app, world)

    (alert,) = of_kind(view(app, case_id).alerts, EXCHANGE)

    assert alert.open
    assert alert.events == (the_share(case_id, shared),)
    assert (alert.raised_at, alert.raised_by) == (ago(3), the_share(case_id, shared))
    assert alert.reason == "suspended"
    assert alert.reason_since == (NOW - timedelta(days=5)).date()
    assert (alert.resolved_at, alert.resolved_by) == (ago(1), resumption)
    # before the resumption, the same alert was open and not yet resolved
    (before,) = of_kind(view(app, case_id, at=ago(2)).alerts, EXCHANGE)
    assert before.resolved_at is None


def test_acknowledged_with_a_note_it_leaves_the_open_list_and_keeps_its_history(
    app: Maillage, world: World
) -> None:
    case_id, shared, resumption = suspended_then_resumed(app, world)

    acked = app.acknowledge_alert(
        case_id=case_id,
        by=world.actor("jeanne"),
        alert_kind=str(EXCHANGE),
        versions=[shared.version],
        note="convention reprise, rappel fait à l'équipe",
        occurred_at=ago(0, 2),
    )

    now = view(app, case_id)
    assert of_kind(now.alerts, EXCHANGE) == []
    (past,) = of_kind(now.alert_history, EXCHANGE)
    assert not past.open
    assert (past.raised_at, past.resolved_at, past.resolved_by) == (ago(3), ago(1), resumption)
    assert past.acknowledgement is not None
    assert past.acknowledgement.ref == EventRef(case_id, acked.version, "Case.AlertAcknowledged")
    assert past.acknowledgement.by == world.actor("jeanne")
    assert past.acknowledgement.occurred_at == ago(0, 2)
    assert app.acknowledgement_notes(case_id, [acked.version]) == {
        acked.version: "convention reprise, rappel fait à l'équipe"
    }
    # as it stood before the acknowledgement: open
    (then,) = of_kind(view(app, case_id, at=ago(0, 3)).alerts, EXCHANGE)
    assert then.open
    assert then.events == past.events


def test_a_convention_signed_after_the_share_resolves_it_without_clearing_it(
    app: Maillage, world: World
) -> None:
    case_id = consented_case(app, world)
    shared = share(app, world, case_id)
    convention_id = world.convention("aemo", "cmp", sign=False)
    for party in ("aemo", "cmp"):
        signed = app.sign_partnership(
            partnership_id=convention_id, institution_id=world.i(party), signed_on=TODAY
        )

    (alert,) = of_kind(view(app, case_id).alerts, EXCHANGE)

    assert alert.events == (the_share(case_id, shared),)
    assert alert.reason == "not_signed"  # when it occurred, a party had not signed yet
    assert alert.partnership_id == convention_id
    assert alert.resolved_at is not None
    assert alert.resolved_at.date() == TODAY
    assert alert.resolved_by == EventRef(
        convention_id, signed.version, "Partnership.PartnershipSigned"
    )


def test_a_convention_in_force_when_the_exchange_occurred_means_no_alert(
    app: Maillage, world: World
) -> None:
    case_id = consented_case(app, world)
    world.convention("aemo", "cmp")

    share(app, world, case_id)

    assert of_kind(view(app, case_id).alerts, EXCHANGE) == []
    (line,) = view(app, case_id).exchanges
    assert (line.lawful_on, line.regular) == ("consent", True)


def test_a_suspension_later_than_the_exchange_does_not_make_it_irregular(
    app: Maillage, world: World
) -> None:
    case_id = consented_case(app, world)
    convention_id = world.convention("aemo", "cmp")
    share(app, world, case_id, occurred_at=ago(3))

    app.suspend_partnership(partnership_id=convention_id, reason="audit", occurred_at=ago(1))

    assert of_kind(view(app, case_id).alerts, EXCHANGE) == []


def test_a_share_on_a_legal_ground_without_a_convention_is_lawful_not_irregular(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case(occurred_at=ago(12))

    shared = share(app, world, case_id, legal_ground=SECRECY, categories=["child_protection"])

    coherence = view(app, case_id)
    assert of_kind(coherence.alerts, EXCHANGE) == []
    (line,) = coherence.exchanges
    assert line.event == the_share(case_id, shared)
    assert (line.lawful_on, line.legal_reference) == ("legal_ground", "CASF art. L.226-2-2")
    assert line.convention_id is None
    assert line.regular


def test_a_share_on_consent_only_without_a_convention_still_raises_the_alert(
    app: Maillage, world: World
) -> None:
    case_id = consented_case(app, world)

    shared = share(app, world, case_id)

    coherence = view(app, case_id)
    (alert,) = of_kind(coherence.alerts, EXCHANGE)
    assert alert.events == (the_share(case_id, shared),)
    assert (alert.reason, alert.partnership_id, alert.resolved_at) == (NO_CONVENTION, None, None)
    (line,) = coherence.exchanges
    assert (line.lawful_on, line.regular) == ("consent", False)


def test_live_conditions_are_not_kept_once_they_end(app: Maillage, world: World) -> None:
    case_id = world.open_case()
    app.join_case(case_id=case_id, by=world.actor("karim"), role="ASE", occurred_at=ago(2))
    assert of_kind(view(app, case_id).alerts, AlertKind.NO_COORDINATOR)

    app.designate_coordinator(
        case_id=case_id, by=world.actor("jeanne"), coordinator=world.actor("jeanne")
    )

    coherence = view(app, case_id)
    assert coherence.alerts == ()
    assert coherence.alert_history == ()


def test_the_no_coordinator_alert_is_raised_when_a_second_institution_joined(
    app: Maillage, world: World
) -> None:
    case_id = world.open_case()
    joined = app.join_case(case_id=case_id, by=world.actor("karim"), role="ASE", occurred_at=ago(2))

    (alert,) = of_kind(view(app, case_id).alerts, AlertKind.NO_COORDINATOR)

    assert (alert.raised_at, alert.count) == (ago(2), 2)
    assert alert.raised_by == EventRef(case_id, joined.version, "Case.ParticipantJoined")


def test_an_acknowledgement_entered_before_the_view_instant_only_counts_from_its_date(
    app: Maillage, world: World
) -> None:
    """As it happened at an instant before the acknowledgement occurred, the alert is open."""
    case_id = consented_case(app, world)
    shared = share(app, world, case_id, occurred_at=ago(3))
    app.acknowledge_alert(
        case_id=case_id,
        by=world.actor("jeanne"),
        alert_kind=str(EXCHANGE),
        versions=[shared.version],
        note="vu",
        occurred_at=ago(1),
    )

    assert len(of_kind(view(app, case_id, at=ago(2)).alerts, EXCHANGE)) == 1
    assert of_kind(view(app, case_id).alerts, EXCHANGE) == []
