"""The `maillage` command group, its `--version`, and what every command shares.

Only typer and rich are imported here, so that building the help imports nothing of
the service (no settings, store, domain or web framework).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING
from uuid import NAMESPACE_URL, UUID, uuid5

import typer
from rich.console import Console

from api.version import installed_version

if TYPE_CHECKING:
    from api.settings import Settings


# The choices of the domain's enumerations (`domain.access.Role`, `domain.case.ErasureGround`),
# spelt here so that building the help imports no domain code; tests/integration/test_package.py
# holds them equal.
class RoleName(StrEnum):
    CASE_WORKER = "case_worker"
    SUPERVISOR = "supervisor"
    FUNDER = "funder"
    ADMIN = "admin"
    DPO = "dpo"
    INTEGRATION = "integration"


class ErasureGroundName(StrEnum):
    ERASURE_REQUEST = "erasure_request"
    RETENTION_EXPIRED = "retention_expired"
    COURT_ORDER = "court_order"


cli = typer.Typer(
    help="Maillage: event-sourced case coordination. Configure with MAILLAGE_* variables.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)


@dataclass(frozen=True)
class EntryPoint:
    """What `main` passes to the commands (tests invoking `cli` pass nothing)."""

    configure_logging: bool = True


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"maillage {installed_version()}")
        raise typer.Exit()


@cli.callback()
def root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Print the installed version and exit.",
    ),
) -> None:
    # Configured here, once a command runs: `maillage --help` reads no settings.
    if isinstance(ctx.obj, EntryPoint) and ctx.obj.configure_logging:
        from api.logs import configure_logging
        from api.settings import get_settings

        configure_logging(get_settings().log_format)


def migrated_settings() -> Settings:
    """Settings of a store that is current (a fresh SQLite file migrates itself), or exit 2."""
    from api.settings import get_settings
    from api.store.migrations import MigrationsBehindError, ensure_current

    settings = get_settings()
    try:
        ensure_current(settings)
    except MigrationsBehindError as error:
        console.print(f"[red]{error}[/red]")
        raise typer.Exit(2) from error
    return settings


def uuid_arg(text: str) -> UUID:
    try:
        return UUID(text)
    except ValueError as error:
        console.print(f"[red]not an id: {text!r}[/red]")
        raise typer.Exit(2) from error


# Who acts from the command line when `--operator` names nobody: one id, the same in every
# command's log line, so that an operator's change is never confused with a person's.
COMMAND_LINE = uuid5(NAMESPACE_URL, "maillage:cli:operator")
OPERATOR = typer.Option(
    None, "--operator", help="Who makes the change (an id, logged); default: the command line."
)


def operator_id(operator: str | None) -> UUID:
    """The `--operator` given, or the command line's own id (`COMMAND_LINE`)."""
    return uuid_arg(operator) if operator else COMMAND_LINE


@contextmanager
def progress_bars() -> Iterator[Callable[[str, int, int], None]]:
    """A progress bar per projection, fed with (name, position reached, head)."""
    from rich.progress import Progress, TaskID

    with Progress(console=console) as bar:
        tasks: dict[str, TaskID] = {}

        def report(name: str, reached: int, head: int) -> None:
            if name not in tasks:
                tasks[name] = bar.add_task(name, total=head)
            bar.update(tasks[name], completed=reached, total=head)

        yield report
