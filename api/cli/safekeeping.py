"""Commands that keep personal data and the log safe: erasure, retention, the hash chain, the
cipher key. `api.cli.main` registers them on the `maillage` group, after its own."""

from __future__ import annotations

import typer

from api.cli.root import ErasureGroundName, console, migrated_settings, uuid_arg


def erase_beneficiary(
    case_id: str = typer.Argument(..., help="The case whose beneficiary is erased."),
    ground: ErasureGroundName = typer.Option(
        ErasureGroundName.ERASURE_REQUEST,
        help="Why: erasure_request, retention_expired, court_order.",
    ),
    reference: str = typer.Option(None, help="The request's or order's reference."),
    operator: str = typer.Option(..., help="Who carries it out (recorded with the erasure)."),
) -> None:
    """Erase a beneficiary's personal data: record why, then destroy their key.

    The log is not rewritten: the personal fields stay sealed under a key that no longer
    exists. Counts, acts and bases stay; every view shows the person as erased."""
    from api.composition import open_services
    from domain.case_values import ErasureGround
    from domain.errors import MaillageError

    settings = migrated_settings()
    with open_services(settings) as services:
        try:
            recorded = services.maillage.erase_beneficiary(
                case_id=uuid_arg(case_id),
                ground=ErasureGround(ground),
                reference=reference,
                requested_by=operator,
            )
        except MaillageError as error:
            console.print(f"[red]{error.message}[/red]")
            raise typer.Exit(1) from error
    console.print(f"[green]erased[/green]: case {recorded.id}, version {recorded.version}")


def apply_retention(
    dry_run: bool = typer.Option(False, "--dry-run", help="List what is due, erase nothing."),
) -> None:
    """Erase the beneficiaries of cases closed longer ago than
    MAILLAGE_RETENTION_YEARS_AFTER_CLOSING (run it from a scheduler; each erasure is recorded)."""
    from rich.progress import Progress

    from api.cli.retention import apply_retention as erase_due
    from api.cli.retention import cases_due
    from api.composition import open_services

    settings = migrated_settings()
    years = settings.retention_years_after_closing
    if years is None:
        console.print("MAILLAGE_RETENTION_YEARS_AFTER_CLOSING is unset: nothing is due")
        return
    with open_services(settings) as services:
        if dry_run:
            due = cases_due(services, years)
            console.print(f"{len(due)} case(s) closed over {years} years ago, not erased yet")
            for case_id in due:
                console.print(f"  due: {case_id}")
            return
        with Progress(console=console) as bar:
            task = bar.add_task("erasing", total=None)
            erased = erase_due(services, years, progress=lambda _: bar.advance(task))
    console.print(f"[green]erased[/green] {len(erased)} beneficiaries ({years} years)")


def verify(
    expect: str = typer.Option(
        None, help="A head noted earlier, POSITION:HASH: the chain must still pass through it."
    ),
) -> None:
    """Walk the log and its hash chain; report the first broken position (exit status 1)."""
    from rich.progress import Progress

    from api.composition import open_services
    from api.store.integrity import Head
    from api.store.integrity import verify as verify_chain

    settings = migrated_settings()
    try:
        noted = Head.parse(expect) if expect else None
    except ValueError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    with open_services(settings) as services:
        recorder = services.maillage.recorder
        last = recorder.max_notification_id() or 0
        with Progress(console=console) as bar:
            task = bar.add_task("verifying", total=last)
            result = verify_chain(
                recorder,
                services.engine,
                expect=noted,
                progress=lambda position: bar.update(task, completed=position),
            )
    if not result.intact:
        console.print(
            f"[red]BROKEN at position {result.broken_at}[/red]: {result.reason} "
            f"({result.checked} events verified before it)"
        )
        raise typer.Exit(1)
    console.print(f"[green]intact[/green]: {result.checked} events; head {result.head}")


def new_cipher_key() -> None:
    """Print a new key (the base64 of 32 random bytes) for MAILLAGE_CIPHER_KEY (whole-event
    encryption at rest) or MAILLAGE_KEY_ENCRYPTION_KEY (wraps the beneficiaries' keys)."""
    from eventsourcing.cryptography import AESCipher

    typer.echo(AESCipher.create_key(32))
