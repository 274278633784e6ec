"""Render a published programme (or a narrower slice of it) as an iCalendar feed.

Pure: everything time-like comes from the Programme, so the same Programme gives the same bytes
(and the same ETag) until the next publish. The rules are DESIGN.md's "Feeds" paragraph.

An `EventCache` passed to `render_calendar` keeps each event's bytes under everything the event
shows (the screening, its films and venue, the festival's slugs, city and zone, the base URL),
so a render after a one-screening change renders one event and copies the rest; the bytes are
the same with or without it. DTSTAMP (the version's publication time, on every event) is kept
out of the cached bytes and written in between.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable, Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from operator import itemgetter
from typing import NamedTuple

from icalendar import Calendar, vDuration, vText

from app.calendar.contentline import (
    CRLF,
    LINE_OCTETS,
    compact,
    date_time_line,
    escape_text,
    fold,
    fold_text,
    is_ambiguous,
    utc_stamp,
)
from app.calendar.description import CANCELLED, extras_text, films_text, screening_description
from app.calendar.vtimezone import build_vtimezone
from app.scheduling.fields import ScreeningStatus
from app.scheduling.programme import (
    FilmInfo,
    Programme,
    ScreeningInfo,
    VenueInfo,
    screening_title,
)
from app.scheduling.publishing import FILM_SHOWN, VENUE_SHOWN
from app.scheduling.times import wall_clock_label, zone_label

PRODID = "-//Marquee//Festival programme//EN"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
REFRESH_INTERVAL = timedelta(hours=1)
# Feeds show what the public may see: a published snapshot holds only these two.
EVENT_STATUS = {ScreeningStatus.CONFIRMED: "CONFIRMED", ScreeningStatus.CANCELLED: "CANCELLED"}


def screening_uid(screening_id: int, festival_slug: str) -> str:
    """The event's UID: the screening's id and the festival's *first* slug
    (`FestivalInfo.calendar_slug`), nothing that a programmer can edit or rename."""
    return f"screening-{screening_id}@{festival_slug}.marquee"


def main_film(films: list[FilmInfo]) -> FilmInfo | None:
    """The film an event links to: the longest (the feature after a short), first on a tie."""
    return max(films, key=lambda film: film.runtime_minutes, default=None)


def feed_screenings(programme: Programme, screenings: Iterable[ScreeningInfo] | None = None) -> list[ScreeningInfo]:
    """The screenings a feed shows, by start then id; none before the first publish."""
    return _feed_screenings(programme, screenings)[0]


def _feed_screenings(
    programme: Programme, screenings: Iterable[ScreeningInfo] | None
) -> tuple[list[ScreeningInfo], list[dict]]:
    """`feed_screenings`, and each one's fields (its `__dict__`: read once, for pydantic's
    attribute access costs three times as much, and a render reads every screening's)."""
    if programme.published_at is None:
        return [], []
    chosen = programme.screenings if screenings is None else screenings
    listed = chosen if isinstance(chosen, Sequence) else list(chosen)
    # no (screening, fields) pair per screening: every tuple a render keeps counts towards a
    # garbage collection, and at 5,000 screenings they added up to a full one now and then
    unique = {fields["id"]: s for s in reversed(listed) if (fields := s.__dict__)["status"] in EVENT_STATUS}
    by_id = [unique[i] for i in sorted(unique)]
    by_id_rows = [s.__dict__ for s in by_id]
    # then by start, stably: the order of (start, id) without a key tuple per screening
    starts = [fields["starts_at"] for fields in by_id_rows]
    order = sorted(range(len(by_id)), key=starts.__getitem__)
    return [by_id[i] for i in order], [by_id_rows[i] for i in order]


def _calendar_description(programme: Programme) -> str:
    festival = programme.festival
    where = f" in {festival.city}" if festival.city else ""
    dates = f"{festival.starts_on.isoformat()} to {festival.ends_on.isoformat()}"
    if programme.published_at is None:
        return f"{festival.name}{where}, {dates}. The programme has not been published yet."
    return f"{festival.name}{where}, {dates}. Published programme, version {programme.version}."


