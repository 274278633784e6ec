"""iCal feeds of the latest published version, served like a good feed server should.

A feed's bytes are made once per published version and filter (the whole-programme feed
was already rendered and stored just after publishing) and kept in a per-process cache keyed
by the version, so polls cost a small query and a dictionary lookup. Renders reuse the events
this process has rendered before (`app.services.feeds`). ETag and Last-Modified come from the
version; a matching If-None-Match or If-Modified-Since gets 304.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from app.cache import LRU, RELEASE_AFTER_BYTES
from app.calendar import (
    screenings_at_venue,
    screenings_in_section,
    screenings_of_film,
)
from app.http.conditional import Rendered, answer, unchanged_for, versioned_response
from app.http.deps import PathId
from app.http.priority import after_writes
from app.http.problems import not_found
from app.http.security import secure_start
from app.scheduling.programme import Programme, ScreeningInfo, former_section_slug, screening_title, section_slug
from app.services.feeds import published_feed, render_feed
from app.settings import get_settings
from app.store.db import database_name, read_session
from app.store.publishing import PublishedState, poll_published_state, programme_at, stored_calendar

router = APIRouter(include_in_schema=False)
CALENDAR_TYPE = "text/calendar; charset=utf-8"


_feeds: LRU[Rendered] = LRU(
    maxsize=512,
    max_bytes=lambda: get_settings().feed_cache_bytes,
    size=Rendered.nbytes,
    release_after_bytes=RELEASE_AFTER_BYTES,
)


def _narrow(programme: Programme, kind: str, key: str) -> tuple[list, str]:
    """The screenings and calendar name of a venue's, film's or section's feed (404 if none)."""
    festival = programme.festival.name
    if kind == "venue":
        venue = programme.venues_by_id.get(int(key))
        if venue is None:
            raise not_found(f"Venue {key} of festival '{programme.festival.slug}'")
        return screenings_at_venue(programme, venue.id), f"{festival}: {venue.name}"
    if kind == "film":
        film = programme.films_by_id.get(int(key))
        if film is None:
            raise not_found(f"Film {key} of festival '{programme.festival.slug}'")
        return screenings_of_film(programme, film.id), f"{festival}: {film.title}"
    if kind == "screening":
        screening = next((s for s in programme.screenings if s.id == int(key)), None)
        if screening is None:
            raise not_found(f"Screening {key} of festival '{programme.festival.slug}'")
        return [screening], f"{festival}: {screening_title(screening.title, _titles(programme, screening))}"
    sections = {former_section_slug(f.section): f.section for f in programme.films if f.section}
    sections.update({section_slug(f.section): f.section for f in programme.films if f.section})
    if key not in sections:
        raise not_found(f"Section '{key}' of festival '{programme.festival.slug}'")
    return screenings_in_section(programme, section_slug(sections[key])), f"{festival}: {sections[key]}"


def _titles(programme: Programme, screening: ScreeningInfo) -> list[str]:
    return [programme.films_by_id[i].title for i in screening.film_ids if i in programme.films_by_id]


WRITES_WAITED = "marquee.writes_waited"  # in the scope: the fast path waited for this process's writes already


def feed_key(database: str, state: PublishedState, kind: str, key: str, base_url: str) -> tuple:
    """What a feed's bytes depend on: its cache key (a publish makes a new one)."""
    return (
        database,  # ids are unique within one database only
        state.festival_id,
        state.version_id,
        state.published_at,
        state.revision if state.version_id is None else 0,
        kind,
        key,
        base_url,
    )


def feed_filename(slug: str, kind: str, key: str) -> str:
    return f"{slug}{'-' + kind + '-' + key if key else ''}.ics"


