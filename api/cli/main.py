"""The `maillage` command line: migrate, serve, load the demo, mint tokens, run projections.

Only typer and rich are imported here: `maillage --help` answers in a fraction of a second.
Each command imports its machinery (settings, the store, the domain, uvicorn) in its body and
builds what it runs through the composition root (`api.composition`). The commands that keep
personal data and the log safe are in `api.cli.safekeeping`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

import typer

from api.cli import backup, clients, console_sessions, deliver, keys, safekeeping
from api.cli.root import EntryPoint, RoleName, cli, console, migrated_settings, progress_bars

if TYPE_CHECKING:
    import threading

    from api.composition import Services
    from domain.access import Principal


@cli.command()
def migrate() -> None:
    """Apply the database migrations (every table, the event store's included)."""
    from api.settings import get_settings
    from api.store.migrations import MigrationsBehindError, upgrade

    try:
        before, after = upgrade(get_settings())
    except MigrationsBehindError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    console.print(f"database migrated: {before or 'empty'} → {after}")


@cli.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on."),
    port: int = typer.Option(8000, help="Port to listen on."),
    workers: int = typer.Option(1, help="Worker processes (PostgreSQL only for more than one)."),
) -> None:
    """Run the HTTP API (migrates a fresh embedded SQLite file on first use)."""
    import uvicorn

    from api.http import multiprocess

    settings = migrated_settings()
    if workers > 1 and settings.is_sqlite:
        console.print("[yellow]SQLite serves one process: starting a single worker[/yellow]")
        workers = 1
    options: dict[str, Any] = {
        "factory": True,
        "host": host,
        "port": port,
        "log_config": None,  # keep our structured logging
        "access_log": False,  # one line per request comes from the app, without concrete paths
    }
    with multiprocess.prepared(workers):  # one /metrics summing every worker's counts
        if workers > 1:
            from api.cli.serving import run_workers

            run_workers("api.http.app:create_app", workers=workers, **options)
        else:
            uvicorn.run("api.http.app:create_app", **options)


@cli.command()
def demo() -> None:
    """Load a realistic scenario (institutions, partnerships, networks, two cases) and print a
    token for each role."""
    from api.cli.demo import DEMO_ADMIN, demo_tokens, load_demo
    from api.cli.demo_alerts import demo_alerts
    from api.cli.demo_client import register_demo_client, try_it
    from api.composition import open_services
    from api.http.auth import TokenLifetimeError, token_lifetime
    from api.i18n import Words

    settings = migrated_settings()
    try:
        token_lifetime(settings)  # before loading anything: the tokens printed must be accepted
    except TokenLifetimeError as error:  # MAILLAGE_TOKEN_TTL_MINUTES beyond the bound
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    from api.cli.demo_walkthrough import walkthrough

    with open_services(settings) as services:
        now = services.time.now()  # the one clock: the story's dates and the tokens' instants
        story = load_demo(services.maillage, now=now, progress=console)
        console.print(f"[green]demo loaded[/green]: {story.summary()}\n")
        words = Words(zone=settings.time_zone)
        for said in walkthrough(services, story, words):
            console.print(said, markup=False, highlight=False)
        alerts = demo_alerts(services.maillage, story, now, words)
        client = register_demo_client(services, story.institutions["ase"], DEMO_ADMIN)
    for beneficiary, sentences in alerts.items():
        console.print(
            words.gettext("\nCoherence alerts for {name}:", name=beneficiary),
            markup=False,
            highlight=False,
        )
        for sentence in sentences:
            console.print(f"  · {sentence}", markup=False, highlight=False)
    if settings.signing_key() is None:
        console.print("no signing key configured: ask your identity provider for tokens")
        return
    leo = story.cases["leo"]
    console.print(f"\nLéo's case: {leo}\nInès's case: {story.cases['ines']}\n")
    for line in demo_tokens(settings, story, now=now):
        console.print(f"[bold]{line.label}[/bold] — {line.who}")
        print(f"export {line.variable}={line.token}")
    console.print(f"[bold]ASE client application[/bold] — {client.who} (secret shown once)")
    print(f"export CLIENT_ID={client.registered.client_id}")
    print(f"export CLIENT_SECRET={client.registered.secret}")
    console.print(
        "\nthen, with `maillage serve` running:\n"
        '  curl -H "Authorization: Bearer $CASE_WORKER_TOKEN" '
        f'"http://127.0.0.1:8000/cases/{leo}/coherence?purpose=follow_up"\n'
        "(views answer in French; add -H 'Accept-Language: en' for English)\n"
        "or open http://127.0.0.1:8000/docs and paste a token under Authorize."
    )
    console.print(try_it(client))


