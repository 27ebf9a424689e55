"""The `maillage` command line: migrate, serve, load the demo, mint tokens, run projections."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import UUID

import typer
from rich.console import Console
from rich.progress import Progress, TaskID

from api.http.observability import configure_logging
from api.settings import Settings, get_settings
from api.store.migrations import MigrationsBehindError, ensure_current, upgrade
from domain.access import Role
from domain.case import ErasureGround
from domain.errors import MaillageError

cli = typer.Typer(
    help="Maillage: event-sourced case coordination. Configure with MAILLAGE_* variables.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)


def _migrated_settings() -> Settings:
    """Settings of a store that is current (a fresh SQLite file migrates itself), or exit 2."""
    settings = get_settings()
    try:
        ensure_current(settings)
    except MigrationsBehindError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    return settings


@cli.command()
def migrate() -> None:
    """Apply the database migrations (every table, the event store's included)."""
    settings = get_settings()
    before, after = upgrade(settings)
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

    settings = _migrated_settings()
    if workers > 1 and settings.is_sqlite:
        console.print("[yellow]SQLite serves one process: starting a single worker[/yellow]")
        workers = 1
    with multiprocess.prepared(workers):  # one /metrics summing every worker's counts
        uvicorn.run(
            "api.http.app:create_app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_config=None,  # keep our structured logging
            access_log=False,  # one line per request comes from the app, without concrete paths
        )


@cli.command()
def demo() -> None:
    """Load a realistic scenario (institutions, partnerships, networks, two cases) and print a
    token for each role."""
    from api.cli.demo import demo_tokens, load_demo
    from api.store.factory import build_application

    settings = _migrated_settings()
    app = build_application(settings)
    try:
        story = load_demo(app, progress=console)
    finally:
        app.close()
    console.print(f"[green]demo loaded[/green]: {story.summary()}")
    if settings.signing_key() is None:
        console.print("no signing key configured: ask your identity provider for tokens")
        return
    leo = story.cases["leo"]
    console.print(f"\nLéo's case: {leo}\nInès's case: {story.cases['ines']}\n")
    for line in demo_tokens(settings, story):
        console.print(f"[bold]{line.label}[/bold] — {line.who}")
        print(f"export {line.variable}={line.token}")
    console.print(
        "\nthen, with `maillage serve` running:\n"
        '  curl -H "Authorization: Bearer $CASE_WORKER_TOKEN" '
        f'"http://127.0.0.1:8000/cases/{leo}/coherence?purpose=follow_up"\n'
        "or open http://127.0.0.1:8000/docs and paste a token under Authorize."
    )


@cli.command()
def token(
    professional: str = typer.Option(..., help="The professional's id (the token's subject)."),
    role: Role = typer.Option(..., help="case_worker, supervisor, funder or admin."),
    institution: str = typer.Option(
        None, help="The institution acted for (required of case workers and supervisors)."
    ),
    ttl_minutes: int = typer.Option(None, help="Lifetime (default MAILLAGE_TOKEN_TTL_MINUTES)."),
) -> None:
    """Mint a bearer token signed with the service's key (the embedded mode, or a shared key)."""
    from api.http.auth import mint_token

    settings = get_settings()
    if settings.signing_key() is None:
        console.print(
            "[red]no signing key: set MAILLAGE_JWT_SECRET, or get tokens from your identity "
            "provider[/red]"
        )
        raise typer.Exit(2)
    try:
        subject = UUID(professional)
        institution_id = UUID(institution) if institution else None
    except ValueError as error:
        console.print("[red]--professional and --institution take ids (UUIDs)[/red]")
        raise typer.Exit(2) from error
    if role in (Role.CASE_WORKER, Role.SUPERVISOR) and institution_id is None:
        console.print(f"[red]a {role.value} acts for an institution: pass --institution[/red]")
        raise typer.Exit(2)
    if settings.jwt_secret is None:
        console.print("[yellow]signed with the embedded mode's public development key[/yellow]")
    print(
        mint_token(
            settings,
            subject=subject,
            role=role,
            institution_id=institution_id,
            ttl_minutes=ttl_minutes,
        )
    )


@cli.command()
def project(
    follow: bool = typer.Option(False, "--follow", help="Keep following the log until stopped."),
    interval: float = typer.Option(0.05, help="Seconds between polls when following."),
) -> None:
    """Bring the read models up to date with the log (a projection worker with --follow)."""
    import signal
    import threading

    from api.store.factory import build_application, build_engine
    from projections.runner import ProjectionRunner

    settings = _migrated_settings()
    app, engine = build_application(settings), build_engine(settings)
    runner = ProjectionRunner(app, engine, batch_size=settings.projection_batch_size)
    try:
        with _progress() as report:
            runner.catch_up(progress=report)
        for lag in runner.lag():
            console.print(f"{lag.name}: position {lag.position} of {lag.head}")
        if follow:
            stop = threading.Event()
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            signal.signal(signal.SIGINT, lambda *_: stop.set())
            console.print("following the log (Ctrl-C to stop)")
            runner.follow(stop, interval=interval)
    finally:
        app.close()
        engine.dispose()


@cli.command()
def rebuild(
    names: list[str] = typer.Argument(None, help="Projections to rebuild (default: all)."),
) -> None:
    """Drop and replay projections; readers keep the previous rows until the new ones commit.

    On SQLite this holds the single write lock until it ends: stop the service first."""
    from api.store.factory import build_application, build_engine
    from projections.runner import ProjectionRunner, UnknownProjectionError

    settings = _migrated_settings()
    app, engine = build_application(settings), build_engine(settings)
    try:
        with _progress() as report:
            runner = ProjectionRunner(app, engine, batch_size=settings.projection_batch_size)
            runner.rebuild(names or None, progress=report)
    except UnknownProjectionError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    finally:
        app.close()
        engine.dispose()
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

    from api.cli.importing import Importer
    from api.store.factory import build_application

    settings = _migrated_settings()
    total = sum(1 for _ in file.open(encoding="utf-8"))
    app = build_application(settings)
    started = time.perf_counter()
    try:
        importer = Importer(app, source=source, batch=batch)
        with Progress(console=console) as bar, file.open(encoding="utf-8") as lines:
            task = bar.add_task(f"importing {file.name}", total=total, completed=from_line - 1)
            report = importer.run(
                lines, from_line=from_line, progress=lambda n: bar.update(task, completed=n)
            )
            bar.update(task, completed=total)
    finally:
        app.close()
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


@cli.command("erase-beneficiary")
def erase_beneficiary(
    case_id: str = typer.Argument(..., help="The case whose beneficiary is erased."),
    ground: ErasureGround = typer.Option(
        ErasureGround.ERASURE_REQUEST, help="Why: erasure_request, retention_expired, court_order."
    ),
    reference: str = typer.Option(None, help="The request's or order's reference."),
    operator: str = typer.Option(..., help="Who carries it out (recorded with the erasure)."),
) -> None:
    """Erase a beneficiary's personal data: record why, then destroy their key.

    The log is not rewritten: the personal fields stay sealed under a key that no longer
    exists. Counts, acts and bases stay; every view shows the person as erased."""
    from api.store.factory import build_application

    settings = _migrated_settings()
    app = build_application(settings)
    try:
        recorded = app.erase_beneficiary(
            case_id=_uuid(case_id), ground=ground, reference=reference, requested_by=operator
        )
    except MaillageError as error:
        console.print(f"[red]{error.message}[/red]")
        raise typer.Exit(1) from error
    finally:
        app.close()
    console.print(f"[green]erased[/green]: case {recorded.id}, version {recorded.version}")


@cli.command("apply-retention")
def apply_retention(
    dry_run: bool = typer.Option(False, "--dry-run", help="List what is due, erase nothing."),
) -> None:
    """Erase the beneficiaries of cases closed longer ago than
    MAILLAGE_RETENTION_YEARS_AFTER_CLOSING (run it from a scheduler; each erasure is recorded)."""
    from api.cli.retention import apply_retention as erase_due
    from api.cli.retention import cases_due
    from api.store.factory import build_application, build_engine

    settings = _migrated_settings()
    years = settings.retention_years_after_closing
    if years is None:
        console.print("MAILLAGE_RETENTION_YEARS_AFTER_CLOSING is unset: nothing is due")
        return
    app, engine = build_application(settings), build_engine(settings)
    try:
        if dry_run:
            due = cases_due(app, engine, years)
            console.print(f"{len(due)} case(s) closed over {years} years ago, not erased yet")
            for case_id in due:
                console.print(f"  due: {case_id}")
            return
        with Progress(console=console) as bar:
            task = bar.add_task("erasing", total=None)
            erased = erase_due(app, engine, years, progress=lambda _: bar.advance(task))
        console.print(f"[green]erased[/green] {len(erased)} beneficiaries ({years} years)")
    finally:
        app.close()
        engine.dispose()


@cli.command()
def verify(
    expect: str = typer.Option(
        None, help="A head noted earlier, POSITION:HASH: the chain must still pass through it."
    ),
) -> None:
    """Walk the log and its hash chain; report the first broken position (exit status 1)."""
    from api.store.factory import build_application, build_engine
    from api.store.integrity import Head
    from api.store.integrity import verify as verify_chain

    settings = _migrated_settings()
    try:
        noted = Head.parse(expect) if expect else None
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    app, engine = build_application(settings), build_engine(settings)
    try:
        last = app.recorder.max_notification_id() or 0
        with Progress(console=console) as bar:
            task = bar.add_task("verifying", total=last)
            result = verify_chain(
                app.recorder,
                engine,
                expect=noted,
                progress=lambda position: bar.update(task, completed=position),
            )
    finally:
        app.close()
        engine.dispose()
    if not result.intact:
        console.print(
            f"[red]BROKEN at position {result.broken_at}[/red]: {result.reason} "
            f"({result.checked} events verified before it)"
        )
        raise typer.Exit(1)
    console.print(f"[green]intact[/green]: {result.checked} events; head {result.head}")


@cli.command("new-cipher-key")
def new_cipher_key() -> None:
    """Print a new key for MAILLAGE_CIPHER_KEY (whole-event encryption at rest)."""
    from eventsourcing.cryptography import AESCipher

    typer.echo(AESCipher.create_key(32))


def _uuid(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError as error:
        console.print(f"[red]not an id: {text!r}[/red]")
        raise typer.Exit(2) from error


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar per projection, fed with (name, position reached, head)."""
    with Progress(console=console) as bar:
        tasks: dict[str, TaskID] = {}

        def report(name: str, reached: int, head: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=head)
            bar.update(tasks[name], completed=reached, total=head)

        yield report


def main() -> None:
    configure_logging(get_settings().log_format)
    try:
        cli()
    except MigrationsBehindError as error:
        console.print(f"[red]{error}[/red]")
        sys.exit(2)
