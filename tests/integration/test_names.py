"""A view names what it mentions: current display names from the registry, one query per kind."""

from __future__ import annotations

from uuid import uuid4

from sqlalchemy import Engine

from domain.application import Maillage
from projections.names import names
from projections.runner import ProjectionRunner
from tests.world import World


def test_names_are_current_registry_names_and_unknown_ids_are_absent(
    store_app: Maillage, engine: Engine
) -> None:
    world = World.build(store_app)
    convention = world.convention("ase", "aemo")
    ProjectionRunner(store_app, engine).catch_up()
    stranger = uuid4()
    with engine.connect() as conn:
        found = names(
            conn,
            professionals=[world.p("jeanne"), stranger, None],
            institutions=[world.i("aemo"), world.i("ase")],
            partnerships=[convention],
        )
        nothing = names(conn)
    assert found.professional(world.p("jeanne")) == "Jeanne"
    assert found.professional(stranger) is None
    assert found.professional(None) is None
    assert found.institutions == {world.i("aemo"): "AEMO Colmar", world.i("ase"): "ASE 68"}
    assert found.partnership(convention) is not None
    assert nothing.professionals == {}
    assert nothing.partnerships == {}
