"""One holder per national identifier on a real store (SQLite and PostgreSQL): writers racing for
one number, the read model's columns and unique indexes (migration 0019)."""

from __future__ import annotations

import threading
import uuid
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine, select

from domain.application import Maillage
from domain.identifier_claim import IdentifierTakenError, claim_id
from domain.identifiers import Scheme, fhir_identifiers, with_luhn_key
from projections.identifiers import registry_identifiers
from projections.runner import ProjectionRunner
from projections.tables import institution_view, professional_view
from tests.world import World

WRITERS = 4


def _all_decide_before_any_saves(app: Maillage) -> None:
    """Every writer's first look at a claim waits until all have looked: they all find the
    number free, and all try to record its first claim."""
    barrier = threading.Barrier(WRITERS, timeout=20)
    seen = threading.local()
    look = app._claim

    def claim(scheme: Scheme, number: str) -> Any:
        found = look(scheme, number)
        if not getattr(seen, "waited", False):
            seen.waited = True
            barrier.wait()
        return found

    app._claim = claim  # type: ignore[method-assign]


def _race(work: Any) -> tuple[list[Any], list[BaseException]]:
    done: list[Any] = []
    refused: list[BaseException] = []

    def run(n: int) -> None:
        try:
            done.append(work(n))
        except BaseException as error:
            refused.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return done, refused


def test_concurrent_registrations_with_one_finess_record_one_holder(
    store_app: Maillage, engine: Engine
) -> None:
    finess = with_luhn_key("68000555")
    _all_decide_before_any_saves(store_app)
    done, refused = _race(
        lambda n: store_app.register_institution(
            name=f"Service {n}", sector="social", kind="other", finess=finess
        )
    )
    assert len(done) == 1
    assert len(refused) == WRITERS - 1
    assert all(isinstance(e, IdentifierTakenError) for e in refused), refused
    assert {e.field for e in refused if isinstance(e, IdentifierTakenError)} == {"finess"}
    claim = store_app.repository.get(claim_id(Scheme.FINESS, finess))
    assert (claim.version, claim.holder_id) == (1, done[0].id)
    ProjectionRunner(store_app, engine).catch_up()
    with engine.connect() as conn:
        holders = conn.execute(
            select(institution_view.c.institution_id).where(institution_view.c.finess == finess)
        ).all()
    assert [h[0] for h in holders] == [str(done[0].id)]


def test_concurrent_changes_to_one_rpps_leave_one_holder(store_world: World) -> None:
    app = store_world.app
    rpps = with_luhn_key("1000999999")
    keys = ["jeanne", "karim", "paul", "thomas"]
    _all_decide_before_any_saves(app)
    done, refused = _race(
        lambda n: app.identify_professional(professional_id=store_world.p(keys[n]), rpps=rpps)
    )
    assert len(done) == 1
    assert len(refused) == WRITERS - 1
    assert all(isinstance(e, IdentifierTakenError) for e in refused), refused
    holders = [k for k in keys if app.repository.get(store_world.p(k)).rpps == rpps]
    assert [store_world.p(k) for k in holders] == [done[0].id]


def test_the_read_model_follows_changes_and_keeps_each_number_unique(
    store_world: World, engine: Engine
) -> None:
    app = store_world.app
    old = World.IDENTIFIERS["aemo"]["finess"]
    new = with_luhn_key("68000556")
    app.identify_institution(institution_id=store_world.i("aemo"), finess=new)
    app.identify_institution(institution_id=store_world.i("ase"), finess=old)  # given up: free
    ProjectionRunner(app, engine).catch_up()
    with engine.connect() as conn:
        rows = {
            r.institution_id: (r.finess, r.siret)
            for r in conn.execute(select(institution_view)).all()
        }
        pros = {
            r.professional_id: (r.rpps, r.adeli) for r in conn.execute(select(professional_view))
        }
    assert rows[str(store_world.i("aemo"))] == (new, None)  # its SIRET dropped with the call
    assert rows[str(store_world.i("ase"))] == (old, None)
    assert rows[str(store_world.i("school"))] == (None, None)
    assert pros[str(store_world.p("karim"))] == (None, World.IDENTIFIERS["karim"]["adeli"])
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:  # the unique index
        conn.execute(
            sa.insert(institution_view).values(
                institution_id=str(uuid.uuid4()), name="Copy", sector="social", kind="other",
                finess=new,
            )
        )  # fmt: skip


def test_the_numbers_of_many_are_read_at_once_for_the_fhir_view(
    store_world: World, engine: Engine
) -> None:
    ProjectionRunner(store_world.app, engine).catch_up()
    w = store_world
    with engine.connect() as conn:
        institutions, professionals = registry_identifiers(
            conn,
            institutions=[w.i("aemo"), w.i("school"), uuid.uuid4()],
            professionals=[w.p("sophie"), w.p("karim"), w.p("jeanne")],
        )
        nothing = registry_identifiers(conn)
    aemo = World.IDENTIFIERS["aemo"]
    assert institutions == {
        w.i("aemo"): {Scheme.FINESS: aemo["finess"], Scheme.SIRET: aemo["siret"]}
    }
    assert professionals == {
        w.p("sophie"): {Scheme.RPPS: World.IDENTIFIERS["sophie"]["rpps"]},
        w.p("karim"): {Scheme.ADELI: World.IDENTIFIERS["karim"]["adeli"]},
    }
    assert nothing == ({}, {})
    systems = [i.system for i in fhir_identifiers(institutions[w.i("aemo")])]
    assert systems == [
        "https://finess.esante.gouv.fr",
        "https://sirene.fr",
        "urn:oid:1.2.250.1.71.4.2.2",
    ]