def _header(programme: Programme, years: tuple[int, int], name: str, description: str, base_url: str) -> bytes:
    """BEGIN:VCALENDAR, the calendar's properties and its VTIMEZONE, written by icalendar."""
    festival = programme.festival
    cal = Calendar()
    cal.add("PRODID", PRODID)
    cal.add("VERSION", "2.0")
    cal.add("CALSCALE", "GREGORIAN")
    # icalendar 7 types NAME, X-WR-CALNAME and X-WR-CALDESC as UNKNOWN and would write their
    # commas and semicolons unescaped: give them as TEXT.
    for prop, text in (
        ("NAME", name),
        ("X-WR-CALNAME", name),
        ("DESCRIPTION", description),
        ("X-WR-CALDESC", description),
        ("X-WR-TIMEZONE", festival.timezone),
    ):
        cal.add(prop, vText(_one_line(text)))
    cal.add("URL", f"{base_url}/festivals/{festival.slug}")
    # icalendar writes REFRESH-INTERVAL without VALUE=DURATION (RFC 7986 requires it) and a
    # timedelta X-PUBLISHED-TTL as "1:00:00": give both as explicit durations.
    cal.add("REFRESH-INTERVAL", vDuration(REFRESH_INTERVAL), parameters={"VALUE": "DURATION"})
    cal.add("X-PUBLISHED-TTL", vDuration(REFRESH_INTERVAL))
    if programme.published_at is not None:
        cal.add("LAST-MODIFIED", programme.published_at)

    first, last = years
    # the VTIMEZONE, then the events (written by contentline.py), then END:VCALENDAR again
    return cal.to_ical().removesuffix(b"END:VCALENDAR" + CRLF) + _vtimezone(
        festival.timezone, first, last, festival.starts_on.year
    )


@lru_cache(maxsize=64)
def _vtimezone(zone_key: str, first_year: int, last_year: int, basis_year: int) -> bytes:
    """The VTIMEZONE component's bytes (icalendar writes a calendar's components one after another)."""
    return build_vtimezone(zone_key, first_year, last_year, basis_year).to_ical()


def _years(programme: Programme, first_start: datetime | None, last_end: datetime | None) -> tuple[int, int]:
    """The first and last year (on the festival's clocks) the festival and its screenings touch.

    A local year only grows with the instant, so the first start and the last end decide."""
    festival = programme.festival
    years = [festival.starts_on.year, festival.ends_on.year]
    for moment in (first_start, last_end):
        if moment is not None:
            years.append(moment.astimezone(festival.zone).year)
    return min(years), max(years)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _decimal(value: float) -> str:
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _line(text: str) -> str:
    """One content line, folded, with its CRLF."""
    return fold_text(text) + "\r\n"


class _Films(NamedTuple):
    """What every event of one set of films says alike, in one calendar.

    Text only, no list of the films: a render keeps one per set of films (at 5,000 screenings of
    a film each, 5,000), and a tuple of strings is left alone by the garbage collector once it
    has seen it, where a list is looked at again on every collection."""

    titles: str  # the SUMMARY of a screening without its own title
    text_joins: (
        bool  # their DESCRIPTION block (`films_text`) may be escaped apart from what follows it (no CR at its end)
    )
    lines: str  # CATEGORIES and URL, folded
    summary: str  # the SUMMARY line of a screening without its own title, folded
    description: str  # "DESCRIPTION:", the films' block escaped and the break after it: the line's start


