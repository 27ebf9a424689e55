"""Holder and référent de parcours on a real store (SQLite, and PostgreSQL when
`MAILLAGE_DATABASE_URL` names one): transfers of the holding, the history of holders, the
`transfer_view` read model and the référent (issue 17, part 2)."""

from __future__ import annotations

from datetime import date
from uuid import UUID

import pytest
from alembic import command
from sqlalchemy import Engine, text

from api.settings import Settings
from api.store.migrations import alembic_config, upgrade
from domain.access import CaseUse, Principal, Role
from domain.application import Maillage
from domain.case import Case
from domain.coherence import Coherence
from domain.errors import (
    AccessDeniedError,
    CaseClosedError,
    InstitutionNotOnCaseError,
    NotACaseParticipantError,
    NotTheHolderError,
    TransferAlreadyPendingError,
    TransferNotFoundError,
    TransferNotPendingError,
    TransferToHolderError,
    WrongTransferSideError,
)
from domain.holding import Holder
from domain.values import Actor, AlertKind
from projections.coherence import coherence
from projections.runner import ProjectionRunner
from projections.transfers import transfers
from tests.world import NOW, World, ago, events_since, names, position


class Scene:
    """Léo's case, opened by Jeanne for the AEMO (the holder) 10 days ago; Karim (child welfare)
    and Sophie (CMP) take part. Each institution has a supervisor (head of service)."""

    def __init__(self, app: Maillage, world: World) -> None:
        self.app, self.world = app, world
        self.case_id = world.open_case("jeanne")
        for who, days in (("karim", 9), ("sophie", 8)):
            app.join_case(
                case_id=self.case_id, by=world.actor(who), role="référent", occurred_at=ago(days)
            )
        self.heads: dict[str, UUID] = {}
        for key in ("aemo", "ase", "cmp", "school"):
            head = app.register_professional(name=f"Head {key}", profession="cheffe de service").id
            app.start_employment(
                professional_id=head, institution_id=world.i(key), start=date(2020, 1, 1)
            )
            self.heads[key] = head

    def head(self, key: str) -> Actor:
        return Actor(self.heads[key], self.world.i(key))

    def supervisor(self, key: str) -> Principal:
        return Principal(self.heads[key], Role.SUPERVISOR, self.world.i(key))

    def worker(self, who: str) -> Principal:
        actor = self.world.actor(who)
        return Principal(actor.professional_id, Role.CASE_WORKER, actor.institution_id)

    def case(self) -> Case:
        return self.app.repository.get(self.case_id)

    def offer(self, to: str = "ase", by: str = "jeanne", days: float = 5) -> UUID:
        recorded = self.app.request_transfer(
            case_id=self.case_id,
            by=self.world.actor(by),
            to_institution_id=self.world.i(to),
            reason="placement décidé par le juge",
            occurred_at=ago(days),
        )
        assert recorded.entity_id is not None
        return recorded.entity_id


@pytest.fixture
def scene(store_app: Maillage, store_world: World) -> Scene:
    return Scene(store_app, store_world)


def projected(scene: Scene, engine: Engine) -> Coherence:
    ProjectionRunner(scene.app, engine).catch_up()
    with engine.connect() as conn:
        view = coherence(conn, scene.case_id, at=NOW)
    assert view is not None
    return view


def listed(scene: Scene, engine: Engine, key: str, box: str = "to_answer") -> list[dict]:  # type: ignore[type-arg]
    ProjectionRunner(scene.app, engine).catch_up()
    with engine.connect() as conn:
        return transfers(
            conn, scene.world.i(key), box=box, status=None, case_id=None, after=None, limit=50
        )


# --- transfers ------------------------------------------------------------------------------


def test_the_holder_offers_the_other_accepts_and_the_holder_changes(
    scene: Scene, engine: Engine
) -> None:
    w = scene.world
    transfer_id = scene.offer("ase", days=5)
    before = position(scene.app)

    scene.app.accept_transfer(
        case_id=scene.case_id, transfer_id=transfer_id, by=w.actor("karim"), occurred_at=ago(4)
    )

    assert names(events_since(scene.app, before)) == ["TransferAccepted"]
    case = scene.case()
    assert case.holder_institution_id == w.i("ase")
    assert case.holding_history == (
        Holder(w.i("aemo"), ago(10), ago(4)),
        Holder(w.i("ase"), ago(4), None),
    )
    view = projected(scene, engine)
    assert view.holder_institution_id == w.i("ase")
    assert view.holders == (Holder(w.i("aemo"), ago(10), ago(4)), Holder(w.i("ase"), ago(4)))
    # supervisors: the new holder's audits the case, the former holder's is still involved
    scene.app.authorise_case(scene.supervisor("ase"), scene.case_id, CaseUse.AUDIT)
    scene.app.authorise_case(scene.supervisor("aemo"), scene.case_id, CaseUse.AUDIT)
    (row,) = listed(scene, engine, "ase")
    assert (row["status"], row["answered_by"]) == ("accepted", str(w.p("karim")))
    assert row["requesting_institution_id"] == str(w.i("aemo"))
    assert [r["transfer_id"] for r in listed(scene, engine, "aemo", "sent")] == [str(transfer_id)]
    assert listed(scene, engine, "aemo") == []  # nothing for the asker to answer
    assert listed(scene, engine, "cmp") == []  # nor for a third institution on the case


