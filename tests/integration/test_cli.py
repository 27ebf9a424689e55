"""The newcomer's path: `maillage migrate`, then `maillage demo`, on the store under test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from api.cli import cli
from api.settings import Settings, get_settings
from api.store import build_application
from domain.case import Case
from domain.values import BasisKind


@pytest.fixture
def cli_env(store_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("MAILLAGE_DATABASE_URL", store_settings.database_url)
    if store_settings.database_schema:
        monkeypatch.setenv("MAILLAGE_DATABASE_SCHEMA", store_settings.database_schema)
    get_settings.cache_clear()
    yield store_settings
    get_settings.cache_clear()


def test_migrate_then_demo(cli_env: Settings) -> None:
    runner = CliRunner()
    migrated = runner.invoke(cli, ["migrate"])
    assert migrated.exit_code == 0, migrated.output
    loaded = runner.invoke(cli, ["demo"])
    assert loaded.exit_code == 0, loaded.output
    assert "demo loaded" in loaded.output
    assert "8 institutions" in loaded.output

    app = build_application(cli_env)
    try:
        cases = [
            a
            for n in app.recorder.select_notifications(start=1, limit=10_000)
            if n.topic.endswith("Case.CaseOpened")
            for a in [app.repository.get(n.originator_id)]
        ]
        assert len(cases) == 2
        leo = next(c for c in cases if isinstance(c, Case) and c.beneficiary.first_name == "Léo")
        bases = {p.role: p.basis.kind for p in leo.participants}
    finally:
        app.close()
    assert bases == {
        "éducatrice référente AEMO": BasisKind.CASE_HOLDER,
        "référent ASE": BasisKind.CONVENTION,
        "pédopsychiatre": BasisKind.DELEGATION,
        "enseignant": BasisKind.NETWORK,
        "infirmier": BasisKind.INFORMAL,
    }
