"""`/docs` and `/redoc` load nothing from outside: every script, style and picture they name is
served by the service itself, with its content type (a closed intranet shows them).

The assets are files of the package (`api/http/docs_assets/`); `test_package` checks that the
wheel ships them, and `.ci/run` fetches them from the installed wheel's service.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from api.http.docs import ASSETS
from tests.e2e.conftest import Api

PAGES = ("/docs", "/redoc")
CONTENT_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".png": "image/png",
}


class Referenced(HTMLParser):
    """Every URL a page makes the browser fetch (scripts, styles, icons, the document)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "spec-url") and value:
                self.urls.append(value)


def referenced(html: str) -> list[str]:
    parser = Referenced()
    parser.feed(html)
    return parser.urls


@pytest.mark.parametrize("page", PAGES)
async def test_a_docs_page_loads_only_from_the_service(api: Api, page: str) -> None:
    answer = await api.client.get(page)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert not re.search(r"https?:|//[a-z]", html, re.IGNORECASE), html
    urls = referenced(html)
    assert "openapi.json" in urls or page == "/docs"
    assets = [u for u in urls if u.startswith("docs/assets/")]
    assert len(assets) >= 2
    for url in assets:
        # relative to the page: /docs and /redoc both resolve it from the service's root
        served = await api.client.get("/" + url)
        assert served.status_code == 200, url
        suffix = url[url.rindex(".") :]
        assert served.headers["content-type"].startswith(CONTENT_TYPES[suffix]), url
        assert served.content == (ASSETS / url.removeprefix("docs/assets/")).read_bytes()


async def test_swagger_ui_reads_this_services_document_and_calls_no_other_host(
    api: Api,
) -> None:
    """Its settings are ours: the document of this service, no validator badge (which would
    send the document's address to validator.swagger.io)."""
    settings = (await api.client.get("/docs/assets/maillage/swagger-init.js")).text
    assert 'url: "openapi.json"' in settings
    assert "validatorUrl: null" in settings
    assert "http" not in settings


async def test_fastapis_cdn_pages_are_gone(api: Api) -> None:
    assert (await api.client.get("/docs/oauth2-redirect")).status_code == 404
    document = await api.client.get("/openapi.json")
    assert document.status_code == 200
    assert "/docs" not in document.json()["paths"]


def test_every_vendored_asset_has_its_licence_beside_it() -> None:
    for folder in ("swagger-ui", "redoc"):
        assert (ASSETS / folder / "LICENSE").read_text().strip()
    assert "Apache License" in (ASSETS / "swagger-ui" / "LICENSE").read_text()
    assert "MIT License" in (ASSETS / "redoc" / "LICENSE").read_text()
