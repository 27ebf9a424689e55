"""The newcomer's path: `maillage migrate`, then `maillage demo`, on the store under test."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID, uuid4

import jwt
import pytest
from click.testing import Result
from typer.testing import CliRunner

from api.cli.main import cli
from api.http.auth import TokenVerifier
from api.integration.clients import ClientRegistry
from api.settings import Settings, get_settings
from api.store import migrations
from api.store.factory import build_application, build_engine
from domain.access import Role
from domain.case import Case
from domain.privacy import ERASED_TEXT
from domain.values import BasisKind


def test_migrate_then_demo(cli_env: Settings) -> None:
    runner = CliRunner()
    migrated = runner.invoke(cli, ["migrate"])
    assert migrated.exit_code == 0, migrated.output
    loaded = runner.invoke(cli, ["demo"])
    assert loaded.exit_code == 0, loaded.output
    assert "demo loaded" in loaded.output
    assert "8 institutions" in loaded.output
    assert "Dossier de Léo, dernières entrées de son historique" in loaded.output  # French, named
    assert "Dossiers suivis par Jeanne Martin :" in loaded.output
    printed = " ".join(loaded.output.split())  # the console wraps long lines
    assert "Alertes de cohérence pour Léo :" in printed
    assert (
        "Dr Sophie Weber (CMP enfants et adolescents de Colmar) intervient encore sur ce "
        "dossier sous une délégation révoquée le "
    ) in printed
    assert "3 établissements interviennent sur ce dossier et il n'y a pas de référent" in printed
    exports = dict(
        line.removeprefix("export ").split("=", 1)
        for line in loaded.stdout.splitlines()
        if line.startswith("export ")
    )
    # The ASE's client application, registered for a newcomer to try /oauth/token then /feed.
    client_id, client_secret = UUID(exports.pop("CLIENT_ID")), exports.pop("CLIENT_SECRET")
    engine = build_engine(cli_env)
    try:
        scope = ClientRegistry(engine).authenticate(client_id, client_secret)
    finally:
        engine.dispose()
    assert scope is not None
    assert (scope.personal_data, min(scope.kinds)) == (False, "Case.ActAnnulled")
    assert all(kind.startswith("Case.") for kind in scope.kinds)
    assert "grant_type=client_credentials" in printed
    verifier = TokenVerifier(get_settings())
    roles = {name: verifier.verify(token).role for name, token in exports.items()}
    assert roles == {
        "CASE_WORKER_TOKEN": Role.CASE_WORKER,
        "CASE_WORKER_CMP_TOKEN": Role.CASE_WORKER,
        "CASE_WORKER_ASE_TOKEN": Role.CASE_WORKER,
        "SUPERVISOR_TOKEN": Role.SUPERVISOR,
        "FUNDER_TOKEN": Role.FUNDER,
        "ADMIN_TOKEN": Role.ADMIN,
        "DPO_TOKEN": Role.DPO,
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


@dataclass(frozen=True)
class Registry:
    institution: UUID  # the AEMO
    elsewhere: UUID  # the CMP
    professional: UUID  # employed by the AEMO since 2020


def _registry(settings: Settings) -> Registry:
    app = build_application(settings)
    try:
        aemo = app.register_institution(name="AEMO", sector="social", kind="aemo_service").id
        cmp = app.register_institution(name="CMP", sector="health", kind="cmp").id
        jeanne = app.register_professional(name="Jeanne", profession="éducatrice").id
        app.start_employment(professional_id=jeanne, institution_id=aemo, start=date(2020, 1, 1))
    finally:
        app.close()
    return Registry(aemo, cmp, jeanne)


def _mint(*arguments: str) -> Result:
    return CliRunner().invoke(cli, ["token", *arguments])


def _refused(result: Result, says: str) -> None:
    """Exit code 2, the reason on stderr, no token on stdout, no traceback."""
    assert result.exit_code == 2, result.output
    assert says in " ".join(result.stderr.split()), result.stderr  # as the console wraps it
    assert result.stdout.strip() == ""
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # typer's exit, nothing raised


def test_token_mints_a_token_the_service_accepts(cli_env: Settings) -> None:
    r = _registry(cli_env)
    minted = _mint(
        "--professional",
        str(r.professional),
        "--role",
        "supervisor",
        "--institution",
        str(r.institution),
    )
    assert minted.exit_code == 0, minted.output
    principal = TokenVerifier(get_settings()).verify(minted.stdout.strip())
    assert (principal.subject, principal.role, principal.institution_id) == (
        r.professional,
        Role.SUPERVISOR,
        r.institution,
    )


def test_token_refuses_a_professional_the_registry_does_not_know(cli_env: Settings) -> None:
    """A case worker's or a supervisor's token names a registered professional employed by its
    institution today (the service would refuse every request of any other: say so now)."""
    r = _registry(cli_env)
    unknown = str(uuid4())
    for role in ("case_worker", "supervisor"):
        _refused(
            _mint("--professional", unknown, "--role", role, "--institution", str(r.institution)),
            f"professional {unknown} does not exist",
        )
        _refused(
            _mint(
                "--professional",
                str(r.professional),
                "--role",
                role,
                "--institution",
                str(r.elsewhere),
            ),
            f"is not employed by institution {r.elsewhere}",
        )
    nowhere = str(uuid4())
    _refused(
        _mint(
            "--professional", str(r.professional), "--role", "case_worker", "--institution", nowhere
        ),
        f"institution {nowhere} does not exist",
    )
    # an admin or a funder said to be a professional of the registry is checked as one
    _refused(
        _mint("--professional", unknown, "--role", "admin"), f"professional {unknown} does not"
    )


def test_token_for_an_admin_or_a_funder_names_its_subject_explicitly(cli_env: Settings) -> None:
    """Administrators and funders are not professionals of the registry: `--subject` says so,
    and names them (unchecked); a funder's institution is the funding one, and registered."""
    r = _registry(cli_env)
    operator = uuid4()
    admin = _mint("--subject", str(operator), "--role", "admin")
    assert admin.exit_code == 0, admin.output
    principal = TokenVerifier(get_settings()).verify(admin.stdout.strip())
    assert (principal.subject, principal.role, principal.institution_id) == (
        operator,
        Role.ADMIN,
        None,
    )
    funder = _mint(
        "--subject", str(operator), "--role", "funder", "--institution", str(r.elsewhere)
    )
    assert funder.exit_code == 0, funder.output
    assert TokenVerifier(get_settings()).verify(funder.stdout.strip()).institution_id == r.elsewhere
    nowhere = str(uuid4())
    _refused(
        _mint("--subject", str(operator), "--role", "funder", "--institution", nowhere),
        f"institution {nowhere} does not exist",
    )
    _refused(
        _mint(
            "--subject",
            str(r.professional),
            "--role",
            "case_worker",
            "--institution",
            str(r.institution),
        ),
        "a case_worker is a professional of the registry: pass --professional",
    )
    _refused(_mint("--role", "admin"), "name the token's subject once")
    _refused(
        _mint("--subject", str(operator), "--professional", str(r.professional), "--role", "admin"),
        "name the token's subject once",
    )


