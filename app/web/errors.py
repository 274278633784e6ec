"""Errors on pages answer HTML to browsers; the API (and any client not asking for HTML) keeps problem+json."""

from __future__ import annotations

import json
import re

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from app.web.templating import templates

_FESTIVAL_PATH = re.compile(r"^/festivals/([a-z0-9][a-z0-9-]*)/")


def wants_html(request: Request) -> bool:
    """A browser asking for a page: not under /api, and HTML in its Accept header."""
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get("accept", "")


def error_page(request: Request, status: int, title: str, detail: str, headers: dict[str, str]) -> HTMLResponse:
    match = _FESTIVAL_PATH.match(request.url.path)
    html = templates.get_template("error.html").render(
        status=status,
        title=title,
        detail=detail,
        festival_link=f"/festivals/{match.group(1)}" if match and status == 404 else None,
    )
    return HTMLResponse(html, status_code=status, headers=headers)


def _as_page(handler):
    async def handle(request: Request, exc: Exception):
        response = await handler(request, exc)
        if not wants_html(request) or response.media_type != "application/problem+json":
            return response
        body = json.loads(response.body)
        headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-type", "content-length")}
        title = "Page not found" if response.status_code == 404 else body.get("title", "Error")
        return error_page(request, response.status_code, title, body.get("detail", ""), headers)

    return handle


def install_page_errors(app: FastAPI) -> None:
    """Wrap every error handler installed so far: pages get HTML, the API problem+json."""
    for exc_class, handler in list(app.exception_handlers.items()):
        app.exception_handlers[exc_class] = _as_page(handler)
