"""/docs: Swagger UI from files inside the installed packages, so it works with no network.

The files are Swagger UI 5 (it reads OpenAPI 3.1, which FastAPI writes; Swagger UI 4, as in
swagger-ui-bundle, refuses it), shipped in the fastapi-offline wheel and served under
/docs/assets. The page's one inline script starts Swagger UI with the request's CSP nonce.
ReDoc is off: its script injects styles, which the policy does not allow."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from bassplan.api.headers import csp_nonce

DOCS_URL = "/docs"
ASSETS_URL = "/docs/assets"
ASSETS = Path(str(files("fastapi_offline") / "static"))
SWAGGER_PARAMETERS = {
    "validatorUrl": None,  # no badge fetched from swagger.io
    "persistAuthorization": False,
    "tryItOutEnabled": False,
}


def swagger_page(app: FastAPI, nonce: str) -> str:
    """The /docs HTML: local script, stylesheet and icon; the starter script with ``nonce``."""
    html = get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title=f"{app.title} — Swagger UI",
        swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
        swagger_ui_parameters=SWAGGER_PARAMETERS,
    ).body
    return bytes(html).decode().replace("<script>", f'<script nonce="{nonce}">')


def install(app: FastAPI) -> None:
    """Serve Swagger UI's files and the /docs page (the app is made with docs_url=None)."""
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="docs-assets")

    @app.get(DOCS_URL, include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        """The API's interactive documentation."""
        return HTMLResponse(swagger_page(app, csp_nonce(request)))