def test_a_request_to_hold_declined_by_the_holder_leaves_it_unchanged(
    scene: Scene, engine: Engine
) -> None:
    w = scene.world
    transfer_id = scene.offer("ase", by="karim")  # child welfare asks to hold it
    assert [r["transfer_id"] for r in listed(scene, engine, "aemo")] == [str(transfer_id)]
    before = position(scene.app)

    scene.app.decline_transfer(
        case_id=scene.case_id,
        transfer_id=transfer_id,
        by=scene.head("aemo"),  # the holder's head of service answers
        reason="la mesure reste confiée à l'AEMO",
    )

    (declined,) = events_since(scene.app, before)
    assert type(declined).__name__ == "TransferDeclined"
    assert declined.reason == "la mesure reste confiée à l'AEMO"  # type: ignore[attr-defined]
    case = scene.case()
    assert case.holder_institution_id == w.i("aemo")
    assert case.holding_history == (Holder(w.i("aemo"), ago(10)),)
    assert projected(scene, engine).holder_institution_id == w.i("aemo")
    (row,) = listed(scene, engine, "aemo")
    assert (row["status"], row["answering_institution_id"]) == ("declined", str(w.i("aemo")))


def test_a_second_pending_transfer_is_refused(scene: Scene) -> None:
    first = scene.offer("ase")
    before = position(scene.app)

    with pytest.raises(TransferAlreadyPendingError) as refused:
        scene.offer("cmp")

    assert refused.value.details["transfer_id"] == str(first)
    assert position(scene.app) == before


def test_the_requester_withdraws_before_an_answer_and_may_ask_again(
    scene: Scene, engine: Engine
) -> None:
    w = scene.world
    transfer_id = scene.offer("ase")
    with pytest.raises(WrongTransferSideError):  # the other side does not withdraw it
        scene.app.withdraw_transfer(
            case_id=scene.case_id, transfer_id=transfer_id, by=w.actor("karim")
        )

    scene.app.withdraw_transfer(
        case_id=scene.case_id, transfer_id=transfer_id, by=scene.head("aemo")
    )

    assert scene.case().pending_transfer is None
    assert listed(scene, engine, "ase")[0]["status"] == "withdrawn"
    with pytest.raises(TransferNotPendingError):
        scene.app.accept_transfer(
            case_id=scene.case_id, transfer_id=transfer_id, by=w.actor("karim")
        )
    again = scene.offer("cmp")
    assert scene.case().pending_transfer is not None
    assert scene.case().transfer(again) is not None


def test_only_the_answering_side_answers(scene: Scene) -> None:
    w = scene.world
    transfer_id = scene.offer("ase")
    before = position(scene.app)

    for by in (w.actor("jeanne"), scene.head("aemo"), w.actor("sophie")):  # asker, third party
        with pytest.raises(WrongTransferSideError) as refused:
            scene.app.accept_transfer(case_id=scene.case_id, transfer_id=transfer_id, by=by)
        assert refused.value.field == "institution_id"
        assert refused.value.details["answering_institution_id"] == str(w.i("ase"))
    with pytest.raises(WrongTransferSideError):
        scene.app.decline_transfer(
            case_id=scene.case_id, transfer_id=transfer_id, by=w.actor("sophie"), reason="non"
        )

    assert position(scene.app) == before
    assert scene.case().holder_institution_id == w.i("aemo")


def test_a_transfer_answered_once_is_not_answered_again(scene: Scene) -> None:
    w = scene.world
    transfer_id = scene.offer("ase")
    scene.app.accept_transfer(case_id=scene.case_id, transfer_id=transfer_id, by=w.actor("karim"))

    with pytest.raises(TransferNotPendingError) as refused:
        scene.app.decline_transfer(
            case_id=scene.case_id, transfer_id=transfer_id, by=w.actor("karim"), reason="non"
        )
    assert refused.value.message == f"transfer {transfer_id} was already accepted"
    with pytest.raises(TransferNotFoundError):
        scene.app.accept_transfer(
            case_id=scene.case_id, transfer_id=scene.case_id, by=w.actor("karim")
        )


