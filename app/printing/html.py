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
from app.printing.changes import ChangeEntry
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

# The order a change sheet lists kinds in: what an attendee must act on first.
CHANGE_ORDER = ("cancelled", "retimed", "moved", "added")
CHANGE_HEADINGS = {
    "cancelled": "Cancelled",
    "retimed": "New times",
    "moved": "New venues",
    "added": "Added",
}


# Newlines between tags only lay out as collapsible whitespace (anonymous boxes that
# WeasyPrint still builds and measures); the templates never rely on them.
_NEWLINES_BETWEEN_TAGS = re.compile(r">[ \t]*\n\s*<")


def _render(template: str, context: dict) -> str:
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
    return {
        "views": [_Link(VIEW_LINK_LABELS[view], f"{url}?by={view}", view == by) for view in BY],
        "pdf": f"{url}.pdf?by={by if by in BY else 'day'}",
        "csv": f"{url}.csv",
    }


def _version_line(programme: Programme) -> str:
    if not programme.version:
        return "Working copy, not yet published"
    if programme.published_at is None:
        return f"Version {programme.version}"
    published_on = programme.published_at.astimezone(programme.festival.zone).date()
    return f"Version {programme.version}, published {labels.full_date(published_on)}"


def _common_context(programme: Programme, view: str, page_title: str, for_pdf: bool, base_url: str) -> dict:
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
    context = _common_context(programme, by, VIEW_TITLES[by], for_pdf, base_url)
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
    return _render(f"{by}.html", context)


@dataclass(frozen=True)
class _ChangeGroup:
    kind: str
    label: str
    entries: tuple[ChangeEntry, ...]


def render_changes_html(
    programme: Programme,
    since_version: int,
    changes: Sequence[ChangeEntry],
    *,
    base_url: str = "",
) -> str:
    """A "changes since version N" sheet: cancellations first, then new times, venues, additions."""
    order = {row.id: index for index, row in enumerate(screening_rows(programme))}
    groups = []
    for kind in CHANGE_ORDER:
        entries = sorted(
            (entry for entry in changes if entry.kind == kind),
            key=lambda entry: (order.get(entry.screening_id, len(order)), entry.title),
        )
        if entries:
            groups.append(_ChangeGroup(kind, CHANGE_HEADINGS[kind], tuple(entries)))
    context = _common_context(programme, "changes", f"Changes since version {since_version}", False, base_url)
    context.update(
        since_version=since_version,
        change_groups=groups,
        programme_url=f"{_programme_url(base_url, programme.festival.slug)}?by=day",
    )
    return _render("changes.html", context)
