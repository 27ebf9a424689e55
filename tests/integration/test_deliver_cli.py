"""`maillage deliver` on the store under test: a step sends what is due (here to a receiver whose
certificate the command does not trust: a failed attempt, certificates are verified), `--status`
shows each subscription's deliveries, `--redeliver` sends one again."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from api.cli.main import cli
from api.settings import Settings
from tests.integration.webhook_setup import Scene


def test_the_worker_command_sends_shows_and_sends_again(
    cli_env: Settings, hooks: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILLAGE_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true")
    runner = CliRunner()
    with hooks.receiver() as untrusted:
        created = hooks.subscribe(untrusted.url)
        hooks.open_cases()
        once = runner.invoke(cli, ["deliver", "--once"])
        assert once.exit_code == 0, once.output
        assert "1 derived, 0 delivered, 1 failed (to retry), 0 dead" in once.output
        (row,) = hooks.deliveries()
        assert "CERTIFICATE_VERIFY_FAILED" in row["last_error"]
        assert untrusted.received == []

    status = runner.invoke(cli, ["deliver", "--status"])
    assert status.exit_code == 0, status.output
    subscription = created.subscription.subscription_id
    assert f"subscription {subscription} to 127.0.0.1 (active)" in status.output
    assert "1 pending, 0 delivered, 0 dead, oldest pending" in status.output

    again = runner.invoke(cli, ["deliver", "--redeliver", row["delivery_id"]])
    assert again.exit_code == 0, again.output
    (row,) = hooks.deliveries()
    assert (row["status"], row["attempts"]) == ("pending", 0)
    unknown = runner.invoke(cli, ["deliver", "--redeliver", "msg_nothing"])
    assert unknown.exit_code == 2
    assert "does not exist" in unknown.output
