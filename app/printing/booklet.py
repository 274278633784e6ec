"""The printed booklet: the whole festival in one saddle-stitched programme, as a print shop takes it.

Cover, contents, the programme by day (a day runs on where the last one ended; its heading
is never left alone at the foot of a page), the films A to Z with synopsis, credits, language
and every screening, the venues with address and access, an index of sections, and a back
page. A5 by default, A4 on request; the page count is padded with notes pages (before the
back page) to a multiple of four, since a saddle-stitched booklet is folded from sheets of
four pages; an optional 3 mm bleed with crop marks for the print shop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from markupsafe import Markup

from app.exports.languages import language_code
from app.printing import labels
from app.printing.html import common_context, render_template
from app.printing.model import FilmEntry, by_day, by_film, screening_rows
from app.printing.sorting import catalogue_sort_key
from app.scheduling.programme import Programme, VenueInfo

SIZES = {"a5": "A5", "a4": "A4"}
PAGES_PER_SHEET = 4
BLEED_MM = 3


def padding_pages(pages: int, multiple: int = PAGES_PER_SHEET) -> int:
    """How many blank pages make `pages` a multiple of `multiple` (7 → 1, 8 → 0)."""
    return -pages % multiple


@dataclass(frozen=True)
class VenuePage:
    """A venue as the booklet lists it: where, how big, how to get in, how much it shows."""

    venue: VenueInfo
    screenings: int
    days: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return f"venue-{self.venue.id}"

    @property
    def access(self) -> str:
        if self.venue.step_free:
            return "Step-free access"
        return "Not step-free: ask the festival team for help getting in"


@dataclass(frozen=True)
class SectionIndex:
    name: str
    films: tuple[FilmEntry, ...]


def _venues(programme: Programme, rows) -> list[VenuePage]:
    pages = []
    for venue in programme.venues:
        shown = [row for row in rows if row.venue.id == venue.id and not row.cancelled]
        if not shown and not any(row.venue.id == venue.id for row in rows):
            continue
        days = tuple(dict.fromkeys(labels.short_day(row.day) for row in shown))
        pages.append(VenuePage(venue, len(shown), days))
    return pages


def _sections(letters) -> list[SectionIndex]:
    per_section: dict[str, list[FilmEntry]] = {}
    for group in letters:
        for entry in group.films:
            if entry.line.section:
                per_section.setdefault(entry.line.section, []).append(entry)
    return [
        SectionIndex(name, tuple(films))
        for name, films in sorted(per_section.items(), key=lambda item: catalogue_sort_key(item[0]))
    ]


@lru_cache(maxsize=1)
def _stylesheet() -> Markup:
    text = resources.files("app.printing").joinpath("templates/booklet.css").read_text("utf-8")
    return Markup(text)


def _page_rules(size: str, bleed: bool) -> Markup:
    """The @page size (and bleed) chosen for this print; the rest of the stylesheet is fixed."""
    extra = f" bleed: {BLEED_MM}mm; marks: crop;" if bleed else ""
    return Markup(f"@page {{ size: {SIZES[size]};{extra} }}")


def render_booklet_html(programme: Programme, *, size: str = "a5", bleed: bool = False, base_url: str = "") -> str:
    """The booklet as print HTML, for WeasyPrint."""
    if size not in SIZES:
        raise ValueError(f"unknown booklet size {size!r}; expected one of {', '.join(SIZES)}")
    rows = screening_rows(programme)
    letters = by_film(rows)
    context = common_context(programme, "booklet", "Festival programme", True, base_url)
    context.update(
        css=_stylesheet(),
        page_rules=_page_rules(size, bleed),
        size=size,
        days=by_day(rows),
        letters=letters,
        venues=_venues(programme, rows),
        sections=_sections(letters),
        screening_count=sum(not row.cancelled for row in rows),
        film_count=sum(len(group.films) for group in letters),
        online_url=f"{base_url.rstrip('/')}/festivals/{programme.festival.slug}/programme" if base_url else None,
        language_of=_language_of,
    )
    return render_template("booklet.html", context)


def _language_of(languages: Sequence[str]) -> str | None:
    """The language code to hyphenate an original title by (its film's first language)."""
    return language_code(languages[0]) if languages else None


def render_booklet_pdf(programme: Programme, *, size: str = "a5", bleed: bool = False, base_url: str = "") -> bytes:
    """The booklet as PDF, its page count a multiple of four (notes pages before the back page)."""
    from app.printing.pdf import typeset

    document = typeset(render_booklet_html(programme, size=size, bleed=bleed, base_url=base_url))
    missing = padding_pages(len(document.pages))
    if missing:
        # Notes pages are typeset on their own (same page rules) and slipped in before the
        # back page, so the contents' page numbers stay right and nothing is laid out twice.
        notes = typeset(_notes_html(size, bleed, missing))
        pages = [*document.pages[:-1], *notes.pages, document.pages[-1]]
        document = document.copy(pages)
    return document.write_pdf()


def _notes_html(size: str, bleed: bool, count: int) -> str:
    """`count` notes pages: ruled for a festival-goer's own plans, no page number."""
    context = {"css": _stylesheet(), "page_rules": _page_rules(size, bleed), "count": count, "size": size}
    return render_template("booklet_notes.html", context)
