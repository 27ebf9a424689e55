"""Property: whatever valid commands are recorded, across several cases, and however the
projections follow them (batch sizes, rounds), the incremental tables equal a rebuild's, row by
row — and the coherence view equals the one folded from the log on demand.

Commands are drawn at random and sent through the use cases; those the domain refuses record
nothing and are simply part of the run (what remains is a valid sequence). One store serves the
whole run: each example adds its cases to the log, then compares.
"""

from __future__ import annotations

import contextlib
import functools
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select

from domain.application import Maillage
from domain.errors import MaillageError
from domain.values import ACKNOWLEDGEABLE_ALERTS
from projections.catalog import PROJECTORS
from projections.coherence import AsOf, coherence, coherence_as_of
from projections.runner import ProjectionRunner
from tests.world import NOW, TODAY, World, ago

PEOPLE = ["jeanne", "karim", "sophie", "paul", "luc"]
INSTITUTIONS = ["aemo", "ase", "cmp", "school", "hospital"]
KINDS = ["home_visit", "assessment", "consultation", "care", "school_support"]
CATEGORIES = ["family_situation", "health", "education"]

person = st.sampled_from(PEOPLE)
institution = st.sampled_from(INSTITUTIONS)
case_index = st.integers(0, 2)
days = st.integers(0, 25)

STEP = st.one_of(
    st.tuples(st.just("join"), case_index, person, days),
    st.tuples(st.just("leave"), case_index, person, days),
    st.tuples(st.just("coordinate"), case_index, person, person),
    st.tuples(st.just("intervene"), case_index, person, st.sampled_from(KINDS), days),
    st.tuples(
        st.just("consent"), case_index, person, institution, st.sampled_from(CATEGORIES), days
    ),
    st.tuples(st.just("withdraw"), case_index, person, st.integers(0, 3), days),
    st.tuples(st.just("share"), case_index, person, institution, st.sampled_from(CATEGORIES), days),
    st.tuples(st.just("delegate"), case_index, person, st.integers(-5, 60)),
    st.tuples(st.just("revoke"), st.integers(0, 3), days),
    st.tuples(st.just("convention"), institution, institution),
    st.tuples(
        st.just("acknowledge"),
        case_index,
        st.sampled_from(sorted(ACKNOWLEDGEABLE_ALERTS)),
        st.integers(1, 12),
    ),
    st.tuples(
        st.just("transfer"),
        case_index,
        person,
        days,
        st.sampled_from([None, "accept", "accept", "decline", "withdraw"]),  # answered at once?
    ),
    st.tuples(
        st.just("answer"),
        case_index,
        st.sampled_from(["accept", "decline", "withdraw"]),
        st.integers(0, 3),
    ),
    st.tuples(st.just("referent"), case_index, person, person),
    st.tuples(st.just("correct"), st.integers(0, 30), st.sampled_from(KINDS), days),
    st.tuples(st.just("annul"), st.integers(0, 30)),
    st.tuples(st.just("close"), case_index),
    st.tuples(st.just("reopen"), case_index),
    st.tuples(st.just("project"), st.integers(1, 9)),
)


