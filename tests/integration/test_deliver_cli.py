"""`maillage deliver` on the store under test: a step sends what is due (here to a receiver whose
certificate the command does not trust: a failed attempt, certificates are verified), `--status`
shows each subscription's deliveries, `--redeliver` sends one again (by `--operator`, or the
command line's own id)."""

from __future__ import annotations

import logging
from uuid import UUID, uuid4

import pytest
from typer.testing import CliRunner

from api.cli.main import cli
from api.cli.root import COMMAND_LINE
from api.settings import Settings
from tests.integration.webhook_setup import Scene


def test_the_worker_command_sends_shows_and_sends_again(
    cli_env: Settings,
    hooks: Scene,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
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

    with caplog.at_level(logging.INFO, logger="maillage.webhooks"):
        again = runner.invoke(cli, ["deliver", "--redeliver", row["delivery_id"]])
        assert again.exit_code == 0, again.output
        (row,) = hooks.deliveries()
        assert (row["status"], row["attempts"]) == ("pending", 0)
        operator = uuid4()
        named = runner.invoke(
            cli, ["deliver", "--redeliver", row["delivery_id"], "--operator", str(operator)]
        )
        assert named.exit_code == 0, named.output
    # Who sent it again: the command line's own id by default (as `maillage clients`), never
    # the nil id; the operator named otherwise.
    said = [r.getMessage() for r in caplog.records if "to be sent again" in r.getMessage()]
    assert said == [
        f"webhook {row['delivery_id']} to be sent again, by {COMMAND_LINE}",
        f"webhook {row['delivery_id']} to be sent again, by {operator}",
    ]
    assert str(UUID(int=0)) not in caplog.text
    not_an_id = runner.invoke(
        cli, ["deliver", "--redeliver", row["delivery_id"], "--operator", "me"]
    )
    assert not_an_id.exit_code == 2
    assert "not an id" in not_an_id.output
    unknown = runner.invoke(cli, ["deliver", "--redeliver", "msg_nothing"])
    assert unknown.exit_code == 2
    assert "does not exist" in unknown.output
