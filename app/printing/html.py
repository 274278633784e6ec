"""The printed programme as HTML: for the screen, for a browser's print, and for WeasyPrint."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from app.links import safe_url
from app.printing import labels
from app.printing.changes import ChangeEntry, DoorChange
from app.printing.grid import grid_days
from app.printing.model import by_day, by_film, by_venue, screening_rows
from app.scheduling.programme import Programme

BY = ("day", "venue", "film", "grid")
VIEW_TITLES = {
    "day": "Programme by day",
    "venue": "Programme by venue",
    "film": "Films A to Z",
    "grid": "Day grid",
}
VIEW_LINK_LABELS = {"day": "By day", "venue": "By venue", "film": "Films A–Z", "grid": "Grid"}

# Grid scale. On screen 1.5 px per minute; in print the scale fits the longest day of the
# festival on one A4 page (portrait, 5 venues across), the same scale for every day.
SCREEN_PX_PER_MINUTE = 1.5
PRINT_GRID_HEIGHT_MM = 232.0
PRINT_MAX_MM_PER_MINUTE = 0.3
PRINT_VENUES_PER_PAGE = 5


# Newlines between tags only lay out as collapsible whitespace (anonymous boxes that
# WeasyPrint still builds and measures); the templates never rely on them.
_NEWLINES_BETWEEN_TAGS = re.compile(r">[ \t]*\n\s*<")


def render_template(template: str, context: dict) -> str:
    """A print template rendered, newlines between tags dropped (they only cost layout time)."""
    html = _environment().get_template(template).render(context)
    return _NEWLINES_BETWEEN_TAGS.sub("><", html)


@lru_cache(maxsize=1)
def _environment() -> Environment:
    environment = Environment(
        loader=PackageLoader("app.printing", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["short_day"] = labels.short_day
    environment.filters["safe_url"] = safe_url  # a stored URL is linked only when it is http(s)
    return environment


@lru_cache(maxsize=1)
def _stylesheet() -> Markup:
    # Read as a file, not a template, so CSS braces never meet Jinja syntax.
    text = resources.files("app.printing").joinpath("templates/programme.css").read_text("utf-8")
    return Markup(text)


@dataclass(frozen=True)
class _Link:
    label: str
    href: str
    current: bool


def _programme_url(base_url: str, slug: str) -> str:
    return f"{base_url.rstrip('/')}/festivals/{slug}/programme"


def _links(programme: Programme, by: str, base_url: str) -> dict:
    url = _programme_url(base_url, programme.festival.slug)
    festival = url.removesuffix("/programme")
    # the door-staff sheet: what changed since the version before this one
    since = programme.version - 1 if programme.version > 1 else None
    return {
        "views": [_Link(VIEW_LINK_LABELS[view], f"{url}?by={view}", view == by) for view in BY],
        "pdf": f"{url}.pdf?by={by if by in BY else 'day'}",
        "csv": f"{url}.csv",
        "xlsx": f"{url}.xlsx",
        "booklet": f"{festival}/booklet.pdf",
        "changes": _Link(f"Changes since v{since}", f"{url}?since={since}", by == "changes")
        if since is not None
        else None,
    }


def _version_line(programme: Programme) -> str:
    if not programme.version:
        return "Working copy, not yet published"
    if programme.published_at is None:
        return f"Version {programme.version}"
    published_on = programme.published_at.astimezone(programme.festival.zone).date()
    return f"Version {programme.version}, published {labels.full_date(published_on)}"


def common_context(programme: Programme, view: str, page_title: str, for_pdf: bool, base_url: str) -> dict:
    """What every print template needs: festival, dates, version line, legend, stylesheet, links."""
    festival = programme.festival
    return {
        "programme": programme,
        "festival": festival,
        "view": view,
        "page_title": page_title,
        "for_pdf": for_pdf,
        "css": _stylesheet(),
        "dates": labels.date_range(festival.starts_on, festival.ends_on),
        "version_line": _version_line(programme),
        "legend": (
            f"All times are local ({festival.timezone}). A festival day runs past midnight: "
            "+1 marks a time on the next calendar day. ♿ step-free venue."
        ),
        "links": None if for_pdf else _links(programme, view, base_url),
        "cover": for_pdf,
        # printed on the cover when the programme has a public home to point at
        "online_url": f"{_programme_url(base_url, festival.slug)}?by={view}" if base_url and view in BY else None,
    }


def render_programme_html(
    programme: Programme,
    by: str = "day",
    *,
    base_url: str = "",
    for_pdf: bool = False,
    changes: Sequence[ChangeEntry] | None = None,
) -> str:
    """The programme as one HTML page, by day, venue, film (A to Z) or as a day grid."""
    if by not in BY:
        raise ValueError(f"unknown programme view {by!r}; expected one of {', '.join(BY)}")
    rows = screening_rows(programme, changes)
    context = common_context(programme, by, VIEW_TITLES[by], for_pdf, base_url)
    if by == "day":
        context["days"] = by_day(rows)
    elif by == "venue":
        context["venues"] = by_venue(programme, rows)
    elif by == "film":
        context["letters"] = by_film(rows)
    else:
        grids = grid_days(programme, by_day(rows), PRINT_VENUES_PER_PAGE if for_pdf else None)
        context["grids"] = grids
        if for_pdf:
            longest = max((grid.span for grid in grids), default=60)
            context["scale"] = min(PRINT_MAX_MM_PER_MINUTE, PRINT_GRID_HEIGHT_MM / longest)
            context["unit"] = "mm"
            context["hour_label_top"] = round(1.7 - 30 * context["scale"], 3)
        else:
            context["scale"] = SCREEN_PX_PER_MINUTE
            context["unit"] = "px"
            context["hour_label_top"] = round(8 - 30 * SCREEN_PX_PER_MINUTE, 3)
    return render_template(f"{by}.html", context)


@dataclass(frozen=True)
class _ChangeDay:
    day: str
    changes: tuple[DoorChange, ...]


def _change_context(
    programme: Programme, since_version: int, changes: Sequence[DoorChange], for_pdf: bool, base_url: str
) -> dict:
    days: dict[str, list[DoorChange]] = {}
    for change in changes:
        days.setdefault(labels.long_day(change.day), []).append(change)
    title = f"Changes since version {since_version}"
    context = common_context(programme, "changes", title, for_pdf, base_url)
    url = _programme_url(base_url, programme.festival.slug)
    context.update(
        since_version=since_version,
        change_days=[_ChangeDay(day, tuple(entries)) for day, entries in days.items()],
        count=len(changes),
        cover=False,
        programme_url=f"{url}?by=day",
        sheet_pdf=f"{url}.pdf?since={since_version}",
        online_url=None,
    )
    return context


def render_changes_html(
    programme: Programme,
    since_version: int,
    changes: Sequence[DoorChange],
    *,
    base_url: str = "",
    for_pdf: bool = False,
) -> str:
    """The door-staff sheet: what changed since version N, by festival day and time, a line per screening."""
    return render_template("changes.html", _change_context(programme, since_version, changes, for_pdf, base_url))