def test_token_for_a_dpo_names_a_registered_institution(cli_env: Settings) -> None:
    """A data-protection officer is no professional of the registry (`--subject`), but acts for
    one institution: the token names it, and it must be registered."""
    r = _registry(cli_env)
    officer = uuid4()
    dpo = _mint("--subject", str(officer), "--role", "dpo", "--institution", str(r.institution))
    assert dpo.exit_code == 0, dpo.output
    principal = TokenVerifier(get_settings()).verify(dpo.stdout.strip())
    assert (principal.subject, principal.role, principal.institution_id) == (
        officer,
        Role.DPO,
        r.institution,
    )
    _refused(_mint("--subject", str(officer), "--role", "dpo"), "a dpo acts for an institution")
    nowhere = str(uuid4())
    _refused(
        _mint("--subject", str(officer), "--role", "dpo", "--institution", nowhere),
        f"institution {nowhere} does not exist",
    )


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--professional", str(uuid4()), "--role", "case_worker"], "pass --institution"),
        (["--subject", str(uuid4()), "--role", "admin", "--institution", "not-an-id"], "take ids"),
    ],
)
def test_token_refuses_incomplete_requests(
    cli_env: Settings, arguments: list[str], says: str
) -> None:
    _refused(_mint(*arguments), says)


@pytest.mark.parametrize("minutes", ["0", "-5", "481"])
def test_token_refuses_a_lifetime_of_zero_negative_or_beyond_the_bound(
    cli_env: Settings, minutes: str
) -> None:
    refused = _mint("--subject", str(uuid4()), "--role", "admin", f"--ttl-minutes={minutes}")
    _refused(
        refused,
        f"a token lives 1 to 480 minutes (MAILLAGE_TOKEN_MAX_LIFETIME_MINUTES), not {minutes}",
    )


