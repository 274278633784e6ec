"""`/docs` (Swagger UI) and `/redoc` served with their assets from Marquee itself: no CDN.

The JavaScript and CSS come from the pinned `fastapi-offline` package (Swagger UI 5 and
ReDoc 2), mounted at `/docs/assets/`; the pages start them from `/static/docs.js`, since the
Content-Security-Policy allows no inline script. Swagger UI works under the default policy.
ReDoc needs two allowances, on `/redoc` only: inline styles (styled-components writes
`<style>` elements) and a search worker made from a `blob:`. Its "API docs by Redocly" logo
is an image on another host: the policy blocks it and ReDoc then leaves it out.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

ASSETS = Path(fastapi_offline.__file__).resolve().parent / "static"
ASSETS_URL = "/docs/assets"


def redoc_policy() -> str:
    from app.http.security import content_security_policy

    return content_security_policy(style_src=("'self'", "'unsafe-inline'"), worker_src=("'self'", "blob:"))


def _page(title: str, head: str, body: str) -> str:
    return (
        f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f'<link rel="icon" href="{ASSETS_URL}/favicon.png">\n{head}</head>\n<body>\n{body}'
        f'<script src="/static/docs.js"></script>\n</body>\n</html>\n'
    )


def install_docs(app: FastAPI) -> None:
    """Replace FastAPI's CDN-loading `/docs` and `/redoc` (and the OAuth2 redirect, unused)."""
    replaced = {"/docs", "/redoc", app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url}
    app.router.routes[:] = [route for route in app.router.routes if getattr(route, "path", None) not in replaced]
    app.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        html = _page(
            f"{app.title}: API",
            f'<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">\n',
            f'<div id="swagger-ui" data-openapi-url="{escape(root + openapi_url)}"></div>\n'
            f'<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>\n',
        )
        return HTMLResponse(html)  # the default policy

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        html = _page(
            f"{app.title}: API reference",
            "",
            f'<div id="redoc" data-openapi-url="{escape(root + openapi_url)}"></div>\n'
            f'<script src="{ASSETS_URL}/redoc.standalone.js"></script>\n',
        )
        return HTMLResponse(html, headers={"Content-Security-Policy": redoc_policy()})