@cli.command()
def token(
    role: RoleName = typer.Option(
        ...,
        help="case_worker, supervisor, funder, admin or dpo (a client application, integration, "
        "gets its token from POST /oauth/token).",
    ),
    professional: str = typer.Option(
        None,
        help="The professional's id (the token's subject): a professional of the registry, "
        "employed by --institution today for a case worker or a supervisor.",
    ),
    subject: str = typer.Option(
        None,
        help="For an admin, a funder or a dpo, who is not a professional of the registry: the "
        "id naming them (an operator, a funding officer, a data-protection officer), unchecked.",
    ),
    institution: str = typer.Option(
        None,
        help="The institution acted for (required of case workers, supervisors and data-"
        "protection officers; a funder's is the funding institution): a registered one.",
    ),
    ttl_minutes: int = typer.Option(
        None,
        help="Lifetime in minutes (default MAILLAGE_TOKEN_TTL_MINUTES; 1 to "
        "MAILLAGE_TOKEN_MAX_LIFETIME_MINUTES, the longest the service accepts).",
    ),
) -> None:
    """Mint a bearer token signed with the service's key (the embedded mode, or a shared key),
    for a principal the registry knows."""
    from api.http.auth import TokenLifetimeError, mint_token, token_lifetime
    from api.settings import get_settings
    from api.store.factory import time_policy

    settings = get_settings()
    if settings.signing_key() is None:
        console.print(
            "[red]no signing key: set MAILLAGE_JWT_SECRET, or get tokens from your identity "
            "provider[/red]"
        )
        raise typer.Exit(2)
    principal, as_professional = _token_principal(role, professional, subject, institution)
    try:
        ttl = token_lifetime(settings, ttl_minutes)  # before the store is opened
    except TokenLifetimeError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    if as_professional or principal.institution_id is not None:
        _check_claims(principal, as_professional)
    if settings.jwt_secret is None:
        console.print("[yellow]signed with the embedded mode's public development key[/yellow]")
    print(
        mint_token(
            settings,
            subject=principal.subject,
            role=principal.role,
            institution_id=principal.institution_id,
            ttl_minutes=ttl,
            now=time_policy(settings).now(),
        )
    )


def _token_principal(
    role: RoleName, professional: str | None, subject: str | None, institution: str | None
) -> tuple[Principal, bool]:
    """The principal a token would name, and whether its subject is said to be a professional
    of the registry; exit 2 on a request that cannot name one."""
    from domain.access import INSTITUTION_ROLES, PROFESSIONAL_ROLES, Principal, Role

    acting_as = Role(role)
    if acting_as is Role.INTEGRATION:
        console.print(
            "[red]a client application gets its token from POST /oauth/token with its id and "
            "secret (client credentials): register it with `maillage clients register`[/red]"
        )
        raise typer.Exit(2)
    if (professional is None) == (subject is None):
        console.print(
            "[red]name the token's subject once: --professional ID (a professional of the "
            "registry), or --subject ID (an admin, a funder or a dpo outside it)[/red]"
        )
        raise typer.Exit(2)
    if subject is not None and acting_as in PROFESSIONAL_ROLES:
        console.print(
            f"[red]a {role.value} is a professional of the registry: pass --professional[/red]"
        )
        raise typer.Exit(2)
    try:
        person = UUID(professional or subject or "")
        institution_id = UUID(institution) if institution else None
    except ValueError as error:
        console.print("[red]--professional, --subject and --institution take ids (UUIDs)[/red]")
        raise typer.Exit(2) from error
    if acting_as in INSTITUTION_ROLES and institution_id is None:
        console.print(f"[red]a {role.value} acts for an institution: pass --institution[/red]")
        raise typer.Exit(2)
    return Principal(person, acting_as, institution_id), professional is not None


def _check_claims(principal: Principal, as_professional: bool) -> None:
    """The registry knows the token's professional (employed there, in a professional's role)
    and institution; exit 2, saying which it does not."""
    from api.store.factory import build_application, time_policy
    from domain.errors import MaillageError

    settings = migrated_settings()
    app = build_application(settings, time=time_policy(settings))
    try:
        app.check_claims(principal, professional=as_professional)
    except MaillageError as error:
        console.print(f"[red]no token minted: {error}[/red]")
        raise typer.Exit(2) from error
    finally:
        app.close()


