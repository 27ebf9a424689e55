"""`maillage backup FILE` and `maillage restore FILE` (what a backup is: `api.store.backup`).

A restore loads the backup into an empty store, brings it to this version's migrations, then
checks what it loaded before anything reads it: the hash chain is walked and must end at the
head the backup noted (`verify`), the erasures the log records have their keys destroyed, and
the projections are rebuilt from the log.
"""

from __future__ import annotations

from pathlib import Path

import typer

from api.cli.root import console, migrated_settings, progress_bars


def backup(
    file: Path = typer.Argument(..., help="Where to write the backup (must not exist)."),
) -> None:
    """Copy the store into FILE, consistently, while the service goes on.

    SQLite: the online backup of the file; PostgreSQL: one read-only snapshot of the log, the
    chain, the keys as stored and the idempotency records. The projections are not needed (a
    restore rebuilds them); the key encryption key is not in FILE: keep it apart."""
    from api.store.backup import BackupError, take_backup

    settings = migrated_settings()
    try:
        with progress_bars() as report:
            manifest = take_backup(settings, file, progress=report)
    except BackupError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    console.print(
        f"[green]backed up[/green] {manifest.events:,} events (chain head {manifest.head}, "
        f"migration {manifest.revision}) to {file}"
    )


def restore(
    file: Path = typer.Argument(..., help="A file written by `maillage backup`."),
) -> None:
    """Restore FILE into an empty store, verify its chain and rebuild the projections.

    A store holding anything is refused (exit status 1). Stop the service first; a chain that
    does not end at the backup's head fails the restore (exit status 1)."""
    from api.composition import open_services
    from api.settings import get_settings
    from api.store.backup import BackupError, StoreNotEmptyError, finish_erasures, load_backup
    from api.store.integrity import verify

    settings = get_settings()
    try:
        with progress_bars() as report:
            manifest = load_backup(settings, file, progress=report)
    except StoreNotEmptyError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(1) from error
    except BackupError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    console.print(f"loaded {manifest.events:,} events taken {manifest.taken_at}")
    with open_services(settings) as services:
        recorder = services.maillage.recorder
        with progress_bars() as report:
            result = verify(
                recorder,
                services.engine,
                expect=manifest.chain_head,
                progress=lambda at: report("verifying the chain", at, manifest.chain_head.position),
            )
        if not result.intact or result.head != manifest.chain_head:
            where = result.broken_at if not result.intact else result.head.position
            console.print(
                f"[red]the restored log does not verify[/red] at position {where}: "
                f"{result.reason or 'its head differs from the backup’s'} — do not serve it"
            )
            raise typer.Exit(1)
        console.print(
            f"[green]chain verified[/green]: {result.checked:,} events, head {result.head}"
        )
        finished = finish_erasures(services.maillage)
        if finished:
            console.print(f"{finished} erasure(s) the backup caught half-way: keys destroyed")
        with progress_bars() as report:
            services.projections.rebuild(progress=report)
    console.print("[green]restored[/green]: projections rebuilt; the store is ready to serve")
