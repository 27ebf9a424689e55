"""Signing in and out of the console.

Two ways in: the institution's OpenID Connect provider (`api.http.console.oidc`), and in the
embedded mode a development sign-in that picks a person of the registry and a role, no password
(`console_dev_sign_in`). Either ends in the same signed session (`api.http.console.session`).
"""

from __future__ import annotations

import logging
from typing import Annotated
from uuid import NAMESPACE_URL, UUID, uuid5

from fastapi import APIRouter, Form, Query
from sqlalchemy import select
from starlette.responses import RedirectResponse, Response

from api.http.console.navigation import home_of
from api.http.console.pages import Console
from api.http.console.routing import ConsoleDep, ConsoleRoute
from api.http.guard import admits, public
from api.settings import Settings
from api.store.console_sessions import SessionEnds
from domain.access import ANY_ROLE, Principal, Role
from domain.professional import Professional
from projections.report_tables import funding_view
from projections.tables import institution_view, professional_view

log = logging.getLogger("maillage.console")
router = APIRouter(route_class=ConsoleRoute)
DEV_ROLES = (Role.CASE_WORKER, Role.SUPERVISOR, Role.DPO)
PEOPLE_SHOWN = 200


def dev_sign_in_enabled(settings: Settings) -> bool:
    if settings.console_dev_sign_in is None:
        return settings.is_embedded
    return settings.console_dev_sign_in


def oidc_enabled(settings: Settings) -> bool:
    return bool(settings.oidc_issuer and settings.oidc_client_id)


def safe_next(target: str | None) -> str | None:
    """A page of the console to go back to after signing in: a path of ours, never another
    site (`//evil.example`, `/\\evil.example`, `https://…`)."""
    if not target or not target.isascii() or not target.isprintable():
        return None  # a header carries it back: printable ASCII only (no tab, no U+2028)
    if not target.startswith("/console") or "\\" in target:
        return None
    if target.startswith("//") or "\n" in target or "\r" in target:
        return None
    return target


def signed_in(
    console: Console, principal: Principal, name: str, via: str, target: str | None
) -> Response:
    """Open the session (ending the one the browser had, if any) and go to `target`, or the
    role's home."""
    now = console.services.time.now()
    ends = SessionEnds(console.services.engine)
    if console.session is not None:
        console.sessions.end(ends, console.session, now)
    response = RedirectResponse("/console", status_code=303)
    generation = ends.generation(principal.subject)
    session = console.sessions.open(response, principal, name, now, via, generation)
    response.headers["location"] = safe_next(target) or home_of(session)
    log.info(
        "console sign-in: %s as %s for %s (%s)",
        principal.subject,
        principal.role.value,
        principal.institution_id,
        via,
    )
    return response


@router.get("/console/sign-in")
@public
def sign_in_page(
    console: ConsoleDep, next: Annotated[str | None, Query(max_length=2000)] = None
) -> Response:
    settings = console.services.settings
    people = _people(console) if dev_sign_in_enabled(settings) else None
    return console.render(
        "sign_in.html",
        oidc=oidc_enabled(settings),
        people=people,
        roles=[r.value for r in DEV_ROLES] + [Role.FUNDER.value, Role.ADMIN.value],
        next=safe_next(next),
        error=None,
    )


def _people(console: Console) -> list[tuple[str, str]]:
    """Who one may sign in as: each current employment (person at an institution), each
    funder institution, the administrator."""
    words = console.words
    with console.services.engine.connect() as conn:
        people = conn.execute(
            select(professional_view.c.professional_id, professional_view.c.name)
            .order_by(professional_view.c.name)
            .limit(PEOPLE_SHOWN)
        ).all()
        institutions = {
            r.institution_id: r.name for r in conn.execute(select(institution_view)).all()
        }
        funders = set(conn.execute(select(funding_view.c.funder_id).distinct()).scalars())
    today = console.services.time.now().date()
    options: list[tuple[str, str]] = []
    maillage = console.services.maillage
    for professional_id, name in people:
        professional = maillage.load(Professional, UUID(professional_id))
        for employment in professional.employments:
            if not employment.period.contains(today):
                continue
            inst = str(employment.institution_id)
            inst_name = institutions.get(inst, inst)
            options.append((f"{professional_id}/{inst}", f"{name} — {inst_name}"))
    for inst in sorted(funders, key=lambda i: institutions.get(i, i)):
        name = institutions.get(inst, inst)
        options.append((f"funder/{inst}", words.gettext("Funder: {name}", name=name)))
    options.append(("admin/", words.gettext("The registry's administrator")))
    return options


