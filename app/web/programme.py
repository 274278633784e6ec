"""The printed programme of the latest published version, and what other software reads of it.

HTML (by day, venue, film, grid), PDF, the booklet, the door-staff change sheet, CSV and
Excel, and the frab-compatible schedule.json and schedule.xml. Each is made once per
published version and option, then served from a per-process cache keyed by the version (a
PDF takes seconds to lay out; a repeat costs a dictionary lookup), with ETag, Last-Modified
and 304 like the feeds.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from app.cache import LRU
from app.exports.frab import render_schedule_json
from app.exports.frab_xml import render_schedule_xml
from app.http.conditional import Rendered, versioned_response
from app.http.problems import Problem
from app.http.security import inline_style_policy
from app.isolated import render_apart
from app.printing import (
    render_booklet_pdf,
    render_changes_html,
    render_changes_pdf,
    render_programme_csv,
    render_programme_html,
    render_programme_pdf,
)
from app.printing.changes import DoorChange, door_changes
from app.printing.workbook import render_programme_xlsx
from app.scheduling.fields import MAX_ID
from app.scheduling.programme import Programme
from app.settings import get_settings
from app.store.db import read_session
from app.store.publishing import programme_at, programme_of, published_state, version_by_number

router = APIRouter(include_in_schema=False)
View = Literal["day", "venue", "film", "grid"]
Separator = Literal[",", ";", "tab"]
Size = Literal["a5", "a4"]
Since = Annotated[int | None, Query(ge=0, le=MAX_ID, description="what changed since version N")]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_prints: LRU[Rendered] = LRU(
    maxsize=64, max_bytes=lambda: get_settings().print_cache_bytes, size=Rendered.nbytes, release_after_bytes=0
)


def _rendered(slug: str, view: str, make: Callable[[Any, Programme, int], bytes]) -> Rendered:
    """The view of the latest version (or of the unpublished festival), made once per version
    and base URL (its links and the PDF's cover name it)."""
    with read_session() as session:
        state = published_state(session, slug)
        key = (
            state.festival_id,
            state.version_id,
            state.published_at,
            state.revision if state.version_id is None else 0,
            view,
            get_settings().base_url,
        )

        def render() -> Rendered:
            programme = programme_at(session, state)
            return Rendered.of(make(session, programme, state.festival_id), state.published_at or state.updated_at)

        return _prints.get_or_make(key, render)


def _changes_since(session, programme: Programme, festival_id: int, since: int) -> list[DoorChange]:
    """The door-staff lines from version `since` (0: before the first publish) to the latest version."""
    if since > programme.version:
        raise Problem(
            404,
            f"Version {since} of festival '{programme.festival.slug}' does not exist "
            f"(the latest is {programme.version}).",
        )
    if since == programme.version:
        return []
    if since == 0:
        return door_changes(Programme(festival=programme.festival), programme)
    older = version_by_number(session, festival_id, since)
    return door_changes(programme_of(session, older.id, older.published_at), programme)


def _pdf(make: Callable[[], Rendered], slug: str) -> Rendered:
    try:
        return make()
    except BrokenProcessPool:  # the child laying it out died (out of memory, say)
        raise Problem(
            503,
            "The process laying out this PDF stopped before it was done (out of memory?); try again, "
            "or print the HTML programme from the browser.",
        ) from None
    except OSError as error:  # WeasyPrint could not load Pango
        raise Problem(
            503,
            "PDF printing needs the Pango library on the server (Debian: apt install "
            "libpango-1.0-0 libpangoft2-1.0-0, or `make system-packages`); the HTML "
            f"programme at /festivals/{slug}/programme prints from the browser. ({error})",
        ) from None


@router.get("/festivals/{slug}/programme")
def programme_page(slug: str, request: Request, by: View = "day", since: Since = None):
    base_url = get_settings().base_url
    if since is None:
        rendered = _rendered(
            slug,
            f"html-{by}",
            lambda _s, programme, _f: render_programme_html(programme, by, base_url=base_url).encode(),
        )
    else:
        rendered = _rendered(
            slug,
            f"changes-{since}",
            lambda session, programme, festival_id: render_changes_html(
                programme, since, _changes_since(session, programme, festival_id, since), base_url=base_url
            ).encode(),
        )
    return _html(request, rendered)


def _html(request: Request, rendered: Rendered) -> Response:
    """A printed programme page, its one inline <style> allowed by hash (on a 304 too)."""
    response = versioned_response(request, rendered, "text/html; charset=utf-8")
    response.headers["Content-Security-Policy"] = inline_style_policy(rendered.body, rendered.etag)
    return response


@router.get("/festivals/{slug}/programme.pdf")
def programme_pdf(slug: str, request: Request, by: View = "day", since: Since = None):
    base_url = get_settings().base_url
    if since is None:
        rendered = _pdf(
            lambda: _rendered(
                slug,
                f"pdf-{by}",
                lambda _s, programme, _f: render_apart(render_programme_pdf, programme, by, base_url=base_url),
            ),
            slug,
        )
        return versioned_response(request, rendered, "application/pdf", f"{slug}-programme-{by}.pdf")
    rendered = _pdf(
        lambda: _rendered(
            slug,
            f"pdf-changes-{since}",
            lambda session, programme, festival_id: render_apart(
                render_changes_pdf,
                programme,
                since,
                _changes_since(session, programme, festival_id, since),
                base_url=base_url,
            ),
        ),
        slug,
    )
    return versioned_response(request, rendered, "application/pdf", f"{slug}-changes-since-{since}.pdf")


@router.get("/festivals/{slug}/booklet.pdf")
def booklet_pdf(
    slug: str,
    request: Request,
    size: Size = "a5",
    bleed: Annotated[bool, Query(description="3 mm bleed and crop marks for the print shop")] = False,
):
    base_url = get_settings().base_url
    rendered = _pdf(
        lambda: _rendered(
            slug,
            f"booklet-{size}-{bleed}",
            lambda _s, programme, _f: render_apart(
                render_booklet_pdf, programme, size=size, bleed=bleed, base_url=base_url
            ),
        ),
        slug,
    )
    suffix = f"-{size}{'-bleed' if bleed else ''}"
    return versioned_response(request, rendered, "application/pdf", f"{slug}-booklet{suffix}.pdf")


@router.get("/festivals/{slug}/programme.csv")
def programme_csv(
    slug: str, request: Request, sep: Annotated[Separator, Query(description="',' (default), ';' or 'tab'")] = ","
):
    rendered = _rendered(slug, f"csv-{sep}", lambda _s, programme, _f: render_programme_csv(programme, sep).encode())
    return versioned_response(request, rendered, "text/csv; charset=utf-8", f"{slug}-programme.csv")


@router.get("/festivals/{slug}/programme.xlsx")
def programme_xlsx(slug: str, request: Request):
    rendered = _rendered(slug, "xlsx", lambda _s, programme, _f: render_apart(render_programme_xlsx, programme))
    return versioned_response(request, rendered, XLSX_TYPE, f"{slug}-programme.xlsx")


@router.api_route("/festivals/{slug}/schedule.json", methods=["GET", "HEAD"])
def schedule_json(slug: str, request: Request):
    base_url = get_settings().base_url
    rendered = _rendered(
        slug, "schedule-json", lambda _s, programme, _f: render_schedule_json(programme, base_url=base_url)
    )
    return versioned_response(request, rendered, "application/json; charset=utf-8", f"{slug}-schedule.json")


@router.api_route("/festivals/{slug}/schedule.xml", methods=["GET", "HEAD"])
def schedule_xml(slug: str, request: Request):
    base_url = get_settings().base_url
    rendered = _rendered(
        slug, "schedule-xml", lambda _s, programme, _f: render_schedule_xml(programme, base_url=base_url)
    )
    return versioned_response(request, rendered, "application/xml; charset=utf-8", f"{slug}-schedule.xml")
