"""RFC 9457 problem details: every error the service answers, in one shape."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.scheduling.conflicts import Conflict
from app.services.errors import (
    ChangeRefused,
    Duplicate,
    InUse,
    InvalidField,
    NotFound,
    ScheduleRefused,
    ServiceError,
    Stale,
)

PROBLEM_JSON = "application/problem+json"
logger = logging.getLogger("marquee")


class Problem(Exception):
    """An error to answer as problem+json. Raise it anywhere below a route."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        type_: str = "about:blank",
        title: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.type = type_
        self.title = title or HTTPStatus(status).phrase
        self.headers = headers or {}
        self.extra = extra


def not_found(what: str) -> Problem:
    return Problem(404, f"{what} does not exist.")


def invalid(field: str, message: str) -> Problem:
    """A 422 for one field, shaped like a validation error."""
    return Problem(
        422,
        f"{field}: {message}",
        type_="urn:marquee:problem:invalid-input",
        title="Invalid input",
        errors=[{"field": field, "message": message}],
    )


def problem_response(request: Request | None, problem: Problem) -> JSONResponse:
    body = {"type": problem.type, "title": problem.title, "status": problem.status, "detail": problem.detail}
    if request is not None:
        body["instance"] = request.url.path
    body.update(problem.extra)
    return JSONResponse(body, status_code=problem.status, headers=problem.headers, media_type=PROBLEM_JSON)


def _field_path(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body",)]
    return ".".join(parts) if parts else "body"


def _validation_problem(exc: RequestValidationError | ValidationError) -> Problem:
    errors = []
    for error in exc.errors():
        if error.get("type") == "json_invalid":
            ctx = error.get("ctx", {})
            return Problem(
                422,
                "The request body is not valid JSON"
                f" ({ctx.get('error', 'parse error')} at character {error['loc'][-1]}).",
                type_="urn:marquee:problem:malformed-json",
                title="Malformed JSON",
            )
        message = error.get("msg", "is invalid")
        if tuple(error.get("loc", ())) == ("body",) and error.get("type") == "missing":
            message = "a JSON body is required"
        message = message.removeprefix("Value error, ")
        errors.append({"field": _field_path(tuple(error.get("loc", ()))), "message": message})
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    if len(errors) > 5:
        summary += f"; and {len(errors) - 5} more"
    return Problem(
        422,
        f"The request is invalid: {summary}.",
        type_="urn:marquee:problem:invalid-input",
        title="Invalid input",
        errors=errors,
    )


def conflict_dicts(conflicts: list[Conflict]) -> list[dict]:
    """Conflicts as the API answers them."""
    return [
        {
            "kind": c.kind,
            "severity": c.severity,
            "screening_ids": list(c.screening_ids),
            "minutes": c.minutes,
            "message": c.message,
            "festival_day": c.festival_day,
        }
        for c in conflicts
    ]


def problem_of(error: ServiceError) -> Problem:
    """The HTTP answer to a refusal of a use case."""
    if isinstance(error, ChangeRefused):
        # the cause's answer, naming the entry of the list by its index
        problem = problem_of(error.cause)
        problem.detail = error.message
        problem.extra["index"] = error.index
        if "errors" in problem.extra:
            problem.extra["errors"] = [
                {**e, "field": f"changes.{error.index}.{e['field']}"} for e in problem.extra["errors"]
            ]
        return problem
    if isinstance(error, NotFound):
        return Problem(404, error.message)
    if isinstance(error, InvalidField):
        return invalid(error.field, error.reason)
    if isinstance(error, ScheduleRefused):
        return Problem(
            409,
            error.message,
            type_="urn:marquee:problem:confirmed-conflict",
            title="Conflicts with confirmed screenings",
            conflicts=jsonable_encoder(conflict_dicts(error.conflicts)),
        )
    if isinstance(error, Duplicate):
        return Problem(409, error.message, type_="urn:marquee:problem:duplicate-slug", title="Duplicate slug")
    if isinstance(error, InUse):
        return Problem(409, error.message, type_="urn:marquee:problem:in-use", title=error.title)
    if isinstance(error, Stale):
        return Problem(412, error.message, headers={"ETag": error.etag})
    return Problem(400, error.message)


# The problem responses an operation can give, for OpenAPI (`responses=` on a route).
PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def problem_responses(*statuses: int) -> dict[int | str, dict]:
    return {status: {"description": HTTPStatus(status).phrase, "content": PROBLEM_CONTENT} for status in statuses}


class ProblemBody(BaseModel):
    """RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, str]] | None = None
    conflicts: list[dict[str, Any]] | None = None
    index: int | None = Field(default=None, description="the refused entry of a list of changes")


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _refused(request: Request, exc: ServiceError):
        return problem_response(request, problem_of(exc))

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem):
        return problem_response(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        return problem_response(request, _validation_problem(exc))

    @app.exception_handler(ValidationError)
    async def _merged_validation(request: Request, exc: ValidationError):
        # a PATCH validates the resource as it would be after the change
        return problem_response(request, _validation_problem(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"Nothing is at {request.url.path}."
        if exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}."
        return problem_response(request, Problem(exc.status_code, detail, headers=dict(exc.headers or {})))

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def _out_of_range(request: Request, exc: Exception):
        # a backstop: numbers are bounded where they are declared, the database is the last word
        return problem_response(
            request,
            Problem(
                422,
                "A value in the request cannot be stored (a number out of range, or a character such as "
                "NUL that text may not contain); nothing was changed.",
                type_="urn:marquee:problem:invalid-input",
                title="Invalid input",
            ),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception):
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(
            request, Problem(500, "Something went wrong on the server; nothing was changed. The error has been logged.")
        )
