"""The catch-up feed's read model (issue 19) on the store under test: each event with the
institutions that may know it (`domain.feed_audience`), paged in log order, rebuilt the same."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import Engine, select

from domain.application import Maillage
from domain.feed_audience import Audience, audience_of
from projections.feed import feed_audience_view, feed_page, feed_position
from projections.runner import ProjectionRunner
from tests.world import World, ago


def _kinds(engine: Engine, institution: UUID, kinds: list[str] | None = None) -> list[str]:
    with engine.connect() as conn:
        page = feed_page(conn, institution, after=0, limit=1000, kinds=kinds)
    return [r.event_type for r in page]


def test_an_institution_knows_a_case_from_its_involvement_and_what_is_addressed_to_it(
    store_world: World, store_app: Maillage, engine: Engine
) -> None:
    case = store_world.open_case(occurred_at=ago(9))
    referral = store_world.refer(case, "jeanne", "ase", occurred_at=ago(5))
    store_app.accept_referral(case_id=case, referral_id=referral, by=store_world.actor("karim"))
    ProjectionRunner(store_app, engine).catch_up()

    aemo = _kinds(engine, store_world.i("aemo"))
    assert aemo[-4:] == [
        "Case.CaseOpened",
        "Case.ConsentGiven",
        "Case.ReferralMade",
        "Case.ReferralAccepted",
    ]
    # ASE learns of the referral made to it, then of everything from its acceptance on
    ase = _kinds(engine, store_world.i("ase"))
    assert [k for k in ase if k.startswith("Case.")] == [
        "Case.ReferralMade",
        "Case.ReferralAccepted",
    ]
    # the CMP has no part in the case: none of its events
    cmp = _kinds(engine, store_world.i("cmp"))
    assert not [k for k in cmp if k.startswith("Case.")]
    assert "Institution.InstitutionRegistered" in cmp  # its own registration
    # kinds filter; an empty scope is an empty page
    assert _kinds(engine, store_world.i("aemo"), kinds=["Case.ReferralMade"]) == [
        "Case.ReferralMade"
    ]
    assert _kinds(engine, store_world.i("aemo"), kinds=[]) == []


def test_pages_resume_from_a_position_and_a_rebuild_gives_the_same_rows(
    store_world: World, store_app: Maillage, engine: Engine
) -> None:
    for _ in range(3):
        store_world.open_case()
    runner = ProjectionRunner(store_app, engine)
    runner.catch_up()
    aemo = store_world.i("aemo")
    with engine.connect() as conn:
        whole = feed_page(conn, aemo, after=0, limit=1000)
        assert feed_position(conn) >= whole[-1].position
        resumed, after = [], 0
        while page := feed_page(conn, aemo, after=after, limit=2):
            resumed += page
            after = page[-1].position
        before = conn.execute(select(feed_audience_view)).all()
    assert resumed == whole
    assert [r.position for r in whole] == sorted({r.position for r in whole})
    runner.rebuild(["feed"])
    with engine.connect() as conn:
        assert conn.execute(select(feed_audience_view)).all() == before


def test_the_feeds_involvement_is_the_cases_own_at_every_event(
    store_world: World, store_app: Maillage, engine: Engine
) -> None:
    """An oracle: folded over a case's events, `domain.feed_audience` counts as involved exactly
    the institutions `Case.was_involved` counts at that version — a referral declined involves
    nobody; one accepted does, and so does the holding transferred."""
    w, app = store_world, store_app
    case = w.open_case(occurred_at=ago(9))
    declined = w.refer(case, "jeanne", "ase", occurred_at=ago(8))
    app.decline_referral(case_id=case, referral_id=declined, by=w.actor("karim"), reason="Non")
    accepted = w.refer(case, "jeanne", "cmp", occurred_at=ago(7))
    app.accept_referral(case_id=case, referral_id=accepted, by=w.actor("sophie"))
    app.join_case(case_id=case, by=w.actor("sophie"), role="psychiatrist")
    app.record_intervention(case_id=case, by=w.actor("jeanne"), kind="home_visit", summary="x")
    offered = app.request_transfer(
        case_id=case, by=w.actor("jeanne"), to_institution_id=w.i("cmp"), reason="?"
    ).entity_id
    assert offered is not None
    app.decline_transfer(case_id=case, transfer_id=offered, by=w.actor("sophie"), reason="Non")
    moved = app.request_transfer(
        case_id=case, by=w.actor("jeanne"), to_institution_id=w.i("cmp"), reason="Soins"
    ).entity_id
    assert moved is not None
    app.accept_transfer(case_id=case, transfer_id=moved, by=w.actor("sophie"))

    audience, everyone = Audience(), [w.i(k) for k in w.INSTITUTIONS]
    for event in app.repository.event_store.get(case):
        told = audience_of(event, audience)
        state = app.repository.get(case, version=event.originator_version)
        expected = {i for i in everyone if state.was_involved(i)}
        assert audience.involved == expected, type(event).__qualname__
        assert told.involved == expected
    assert w.i("ase") not in audience.involved  # declined the referral
    assert w.i("school") not in audience.involved  # no part in it

    ProjectionRunner(store_app, engine).catch_up()
    ase = _kinds(engine, w.i("ase"))
    assert [k for k in ase if k.startswith("Case.")] == [
        "Case.ReferralMade",
        "Case.ReferralDeclined",
    ]
    with engine.connect() as conn:
        told_only = feed_page(conn, w.i("ase"), after=0, limit=1000, kinds=["Case.ReferralMade"])
    assert [r.involved for r in told_only] == [False]  # never given personal fields