class _EventWriter:
    """Writes the events of one calendar. What events share is worked out once per render, not
    once per event: the festival's zone and UID, each venue's LOCATION and GEO, and each set of
    films' title, DESCRIPTION block, CATEGORIES and URL.

    An event is put together as text and encoded once: its lines are folded as text
    (`fold_text`), which for ASCII, the usual case, needs no encoding to count octets."""

    def __init__(self, programme: Programme, base_url: str):
        festival = programme.festival
        published_at = programme.published_at
        assert published_at is not None  # feed_screenings shows none before the first publish
        self.festival = festival
        self.zone = festival.zone
        # DTSTART;TZID=...:20211026T200000 is short enough to need no fold for any real zone name
        key = self.zone.key
        self.tzid = f";TZID={key}:" if len(key) <= LINE_OCTETS - 29 and key.isascii() else None
        self.uid = ("BEGIN:VEVENT\r\nUID:screening-", f"@{festival.calendar_slug}.marquee\r\n")
        self.film_url = f"URL:{base_url}/festivals/{festival.slug}/films/"
        self.published_stamp = utc_stamp(published_at)
        self.films_by_id = programme.films_by_id
        self.venues_by_id = programme.venues_by_id
        self.venues: dict[int, tuple[VenueInfo | None, str]] = {}
        self.films: dict[tuple[int, ...], _Films] = {}
        self.times: dict[tuple, tuple[str, str]] = {}

    def venue_of(self, venue_id: int) -> tuple[VenueInfo | None, str]:
        """The venue (None for one the version lacks) and its LOCATION and GEO, folded."""
        venue = self.venues_by_id.get(venue_id)
        lines = ""
        if venue is not None:
            location = ", ".join(part for part in (venue.name, venue.address) if part)
            if location:
                lines = _line(f"LOCATION:{escape_text(location)}")
            if venue.latitude is not None and venue.longitude is not None:
                lines += _line(f"GEO:{_decimal(venue.latitude)};{_decimal(venue.longitude)}")
        known = self.venues[venue_id] = (venue, lines)
        return known

    def films_of(self, film_ids: tuple[int, ...]) -> _Films:
        by_id = self.films_by_id
        films = [by_id[i] for i in film_ids if i in by_id]
        text = films_text(films, self.festival)
        if len(films) == 1:  # the usual screening: its film's title, section and link
            fields = films[0].__dict__
            section = fields["section"]
            titles = fields["title"]
            lines = _line(f"CATEGORIES:{escape_text(section)}") if section else ""
            lines += _line(f"{self.film_url}{fields['id']}")
        else:
            titles = screening_title(None, [film.title for film in films])
            sections = dict.fromkeys(film.section for film in films if film.section)
            lines = _line("CATEGORIES:" + ",".join(escape_text(section) for section in sections)) if sections else ""
            film = main_film(films)
            if film is not None:
                lines += _line(f"{self.film_url}{film.id}")
        joins, text = not text.endswith("\r"), escape_text(text)
        # tuple.__new__: a NamedTuple's own __new__ is a Python call, once per film here
        known = self.films[film_ids] = tuple.__new__(
            _Films,
            (
                titles,
                joins,
                lines,
                _line(f"SUMMARY:{escape_text(titles)}"),
                f"DESCRIPTION:{text}\\n\\n" if films else "DESCRIPTION:",
            ),
        )
        return known

    def when(self, value: datetime) -> tuple[str, str]:
        """A DTSTART's or DTEND's line after its name (see `date_time_line`) and the time as
        `wall_clock_label` says it; once per time a render meets (screenings share times)."""
        # one tzinfo, one wall-clock time and fold: one instant (a key that hashes no aware
        # datetime, which would ask the zone for the offset on every look-up)
        key = (value.toordinal(), value.time(), value.fold, value.tzinfo)
        known = self.times.get(key)
        if known is None:
            local = value.astimezone(self.zone)
            iso = local.isoformat()
            if is_ambiguous(local):
                known = (f":{utc_stamp(value)}", f"{iso[11:16]} {zone_label(local)}")
            elif local.year >= 1000:  # as `compact`, from the one isoformat
                known = (f"{self.tzid}{iso[:19].replace('-', '').replace(':', '')}", iso[11:16])
            else:
                known = (f"{self.tzid}{compact(local)}", iso[11:16])
            self.times[key] = known
        return known

    def event(self, screening: ScreeningInfo) -> tuple[bytes, bytes]:
        """The event's folded lines, split where its DTSTAMP goes: (BEGIN and UID, the rest)."""
        fields = screening.__dict__
        film_ids = fields["film_ids"]
        shared = self.films.get(film_ids) or self.films_of(film_ids)
        venue_id = fields["venue_id"]
        venue, location = self.venues.get(venue_id) or self.venue_of(venue_id)
        status = fields["status"]
        cancelled = status == ScreeningStatus.CANCELLED

        uid = f"{self.uid[0]}{fields['id']}{self.uid[1]}"
        head = uid.encode() if len(uid) <= 16 + LINE_OCTETS and uid.isascii() else _long_uid(uid)
        if self.tzid is None:  # a zone name too long for one line: each folded
            zone, starts_at, ends_at = self.zone, fields["starts_at"], fields["ends_at"]
            times = _line(date_time_line("DTSTART", starts_at, zone)) + _line(date_time_line("DTEND", ends_at, zone))
            ends_label = wall_clock_label(ends_at, zone)
        else:
            starts = self.when(fields["starts_at"])[0]
            ends, ends_label = self.when(fields["ends_at"])
            times = f"DTSTART{starts}\r\nDTEND{ends}\r\n"
        title = fields["title"]
        if cancelled:
            summary = _line(f"SUMMARY:{escape_text('Cancelled: ' + (title or shared.titles))}")
        else:
            summary = _line(f"SUMMARY:{escape_text(title)}") if title else shared.summary
        extras = extras_text(screening, venue, self.festival, ends_label)
        if shared.text_joins and not extras.endswith("\r"):
            # TEXT escapes piece by piece: only a CR before the joining line break would differ
            if cancelled:
                description = f"DESCRIPTION:{DESCRIPTION_CANCELLED}\\n\\n{shared.description[12:]}"
            else:
                description = shared.description
            description += escape_text(extras)
            notes = fields["notes"]
            if notes:
                description += f"\\n\\n{escape_text(notes.strip())}"
        else:
            by_id = self.films_by_id
            films = [by_id[i] for i in film_ids if i in by_id]
            description = "DESCRIPTION:" + escape_text(screening_description(screening, films, venue, self.festival))
        modified = fields["last_modified_at"]
        sequence = f"SEQUENCE:{fields['sequence']}"
        if len(sequence) > LINE_OCTETS:  # a number of 66 digits
            sequence = fold_text(sequence)
        tail = (
            f"{times}{summary}{location}{fold_text(description)}\r\n"
            f"{shared.lines}{sequence}\r\n"
            f"LAST-MODIFIED:{self.published_stamp if modified is None else utc_stamp(modified)}\r\n"
            f"{_EVENT_END[status]}"
        )
        return head, tail.encode()


