"""The FastAPI application."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import PlainTextResponse

from app.api import conflicts, festivals, films, publishing, screenings, venues
from app.api.problems import Problem, install_problem_handlers, invalid, problem_response
from app.api.screenings import conflict_dicts
from app.http.security import install_security
from app.store.guard import ScheduleRefused
from app.store.publishing import UnknownFestival
from app.store.schedule import InvalidField
from app.web import feeds, pages, programme, public


def create_app() -> FastAPI:
    app = FastAPI(
        title="Marquee",
        version="0.1.0",
        description="Festival programme scheduler: festivals, venues, films and screenings; "
                    "conflicts; published versions; iCal feeds and printed programmes. "
                    "Writes need `Authorization: Bearer <token>` (`marquee token create`).",
    )
    install_problem_handlers(app)

    @app.exception_handler(ScheduleRefused)
    async def _refused(request: Request, exc: ScheduleRefused):
        return problem_response(request, Problem(
            409, exc.message, type_="urn:marquee:problem:confirmed-conflict",
            title="Conflicts with confirmed screenings", conflicts=jsonable_encoder(conflict_dicts(exc.conflicts))))

    @app.exception_handler(InvalidField)
    async def _invalid_field(request: Request, exc: InvalidField):
        return problem_response(request, invalid(exc.field, exc.message))

    @app.exception_handler(UnknownFestival)
    async def _unknown_festival(request: Request, exc: UnknownFestival):
        return problem_response(request, Problem(404, str(exc)))

    for module in (festivals, venues, films, screenings, conflicts, publishing):
        app.include_router(module.router)
    app.include_router(pages.router)
    app.include_router(feeds.router)
    app.include_router(public.router)
    app.include_router(programme.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz():
        return PlainTextResponse("ok")

    install_security(app)
    return app


app = create_app()
