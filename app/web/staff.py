"""Staff sign-in and sign-out pages, and how the pages answer a missing session or a forged form."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from app.http.deps import SessionDep
from app.http.staff import (
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    CrossSiteRefused,
    SignInNeeded,
    StaffDep,
    clear_session_cookie,
    set_session_cookie,
    set_sign_in_cookie,
    sign_in_token,
)
from app.services import staff as staff_service
from app.services.errors import ServiceError
from app.web.templating import templates

router = APIRouter(include_in_schema=False)
CARRY = "carry."


class PageError(Exception):
    """An error a page answers as HTML (a festival or screening that does not exist)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def safe_next(path: str | None) -> str:
    """Only a path on this site (never another host) is followed after sign-in."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def sign_in_page(
    request: Request,
    *,
    next_path: str = "/",
    action: str | None = None,
    fields: list[tuple[str, str]] | None = None,
    error: str | None = None,
    expired: bool = False,
    status_code: int = 200,
) -> HTMLResponse:
    token = sign_in_token(request)
    response = templates.TemplateResponse(
        request,
        "staff/sign_in.html",
        {
            "next": safe_next(next_path),
            "action": action,
            "fields": fields or [],
            "error": error,
            "expired": expired,
            "sign_in_token": token,
        },
        status_code=status_code,
    )
    set_sign_in_cookie(response, token)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/"):  # noqa: A002 (the query's name)
    return sign_in_page(request, next_path=next)


@router.post("/login", response_class=HTMLResponse)
async def login(
    request: Request,
    session: SessionDep,
    token: Annotated[str, Form(max_length=500)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",  # noqa: A002
    sign_in: Annotated[str, Form(max_length=200)] = "",
    carry_action: Annotated[str | None, Form(max_length=2000)] = None,
):
    form = await request.form()
    carried = [(k.removeprefix(CARRY), v) for k, v in form.multi_items() if k.startswith(CARRY) and isinstance(v, str)]
    if not staff_service.same_secret(sign_in, request.cookies.get(SIGN_IN_COOKIE) or ""):
        return sign_in_page(
            request,
            next_path=next,
            action=carry_action,
            fields=carried,
            status_code=403,
            error="This sign-in form has expired or came from another site; sign in again.",
        )
    try:
        staff, session_id = staff_service.sign_in(session, token, datetime.now(UTC))
    except ServiceError as refused:
        return sign_in_page(
            request, next_path=next, action=carry_action, fields=carried, error=refused.message, status_code=401
        )
    if carry_action:
        # the form that met an expired session: offered again, to be sent on purpose
        response = templates.TemplateResponse(
            request, "staff/resume.html", {"staff": staff, "action": safe_next(carry_action), "fields": carried}
        )
    else:
        response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(response, session_id)
    response.delete_cookie(SIGN_IN_COOKIE, path="/")
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/logout", response_class=HTMLResponse)
def logout_form(request: Request, staff: StaffDep):
    return templates.TemplateResponse(request, "staff/sign_out.html", {"staff": staff})


@router.post("/logout")
def logout(request: Request, staff: StaffDep, session: SessionDep):
    staff_service.sign_out(session, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    clear_session_cookie(response)
    return response


def install_page_handlers(app: FastAPI) -> None:
    """Pages answer in HTML: sign in when there is no session, 403 for a forged form, errors as pages."""

    @app.exception_handler(SignInNeeded)
    async def _sign_in(request: Request, exc: SignInNeeded):
        if request.method == "GET":
            return (
                RedirectResponse(f"/login?{urlencode({'next': exc.action})}", status_code=303)
                if not exc.expired
                else sign_in_page(request, next_path=exc.action, expired=True, status_code=401)
            )
        response = sign_in_page(
            request, next_path=exc.action, action=exc.action, fields=exc.fields, expired=exc.expired, status_code=401
        )
        clear_session_cookie(response)
        return response

    @app.exception_handler(CrossSiteRefused)
    async def _forged(request: Request, exc: CrossSiteRefused):
        return templates.TemplateResponse(
            request,
            "staff/error.html",
            {
                "title": "Form refused",
                "message": "This form did not carry the page's cross-site token, so "
                "nothing was changed. Go back, reload the page and try again.",
            },
            status_code=403,
        )

    @app.exception_handler(PageError)
    async def _page_error(request: Request, exc: PageError):
        return templates.TemplateResponse(
            request,
            "staff/error.html",
            {"title": "Not found" if exc.status == 404 else "Refused", "message": exc.message},
            status_code=exc.status,
        )
