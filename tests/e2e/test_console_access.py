"""The console's pages keep the API's rules (`api.http.console.routing`): no page without a
session, a role's refusal shown as a page that says why and nothing else, forms refused without
their CSRF token or from another site, cookies HttpOnly, Secure and SameSite."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from api.http.console.routing import ConsoleRoute
from tests.e2e.conftest import Api
from tests.e2e.test_coherence_http import build


def console_routes(routes: list[Any]) -> list[ConsoleRoute]:
    found: list[ConsoleRoute] = []
    for route in routes:
        if isinstance(route, ConsoleRoute):
            found.append(route)
        elif (included := getattr(route, "original_router", None)) is not None:
            found += console_routes(included.routes)
    return found


async def test_every_page_but_signing_in_needs_a_session(api: Api) -> None:
    routes = console_routes(api.app.routes)
    assert len(routes) >= 4
    for route in routes:
        if route.console_admission is None:
            assert route.path.startswith(("/console/sign-in", "/console/sign-out")), route.path
            continue
        path = route.path.replace("{", "").replace("}", "")  # any value: refused before it
        for method in route.methods - {"HEAD"}:
            response = await api.client.request(method, f"https://maillage{path}")
            assert response.status_code == 303, (method, route.path, response.status_code)
            assert response.headers["location"].startswith("/console/sign-in?next=")


async def test_a_role_the_page_does_not_admit_is_refused_with_a_page(api: Api) -> None:
    async with api.console("dpo", institution=uuid4()) as dpo:
        response = await dpo.get("/console/dashboard")
    assert response.status_code == 403
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Refusé</h1>" in response.text
    assert "délégué à la protection des données" in response.text


async def test_forms_need_their_token_and_this_site(api: Api) -> None:
    async with api.console("supervisor", institution=uuid4()) as supervisor:
        forged = await supervisor.client.post("/console/sign-out", data={"csrf": "forged"})
        assert forged.status_code == 403
        missing = await supervisor.client.post("/console/sign-out", data={})
        assert missing.status_code == 403
        cross_site = await supervisor.client.post(
            "/console/sign-out",
            data={"csrf": supervisor.csrf},
            headers={"Origin": "https://elsewhere.example", "Sec-Fetch-Site": "cross-site"},
        )
        assert cross_site.status_code == 403
        signed_out = await supervisor.post("/console/sign-out")
        assert signed_out.status_code == 303
        assert "maillage_console=" in signed_out.headers["set-cookie"]


async def test_the_session_cookie_is_httponly_secure_and_samesite(api: Api) -> None:
    page = await api.client.get("https://maillage/console/sign-in")
    assert page.status_code == 200
    cookie = page.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    assert "SameSite=lax" in cookie
    assert "Path=/console" in cookie
    assert page.headers["cache-control"] == "no-store"


async def test_a_parameter_a_page_cannot_take_is_refused_with_a_page_naming_it(api: Api) -> None:
    s = build(api)  # a supervisor still employed: the claims are checked before the parameters
    async with api.console("supervisor", s.claire, s.world.i("aemo")) as supervisor:
        response = await supervisor.get("/console/cases/not-an-id")
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "requête invalide : case_id" in response.text
