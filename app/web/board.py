"""The programmers' board: a festival day of the working schedule, edited in place.

Every edit is a plain HTML form (a small script adds drag and drop on top) that calls the same
use case as the API (`services.screenings`, `services.changes`, `services.publishing`), so the
rules and refusals are the API's. A refusal re-renders the board with the message, its
conflicts and the input as typed; nothing is stored. A success answers 303 back to the board
(post, redirect, get).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, NamedTuple
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from pydantic import ValidationError

from app.http.deps import PathId, SessionDep
from app.http.problems import problem_of
from app.http.staff import StaffDep
from app.scheduling.board import COLUMN_MINUTES
from app.scheduling.fields import MAX_ID, ScreeningBase
from app.scheduling.wording import KIND_NAMES
from app.services import changes, publishing, screenings
from app.services.board import board_of, changelog_lines, day_of
from app.services.catalogue import get_festival
from app.services.errors import ChangeRefused, NotFound, ScheduleRefused, ServiceError
from app.services.slots import film_slots
from app.services.staff import Staff
from app.settings import get_settings
from app.web.staff import PageError
from app.web.templating import templates

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Form(ge=1, le=MAX_ID)]
NOTICES = {
    "created": "Screening placed.",
    "moved": "Screening changed.",
    "confirmed": "Screening confirmed.",
    "draft": "Screening set back to draft.",
    "cancelled": "Screening cancelled.",
    "deleted": "Screening deleted.",
    "swapped": "The two screenings swapped places.",
    "published": "Published.",
    "unchanged": "Nothing public changed; nothing was published.",
}


def _festival(session, slug: str):
    try:
        return get_festival(session, slug)
    except NotFound as error:
        raise PageError(404, error.message) from None


OFFER_STEP = 15


class Offer(NamedTuple):
    """A start the slot finder offers: where, when, and when it would end."""

    venue_id: int
    starts_at: datetime
    ends_at: datetime


def stretches(starts: list) -> list[tuple]:
    """Free starts grouped into runs one step apart: (first, last) of each run."""
    runs: list[list] = []
    for start in starts:
        if runs and (start.starts_at - runs[-1][1].starts_at).total_seconds() == OFFER_STEP * 60:
            runs[-1][1] = start
        else:
            runs.append([start, start])
    return [tuple(run) for run in runs]


def board_url(slug: str, day: date | None = None, **query) -> str:
    params = {"day": day.isoformat()} if day else {}
    params.update({k: v for k, v in query.items() if v is not None})
    return f"/festivals/{slug}/board" + (f"?{urlencode(params)}" if params else "")


def _refusal(error: ServiceError) -> dict:
    """A refusal as the board shows it: the sentence, the field errors and the conflicts."""
    problem = problem_of(error)
    cause = error.cause if isinstance(error, ChangeRefused) else error
    conflicts = cause.conflicts if isinstance(cause, ScheduleRefused) else []
    return {
        "status": problem.status,
        "message": problem.detail,
        "fields": {
            e["field"].rsplit(".", 1)[-1] if "." in e["field"] else e["field"]: e["message"]
            for e in problem.extra.get("errors", [])
        },
        "conflicts": [
            {"severity": c.severity, "kind": KIND_NAMES.get(c.kind, c.kind), "minutes": c.minutes} for c in conflicts
        ],
    }


def _invalid(error: ValidationError) -> dict:
    fields = {}
    for e in error.errors():
        name = str(e["loc"][0]) if e.get("loc") else "form"
        fields.setdefault(name, e.get("msg", "is invalid").removeprefix("Value error, "))
    summary = "; ".join(f"{k}: {v}" for k, v in fields.items())
    return {"status": 422, "message": f"Check the form: {summary}.", "fields": fields, "conflicts": []}


def render_board(
    request: Request,
    session,
    staff: Staff,
    slug: str,
    day: date | None,
    *,
    edit: int | None = None,
    place: int | None = None,
    venue: int | None = None,
    refusal: dict | None = None,
    values: dict | None = None,
    notice: str | None = None,
) -> HTMLResponse:
    festival = _festival(session, slug)
    board = board_of(session, festival, day)
    editing = board.screenings.get(edit) if edit else None
    if edit and editing is None:
        try:  # a screening of another day: show that day
            _, view = screenings.read_screening(session, festival, edit)
        except NotFound as error:
            raise PageError(404, error.message) from None
        board = board_of(session, festival, view["festival_day"])
        editing = board.screenings.get(edit)
    placing = next((f for f in board.films if f.id == place), None) if place else None
    offers = []
    if placing is not None:
        found = film_slots(session, festival, placing.id, day=board.day, venue_id=venue, step=OFFER_STEP)
        names = {v.id: v.name for v in board.venues}
        by_venue: dict[int, list] = {}
        for venue_id, starts_at, ends_at in found:
            by_venue.setdefault(venue_id, []).append(Offer(venue_id, starts_at, ends_at))
        offers = [(venue_id, names.get(venue_id, "?"), stretches(starts)) for venue_id, starts in by_venue.items()]
    zone = ZoneInfo(festival.timezone)
    context = {
        "staff": staff,
        "board": board,
        "festival": festival,
        "editing": editing,
        "placing": placing,
        "offers": offers,
        "refusal": refusal,
        "values": values or {},
        "notice": NOTICES.get(notice or ""),
        "column_minutes": COLUMN_MINUTES,
        "board_url": board_url,
        "zone": zone,
        "first_iso": board.layout.first.isoformat(),
        "venue_filter": venue,
    }
    status = refusal["status"] if refusal else 200
    response = templates.TemplateResponse(request, "staff/board.html", context, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/festivals/{slug}/board", response_class=HTMLResponse)
def board_page(
    request: Request,
    slug: str,
    staff: StaffDep,
    session: SessionDep,
    day: Annotated[date | None, Query()] = None,
    edit: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    place: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    venue: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    notice: Annotated[str | None, Query(max_length=20)] = None,
):
    return render_board(request, session, staff, slug, day, edit=edit, place=place, venue=venue, notice=notice)


def _day_field(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@router.post("/festivals/{slug}/board/screenings", response_class=HTMLResponse)
async def place_screening(request: Request, slug: str, staff: StaffDep, session: SessionDep):
    form = await request.form()
    values = {k: v for k, v in form.items() if k != "csrf"}
    day = _day_field(str(form.get("day", "")))
    festival = _festival(session, slug)
    film_text = str(form.get("films", ""))
    place = int(film_text) if film_text.isascii() and film_text.isdigit() else None
    try:
        fields = ScreeningBase.model_validate(
            {
                "venue_id": form.get("venue_id") or None,
                "starts_at": form.get("starts_at") or None,
                "films": [f for f in form.getlist("films") if f],
                "status": form.get("status") or "draft",
                "intro_minutes": form.get("intro_minutes") or 0,
                "qa_minutes": form.get("qa_minutes") or 0,
            }
        )
        screening, view = screenings.create_screening(session, festival, fields)
    except ValidationError as error:
        session.rollback()
        return render_board(request, session, staff, slug, day, place=place, refusal=_invalid(error), values=values)
    except ServiceError as error:
        session.rollback()
        return render_board(request, session, staff, slug, day, place=place, refusal=_refusal(error), values=values)
    return RedirectResponse(board_url(slug, view["festival_day"], edit=screening.id, notice="created"), status_code=303)


@router.post("/festivals/{slug}/board/screenings/{screening_id}", response_class=HTMLResponse)
async def change_screening(request: Request, slug: str, screening_id: PathId, staff: StaffDep, session: SessionDep):
    """Move (venue and start), retime, or set the status: only the fields the form sends change."""
    form = await request.form()
    values = {k: v for k, v in form.items() if k != "csrf"}
    day = _day_field(str(form.get("day", "")))
    festival = _festival(session, slug)
    changes_wanted = {k: form[k] for k in ("venue_id", "starts_at", "status") if form.get(k)}
    try:
        screening, view = screenings.update_screening(session, festival, screening_id, changes_wanted)
    except ValidationError as error:
        session.rollback()
        return render_board(
            request, session, staff, slug, day, edit=screening_id, refusal=_invalid(error), values=values
        )
    except ServiceError as error:
        session.rollback()
        if isinstance(error, NotFound):
            raise PageError(404, error.message) from None
        return render_board(
            request, session, staff, slug, day, edit=screening_id, refusal=_refusal(error), values=values
        )
    notice = changes_wanted.get("status") if set(changes_wanted) == {"status"} else "moved"
    return RedirectResponse(board_url(slug, view["festival_day"], edit=screening.id, notice=notice), status_code=303)


@router.post("/festivals/{slug}/board/screenings/{screening_id}/delete", response_class=HTMLResponse)
async def delete_screening(request: Request, slug: str, screening_id: PathId, staff: StaffDep, session: SessionDep):
    form = await request.form()
    festival = _festival(session, slug)
    try:
        screenings.delete_screening(session, festival, screening_id)
    except NotFound as error:
        raise PageError(404, error.message) from None
    return RedirectResponse(board_url(slug, _day_field(str(form.get("day", ""))), notice="deleted"), status_code=303)


@router.post("/festivals/{slug}/board/swap", response_class=HTMLResponse)
async def swap_screenings(request: Request, slug: str, staff: StaffDep, session: SessionDep):
    """Two screenings trade venue and start in one list of changes (confirmed ones too)."""
    form = await request.form()
    day = _day_field(str(form.get("day", "")))
    festival = _festival(session, slug)
    ids = [int(v) for v in (form.get("a"), form.get("b")) if isinstance(v, str) and v.isascii() and v.isdigit()]
    first = ids[0] if ids else None
    if len(ids) != 2 or ids[0] == ids[1]:
        refusal = {
            "status": 422,
            "message": "Choose two different screenings to swap.",
            "fields": {"b": "choose another screening"},
            "conflicts": [],
        }
        return render_board(request, session, staff, slug, day, edit=first, refusal=refusal)
    try:
        a = screenings.get_screening(session, festival, ids[0])
        b = screenings.get_screening(session, festival, ids[1])
        entries = [
            {"op": "update", "id": a.id, "venue_id": b.venue_id, "starts_at": b.starts_at},
            {"op": "update", "id": b.id, "venue_id": a.venue_id, "starts_at": a.starts_at},
        ]
        changes.apply_changes(session, festival, entries)
    except ServiceError as error:
        session.rollback()
        return render_board(request, session, staff, slug, day, edit=first, refusal=_refusal(error))
    return RedirectResponse(
        board_url(slug, day_of(festival, b.starts_at), edit=first, notice="swapped"), status_code=303
    )


@router.get("/festivals/{slug}/board/publish", response_class=HTMLResponse)
def publish_preview(
    request: Request, slug: str, staff: StaffDep, session: SessionDep, day: Annotated[date | None, Query()] = None
):
    festival = _festival(session, slug)
    changelog = publishing.preview(session, festival, datetime.now(UTC))
    return templates.TemplateResponse(
        request,
        "staff/publish.html",
        {
            "staff": staff,
            "festival": festival,
            "day": day,
            "board_url": board_url,
            "entries": changelog_lines(changelog, ZoneInfo(festival.timezone)),
            "counts": publishing.count_changes(changelog),
        },
    )


@router.post("/festivals/{slug}/board/publish")
async def publish(request: Request, slug: str, staff: StaffDep, session: SessionDep):
    form = await request.form()
    festival = _festival(session, slug)
    _, created = publishing.publish(session, festival, datetime.now(UTC), get_settings().base_url)
    return RedirectResponse(
        board_url(slug, _day_field(str(form.get("day", ""))), notice="published" if created else "unchanged"),
        status_code=303,
    )


def grid_stylesheet(max_columns: int | None = None, max_levels: int = 12) -> str:
    """`static/board-grid.css`: a class for every column, width and level a board can use.

    The pages allow no inline styles (the Content-Security-Policy is `style-src 'self'`), so a
    block's place on the grid is said with classes (`at-K`, `w-K`, `lv-L`, `cols-N`, `rows-L`).
    A test checks the file matches this.
    """
    from app.scheduling.board import MAX_COLUMNS

    n = max_columns or MAX_COLUMNS
    lines = ["/* generated by app.web.board.grid_stylesheet(): the board's grid positions */"]
    lines += [f".cols-{k}{{grid-template-columns:repeat({k},minmax(var(--col),1fr))}}" for k in range(1, n + 1)]
    lines += [f".at-{k}{{grid-column-start:{k + 1}}}" for k in range(n)]
    lines += [f".w-{k}{{grid-column-end:span {k}}}" for k in range(1, n + 1)]
    lines += [f".lv-{k}{{grid-row:{k + 1}}}" for k in range(max_levels)]
    lines += [f".rows-{k}{{grid-template-rows:repeat({k},var(--row))}}" for k in range(1, max_levels + 1)]
    return "\n".join(lines) + "\n"