class Run:
    """Interprets drawn steps against the application, on three fresh cases."""

    def __init__(self, app: Maillage, world: World, engine: Engine) -> None:
        self.app, self.world, self.engine = app, world, engine
        self.cases = [world.open_case(by) for by in ("jeanne", "karim", "jeanne")]
        self.consents: list[tuple[UUID, UUID]] = []
        self.delegations: list[UUID] = []
        self.delegation_owner: dict[UUID, tuple[UUID, str]] = {}
        self.acts: list[tuple[UUID, UUID, str]] = []  # case, act, author: to correct or annul
        for c, who in ((0, "sophie"), (0, "paul"), (1, "luc"), (1, "jeanne"), (2, "karim")):
            self._join(c, who, 9)
        for c, holder in enumerate(("jeanne", "karim", "jeanne")):  # shares need a consent
            self.app.give_consent(
                case_id=self.cases[c],
                by=world.actor(holder),
                giver="legal_representative",
                representative_name="Mme Martin",
                recipients=[world.i(i) for i in INSTITUTIONS],
                categories=CATEGORIES,
                occurred_at=ago(9),
            )

    def step(self, step: tuple[Any, ...]) -> None:
        with contextlib.suppress(MaillageError):  # refused: nothing recorded
            getattr(self, f"_{step[0]}")(*step[1:])

    def _join(self, c: int, who: str, d: int) -> None:
        delegation = next((x for x in self.delegations if self._delegation_for(x, c, who)), None)
        self.app.join_case(
            case_id=self.cases[c],
            by=self.world.actor(who),
            role="intervenant",
            delegation_id=delegation,
            occurred_at=ago(d),
        )

    def _delegation_for(self, delegation_id: UUID, c: int, who: str) -> bool:
        return self.delegation_owner.get(delegation_id) == (self.cases[c], who)

    def _leave(self, c: int, who: str, d: int) -> None:
        self.app.leave_case(case_id=self.cases[c], by=self.world.actor(who), occurred_at=ago(d))

    def _coordinate(self, c: int, by: str, who: str) -> None:
        self.app.designate_coordinator(
            case_id=self.cases[c], by=self.world.actor(by), coordinator=self.world.actor(who)
        )

    def _intervene(self, c: int, who: str, kind: str, d: int) -> None:
        recorded = self.app.record_intervention(
            case_id=self.cases[c], by=self.world.actor(who), kind=kind, occurred_at=ago(d)
        )
        assert recorded.entity_id is not None
        self.acts.append((self.cases[c], recorded.entity_id, who))

    def _consent(self, c: int, by: str, to: str, category: str, d: int) -> None:
        recorded = self.app.give_consent(
            case_id=self.cases[c],
            by=self.world.actor(by),
            giver="legal_representative",
            representative_name="Mme Martin",
            recipients=[self.world.i(to)],
            categories=[category],
            occurred_at=ago(d),
        )
        assert recorded.entity_id is not None
        self.consents.append((self.cases[c], recorded.entity_id))

    def _withdraw(self, c: int, by: str, n: int, d: int) -> None:
        mine = [consent for case, consent in self.consents if case == self.cases[c]]
        if mine:
            self.app.withdraw_consent(
                case_id=self.cases[c],
                consent_id=mine[n % len(mine)],
                by=self.world.actor(by),
                occurred_at=ago(d),
            )

    def _share(self, c: int, who: str, to: str, category: str, d: int) -> None:
        recorded = self.app.share_information(
            case_id=self.cases[c],
            by=self.world.actor(who),
            recipient_institution_id=self.world.i(to),
            categories=[category],
            occurred_at=ago(d),
        )
        assert recorded.entity_id is not None
        self.acts.append((self.cases[c], recorded.entity_id, who))

    def _correct(self, n: int, kind: str, d: int) -> None:
        if self.acts:
            case_id, act_id, who = self.acts[n % len(self.acts)]
            self.app.correct_act(
                case_id=case_id,
                act_id=act_id,
                by=self.world.actor(who),
                reason="saisie erronée",
                kind=kind,
                act_occurred_at=ago(d),
            )

    def _annul(self, n: int) -> None:
        if self.acts:
            case_id, act_id, who = self.acts[n % len(self.acts)]
            self.app.annul_act(
                case_id=case_id, act_id=act_id, by=self.world.actor(who), reason="erreur"
            )

    def _delegate(self, c: int, who: str, lasting: int) -> None:
        actor = self.world.actor(who)
        recorded = self.app.grant_delegation(
            institution_id=actor.institution_id,
            professional_id=actor.professional_id,
            scope=["case_participation", *KINDS, "information_sharing", "coordination"],
            valid_from=TODAY - timedelta(days=30),
            valid_until=TODAY + timedelta(days=lasting),
            case_id=self.cases[c],
        )
        self.delegations.append(recorded.id)
        self.delegation_owner[recorded.id] = (self.cases[c], who)
        try:  # and act under it at once
            self.app.record_intervention(
                case_id=self.cases[c], by=actor, kind=KINDS[0], delegation_id=recorded.id
            )
        except MaillageError:
            self._join(c, who, 0)

    def _revoke(self, n: int, d: int) -> None:
        if self.delegations:
            self.app.revoke_delegation(
                delegation_id=self.delegations[n % len(self.delegations)],
                reason="fin de mission",
                occurred_at=ago(d),
            )

    def _convention(self, a: str, b: str) -> None:
        if a != b:
            self.world.convention(a, b)

    def _acknowledge(self, c: int, kind: str, version: int) -> None:
        self.app.acknowledge_alert(
            case_id=self.cases[c],
            by=self.world.actor("jeanne" if c != 1 else "karim"),
            alert_kind=kind,
            versions=[version],
            note="vu en réunion de service",
        )

    def _transfer(self, c: int, by: str, d: int, then: str | None) -> None:
        """The holder offers the case to another institution on it; another asks to hold it."""
        case = self.app.repository.get(self.cases[c])
        actor = self.world.actor(by)
        others = [i for i in case.institutions if i != case.holder_institution_id]
        holds = actor.institution_id == case.holder_institution_id
        to = others[0] if holds and others else actor.institution_id
        self.app.request_transfer(
            case_id=self.cases[c], by=actor, to_institution_id=to, occurred_at=ago(d)
        )
        if then is not None:
            self._answer(c, then, d)

    def _answer(self, c: int, how: str, d: int) -> None:
        """A participant of the side concerned answers (or withdraws) the pending transfer."""
        case = self.app.repository.get(self.cases[c])
        pending = case.pending_transfer
        if pending is None:
            return
        side = (
            pending.requesting_institution_id
            if how == "withdraw"
            else (pending.answering_institution_id)
        )
        by = next((p.actor for p in case.participants if p.institution_id == side), None)
        if by is None:
            return
        answer = {
            "accept": self.app.accept_transfer,
            "decline": functools.partial(self.app.decline_transfer, reason="non"),
            "withdraw": self.app.withdraw_transfer,
        }[how]
        answer(case_id=self.cases[c], transfer_id=pending.transfer_id, by=by, occurred_at=ago(d))

    def _referent(self, c: int, by: str, who: str) -> None:
        self.app.assign_referent(
            case_id=self.cases[c], by=self.world.actor(by), referent=self.world.actor(who)
        )

    def _close(self, c: int) -> None:
        by = "jeanne" if c != 1 else "karim"
        self.app.close_case(case_id=self.cases[c], by=self.world.actor(by), reason="fin")

    def _reopen(self, c: int) -> None:
        by = "jeanne" if c != 1 else "karim"
        self.app.reopen_case(case_id=self.cases[c], by=self.world.actor(by), reason="reprise")

    def _project(self, batch_size: int) -> None:
        ProjectionRunner(self.app, self.engine, batch_size=batch_size).catch_up()


def tables(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        return {
            t.name: sorted(tuple(r) for r in conn.execute(select(t)).all())
            for p in PROJECTORS
            for t in p.tables
        }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=10, max_size=60))
def test_incremental_equals_rebuilt_and_the_view_equals_the_log(
    store_world: World, store_app: Maillage, engine: Engine, steps: list[tuple[Any, ...]]
) -> None:
    run = Run(store_app, store_world, engine)
    for step in steps:
        run.step(step)
    ProjectionRunner(store_app, engine, batch_size=4).catch_up()
    incremental = tables(engine)

    ProjectionRunner(store_app, engine, batch_size=1000).rebuild()
    assert tables(engine) == incremental

    wall = datetime.now(tz=UTC)
    for case_id in run.cases:
        for at in (NOW, NOW + timedelta(days=100)):
            with engine.connect() as conn:
                projected = coherence(conn, case_id, at=at)
            assert projected == coherence_as_of(store_app, case_id, at=at, question=AsOf.OCCURRED)
        with engine.connect() as conn:
            projected = coherence(conn, case_id, at=wall)
        assert projected == coherence_as_of(store_app, case_id, at=wall, question=AsOf.RECORDED)
