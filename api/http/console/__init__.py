"""The console: pages for supervisors and funders (and case workers' cases), served under
`/console` by the same app, from the same domain rules as the API.

`install` adds its routes and assets; its sessions are built here, once, from the settings.
Without a key to sign its cookies (`MAILLAGE_CONSOLE_SECRET`, or an HS256 key to derive it
from) its pages answer 503 and say so; the API is unaffected.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from api.http import deps
from api.http.console import (
    agreements,
    audit_page,
    case_page,
    dashboard,
    network_page,
    oidc,
    reports_page,
    sign_in,
)
from api.http.console.session import ConsoleNotConfiguredError, Sessions
from api.http.security_headers import CONSOLE_ASSETS, Headed
from api.settings import Settings

log = logging.getLogger("maillage.console")
ASSETS = Path(__file__).parent / "assets"
ROUTERS = (
    sign_in,
    oidc,
    dashboard,
    case_page,
    audit_page,
    network_page,
    reports_page,
    agreements,
)


def install(app: FastAPI, settings: Settings) -> None:
    try:
        deps.provide_console(app, Sessions(settings))
    except ConsoleNotConfiguredError as error:
        log.warning("console off: %s", error)
        deps.provide_console(app, None)
    # The development sign-in outside the embedded mode never gets here: the settings' check
    # (`Settings.check_secure`, at the app's creation) refuses to start with it.
    for area in ROUTERS:
        app.include_router(area.router)
    assets = Headed(StaticFiles(directory=ASSETS), CONSOLE_ASSETS)
    app.mount("/console/assets", assets, name="console-assets")
