"""The console's sections, by role: what each role may open (the rules are the pages' own;
this only spares people links to pages that would refuse them)."""

from __future__ import annotations

from api.http.console.session import ConsoleSession
from api.i18n import Words
from domain.access import Role
from domain.wording import N_

# (path, label, roles). `{inst}` is the institution signed in for.
SECTIONS: tuple[tuple[str, str, frozenset[Role]], ...] = (
    ("/console/dashboard", N_("Dashboard"), frozenset({Role.SUPERVISOR})),
    ("/console/cases", N_("Cases"), frozenset({Role.SUPERVISOR, Role.CASE_WORKER})),
    ("/console/institutions/{inst}/audit", N_("Audit"), frozenset({Role.SUPERVISOR})),
    ("/console/network", N_("Network map"), frozenset({Role.SUPERVISOR})),
    (
        "/console/agreements",
        N_("Delegations and partnerships"),
        frozenset({Role.SUPERVISOR, Role.CASE_WORKER}),
    ),
    ("/console/reports", N_("Reports"), frozenset({Role.FUNDER, Role.SUPERVISOR})),
)


def sections(session: ConsoleSession, words: Words) -> list[tuple[str, str]]:
    """The sections `session`'s role may open, as (path, label)."""
    inst = str(session.institution_id) if session.institution_id else ""
    return [
        (path.format(inst=inst), words.gettext(text))
        for path, text, roles in SECTIONS
        if session.role in roles and ("{inst}" not in path or inst)
    ]


def home_of(session: ConsoleSession) -> str:
    """Where a role lands after signing in."""
    if session.role is Role.SUPERVISOR:
        return "/console/dashboard"
    if session.role is Role.FUNDER:
        return "/console/reports"
    if session.role is Role.CASE_WORKER:
        return "/console/cases"
    return "/console/home"