async def serve_feed(request: Request, slug: str, kind: str = "all", key: str = "") -> Response:
    """A poll costs one small query, run right here on the event loop (SQLite answers it in
    microseconds; a thread hop would cost more); rendering, once per version, runs in a thread.
    While a write request is in this process, the poll first waits for it (up to 50 ms).
    A poll whose feed is cached is answered before it gets here, by `FeedPolls`."""
    if not request.scope.get(WRITES_WAITED):
        await after_writes()  # a person's edit in this process goes first (app.http.priority)
    state = poll_published_state(slug)
    base_url = get_settings().base_url.rstrip("/")  # the events' URLs name it
    database = database_name()
    cache_key = feed_key(database, state, kind, key, base_url)
    feed = _feeds.get(cache_key)
    if feed is None and kind == "all" and state.version_id is not None and state.published_at is not None:
        # just published by this process: rendered and hashed already, no thread, no query
        mine = published_feed(database, state.version_id, state.published_at, base_url)
        if mine is not None:
            published_at = state.published_at
            feed = _feeds.get_or_make(cache_key, lambda: Rendered.of_digest(mine.body, mine.sha256, published_at))
    if feed is None:
        feed = await run_in_threadpool(
            _feeds.get_or_make, cache_key, lambda: _render_feed(state, kind, key, slug, base_url)
        )
    return versioned_response(request, feed, CALENDAR_TYPE, feed_filename(slug, kind, key))


def validators(rendered: Rendered) -> tuple:
    """What a feed's headers depend on, besides its name (and not the bytes: `Answers` must not
    keep a body the feeds' cache has let go, or the cache's byte bound would not hold)."""
    return rendered.etag, rendered.last_modified, len(rendered.body)


class Answers(NamedTuple):
    """A cached feed's two answers as `serve_feed` and `SecureResponses` make them, made once:
    the start message's headers of the 200 and of the 304."""

    validators: tuple
    ok: tuple[tuple[bytes, bytes], ...]  # tuples: every answer sends these, none may change them
    unchanged: tuple[tuple[bytes, bytes], ...]

    @classmethod
    def of(cls, rendered: Rendered, filename: str) -> Answers:
        def headers(unchanged: bool) -> tuple[tuple[bytes, bytes], ...]:
            start = {
                "type": "http.response.start",
                "headers": list(answer(rendered, CALENDAR_TYPE, filename, unchanged=unchanged).raw_headers),
            }
            secure_start(start, private=False)
            return tuple(start["headers"])

        return cls(validators(rendered), headers(False), headers(True))


_answers: LRU[Answers] = LRU(maxsize=512)  # by the feed's cache key; headers only, the body is the feed's
_FEED_PATH = re.compile(
    r"^/festivals/(?P<slug>[^/]+)/(?:(?P<kind>venue|film|section|screening)s/(?P<key>[^/]+)/)?calendar\.ics$"
)
_PASS = frozenset({b"authorization", b"content-length", b"transfer-encoding"})  # the usual way decides these


class FeedPolls:
    """The fast path of a feed poll: ASGI middleware, outside `SecureResponses` and the gate.

    A public GET or HEAD of a feed (whole programme, venue, film, section, screening) whose
    bytes this process holds for the festival's current published state is answered here with
    the bytes (or the 304) and the very headers the route and `SecureResponses` would send,
    precomputed once per cached feed (`Answers`): no routing, no dependency injection, no
    middleware layers. Everything that decides freshness is kept and done as `serve_feed` does
    it: the wait for this process's writes, then the state query (`poll_published_state`, so a
    publish by another process is seen by the next poll) and the same cache key. Anything else
    goes the usual way: a feed not cached yet (rendered there), an unknown festival (404, or
    the 308 of a former slug), a request with a token (a private answer), with a body
    (the gate's limits), under a root path, or when the state query fails (the handlers answer).
    """

    enabled = True  # tests turn it off to compare with the usual way

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or not self.enabled
            or scope["method"] not in ("GET", "HEAD")
            or scope.get("root_path")
            or not scope["path"].endswith("/calendar.ics")
        ):
            await self.app(scope, receive, send)
            return
        match = _FEED_PATH.match(scope["path"])
        if match is None:
            await self.app(scope, receive, send)
            return
        if_none_match = if_modified_since = None
        for name, value in scope["headers"]:
            if name in _PASS:
                await self.app(scope, receive, send)
                return
            if name == b"if-none-match":
                if if_none_match is None:
                    if_none_match = value.decode("latin-1")
            elif name == b"if-modified-since" and if_modified_since is None:
                if_modified_since = value.decode("latin-1")
        await after_writes()  # as serve_feed does, and only once
        scope[WRITES_WAITED] = True
        slug, kind, key = match["slug"], match["kind"] or "all", match["key"] or ""
        state = poll_published_state_or_none(slug)
        if state is None:
            await self.app(scope, receive, send)
            return
        cache_key = feed_key(database_name(), state, kind, key, get_settings().base_url.rstrip("/"))
        feed = _feeds.get(cache_key)
        if feed is None:
            await self.app(scope, receive, send)  # rendered (or found) there, then cached
            return
        answers = _answers.get(cache_key)
        if answers is None or answers.validators != validators(feed):
            answers = Answers.of(feed, feed_filename(slug, kind, key))
            _answers.put(cache_key, answers)
        if unchanged_for(if_none_match, if_modified_since, feed):
            await send({"type": "http.response.start", "status": 304, "headers": answers.unchanged})
            await send({"type": "http.response.body", "body": b""})
            return
        await send({"type": "http.response.start", "status": 200, "headers": answers.ok})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else feed.body})


