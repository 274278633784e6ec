"""The feeds this process renders: one cache of rendered events that every feed shares, and the
whole-programme feed of the versions this process has just published (with its SHA-256), so the
first poll after a publish costs what a repeated one does.

An event's bytes are kept under everything it shows (see `app.calendar.feed.EventCache`), so the
feed of a version that changed one screening renders one event; a venue's, film's, section's or
plan's feed reuses the events the whole-programme feed rendered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from app.cache import LRU
from app.calendar import render_calendar
from app.calendar.feed import EventCache
from app.scheduling.programme import Programme, ScreeningInfo

# The events of 15,000 screenings: the 9,002 published of the memory benchmark's 10,000 take
# 9.5 MB as the cache counts them (an event is about 800 bytes, and 300 for its key and slot).
EVENT_CACHE_BYTES = 16 * 1024 * 1024
EVENTS = EventCache(max_bytes=EVENT_CACHE_BYTES)


def render_feed(
    programme: Programme,
    *,
    screenings: Iterable[ScreeningInfo] | None = None,
    name: str | None = None,
    base_url: str,
    description: str | None = None,
) -> bytes:
    """`render_calendar` with this process's event cache: the same bytes, made from what changed."""
    return render_calendar(
        programme, screenings=screenings, name=name, base_url=base_url, description=description, cache=EVENTS
    )


class PublishedFeed(NamedTuple):
    body: bytes
    sha256: str  # hex digest of `body`


# by database, version id and time, and base URL: ids are only unique within one database
_published: LRU[PublishedFeed] = LRU(maxsize=4)


def remember_published_feed(database: str, version_id: int, published_at: datetime, base_url: str, body: bytes) -> None:
    feed = PublishedFeed(body, hashlib.sha256(body).hexdigest())
    _published.get_or_make((database, version_id, published_at, base_url.rstrip("/")), lambda: feed)


def published_feed(database: str, version_id: int, published_at: datetime, base_url: str) -> PublishedFeed | None:
    """The whole-programme feed of a version this process published, while it still holds it."""
    return _published.get((database, version_id, published_at, base_url.rstrip("/")))