@router.post("/console/sign-in/dev")
@public
def dev_sign_in(
    console: ConsoleDep,
    who: Annotated[str, Form(max_length=100)],
    role: Annotated[str, Form(max_length=40)],
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    settings = console.services.settings
    if not dev_sign_in_enabled(settings):
        return console.render(
            "refused.html",
            status=404,
            reason=console.words.gettext("the development sign-in is off here"),
        )
    try:
        principal, name = _dev_principal(console, who, Role(role))
    except ValueError:
        return console.render(
            "sign_in.html",
            status=422,
            oidc=oidc_enabled(settings),
            people=_people(console),
            roles=[r.value for r in DEV_ROLES] + [Role.FUNDER.value, Role.ADMIN.value],
            next=safe_next(next),
            error=console.words.gettext(
                "choose a person of the list and a role they may take (a funder is a funder, "
                "the administrator an administrator)"
            ),
        )
    return signed_in(console, principal, name, "dev", next)


def _dev_principal(console: Console, who: str, role: Role) -> tuple[Principal, str]:
    """The principal of a `who` of the list in `role`; ValueError for anything else."""
    kind, _, rest = who.partition("/")
    if kind == "admin":
        if role is not Role.ADMIN:
            raise ValueError(role)
        return Principal(uuid5(NAMESPACE_URL, "maillage:console:admin"), role, None), (
            console.words.gettext("The registry's administrator")
        )
    if kind == "funder":
        if role is not Role.FUNDER:
            raise ValueError(role)
        institution_id = UUID(rest)
        name = _institution_name(console, institution_id)
        subject = uuid5(NAMESPACE_URL, f"maillage:console:funder:{institution_id}")
        return Principal(subject, role, institution_id), console.words.gettext(
            "Funder: {name}", name=name
        )
    if role not in DEV_ROLES:
        raise ValueError(role)
    professional_id, institution_id = UUID(kind), UUID(rest)
    professional = console.services.maillage.load(Professional, professional_id)
    if not professional.employed_at(institution_id, console.services.time.now().date()):
        raise ValueError(who)
    return Principal(professional_id, role, institution_id), professional.name


def _institution_name(console: Console, institution_id: UUID) -> str:
    with console.services.engine.connect() as conn:
        name = conn.execute(
            select(institution_view.c.name).where(
                institution_view.c.institution_id == str(institution_id)
            )
        ).scalar()
    if name is None:
        raise ValueError(institution_id)
    return str(name)


@router.post("/console/sign-out")
@public
def sign_out(console: ConsoleDep) -> Response:
    """End the session on the server (a copy of its cookie is refused from now on), then
    delete the browser's cookies."""
    if console.session is not None:
        ends = SessionEnds(console.services.engine)
        console.sessions.end(ends, console.session, console.services.time.now())
        log.info("console sign-out: %s (%s)", console.session.subject, console.session.via)
    response = RedirectResponse("/console/sign-in", status_code=303)
    console.sessions.close(response)
    return response


@router.get("/console")
@admits(ANY_ROLE)
def console_root(console: ConsoleDep) -> Response:
    assert console.session is not None  # the route class signed them in
    return RedirectResponse(home_of(console.session), status_code=303)


@router.get("/console/home")
@admits(ANY_ROLE)
def home(console: ConsoleDep) -> Response:
    return console.render("home.html")
