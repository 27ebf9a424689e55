"""The console in a real browser: Debian's Chromium (`/usr/bin/chromium`, installed by
`.ci/run`: browsers cannot be downloaded here), driven by Playwright, against the real service
served by uvicorn on loopback, over the store under test with the demo loaded.

One service for the whole run (the demo takes seconds to record), a browser per module; each test
opens its own browser context (its own cookies), so sessions never leak between tests. Tests
that write (acknowledging an alert) act on what no other test reads.

`sign_in` goes through the development sign-in as a user would; `screenshot` saves each page
under `tests/browser/screenshots/` (kept out of git; README shows two of them); `no_serious_
accessibility_violation` runs axe-core (through axe-playwright-python) on the page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from api.cli.demo import DemoStory, load_demo
from api.composition import open_services
from api.http.app import create_app
from api.settings import Settings
from tests.conftest import fresh_store
from tests.served import in_thread

CHROMIUM = os.environ.get("MAILLAGE_TEST_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"
# Without these, Chromium reaches for Google's services at start: refused on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=fr-FR",  # date inputs read as a French reader sees them
]


@dataclass(frozen=True)
class Served:
    base: str
    story: DemoStory
    settings: Settings


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The service on a free loopback port, the demo loaded, projections followed in process,
    the development sign-in on (on PostgreSQL too: these tests are its only users)."""
    store = fresh_store(tmp_path_factory.mktemp("console"))
    settings = next(store).model_copy(update={"embedded_projections": True})
    with open_services(settings) as services:
        story = load_demo(services.maillage)
    try:
        app = create_app(settings)  # on PostgreSQL it refuses to start with the dev sign-in:
        settings.console_dev_sign_in = True  # turned on once started, for these tests only
        with in_thread(app, "console-under-test") as base:
            yield Served(base, story, settings)
    finally:
        next(store, None)  # drops the PostgreSQL schema


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium, for one module's tests: Playwright's synchronous API holds an event loop as
    the running one while it is open, which pytest-asyncio's tests after it could not run in."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: apt-get install -y chromium (as .ci/run does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, served: Served) -> Iterator[Page]:
    """A page of a fresh browser context (no cookies), French first, on the service."""
    context = browser.new_context(
        base_url=served.base, locale="fr-FR", extra_http_headers={"Accept-Language": "fr"}
    )
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def sign_in(page: Page, who: str, role: str, *, then: str | None = None) -> None:
    """Sign in through the development sign-in: the person whose entry starts with `who`
    (e.g. "Claire Roth"), in `role` (a role code). `then`: the page to open afterwards."""
    p = page
    p.goto("/console/sign-in")
    options = p.locator("#who option")
    value = None
    for index in range(options.count()):
        option = options.nth(index)
        if option.inner_text().startswith(who):
            value = option.get_attribute("value")
            break
    assert value is not None, f"no one named {who!r} in the development sign-in"
    p.select_option("#who", value)
    p.select_option("#role", role)
    p.get_by_role("button", name="Se connecter").click()
    p.wait_for_load_state()
    if then is not None:
        p.goto(then)


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious_accessibility_violations(page: Page) -> list[str]:
    """axe-core's violations of impact serious or critical on the page, as `rule: target`."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in ("serious", "critical"):
            targets = [str(node.get("target")) for node in violation.get("nodes", [])][:3]
            found.append(f"{violation['id']}: {violation.get('help')} at {targets}")
    return found