def test_transfers_the_case_cannot_take_are_refused(scene: Scene) -> None:
    w = scene.world
    before = position(scene.app)

    with pytest.raises(TransferToHolderError) as to_holder:
        scene.offer("aemo")
    with pytest.raises(InstitutionNotOnCaseError) as not_on_case:
        scene.offer("school")  # neither holder nor participant
    with pytest.raises(NotTheHolderError) as third:
        scene.offer("cmp", by="karim")  # a non-holder asks only for itself
    with pytest.raises(InstitutionNotOnCaseError) as outsider:  # the school's head, off the case
        scene.app.request_transfer(
            case_id=scene.case_id, by=scene.head("school"), to_institution_id=w.i("school")
        )

    assert to_holder.value.field == "to_institution_id"
    assert not_on_case.value.field == "to_institution_id"
    assert third.value.field == "to_institution_id"
    assert outsider.value.field == "institution_id"
    assert position(scene.app) == before


def test_no_transfer_on_a_closed_case(scene: Scene) -> None:
    w = scene.world
    transfer_id = scene.offer("ase")
    scene.app.close_case(case_id=scene.case_id, by=w.actor("jeanne"), reason="mainlevée")

    with pytest.raises(CaseClosedError):
        scene.app.accept_transfer(
            case_id=scene.case_id, transfer_id=transfer_id, by=w.actor("karim")
        )
    with pytest.raises(CaseClosedError):
        scene.offer("cmp", by="sophie")


def test_who_may_ask_for_a_transfer(scene: Scene) -> None:
    w = scene.world
    # a supervisor of an institution on the case, and a case worker taking part: yes
    scene.app.authorise_case(scene.supervisor("cmp"), scene.case_id, CaseUse.TRANSFER)
    scene.app.authorise_case(scene.worker("karim"), scene.case_id, CaseUse.TRANSFER)
    # a supervisor of an institution off the case, a case worker not taking part: no
    with pytest.raises(AccessDeniedError) as off_case:
        scene.app.authorise_case(scene.supervisor("school"), scene.case_id, CaseUse.TRANSFER)
    assert "institution is on" in off_case.value.message
    with pytest.raises(AccessDeniedError):
        scene.app.authorise_case(scene.worker("paul"), scene.case_id, CaseUse.TRANSFER)
    assert w.i("school") not in scene.case().institutions


# --- the référent de parcours ---------------------------------------------------------------


def test_the_holders_supervisor_assigns_the_referent_shown_in_the_coherence_view(
    scene: Scene, engine: Engine
) -> None:
    w = scene.world
    assert AlertKind.NO_COORDINATOR in [a.kind for a in projected(scene, engine).alerts]
    scene.app.authorise_case(scene.supervisor("aemo"), scene.case_id, CaseUse.ASSIGN_REFERENT)
    before = position(scene.app)

    scene.app.assign_referent(
        case_id=scene.case_id, by=scene.head("aemo"), referent=w.actor("sophie")
    )

    (assigned,) = events_since(scene.app, before)
    assert type(assigned).__name__ == "ReferentAssigned"
    assert (assigned.referent, assigned.replaces) == (w.actor("sophie"), None)  # type: ignore[attr-defined]
    assert scene.case().coordinator == w.actor("sophie")
    view = projected(scene, engine)
    assert view.coordinator == w.actor("sophie")
    assert AlertKind.NO_COORDINATOR not in [a.kind for a in view.alerts]


def test_replacing_the_referent_records_whom_it_replaces(scene: Scene, engine: Engine) -> None:
    w = scene.world
    scene.app.assign_referent(
        case_id=scene.case_id, by=scene.head("aemo"), referent=w.actor("sophie")
    )
    before = position(scene.app)

    scene.app.assign_referent(
        case_id=scene.case_id, by=scene.head("aemo"), referent=w.actor("karim")
    )

    (assigned,) = events_since(scene.app, before)
    assert assigned.replaces == w.actor("sophie")  # type: ignore[attr-defined]
    assert projected(scene, engine).coordinator == w.actor("karim")


