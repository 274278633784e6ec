"""The staff session of the pages (the board): a cookie naming a server-side session, and
the cross-site token every POST must carry.

The cookie (`marquee_session`) holds only a random id; it is HttpOnly, SameSite=Lax, Secure
whenever `MARQUEE_BASE_URL` is https, and expires with the session. Every POST under a staff
session carries the session's secret in a `csrf` form field, compared in constant time; the
sign-in form, before any session exists, carries a double-submit token instead (a cookie and
a field that must match).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request, Response
from sqlmodel import Session

from app.services.staff import SESSION_LIFETIME, Staff, same_secret, signed_in
from app.settings import get_settings
from app.store.db import get_engines

SESSION_COOKIE = "marquee_session"
SIGN_IN_COOKIE = "marquee_sign_in"
CSRF_FIELD = "csrf"


class SignInNeeded(Exception):
    """No live session: a page goes to sign-in; a form's input is carried through it."""

    def __init__(self, action: str, fields: list[tuple[str, str]] | None = None, expired: bool = False):
        super().__init__("sign in needed")
        self.action = action
        self.fields = fields or []
        self.expired = expired


class CrossSiteRefused(Exception):
    """A POST without the session's cross-site token (403)."""


def secure_cookies() -> bool:
    return get_settings().base_url.lower().startswith("https://")


def set_session_cookie(response: Response, session_id: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=secure_cookies(),
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=secure_cookies())


def sign_in_token(request: Request) -> str:
    """The double-submit token of the sign-in form: the cookie's, or a new one."""
    return request.cookies.get(SIGN_IN_COOKIE) or secrets.token_urlsafe(24)


def set_sign_in_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        SIGN_IN_COOKIE, token, max_age=3600, httponly=True, samesite="lax", secure=secure_cookies(), path="/"
    )


def _carried(form) -> list[tuple[str, str]]:
    """A form's input, without its cross-site token, to carry through sign-in."""
    return [(k, v) for k, v in form.multi_items() if k != CSRF_FIELD and isinstance(v, str)]


async def staff_session(request: Request) -> Staff:
    """The signed-in staff member; a POST must also carry the session's cross-site token."""
    session_id = request.cookies.get(SESSION_COOKIE)
    form = await request.form() if request.method == "POST" else None
    staff = None
    if session_id:
        # the write engine: an expired session or a revoked token's sessions are deleted here
        with Session(get_engines().write, expire_on_commit=False) as session:
            staff = signed_in(session, session_id, datetime.now(UTC))
            session.commit()
    if staff is None:
        raise SignInNeeded(
            request.url.path
            if form is not None
            else str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
            _carried(form) if form is not None else [],
            expired=bool(session_id),
        )
    if form is not None:
        given = form.get(CSRF_FIELD)
        if not same_secret(given if isinstance(given, str) else None, staff.csrf):
            raise CrossSiteRefused()
    return staff


StaffDep = Annotated[Staff, Depends(staff_session)]
