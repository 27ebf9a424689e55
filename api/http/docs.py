"""`/docs` (Swagger UI) and `/redoc` (ReDoc), with every asset served by the service itself.

FastAPI's own pages load their scripts and styles from a CDN: blank on a closed intranet. These
pages load only from this service (`/docs/assets/`: the official distributions, unchanged, with
their licences — `api/http/docs_assets/README.md`), by relative URLs, so they also work behind
a path prefix. Like `/openapi.json`, they are public: they describe the API, and reach nothing.
They cannot be framed by another site (`api.http.security_headers`).
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from starlette.requests import Request
from starlette.staticfiles import StaticFiles

from api.http.security_headers import DOCS, Headed

ASSETS = Path(__file__).parent / "docs_assets"
ASSETS_URL = "/docs/assets"

SWAGGER_UI = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} — Swagger UI</title>
<link rel="icon" type="image/png" href="docs/assets/swagger-ui/favicon-32x32.png">
<link rel="stylesheet" href="docs/assets/swagger-ui/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/assets/swagger-ui/swagger-ui-bundle.js"></script>
<script src="docs/assets/maillage/swagger-init.js"></script>
</body>
</html>
"""

REDOC = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} — ReDoc</title>
<link rel="icon" type="image/png" href="docs/assets/swagger-ui/favicon-32x32.png">
<style>body {{ margin: 0; padding: 0; }}</style>
</head>
<body>
<redoc spec-url="openapi.json"></redoc>
<script src="docs/assets/redoc/redoc.standalone.js"></script>
</body>
</html>
"""


def install(app: FastAPI) -> None:
    """Serve the pages and their assets (build the app with `docs_url=None, redoc_url=None`)."""
    swagger = SWAGGER_UI.format(title=app.title)
    redoc = REDOC.format(title=app.title)

    async def swagger_page(request: Request) -> HTMLResponse:
        return HTMLResponse(swagger, headers=DOCS)

    async def redoc_page(request: Request) -> HTMLResponse:
        return HTMLResponse(redoc, headers=DOCS)

    app.add_route("/docs", swagger_page, include_in_schema=False)
    app.add_route("/redoc", redoc_page, include_in_schema=False)
    app.mount(ASSETS_URL, Headed(StaticFiles(directory=ASSETS), DOCS), name="docs-assets")
