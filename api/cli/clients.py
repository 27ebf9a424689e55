"""`maillage clients register|list|rotate|revoke`: client applications of institutions, for
operators (the same registry as `/integration/clients`, `api.integration.clients`).

A secret is printed once, on standard output (the rest goes to standard error), when a client
is registered or its secret rotated: only its hash is kept. Each change is logged with the
operator who made it (`--operator`, by default the command line's own id).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING
from uuid import UUID

import typer

from api.cli.root import OPERATOR, console, migrated_settings, operator_id, uuid_arg

if TYPE_CHECKING:
    from api.composition import Services
    from api.integration.clients import ClientRegistry

clients = typer.Typer(
    help="Client applications of institutions: they read the catch-up feed with a token from "
    "POST /oauth/token (client credentials).",
    no_args_is_help=True,
)


@contextmanager
def _registry() -> Iterator[tuple[Services, ClientRegistry]]:
    """The registry over the configured store, built by the composition root; a refusal of the
    domain's (an unknown institution, kind or client) exits 2 with its sentence."""
    from api.composition import open_services
    from domain.errors import MaillageError

    with open_services(migrated_settings()) as services:
        try:
            yield services, services.clients
        except MaillageError as error:
            console.print(f"[red]{error}[/red]")
            raise typer.Exit(2) from error


def _show_secret(client_id: UUID, secret: str) -> None:
    console.print("[bold]the secret is shown this once[/bold]: keep it now (only its hash is kept)")
    print(f"client_id={client_id}")
    print(f"client_secret={secret}")


@clients.command()
def register(
    name: str = typer.Option(..., help="Its name for people (at most 200 characters)."),
    institution: str = typer.Option(..., help="The institution of the registry it acts for."),
    kind: list[str] = typer.Option(
        ..., "--kind", help="An event type it follows (Case.CaseOpened…): repeat the option."
    ),
    purpose: str = typer.Option(..., help="Declared with each reading it records (coordination…)."),
    personal_data: bool = typer.Option(
        False,
        "--personal-data",
        help=(
            "Request that it open the events' personal fields (recorded): in force once a "
            "data-protection officer of its institution approves it (HTTP API)."
        ),
    ),
    operator: str = OPERATOR,
) -> None:
    """Register a client application; print its id and its secret, once."""
    from api.integration.clients import check_institution
    from domain.access import ReadPurpose

    institution_id, by = uuid_arg(institution), operator_id(operator)
    try:
        chosen = ReadPurpose(purpose)
    except ValueError as error:
        known = ", ".join(p.value for p in ReadPurpose)
        console.print(f"[red]--purpose is one of: {known}[/red]")
        raise typer.Exit(2) from error
    with _registry() as (services, registry):
        check_institution(services.maillage, institution_id, field="institution")
        registered = registry.register(
            name=name,
            institution_id=institution_id,
            kinds=kind,
            personal_data=personal_data,
            purpose=chosen,
            by=by,
        )
    console.print(f"[green]registered[/green] {name!r} for institution {institution_id}")
    _show_secret(registered.client_id, registered.secret)


@clients.command("list")
def list_clients(
    institution: str = typer.Option(None, help="Only the clients of this institution."),
    revoked: bool = typer.Option(
        None, "--revoked/--active", help="Only the revoked ones, or only the active ones."
    ),
) -> None:
    """List client applications (never a secret)."""
    institution_id = uuid_arg(institution) if institution else None
    with _registry() as (_, registry):
        after: str | None = None
        while True:
            found = registry.list(institution_id=institution_id, revoked=revoked, after=after)
            for c in found:
                state = f"revoked {c.revoked_at:%Y-%m-%d %H:%M}" if c.revoked_at else "active"
                personal = "no"
                if c.personal_data:
                    personal = "approved" if c.personal_data_in_force else "requested"
                print(
                    f"{c.client_id}  {c.name}  institution {c.institution_id}  {state}  "
                    f"purpose {c.purpose.value}  personal data {personal}"
                    f"  kinds {','.join(c.kinds)}"
                )
            if len(found) < 100:
                break
            after = str(found[-1].client_id)


@clients.command()
def rotate(
    client: str = typer.Argument(..., help="The client's id."),
    grace_minutes: int = typer.Option(
        None,
        "--grace-minutes",
        metavar="N",
        help="How long the previous secret is still accepted, 0 to "
        "MAILLAGE_INTEGRATION_SECRET_GRACE_MINUTES (the default). 0: refused at once, and the "
        "tokens already issued with it too (a leaked secret).",
    ),
    operator: str = OPERATOR,
) -> None:
    """Give a client a new secret, printed once; the previous one stays valid for
    --grace-minutes (by default MAILLAGE_INTEGRATION_SECRET_GRACE_MINUTES)."""
    from api.integration.clients import rotation_grace

    client_id, by = uuid_arg(client), operator_id(operator)
    with _registry() as (services, registry):
        longest = services.settings.integration_secret_grace_minutes
        grace = rotation_grace(grace_minutes, longest)
        approved = registry.get(client_id).personal_data_in_force
        rotated = registry.rotate(client_id, by=by, grace=grace)
        until = registry.get(client_id).previous_secret_valid_until
    console.print(
        f"[green]rotated[/green]: the previous secret is accepted until {until:%Y-%m-%d %H:%M} UTC"
        if until
        else "[green]rotated[/green]: the previous secret is refused from now on, and the "
        "tokens issued with it"
    )
    if approved:
        console.print(
            "the data-protection officer's approval of personal data lapses: a DPO of the "
            "client's institution approves it again"
        )
    _show_secret(rotated.client_id, rotated.secret)


@clients.command()
def revoke(
    client: str = typer.Argument(..., help="The client's id."),
    operator: str = OPERATOR,
) -> None:
    """Revoke a client at once: no more tokens, and the feed refuses those it holds."""
    client_id, by = uuid_arg(client), operator_id(operator)
    with _registry() as (_, registry):
        record = registry.revoke(client_id, by=by)
    console.print(f"[green]revoked[/green] {record.name!r} ({client_id})")