DESCRIPTION_CANCELLED = escape_text(CANCELLED)
# STATUS, TRANSP and END: a cancelled screening stays in view but no longer blocks its attendee's time
_EVENT_END = {
    status: f"STATUS:{name}\r\nTRANSP:{'TRANSPARENT' if status == ScreeningStatus.CANCELLED else 'OPAQUE'}\r\n"
    "END:VEVENT\r\n"
    for status, name in EVENT_STATUS.items()
}


def _long_uid(begin_and_uid: str) -> bytes:
    begin, uid = begin_and_uid.split("\r\n", 1)
    return begin.encode() + CRLF + fold(uid.removesuffix("\r\n")) + CRLF


# What an event shows of its films and venue (the fields publishing compares versions by), and so
# what its cached bytes are kept under (with the screening's every field and the calendar's
# `_context`). The tests change every field of every value one at a time and compare a render
# from a warm cache with a fresh one: a field read by `_EventWriter` but missing there fails them.
_FILM_SHOWN = itemgetter(*FILM_SHOWN)
_VENUE_SHOWN = itemgetter(*VENUE_SHOWN)


def _context(programme: Programme, base_url: str) -> tuple:
    """What every event of a calendar shows of the festival, and the address its links name."""
    festival = programme.festival
    return (festival.calendar_slug, festival.slug, festival.city, festival.timezone, base_url)


class EventCache:
    """Rendered events, each kept with everything it shows; least recently used first out,
    bounded by bytes. Thread-safe.

    An event is kept in its screening's slot (the calendar's context and the screening's id)
    with its key (everything it shows); a render takes it if its key is equal, which compares
    (and never hashes) the screening's values, and renders it again otherwise. A value is the
    event's bytes in two pieces (see `_EventWriter.event`); its size counts them and a fixed
    allowance for its key. Films, venues and the calendar's context enter keys as small numbers
    handed out here (`tokens`), so that a render looks at each film once, not once per
    screening; a number is never handed out twice.
    """

    ENTRY_OVERHEAD = 300  # bytes: the key's tuple and the dictionary's slot, roughly
    MAX_TOKENS = 100_000

    def __init__(self, max_bytes: int = 32 * 1024 * 1024):
        self.max_bytes = max_bytes
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[tuple[int, int], tuple[tuple, bytes, bytes]] = OrderedDict()
        self._tokens: dict[Hashable, int] = {}
        self._next_token = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def tokens(self, values: dict[int, Hashable]) -> dict[int, int]:
        """A number for each value (by its id): the same number for an equal value, every time."""
        with self._lock:
            if len(self._tokens) + len(values) > self.MAX_TOKENS:
                self._tokens.clear()  # events keyed by the old numbers are not found again and age out
            found = {}
            for name, value in values.items():
                token = self._tokens.get(value)
                if token is None:
                    token = self._tokens[value] = self._next_token
                    self._next_token += 1
                found[name] = token
            return found

    def find(
        self,
        context: int,
        rows: Sequence[dict],
        films: dict[int, int],
        venues: dict[int, int],
        published_at: datetime,
        stamp: bytes,
    ) -> tuple[list[bytes], list[tuple[int, tuple]]]:
        """Each screening's event (`rows`: the screenings' fields, their `__dict__`) kept under
        the key it has now, as its head, `stamp` and its tail (three Nones where there is none),
        and the position and key of each one missing.
        `films` and `venues` are their `tokens`, and `context` the calendar's; `published_at` is
        LAST-MODIFIED for a screening without its own.

        One pass, under the lock: a key is made from values at hand (the screening's fields in
        one tuple) and compared at once, as the render of a version after a one-screening change
        does for every screening but one."""
        parts: list = []
        missing: list[tuple[int, tuple]] = []
        fallback = (published_at, published_at.fold)
        absent = (None, None, None)
        with self._lock:
            get, move_to_end, add = self._items.get, self._items.move_to_end, parts.extend
            for index, fields in enumerate(rows):
                film_ids = fields["film_ids"]
                modified = fields["last_modified_at"]
                key = (
                    # Every field: its times as they are, for datetimes compare by instant, but by
                    # wall-clock time alone when they share a tzinfo, so with their folds too.
                    tuple(fields.values()),
                    fields["starts_at"].fold,
                    fields["ends_at"].fold,
                    fallback if modified is None else modified.fold,  # LAST-MODIFIED's
                    films.get(film_ids[0]) if len(film_ids) == 1 else tuple([films.get(i) for i in film_ids]),
                    venues.get(fields["venue_id"]),
                )
                slot = (context, fields["id"])
                entry = get(slot)
                if entry is not None and entry[0] == key:
                    move_to_end(slot)
                    add((entry[1], stamp, entry[2]))
                else:
                    add(absent)
                    missing.append((index, key))
            self.misses += len(missing)
            self.hits += len(rows) - len(missing)
        return parts, missing

    def put_many(self, entries: Sequence[tuple[tuple[int, int], tuple, tuple[bytes, bytes]]]) -> None:
        """Keep each (slot, key, event), in place of what the slot held."""
        overhead = self.ENTRY_OVERHEAD
        with self._lock:
            for slot, key, event in entries:
                old = self._items.pop(slot, None)
                if old is not None:
                    self.bytes -= len(old[1]) + len(old[2]) + overhead
                self._items[slot] = (key, *event)
                self.bytes += len(event[0]) + len(event[1]) + overhead
            while self.bytes > self.max_bytes and self._items:
                _, gone = self._items.popitem(last=False)
                self.bytes -= len(gone[1]) + len(gone[2]) + overhead

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._tokens.clear()
            self.bytes = self.hits = self.misses = 0


