"""`maillage rewrap-keys`: wrap every beneficiary's key with the current key-encryption key.

`api.cli.main` registers it. It builds the keyring alone (`api.store.factory.build_keyring`):
the log is never opened, so no event is read or written.
"""

from __future__ import annotations

import typer

from api.cli.root import console, migrated_settings


def rewrap_keys(
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Count the keys by the KEK that wrapped them; change nothing."
    ),
) -> None:
    """Wrap every beneficiary's key with MAILLAGE_KEY_ENCRYPTION_KEY (in the embedded mode,
    unset: the key file beside the database).

    To rotate the key-encryption key: give every process the new one as
    MAILLAGE_KEY_ENCRYPTION_KEY and the old one as MAILLAGE_PREVIOUS_KEY_ENCRYPTION_KEY (both
    open keys meanwhile), run this, then drop the old one. Safe to interrupt and run again."""
    from rich.progress import Progress

    from api.settings import InsecureSettingsError
    from api.store.factory import build_keyring, time_policy
    from api.store.kek import KeyEncryptionKeyError
    from api.store.rewrap import census, rewrap

    settings = migrated_settings()
    try:
        keyring = build_keyring(settings, clock=time_policy(settings).now)
    except (InsecureSettingsError, KeyEncryptionKeyError) as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    try:
        current = keyring.keks.current.key_id
        for kek_id, count in sorted(census(keyring).items(), key=lambda item: str(item[0])):
            role = (
                "in clear"
                if kek_id is None
                else "current"
                if kek_id == current
                else "previous"
                if kek_id in keyring.keks.ids
                else "NOT GIVEN"
            )
            console.print(f"{count} key(s) wrapped by {kek_id or '—'} ({role})")
        if dry_run:
            return
        with Progress(console=console) as bar:
            task = bar.add_task("rewrapping", total=None)
            try:
                result = rewrap(
                    keyring,
                    progress=lambda done, to_do: bar.update(task, completed=done, total=to_do),
                )
            except KeyEncryptionKeyError as error:
                console.print(f"[red]{error}[/red]")
                raise typer.Exit(1) from error
    finally:
        keyring.close()
    console.print(
        f"[green]{result.rewrapped} rewrapped, {result.wrapped_from_clear} wrapped from clear"
        f"[/green], {result.already_current} already under {current}"
        + (f", {result.changed_meanwhile} changed meanwhile" if result.changed_meanwhile else "")
    )
    if not result.wiped:
        console.print(
            "[yellow]the replaced bytes are not yet overwritten (a reader was in the way): "
            "run again[/yellow]"
        )
    if not result.complete:
        for kek_id, count in result.not_given.items():
            console.print(
                f"[red]{count} key(s) wrapped by {kek_id}, a key-encryption key not given[/red]: "
                "set MAILLAGE_PREVIOUS_KEY_ENCRYPTION_KEY to it and run again"
            )
        raise typer.Exit(1)
