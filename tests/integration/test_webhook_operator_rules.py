"""The webhook worker as an operator meets it, on the store under test: a delivery logs neither
its target's path nor its query (httpx's request line quieted, in the worker and in every
command); a delivery dead without being sent is counted dead and keeps its last real attempt;
`maillage deliver` refuses a pause of 0 or less and options that exclude one another."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from api.cli.main import cli
from api.integration.clients import ClientRegistry
from api.integration.webhooks.outbox import derive
from api.logs import configure_logging
from api.settings import Settings
from tests.integration.webhook_setup import ADMIN, OPENED, Scene

SECRET_QUERY = "api_key=TOPSECRETKEY"


@pytest.fixture
def loud_http_clients() -> Iterator[None]:
    """httpx and httpcore as a fresh process finds them (not yet quieted by another test)."""
    loggers = [logging.getLogger(name) for name in ("httpx", "httpcore")]
    before = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.NOTSET)
    yield
    for lg, level in zip(loggers, before, strict=True):
        lg.setLevel(level)


@pytest.mark.usefixtures("loud_http_clients")
def test_a_delivery_logs_neither_the_targets_path_nor_its_query(
    hooks: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # the most a deployment could ask for
    with hooks.receiver() as ok:
        hooks.subscribe(ok.url + "/tenant-42?" + SECRET_QUERY)
        hooks.open_cases()
        assert hooks.worker().step().delivered == 1
        assert ok.received[0].path.endswith(SECRET_QUERY)  # it was sent there
    assert caplog.records  # the worker did log (its own lines)
    assert SECRET_QUERY not in caplog.text
    assert "tenant-42" not in caplog.text


@pytest.mark.usefixtures("loud_http_clients")
def test_every_command_and_the_service_quiet_the_http_clients() -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        configure_logging("json")  # what `maillage serve`, `deliver` and every command call
        for name in ("httpx", "httpcore"):
            assert not logging.getLogger(name).isEnabledFor(logging.INFO), name
            assert logging.getLogger(name).isEnabledFor(logging.WARNING), name
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


def test_a_delivery_dead_unsent_is_counted_and_keeps_its_last_real_attempt(
    cli_env: Settings, hooks: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    with hooks.receiver(lambda _: 500) as down:
        narrowed = hooks.subscribe(down.url, client_kinds=[*OPENED, "Case.ReferralMade"])
        hooks.open_cases()
        assert hooks.worker().step().failed == 1  # answered 500: to be retried
        (tried,) = hooks.deliveries()
        ClientRegistry(hooks.engine).update(
            narrowed.subscription.client_id, by=ADMIN, kinds=["Case.ReferralMade"]
        )
        hooks.clock.move(hours=1)
        done = hooks.worker().step()
        assert (done.delivered, done.failed, done.dead) == (0, 0, 1)
        assert len(down.received) == 1  # not sent again
    (row,) = hooks.deliveries()
    assert row["status"] == "dead"
    assert "no longer in" in str(row["last_error"])
    # no request was sent: the last attempt shown is the one really made
    assert (row["attempts"], row["last_status_code"]) == (1, 500)
    assert row["last_attempt_at"] == tried["last_attempt_at"]


def test_the_command_counts_a_delivery_dead_unsent(
    cli_env: Settings, hooks: Scene, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILLAGE_WEBHOOK_ALLOW_PRIVATE_TARGETS", "true")
    with hooks.receiver() as target:
        created = hooks.subscribe(target.url)
        hooks.open_cases()
        assert derive(hooks.engine, hooks.clock()) == 1  # queued, then its client revoked
        ClientRegistry(hooks.engine).revoke(created.subscription.client_id, by=ADMIN)
        once = CliRunner().invoke(cli, ["deliver", "--once"])
        assert once.exit_code == 0, once.output
        assert "0 derived, 0 delivered, 0 failed (to retry), 1 dead" in once.output
        assert target.received == []
    (row,) = hooks.deliveries()
    assert (row["status"], row["attempts"], row["last_attempt_at"]) == ("dead", 0, None)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--follow", "--interval", "0"], "--interval must be more than 0"),
        (["--follow", "--interval", "-1"], "--interval must be more than 0"),
        (["--follow", "--interval", "nan"], "--interval must be more than 0"),
        (["--status", "--follow"], "--follow and --status exclude one another"),
        (["--once", "--follow"], "--follow and --once exclude one another"),
        (["--status", "--redeliver", "msg_x"], "--status and --redeliver exclude one another"),
        (["--once", "--redeliver", "msg_x"], "--once and --redeliver exclude one another"),
    ],
)
def test_the_command_refuses_a_busy_poll_and_options_that_exclude_one_another(
    cli_env: Settings, hooks: Scene, args: list[str], said: str
) -> None:
    refused = CliRunner().invoke(cli, ["deliver", *args])
    assert refused.exit_code == 2, refused.output
    assert said in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    assert hooks.deliveries() == []  # nothing done