@cli.command()
def project(
    follow: bool = typer.Option(False, "--follow", help="Keep following the log until stopped."),
    interval: float = typer.Option(
        0.05,
        help="Seconds between polls when following (on PostgreSQL the worker also wakes on each "
        "commit announced by the store: the interval is then only a fallback).",
    ),
) -> None:
    """Bring the read models up to date with the log (a projection worker with --follow)."""
    import signal
    import threading

    from api.composition import open_services

    settings = migrated_settings()
    with open_services(settings) as services:
        runner = services.projections
        with progress_bars() as report:
            runner.catch_up(progress=report)
        for lag in runner.lag():
            console.print(f"{lag.name}: position {lag.position} of {lag.head}")
        if follow:
            stop = threading.Event()
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            signal.signal(signal.SIGINT, lambda *_: stop.set())
            console.print("following the log (Ctrl-C to stop)")
            _follow(services, stop, interval)


def _follow(services: Services, stop: threading.Event, interval: float) -> None:
    """On PostgreSQL, wake on the store's NOTIFY (`api.store.log_listener`); on SQLite, poll."""
    from api.store.log_listener import LogListener, libpq_conninfo

    channel = getattr(services.maillage.recorder, "channel_name", None)
    if channel is None:
        services.projections.follow(stop, interval=interval)
        return
    listener = LogListener(libpq_conninfo(services.settings.database_url), channel, stop)
    try:
        services.projections.follow(stop, interval=interval, wake=listener.wait)
    finally:
        listener.close()


@cli.command()
def rebuild(
    names: list[str] = typer.Argument(None, help="Projections to rebuild (default: all)."),
) -> None:
    """Drop and replay projections; readers keep the previous rows until the new ones commit.

    On SQLite this holds the single write lock until it ends: stop the service first."""
    from api.composition import open_services
    from projections.runner import UnknownProjectionError

    settings = migrated_settings()
    with open_services(settings) as services:
        try:
            with progress_bars() as report:
                services.projections.rebuild(names or None, progress=report)
        except UnknownProjectionError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from error
    console.print("[green]rebuilt[/green]")


@cli.command("import")
def import_history(
    file: Path = typer.Argument(..., help="JSON Lines, one command per line (see README)."),
    source: str = typer.Option(..., help="The source system's name: case ids derive from it."),
    batch: int = typer.Option(2000, min=1, help="Events saved per transaction."),
    from_line: int = typer.Option(1, min=1, help="Resume an interrupted import at this line."),
    refused: Path = typer.Option(None, help="Write the refused lines' reasons here (JSONL)."),
) -> None:
    """Record another system's history through the same rules (an institution migrating).

    Exits 1 if a line was refused: each refusal names its line, rule and field; nothing of a
    refused line is recorded, every other line is."""
    import time

    from rich.progress import Progress

    from api.cli.importing import Importer
    from api.composition import open_services

    settings = migrated_settings()
    total = sum(1 for _ in file.open(encoding="utf-8"))
    started = time.perf_counter()
    with open_services(settings) as services:
        importer = Importer(services.maillage, source=source, batch=batch)
        with Progress(console=console) as bar, file.open(encoding="utf-8") as lines:
            task = bar.add_task(f"importing {file.name}", total=total, completed=from_line - 1)
            report = importer.run(
                lines, from_line=from_line, progress=lambda n: bar.update(task, completed=n)
            )
            bar.update(task, completed=total)
    elapsed = time.perf_counter() - started
    console.print(
        f"{report.read:,} lines read: {report.recorded:,} recorded ({report.events:,} events, "
        f"{report.events / elapsed:,.0f} events/s), {len(report.refused):,} refused"
        + (
            f"; {report.replayed_units} batch(es) redone line by line"
            if report.replayed_units
            else ""
        )
    )
    if report.refused:
        if refused is not None:
            refused.write_text("".join(r.as_json() + "\n" for r in report.refused), "utf-8")
            console.print(f"refusals written to {refused}")
        else:
            for r in report.refused[:20]:
                console.print(f"  line {r.line}: {r.rule} ({r.field or '-'}): {r.detail}")
            if len(report.refused) > 20:
                console.print(f"  … and {len(report.refused) - 20} more (--refused FILE)")
        raise typer.Exit(1)


cli.command("erase-beneficiary")(safekeeping.erase_beneficiary)
cli.command("apply-retention")(safekeeping.apply_retention)
cli.command()(safekeeping.verify)
cli.command("new-cipher-key")(safekeeping.new_cipher_key)
cli.command("rewrap-keys")(keys.rewrap_keys)
cli.command()(backup.backup)
cli.command()(backup.restore)
cli.add_typer(clients.clients, name="clients")
cli.add_typer(console_sessions.console_cli, name="console")
cli.command()(deliver.deliver)


def main() -> None:
    """The `maillage` entry point: logging is configured once a command runs (not for --help)."""
    cli(obj=EntryPoint())