def test_only_a_supervisor_of_the_holder_assigns_the_referent(scene: Scene) -> None:
    w = scene.world
    with pytest.raises(AccessDeniedError) as other:
        scene.app.authorise_case(scene.supervisor("ase"), scene.case_id, CaseUse.ASSIGN_REFERENT)
    assert "holding institution" in other.value.message
    with pytest.raises(AccessDeniedError) as worker:
        scene.app.authorise_case(scene.worker("jeanne"), scene.case_id, CaseUse.ASSIGN_REFERENT)
    assert "supervisor" in worker.value.message
    before = position(scene.app)
    with pytest.raises(NotTheHolderError):  # the domain refuses it too
        scene.app.assign_referent(
            case_id=scene.case_id, by=scene.head("ase"), referent=w.actor("karim")
        )
    assert position(scene.app) == before
    assert scene.case().coordinator is None


def test_the_referent_takes_part_in_the_case(scene: Scene) -> None:
    with pytest.raises(NotACaseParticipantError) as refused:
        scene.app.assign_referent(
            case_id=scene.case_id, by=scene.head("aemo"), referent=scene.world.actor("paul")
        )
    assert refused.value.field == "referent"
    assert scene.case().coordinator is None


def test_the_referent_stays_through_a_transfer_until_the_new_holder_replaces_it(
    scene: Scene, engine: Engine
) -> None:
    w = scene.world
    scene.app.assign_referent(
        case_id=scene.case_id, by=scene.head("aemo"), referent=w.actor("jeanne")
    )
    transfer_id = scene.offer("ase")
    scene.app.accept_transfer(case_id=scene.case_id, transfer_id=transfer_id, by=scene.head("ase"))
    assert projected(scene, engine).coordinator == w.actor("jeanne")
    with pytest.raises(NotTheHolderError):  # the former holder no longer designates it
        scene.app.assign_referent(
            case_id=scene.case_id, by=scene.head("aemo"), referent=w.actor("sophie")
        )

    scene.app.assign_referent(
        case_id=scene.case_id, by=scene.head("ase"), referent=w.actor("karim")
    )

    assert projected(scene, engine).coordinator == w.actor("karim")


def test_a_case_worker_designates_the_coordinator_only_for_the_holder(scene: Scene) -> None:
    w = scene.world
    before = position(scene.app)
    with pytest.raises(NotTheHolderError) as refused:
        scene.app.designate_coordinator(
            case_id=scene.case_id, by=w.actor("karim"), coordinator=w.actor("karim")
        )
    assert refused.value.field == "institution_id"
    assert position(scene.app) == before
    scene.app.designate_coordinator(
        case_id=scene.case_id, by=w.actor("jeanne"), coordinator=w.actor("karim")
    )
    assert scene.case().coordinator == w.actor("karim")


# --- migration 0013 -------------------------------------------------------------------------


def test_migration_0013_replays_coherence_and_transfers_from_the_log(
    scene: Scene, engine: Engine, store_settings: Settings
) -> None:
    """Facts written before the holders' history are replayed; the transfer projection starts
    from the log's beginning, so a transfer recorded before it existed is listed."""
    transfer_id = scene.offer("ase")
    scene.app.accept_transfer(
        case_id=scene.case_id, transfer_id=transfer_id, by=scene.world.actor("karim")
    )
    projected_view = projected(scene, engine)
    with engine.connect() as conn:
        config = alembic_config(store_settings)
        config.attributes["connection"] = conn
        command.downgrade(config, "0011")
        conn.commit()
    upgrade(store_settings)

    with engine.connect() as conn:
        for table in ("case_coherence_view", "transfer_view"):
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0
        tracked = "SELECT name FROM projection_tracking WHERE name IN ('coherence', 'transfers')"
        assert conn.execute(text(tracked)).all() == []
    assert projected(scene, engine) == projected_view
    (row,) = listed(scene, engine, "ase")
    assert (row["transfer_id"], row["status"]) == (str(transfer_id), "accepted")


def test_a_snapshot_keeps_the_holders_and_the_transfers(scene: Scene) -> None:
    w = scene.world
    transfer_id = scene.offer("ase", days=5)
    scene.app.accept_transfer(
        case_id=scene.case_id, transfer_id=transfer_id, by=w.actor("karim"), occurred_at=ago(4)
    )
    scene.offer("aemo", by="jeanne", days=3)  # the former holder asks to hold it back
    scene.app.take_snapshot(scene.case_id)
    assert scene.app.snapshots is not None
    (snapshot,) = scene.app.snapshots.get(scene.case_id)

    case = snapshot.mutate(None)

    assert list(case.holding_history) == [
        Holder(w.i("aemo"), ago(10), ago(4)),
        Holder(w.i("ase"), ago(4)),
    ]
    pending = case.pending_transfer
    assert pending is not None
    assert (pending.answering_institution_id, pending.status) == (w.i("ase"), "pending")
    assert case.transfer(transfer_id).status == "accepted"
