"""The feeds this process renders: one cache of rendered events that every feed shares.

An event's bytes are kept under everything it shows (see `app.calendar.feed.EventCache`), so the
feed of a version that changed one screening renders one event; a venue's, film's, section's or
plan's feed reuses the events the whole-programme feed rendered.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.calendar import render_calendar
from app.calendar.feed import EventCache
from app.scheduling.programme import Programme, ScreeningInfo

# About two whole programmes of 10,000 screenings' events (an event is about a kilobyte).
EVENT_CACHE_BYTES = 24 * 1024 * 1024
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
