"""The console's guards that hold for every page (`api.http.console.routing`,
`api.http.security_headers`): a reading with a purpose recorded only from this site; a session
whose employment ended refused everywhere; the security headers on every answer; refusals whose
words are all French."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest

from domain.access import Role
from domain.event_classes import CaseContentRead
from tests.e2e.conftest import Api
from tests.e2e.test_coherence_http import Scene, build
from tests.e2e.test_console_access import console_routes
from tests.world import events_since, position

CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "navigate"}
DROPPED = "ouverte depuis un autre site"  # the purpose form's word on a purpose dropped


def readings(api: Api, since: int) -> int:
    return sum(isinstance(e, CaseContentRead) for e in events_since(api.maillage, since))


def settled(api: Api) -> int:
    assert api.services.projections.wait_for(position(api.maillage), timeout=10)
    return position(api.maillage)


def claire(api: Api, s: Scene) -> Any:
    return api.console(Role.SUPERVISOR, s.claire, s.world.i("aemo"), name="Claire Roth")


def reading_pages(s: Scene) -> list[tuple[str, dict[str, str]]]:
    """Every console page that records a reading when given a purpose."""
    case = f"/console/cases/{s.case_id}"
    return [
        (case, {"purpose": "supervision"}),
        (f"{case}/as-of", {"purpose": "audit", "at": "2026-11-10T10:00"}),
        (f"{case}/audit", {"purpose": "audit"}),
        (f"{case}/audit.csv", {"purpose": "audit"}),
        ("/console/dashboard", {"purpose": "supervision", "limit": "100"}),
    ]


# --- 1. a reading with a purpose, from this site only ---------------------------------------


async def test_a_link_from_another_site_records_no_reading_and_asks_the_purpose(api: Api) -> None:
    s = build(api)
    start = settled(api)
    async with claire(api, s) as c:
        for path, query in reading_pages(s):
            page = await c.get(path, params=query, headers=CROSS_SITE)
            assert page.status_code == 200, (path, page.status_code, page.text)
            assert page.headers["content-type"].startswith("text/html"), path
            assert '<select id="purpose" name="purpose" required>' in page.text, path
            assert DROPPED in html.unescape(page.text), path
            assert "Léo" not in page.text, path
            assert "Schmitt" not in page.text, path
            # the rest of the query kept in the form, for the reader to answer
            for name, value in query.items():
                if name not in ("purpose", "limit"):
                    assert f'name="{name}" value="{value}"' in page.text, (path, name)
        # a browser too old for Sec-Fetch-Site: its Referer says where the link was
        old = await c.get(
            f"/console/cases/{s.case_id}",
            params={"purpose": "legal_request"},
            headers={"Referer": "https://elsewhere.example/page"},
        )
        assert DROPPED in html.unescape(old.text)
        same_site = await c.get(
            f"/console/cases/{s.case_id}",
            params={"purpose": "audit"},
            headers={"Sec-Fetch-Site": "same-site"},  # a sibling sub-domain is another site
        )
        assert DROPPED in html.unescape(same_site.text)
    assert readings(api, start) == 0


async def test_the_purpose_answered_from_this_site_records_exactly_one_reading(api: Api) -> None:
    s = build(api)
    start = settled(api)
    async with claire(api, s) as c:
        asked = await c.get(f"/console/cases/{s.case_id}", headers=SAME_ORIGIN)
        assert '<form method="get" action="/console/cases/' in asked.text
        assert readings(api, start) == 0
        answered = await c.get(
            f"/console/cases/{s.case_id}",
            params={"purpose": "supervision"},
            headers={**SAME_ORIGIN, "Referer": f"https://maillage/console/cases/{s.case_id}"},
        )
        assert answered.status_code == 200, answered.text
        assert "Léo" in answered.text
        assert DROPPED not in html.unescape(answered.text)
        assert readings(api, start) == 1
        typed = await c.get(  # typed in the address bar, or a bookmark
            f"/console/cases/{s.case_id}",
            params={"purpose": "supervision"},
            headers={"Sec-Fetch-Site": "none"},
        )
        assert "Léo" in typed.text
    assert readings(api, start) == 2


async def test_signing_in_from_another_sites_link_does_not_keep_its_purpose(api: Api) -> None:
    s = build(api)
    settled(api)
    target = f"/console/cases/{s.case_id}?purpose=legal_request&alerts=all"
    cross = await api.client.get(f"https://maillage{target}", headers=CROSS_SITE)
    assert cross.status_code == 303
    assert "purpose" not in cross.headers["location"]
    assert "alerts%3Dall" in cross.headers["location"]
    own = await api.client.get(f"https://maillage{target}", headers=SAME_ORIGIN)
    assert "purpose%3Dlegal_request" in own.headers["location"]


# --- 2. employment re-checked on every page -------------------------------------------------


async def test_a_session_whose_employment_ended_is_refused_on_every_page(api: Api) -> None:
    s = build(api)
    app = api.maillage
    app.end_employment(
        professional_id=s.claire,
        institution_id=s.world.i("aemo"),
        end=api.clock().date() - timedelta(days=1),
    )
    start = settled(api)
    values = {
        "case_id": str(s.case_id),
        "institution_id": str(s.world.i("aemo")),
        "professional_id": str(s.claire),
        "kind": "institution",
        "scope_id": str(s.world.i("aemo")),
    }
    walked = 0
    async with claire(api, s) as c:
        for route in console_routes(api.app.routes):
            if route.console_admission is None:
                continue
            path = route.path.format(**values)
            for method in sorted(route.methods - {"HEAD"}):
                if method == "POST":
                    form = {"alert_kind": "x", "versions": str(s.shared), "note": "vu"}
                    page = await c.post(path, {**form, "purpose": "supervision"})
                else:
                    page = await c.get(path, params={"purpose": "supervision"})
                walked += 1
                assert page.status_code == 403, (method, path, page.status_code, page.text)
                assert page.headers["content-type"].startswith("text/html"), path
                assert "<h1>Refusé</h1>" in page.text, path
                assert "n'êtes plus employé" in html.unescape(page.text), (path, page.text)
                assert "Léo" not in page.text, path
    assert walked >= 15
    assert readings(api, start) == 0
    assert position(app) == start  # nothing recorded at all


# --- 3. security headers ----------------------------------------------------------------------


def _assert_console_headers(response: httpx.Response, *, page: bool = True) -> None:
    h = response.headers
    policy = {
        d.split()[0]: d.split()[1:] for d in h["content-security-policy"].split(";") if d.strip()
    }
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]
    assert "'unsafe-inline'" not in h["content-security-policy"]
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "same-origin"
    if page:
        assert h["cache-control"] == "no-store"


async def test_every_console_answer_carries_the_security_headers(api: Api) -> None:
    s = build(api)
    settled(api)
    async with claire(api, s) as c:
        for path in (
            "/console/dashboard",
            "/console/cases",
            f"/console/cases/{s.case_id}?purpose=supervision",
            f"/console/cases/{s.case_id}/audit.csv?purpose=audit",
            f"/console/institutions/{s.world.i('aemo')}/audit",
            "/console/network",
            "/console/agreements",
            "/console",  # a redirect
            "/console/sign-in",
            f"/console/institutions/{uuid4()}/audit",  # a refusal
        ):
            response = await c.get(path)
            assert response.status_code in (200, 303, 403), (path, response.status_code)
            _assert_console_headers(response)
    signed_out = await api.client.get("https://maillage/console/reports")
    assert signed_out.status_code == 303
    _assert_console_headers(signed_out)
    asset = await api.client.get("/console/assets/console.css")
    assert asset.status_code == 200
    _assert_console_headers(asset, page=False)


def test_no_console_template_holds_a_script_or_an_inline_style() -> None:
    from pathlib import Path

    templates = Path(__file__).parents[2] / "api/http/console/templates"
    for template in templates.glob("*.html"):
        body = template.read_text()
        assert "<script" not in body, template.name
        assert "<style" not in body, template.name
        assert not re.search(r"\sstyle=", body), template.name
        assert not re.search(r"\son[a-z]+=", body), template.name


@pytest.mark.parametrize("page", ["/docs", "/redoc", "/docs/assets/swagger-ui/swagger-ui.css"])
async def test_the_docs_cannot_be_framed_nor_sniffed(api: Api, page: str) -> None:
    response = await api.client.get(page)
    assert response.status_code == 200
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "script-src" not in response.headers["content-security-policy"]  # its own scripts


async def test_the_api_answers_carry_no_page_policy(api: Api) -> None:
    response = await api.client.get("/health")
    assert "content-security-policy" not in response.headers


# --- 4. refusals in French, the refused act included ------------------------------------------


async def test_an_institution_audit_refusal_is_french_throughout(api: Api) -> None:
    s = build(api)
    async with claire(api, s) as c:
        page = await c.get(f"/console/institutions/{s.world.i('school')}/audit")
    assert page.status_code == 403
    said = html.unescape(page.text)
    assert "auditer un établissement" in said
    assert "auditing an institution" not in said
