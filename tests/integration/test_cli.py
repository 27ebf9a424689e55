"""The newcomer's path: `maillage migrate`, then `maillage demo`, on the store under test."""

from __future__ import annotations

from uuid import uuid4

import pytest
from typer.testing import CliRunner

from api.cli.main import cli
from api.http.auth import TokenVerifier
from api.settings import Settings, get_settings
from api.store.factory import build_application
from domain.access import Role
from domain.case import Case
from domain.values import BasisKind


def test_migrate_then_demo(cli_env: Settings) -> None:
    runner = CliRunner()
    migrated = runner.invoke(cli, ["migrate"])
    assert migrated.exit_code == 0, migrated.output
    loaded = runner.invoke(cli, ["demo"])
    assert loaded.exit_code == 0, loaded.output
    assert "demo loaded" in loaded.output
    assert "8 institutions" in loaded.output
    exports = dict(
        line.removeprefix("export ").split("=", 1)
        for line in loaded.stdout.splitlines()
        if line.startswith("export ")
    )
    verifier = TokenVerifier(get_settings())
    roles = {name: verifier.verify(token).role for name, token in exports.items()}
    assert roles == {
        "CASE_WORKER_TOKEN": Role.CASE_WORKER,
        "CASE_WORKER_CMP_TOKEN": Role.CASE_WORKER,
        "SUPERVISOR_TOKEN": Role.SUPERVISOR,
        "FUNDER_TOKEN": Role.FUNDER,
        "ADMIN_TOKEN": Role.ADMIN,
    }

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


def test_token_mints_a_token_the_service_accepts(cli_env: Settings) -> None:
    professional, institution = uuid4(), uuid4()
    minted = CliRunner().invoke(
        cli,
        [
            "token",
            "--professional",
            str(professional),
            "--role",
            "supervisor",
            "--institution",
            str(institution),
        ],
    )
    assert minted.exit_code == 0, minted.output
    principal = TokenVerifier(get_settings()).verify(minted.stdout.strip())
    assert (principal.subject, principal.role, principal.institution_id) == (
        professional,
        Role.SUPERVISOR,
        institution,
    )


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--role", "case_worker"], "pass --institution"),
        (["--role", "admin", "--institution", "not-an-id"], "take ids"),
    ],
)
def test_token_refuses_incomplete_requests(
    cli_env: Settings, arguments: list[str], says: str
) -> None:
    refused = CliRunner().invoke(cli, ["token", "--professional", str(uuid4()), *arguments])
    assert refused.exit_code == 2
    assert says in refused.output


def test_token_needs_a_key_outside_the_embedded_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    monkeypatch.delenv("MAILLAGE_JWT_SECRET", raising=False)
    get_settings.cache_clear()
    try:
        refused = CliRunner().invoke(
            cli, ["token", "--professional", str(uuid4()), "--role", "admin"]
        )
    finally:
        get_settings.cache_clear()
    assert refused.exit_code == 2
    assert "no signing key" in refused.output