_ENDS_AT = itemgetter("ends_at")


def _events(
    programme: Programme, chosen: list[ScreeningInfo], rows: list[dict], base_url: str, cache: EventCache | None
) -> tuple[list[bytes], datetime]:
    """Every chosen screening's event, as pieces of bytes (from `cache` where it holds them), and
    the last end (`chosen` is not empty)."""
    published_at = programme.published_at
    assert published_at is not None  # feed_screenings shows none before the first publish
    stamp = fold(f"DTSTAMP:{utc_stamp(published_at)}") + CRLF
    writer = _EventWriter(programme, base_url)
    last_end = max(map(_ENDS_AT, rows))
    if cache is None:
        parts: list[bytes] = []
        for screening in chosen:
            head, tail = writer.event(screening)
            parts += (head, stamp, tail)
        return parts, last_end
    films = cache.tokens({film.id: _FILM_SHOWN(film.__dict__) for film in programme.films})
    venues = cache.tokens({venue.id: _VENUE_SHOWN(venue.__dict__) for venue in programme.venues})
    context = cache.tokens({0: _context(programme, base_url)})[0]
    parts, missing = cache.find(context, rows, films, venues, published_at, stamp)
    made = []
    for index, key in missing:
        screening = chosen[index]
        event = writer.event(screening)
        parts[3 * index : 3 * index + 3] = (event[0], stamp, event[1])
        made.append(((context, screening.id), key, event))
    if made:
        cache.put_many(made)
    return parts, last_end


def render_calendar(
    programme: Programme,
    *,
    screenings: Iterable[ScreeningInfo] | None = None,
    name: str | None = None,
    base_url: str = DEFAULT_BASE_URL,
    description: str | None = None,
    cache: EventCache | None = None,
) -> bytes:
    """The iCalendar feed of a published programme, or of the `screenings` chosen from it.

    With a `cache`, events already rendered (for this or any other calendar) are reused."""
    base_url = base_url.rstrip("/")
    chosen, rows = _feed_screenings(programme, screenings)
    name = name or programme.festival.name
    description = description or _calendar_description(programme)
    events, last_end = _events(programme, chosen, rows, base_url, cache) if chosen else ([], None)
    years = _years(programme, chosen[0].starts_at if chosen else None, last_end)
    header = _header(programme, years, name, description, base_url)
    return b"".join([header, *events, b"END:VCALENDAR" + CRLF])