def poll_published_state_or_none(slug: str) -> PublishedState | None:
    """The festival's published state; None for an unknown festival or a failed query (the route answers)."""
    try:
        return poll_published_state(slug)
    except Exception:  # noqa: BLE001 - UnknownFestival, or the database's error: asked again the usual way
        return None


def install_feed_polls(app) -> None:
    """Outside `SecureResponses` (install after `install_security`), inside `WritesFirst`."""
    build_stack = app.build_middleware_stack

    def build_with_fast_polls() -> ASGIApp:
        return FeedPolls(build_stack())

    app.build_middleware_stack = build_with_fast_polls


def _links_to(calendar: bytes, base_url: str, slug: str) -> bool:
    """Whether a stored feed was rendered for this base URL (its calendar URL names it)."""
    header = calendar.split(b"BEGIN:VTIMEZONE", 1)[0].replace(b"\r\n ", b"").replace(b"\r\n\t", b"")
    for line in header.split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.split(b";", 1)[0].upper() == b"URL":
            return value.decode("utf-8", "replace") == f"{base_url}/festivals/{slug}"
    return False


def _render_feed(state: PublishedState, kind: str, key: str, slug: str, base_url: str) -> Rendered:
    with read_session() as session:
        if kind == "all" and state.version_id is not None:  # rendered just after it was published
            stored = stored_calendar(session, state.version_id)
            if stored is not None and _links_to(stored, base_url, slug):  # else another base URL
                return Rendered.of(stored, state.published_at)
        programme = programme_at(session, state)
    last_modified = state.published_at or state.updated_at
    if kind == "all":
        return Rendered.of(render_feed(programme, base_url=base_url), last_modified)
    screenings, name = _narrow(programme, kind, key)
    return Rendered.of(render_feed(programme, screenings=screenings, name=name, base_url=base_url), last_modified)


@router.api_route("/festivals/{slug}/calendar.ics", methods=["GET", "HEAD"])
async def festival_feed(slug: str, request: Request):
    return await serve_feed(request, slug)


@router.api_route("/festivals/{slug}/venues/{venue_id}/calendar.ics", methods=["GET", "HEAD"])
async def venue_feed(slug: str, venue_id: PathId, request: Request):
    return await serve_feed(request, slug, "venue", str(venue_id))


@router.api_route("/festivals/{slug}/films/{film_id}/calendar.ics", methods=["GET", "HEAD"])
async def film_feed(slug: str, film_id: PathId, request: Request):
    return await serve_feed(request, slug, "film", str(film_id))


@router.api_route("/festivals/{slug}/sections/{section}/calendar.ics", methods=["GET", "HEAD"])
async def section_feed(slug: str, section: str, request: Request):
    return await serve_feed(request, slug, "section", section)


@router.api_route("/festivals/{slug}/screenings/{screening_id}/calendar.ics", methods=["GET", "HEAD"])
async def screening_feed(slug: str, screening_id: PathId, request: Request):
    """One screening as a calendar file, with the same UID as in every feed (adding it twice keeps one event)."""
    return await serve_feed(request, slug, "screening", str(screening_id))
