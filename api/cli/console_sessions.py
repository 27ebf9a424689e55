"""`maillage console sessions end --professional ID`: an operator ends every console session of
one person (someone who left, a lost laptop), in the store every API process reads
(`api.store.console_sessions`): each page they open afterwards, from any browser, sends them to
the sign-in page. Nothing else of theirs changes; they may sign in again if they still can (end
their account at the identity provider too when they left).
"""

from __future__ import annotations

import logging

import typer

from api.cli.root import console, migrated_settings, uuid_arg

log = logging.getLogger("maillage.console")
console_cli = typer.Typer(help="The console (/console): its sessions.", no_args_is_help=True)
sessions = typer.Typer(help="Console sessions.", no_args_is_help=True)
console_cli.add_typer(sessions, name="sessions")


@sessions.command()
def end(
    professional: str = typer.Option(
        ..., help="The person whose console sessions end (their id, the sessions' subject)."
    ),
) -> None:
    """End every console session of a person, open in any browser (sign-in needed again)."""
    from sqlalchemy import select

    from api.composition import open_services
    from api.store.console_sessions import SessionEnds
    from projections.tables import professional_view

    person = uuid_arg(professional)
    with open_services(migrated_settings()) as services:
        generation = SessionEnds(services.engine).end_all(person, services.time.now())
        with services.engine.connect() as conn:
            name = conn.execute(
                select(professional_view.c.name).where(
                    professional_view.c.professional_id == str(person)
                )
            ).scalar()
    log.info("console sessions ended by an operator: %s (generation %d)", person, generation)
    if name is None:
        console.print(
            f"[yellow]{person} is no professional of the registry[/yellow] (a funder's or the "
            "administrator's sessions, or a mistyped id?): its sessions are ended all the same"
        )
    shown = f"{name} ({person})" if name else str(person)
    console.print(f"[green]ended[/green] every console session of {shown}: they sign in again")
