"""The printed programme of the latest published version: HTML (by day, venue, film, grid), PDF, CSV.

Each is made once per published version and view, then served from a per-process cache
keyed by the version (a PDF takes seconds to lay out; a repeat costs a dictionary lookup).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from app.cache import LRU
from app.http.conditional import Rendered, versioned_response
from app.http.problems import Problem
from app.printing import (
    ChangeEntry,
    render_changes_html,
    render_programme_csv,
    render_programme_html,
    render_programme_pdf,
)
from app.scheduling.fields import MAX_ID
from app.scheduling.programme import Programme
from app.scheduling.publishing import changes_between
from app.scheduling.times import wall_clock_label
from app.settings import get_settings
from app.store.db import read_session
from app.store.publishing import programme_at, programme_of, published_state, version_by_number

router = APIRouter(include_in_schema=False)
View = Literal["day", "venue", "film", "grid"]
_prints: LRU[Rendered] = LRU(maxsize=64)


def change_entries(changelog: list[dict], programme: Programme) -> list[ChangeEntry]:
    """Changelog entries as the printed change sheet words them ("Fri 19 Nov 22:00, Caligari")."""
    zone = programme.festival.zone

    def place(where: dict | None) -> str | None:
        if where is None:
            return None
        starts_at = datetime.fromisoformat(where["starts_at"]).astimezone(zone)
        return f"{wall_clock_label(starts_at, zone, '%a %-d %b')}, {where['venue']}"

    return [ChangeEntry(kind=e["kind"], screening_id=e["screening_id"], title=e["title"],
                        before=place(e["before"]), after=place(e["after"])) for e in changelog]


def _rendered(slug: str, view: str, make) -> Rendered:
    """The view of the latest version (or of the unpublished festival), made once per version."""
    with read_session() as session:
        state = published_state(session, slug)
        key = (state.festival_id, state.version_id, state.published_at,
               state.revision if state.version_id is None else 0, view)

        def render() -> Rendered:
            programme = programme_at(session, state)
            return Rendered.of(make(session, programme, state.festival_id), state.published_at or state.updated_at)

        return _prints.get_or_make(key, render)


@router.get("/festivals/{slug}/programme")
def programme_page(slug: str, request: Request, by: View = "day",
                   since: Annotated[int | None, Query(ge=0, le=MAX_ID, description="changes since N")] = None):
    base_url = get_settings().base_url
    if since is None:
        rendered = _rendered(slug, f"html-{by}", lambda _s, programme, _f: render_programme_html(
            programme, by, base_url=base_url).encode())
        return versioned_response(request, rendered, "text/html; charset=utf-8")

    def changes(session, programme: Programme, festival_id: int) -> bytes:
        older = version_by_number(session, festival_id, since)
        if older is None or since >= programme.version:
            raise Problem(404, f"Version {since} of festival '{slug}' does not exist or is the latest "
                               f"(the latest is {programme.version}).")
        older_programme = programme_of(session, older.id, older.published_at)
        entries = change_entries(changes_between(older_programme, programme), programme)
        return render_changes_html(programme, since, entries, base_url=base_url).encode()

    return versioned_response(request, _rendered(slug, f"changes-{since}", changes),
                              "text/html; charset=utf-8")


@router.get("/festivals/{slug}/programme.pdf")
def programme_pdf(slug: str, request: Request, by: View = "day"):
    base_url = get_settings().base_url
    try:
        rendered = _rendered(slug, f"pdf-{by}", lambda _s, programme, _f: render_programme_pdf(
            programme, by, base_url=base_url))
    except OSError as error:  # WeasyPrint could not load Pango
        raise Problem(503, "PDF printing needs the Pango library on the server (Debian: apt install "
                           "libpango-1.0-0 libpangoft2-1.0-0, or `make system-packages`); the HTML "
                           f"programme at /festivals/{slug}/programme prints from the browser. ({error})") from None
    return versioned_response(request, rendered, "application/pdf", f"{slug}-programme-{by}.pdf")


@router.get("/festivals/{slug}/programme.csv")
def programme_csv(slug: str, request: Request):
    rendered = _rendered(slug, "csv", lambda _s, programme, _f: render_programme_csv(programme).encode())
    return versioned_response(request, rendered, "text/csv; charset=utf-8", f"{slug}-programme.csv")
