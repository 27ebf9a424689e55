"""`maillage deliver`: the webhook worker (`api.integration.webhooks.worker`), its progress, and
sending a delivery again (by `--operator`, by default the command line's own id, as `maillage
clients` names who changes a client)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from api.cli.root import OPERATOR, console, migrated_settings, operator_id

if TYPE_CHECKING:
    from datetime import datetime

    from sqlalchemy import Engine


def deliver(
    follow: bool = typer.Option(False, "--follow", help="Keep delivering until stopped."),
    once: bool = typer.Option(False, "--once", help="One step (one batch), then exit."),
    status: bool = typer.Option(
        False, "--status", help="Each subscription's deliveries: pending, delivered, dead."
    ),
    redeliver: str = typer.Option(
        None, "--redeliver", metavar="DELIVERY_ID", help="Send this delivery (msg_…) again."
    ),
    interval: float = typer.Option(
        1.0, help="Seconds between polls when nothing is due (> 0, with --follow)."
    ),
    operator: str = OPERATOR,
) -> None:
    """Send webhooks: derive deliveries from the feed, send those due, retry, dead-letter.

    Without an option: until nothing is due. Several workers may run at once. --follow, --once,
    --status and --redeliver exclude one another."""
    chosen = [
        name
        for name, given in (
            ("--follow", follow),
            ("--once", once),
            ("--status", status),
            ("--redeliver", redeliver is not None),
        )
        if given
    ]
    if len(chosen) > 1:
        _refuse(f"{' and '.join(chosen)} exclude one another: choose one")
    if not interval > 0:  # also NaN; 0 or less would poll without a pause
        _refuse(f"--interval must be more than 0 seconds, not {interval}")

    import signal
    import threading

    from api.composition import open_services
    from api.integration.webhooks.subscriptions import Subscriptions
    from api.integration.webhooks.worker import Deliverer
    from domain.errors import MaillageError

    settings = migrated_settings()
    with open_services(settings) as services:
        now = services.time.now
        if status:
            _print_status(services.engine, now())
            return
        if redeliver is not None:
            by = operator_id(operator)  # logged with the redelivery, like a change of clients
            try:
                Subscriptions(services.engine, settings, now).redeliver(redeliver, by=by)
            except MaillageError as error:
                console.print(f"[red]{error}[/red]")
                raise typer.Exit(2) from error
            console.print(f"{redeliver}: pending, to be sent at the next step")
            return
        with Deliverer(services.engine, settings, clock=now) as worker:
            if once:
                done = worker.step()
            elif follow:
                stop = threading.Event()
                signal.signal(signal.SIGTERM, lambda *_: stop.set())
                signal.signal(signal.SIGINT, lambda *_: stop.set())
                console.print("delivering webhooks (Ctrl-C to stop)")
                worker.follow(stop, interval=interval)
                return
            else:
                done = worker.drain()
    console.print(
        f"{done.derived} derived, {done.delivered} delivered, {done.failed} failed (to retry), "
        f"{done.dead} dead"
    )


def _refuse(why: str) -> None:
    """A usage error: one line, exit 2, nothing done."""
    console.print(f"error: {why}", markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def _print_status(engine: Engine, now: datetime) -> None:
    """One line per subscription (greppable): its cursor, its deliveries by status, the oldest
    pending one's age."""
    from urllib.parse import urlsplit

    from api.integration.webhooks.reports import progress

    found = progress(engine)
    if not found:
        console.print("no webhook subscription")
    for p in found:
        age = p.oldest_pending_age(now)
        console.print(
            f"subscription {p.subscription_id} to {urlsplit(p.url).hostname} "
            f"({'active' if p.active else 'paused'}): cursor {p.cursor}, {p.pending} pending, "
            f"{p.delivered} delivered, {p.dead} dead, oldest pending "
            + (f"{age:.0f} s" if age is not None else "-"),
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
