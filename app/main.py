"""The FastAPI application."""

from __future__ import annotations

import gc

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles

from app.api import changes, conflicts, festivals, films, plans, publishing, screenings, venues
from app.http.creates import install_screening_creates
from app.http.priority import install_writes_first
from app.http.problems import Problem, ProblemBody, install_problem_handlers, problem_response
from app.http.redirects import FormerSlugRedirects
from app.http.security import install_security
from app.memory import keep_large_blocks_apart
from app.store.publishing import UnknownFestival
from app.web import board, feeds, pages, programme, public, staff
from app.web import plans as plan_pages
from app.web.errors import install_page_errors
from app.web.feeds import install_feed_polls
from app.web.staff import install_page_handlers
from app.web.static import STATIC_DIR


def _openapi_with_problems(app: FastAPI):
    """The OpenAPI document, with the RFC 9457 problem body the error responses refer to."""

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
            schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = ProblemBody.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            app.openapi_schema = schema
        return app.openapi_schema

    return openapi


def create_app() -> FastAPI:
    app = FastAPI(
        title="Marquee",
        version="0.1.0",
        description="Festival programme scheduler: festivals, venues, films and screenings; "
        "conflicts; published versions; iCal feeds and printed programmes. "
        "Writes need `Authorization: Bearer <token>` (`marquee token create`), except an "
        "attendee's plan: `POST /api/festivals/{slug}/plans` needs no token and answers the "
        "plan's own secret token, its only credential for `/api/plans/{token}`. Until a "
        "festival's first publish, its films and venues need a token to read (404 without).",
    )
    install_problem_handlers(app)

    @app.exception_handler(UnknownFestival)
    async def _unknown_festival(request, exc: UnknownFestival):
        return problem_response(request, Problem(404, str(exc)))

    for module in (festivals, venues, films, screenings, changes, conflicts, publishing, plans):
        app.include_router(module.router)
    install_page_handlers(app)
    app.include_router(staff.router)
    app.include_router(board.router)
    app.include_router(pages.router)
    app.include_router(feeds.router)
    app.include_router(public.router)
    app.include_router(programme.router)
    app.include_router(plan_pages.router)
    # the pages' stylesheets and scripts, served by Marquee itself (never a CDN)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", include_in_schema=False)
    def healthz():
        return PlainTextResponse("ok")

    # a renamed festival's old URLs (feeds people subscribed to, printed links) answer 308
    app.add_middleware(FormerSlugRedirects)
    install_page_errors(app)  # last: wraps every handler above
    app.openapi = _openapi_with_problems(app)  # type: ignore[method-assign]
    install_security(app)
    install_feed_polls(app)  # outside install_security: a cached feed's answer has its headers already
    # likewise: a create's answer, with its headers (the route's own work, answered as the route answers)
    install_screening_creates(app, screenings.create_route(), screenings.created)
    install_writes_first(app)  # outermost
    return app


# large blocks mapped apart, so freed renders go back to the system (see app/memory.py)
keep_large_blocks_apart()
app = create_app()

# What exists now (modules, routes, schemas: well over 100,000 objects) lives as long as the
# process. Frozen, the collector's full passes no longer walk it: those passes stop every
# request, and walking it took tens of milliseconds each (more on a busy machine).
gc.collect()
gc.freeze()
