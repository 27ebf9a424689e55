"""`maillage clients register|list|rotate|revoke` on the store under test: the secret printed
once, on standard output; refusals said, exit 2; `maillage token` mints no client's token."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID, uuid4

from typer.testing import CliRunner

from api.cli.main import cli
from api.integration.client_approval import approve_personal_data
from api.integration.clients import ClientRegistry
from api.settings import Settings
from api.store.factory import build_application, build_engine
from domain.access import Principal, ReadPurpose, Role


def _ase(settings: Settings) -> UUID:
    app = build_application(settings)
    try:
        return app.register_institution(name="ASE 68", sector="social", kind="child_welfare").id
    finally:
        app.close()


def _printed(stdout: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in stdout.splitlines() if "=" in line)


def test_an_operator_registers_lists_rotates_and_revokes_a_client(cli_env: Settings) -> None:
    runner = CliRunner()
    ase = _ase(cli_env)
    registered = runner.invoke(
        cli,
        [
            "clients", "register", "--name", "SI de l'ASE", "--institution", str(ase),
            "--kind", "Case.CaseOpened", "--kind", "Case.ReferralMade",
            "--purpose", "coordination",
        ],
    )  # fmt: skip
    assert registered.exit_code == 0, registered.output
    first = _printed(registered.stdout)
    client_id, secret = UUID(first["client_id"]), first["client_secret"]
    assert "shown this once" in registered.stderr
    engine = build_engine(cli_env)
    try:
        registry = ClientRegistry(engine)
        scope = registry.authenticate(client_id, secret)
        assert scope is not None
        assert (scope.institution_id, scope.kinds) == (
            ase,
            {"Case.CaseOpened", "Case.ReferralMade"},
        )

        listed = runner.invoke(cli, ["clients", "list", "--institution", str(ase)])
        assert listed.exit_code == 0, listed.output
        assert str(client_id) in listed.stdout
        assert "active" in listed.stdout
        assert secret not in listed.output

        rotated = runner.invoke(cli, ["clients", "rotate", str(client_id)])
        assert rotated.exit_code == 0, rotated.output
        new = _printed(rotated.stdout)["client_secret"]
        assert new != secret
        assert registry.authenticate(client_id, new) is not None
        assert "previous secret is accepted until" in " ".join(rotated.stderr.split())

        revoked = runner.invoke(cli, ["clients", "revoke", str(client_id)])
        assert revoked.exit_code == 0, revoked.output
        scope = registry.scope(client_id)
        assert scope is not None
        assert not scope.active
        assert registry.authenticate(client_id, new) is None
        gone = runner.invoke(cli, ["clients", "list", "--active"])
        assert str(client_id) not in gone.stdout
        again = runner.invoke(cli, ["clients", "rotate", str(client_id)])
        assert again.exit_code == 2
        assert "revoked" in again.stderr
    finally:
        engine.dispose()


def test_refusals_are_said_and_nothing_is_registered(cli_env: Settings) -> None:
    runner = CliRunner()
    ase = str(_ase(cli_env))
    base = ["clients", "register", "--name", "SI", "--purpose", "coordination"]
    for extra, said in (
        (["--institution", str(uuid4()), "--kind", "Case.CaseOpened"], "does not exist"),
        (["--institution", ase, "--kind", "Case.Nothing"], "unknown kinds"),
        (["--institution", "ase", "--kind", "Case.CaseOpened"], "not an id"),
    ):
        refused = runner.invoke(cli, [*base, *extra])
        assert refused.exit_code == 2, refused.output
        assert said in " ".join(refused.stderr.split())
    bad_purpose = runner.invoke(
        cli,
        ["clients", "register", "--name", "SI", "--purpose", "curiosity",
         "--institution", ase, "--kind", "Case.CaseOpened"],
    )  # fmt: skip
    assert bad_purpose.exit_code == 2
    assert "--purpose is one of" in bad_purpose.stderr
    listed = runner.invoke(cli, ["clients", "list"])
    assert listed.stdout.strip() == ""
    unknown = runner.invoke(cli, ["clients", "revoke", str(uuid4())])
    assert unknown.exit_code == 2
    assert "no client application" in unknown.stderr


def test_the_token_command_mints_no_client_applications_token(cli_env: Settings) -> None:
    refused = CliRunner().invoke(
        cli,
        [
            "token",
            "--role",
            "integration",
            "--subject",
            str(uuid4()),
            "--institution",
            str(uuid4()),
        ],
    )
    assert refused.exit_code == 2
    assert "/oauth/token" in refused.stderr
    assert refused.stdout == ""


def test_rotate_takes_a_grace_within_the_routes_bounds(cli_env: Settings) -> None:
    """`--grace-minutes N`, as the HTTP route's `grace_minutes`: 0 cuts the previous secret and
    its tokens at once, N keeps it N minutes, beyond the setting or below 0 is refused (exit 2,
    the route's sentence) and nothing is rotated."""
    runner = CliRunner()
    ase = _ase(cli_env)
    registered = runner.invoke(
        cli,
        ["clients", "register", "--name", "SI", "--institution", str(ase),
         "--kind", "Case.CaseOpened", "--purpose", "coordination"],
    )  # fmt: skip
    first = _printed(registered.stdout)
    client_id, secret = UUID(first["client_id"]), first["client_secret"]
    engine = build_engine(cli_env)
    try:
        registry = ClientRegistry(engine)
        longest = cli_env.integration_secret_grace_minutes
        for grace in (str(longest + 1), "-1"):
            refused = runner.invoke(
                cli, ["clients", "rotate", str(client_id), "--grace-minutes", grace]
            )
            assert refused.exit_code == 2, refused.output
            said = " ".join(refused.stderr.split())
            assert f"grace_minutes is from 0 to {longest}" in said
            assert registry.authenticate(client_id, secret) is not None  # nothing rotated
            assert refused.stdout == ""

        kept = runner.invoke(cli, ["clients", "rotate", str(client_id), "--grace-minutes", "5"])
        assert kept.exit_code == 0, kept.output
        record = registry.get(client_id)
        assert record.previous_secret_valid_until is not None
        assert record.previous_secret_valid_until - record.updated_at == timedelta(minutes=5)
        assert record.tokens_not_before is None
        assert registry.authenticate(client_id, secret) is not None  # within its grace
        second = _printed(kept.stdout)["client_secret"]

        cut = runner.invoke(cli, ["clients", "rotate", str(client_id), "--grace-minutes", "0"])
        assert cut.exit_code == 0, cut.output
        assert "refused from now on" in " ".join(cut.stderr.split())
        record = registry.get(client_id)
        assert record.previous_secret_valid_until is None
        assert record.tokens_not_before is not None  # its tokens already issued are cut too
        assert registry.authenticate(client_id, second) is None
        assert registry.authenticate(client_id, _printed(cut.stdout)["client_secret"]) is not None
    finally:
        engine.dispose()


def test_rotate_says_the_dpos_approval_lapses(cli_env: Settings) -> None:
    """`maillage clients rotate` of a client whose personal data a DPO approved lapses the
    approval (the operator alone holds the new secret), and says so; the request stays."""
    runner = CliRunner()
    ase = _ase(cli_env)
    engine = build_engine(cli_env)
    try:
        registry = ClientRegistry(engine)
        client_id = registry.register(
            name="SI de l'ASE",
            institution_id=ase,
            kinds=["Case.CaseOpened"],
            personal_data=True,
            purpose=ReadPurpose.COORDINATION,
            by=uuid4(),
        ).client_id
        approve_personal_data(registry, client_id, Principal(uuid4(), Role.DPO, ase))
        assert registry.get(client_id).personal_data_in_force
        rotated = runner.invoke(cli, ["clients", "rotate", str(client_id)])
        assert rotated.exit_code == 0, rotated.output
        assert "approval of personal data lapses" in " ".join(rotated.stderr.split())
        record = registry.get(client_id)
        assert (record.personal_data, record.personal_data_in_force) == (True, False)
        scope = registry.scope(client_id)
        assert scope is not None
        assert not scope.personal_data
        again = runner.invoke(cli, ["clients", "rotate", str(client_id)])
        assert "lapses" not in again.stderr  # nothing approved, nothing said
    finally:
        engine.dispose()