def test_token_refuses_a_lifetime_beyond_what_the_service_accepts(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--ttl-minutes` up to MAILLAGE_TOKEN_MAX_LIFETIME_MINUTES (480 by default), not one more;
    a default lifetime (MAILLAGE_TOKEN_TTL_MINUTES) beyond it is refused too, by `token` and by
    `demo` (before it loads anything)."""
    mint = ["token", "--subject", str(uuid4()), "--role", "admin", "--ttl-minutes"]
    at_bound = CliRunner().invoke(cli, [*mint, "480"])
    assert at_bound.exit_code == 0, at_bound.output
    token = at_bound.stdout.strip()
    assert TokenVerifier(get_settings()).verify(token).role is Role.ADMIN
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == 480 * 60

    refused = CliRunner().invoke(cli, [*mint, "481"])
    assert refused.exit_code == 2
    assert "a token lives 1 to 480 minutes" in refused.output
    assert "not 481" in refused.output
    assert refused.stdout.count(".") < 2  # no token printed

    monkeypatch.setenv("MAILLAGE_TOKEN_TTL_MINUTES", "600")
    get_settings.cache_clear()
    by_default = CliRunner().invoke(cli, mint[:-1])
    assert by_default.exit_code == 2
    assert "not 600" in by_default.output
    demo = CliRunner().invoke(cli, ["demo"])
    assert demo.exit_code == 2
    assert "not 600" in demo.output
    assert "demo loaded" not in demo.output

    monkeypatch.setenv("MAILLAGE_TOKEN_MAX_LIFETIME_MINUTES", "600")
    get_settings.cache_clear()
    raised = CliRunner().invoke(cli, mint[:-1])
    assert raised.exit_code == 0, raised.output


def test_token_needs_a_key_outside_the_embedded_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAILLAGE_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    monkeypatch.delenv("MAILLAGE_JWT_SECRET", raising=False)
    get_settings.cache_clear()
    try:
        refused = CliRunner().invoke(cli, ["token", "--subject", str(uuid4()), "--role", "admin"])
    finally:
        get_settings.cache_clear()
    assert refused.exit_code == 2
    assert "no signing key" in refused.output


def test_the_operators_commands_over_the_demo(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each command builds its services through the composition root, over the store under
    test: projections caught up and rebuilt, a beneficiary erased, retention listed."""
    runner = CliRunner()
    loaded = runner.invoke(cli, ["demo"])
    assert loaded.exit_code == 0, loaded.output
    leo = re.search(r"Léo's case: ([0-9a-f-]{36})", loaded.output)
    assert leo is not None

    projected = runner.invoke(cli, ["project"])
    assert projected.exit_code == 0, projected.output
    assert re.search(r"coherence\w*: position (\d+) of \1", projected.output)
    rebuilt = runner.invoke(cli, ["rebuild"])
    assert (rebuilt.exit_code, "rebuilt" in rebuilt.output) == (0, True), rebuilt.output
    unknown = runner.invoke(cli, ["rebuild", "no_such_projection"])
    assert unknown.exit_code == 2

    wrong_ground = runner.invoke(
        cli, ["erase-beneficiary", leo[1], "--operator", "dpo", "--ground", "whim"]
    )
    assert wrong_ground.exit_code == 2
    erased = runner.invoke(
        cli, ["erase-beneficiary", leo[1], "--operator", "dpo", "--ground", "court_order"]
    )
    assert erased.exit_code == 0, erased.output
    assert f"erased: case {leo[1]}" in erased.output
    app = build_application(cli_env)
    try:
        case = app.repository.get(UUID(leo[1]))
        assert isinstance(case, Case)
        assert case.beneficiary.first_name == ERASED_TEXT
    finally:
        app.close()
    again = runner.invoke(cli, ["erase-beneficiary", leo[1], "--operator", "dpo"])
    assert again.exit_code == 1

    assert "nothing is due" in runner.invoke(cli, ["apply-retention", "--dry-run"]).output
    monkeypatch.setenv("MAILLAGE_RETENTION_YEARS_AFTER_CLOSING", "5")
    get_settings.cache_clear()
    due = runner.invoke(cli, ["apply-retention", "--dry-run"])
    assert due.exit_code == 0, due.output
    assert "0 case(s) closed over 5 years ago" in due.output  # the demo's cases are open


def test_new_cipher_key_prints_a_key(cli_env: Settings) -> None:
    first, second = (CliRunner().invoke(cli, ["new-cipher-key"]) for _ in range(2))
    assert first.exit_code == second.exit_code == 0
    assert len(first.stdout.strip()) >= 32
    assert first.stdout != second.stdout


def test_migrate_says_where_the_migrations_were_looked_for(
    cli_env: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(migrations, "SOURCE_TREE", tmp_path / "alembic")
    monkeypatch.setattr(migrations, "MIGRATIONS_PACKAGE", "maillage_migrations_absent")
    refused = CliRunner().invoke(cli, ["migrate"])
    assert refused.exit_code == 2
    assert "alembic scripts not found" in refused.output
