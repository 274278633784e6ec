"""Writes first: while a write request is in this process, feed polls wait for it (a little).

A server process is one interpreter. Under a flood of feed polls (calendar apps poll every
hour, by the thousand) a schedule edit, which a person is waiting for, gets the interpreter
only in turns with them: at each of its steps (the token check, the transaction, each query,
the answer) it queues behind the polls that are ready. So `WritesFirst` counts the write
requests (POST, PUT, PATCH, DELETE) in this process, from their arrival to their answer's last
byte, and a feed poll that arrives meanwhile first waits for them (asleep, on an event set
when the last one is answered) for at most `MARQUEE_WRITES_FIRST_MS`; then it is served as usual. A poll is
never refused, and waits at most that long even under a stream of writes.
"""

from __future__ import annotations

import asyncio
import weakref

from starlette.types import ASGIApp, Receive, Scope, Send

from app.settings import get_settings

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class WritesFirst:
    """ASGI middleware counting the write requests in flight in this process."""

    in_flight = 0  # changed on the event loop only: no lock needed

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        WritesFirst.in_flight += 1
        _no_writes().clear()
        try:
            await self.app(scope, receive, send)
        finally:
            WritesFirst.in_flight -= 1
            if not WritesFirst.in_flight:
                _no_writes().set()


# set while no write request is in flight; one per event loop (a test client runs its own)
_events: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Event] = weakref.WeakKeyDictionary()


def _no_writes() -> asyncio.Event:
    loop = asyncio.get_running_loop()
    event = _events.get(loop)
    if event is None:
        event = _events[loop] = asyncio.Event()
        if not WritesFirst.in_flight:
            event.set()
    return event


async def after_writes() -> None:
    """Wait until no write request is in this process, or MOST_WAIT (`MARQUEE_WRITES_FIRST_MS`) has passed."""
    if not WritesFirst.in_flight:
        return
    most = get_settings().writes_first_ms / 1000
    if not most:
        return
    try:
        await asyncio.wait_for(_no_writes().wait(), most)
    except TimeoutError:
        pass  # a stream of writes delays a poll, never stops it


def install_writes_first(app) -> None:
    """Outermost, so that a write counts from its arrival (before the token check) to its answer."""
    build_stack = app.build_middleware_stack

    def build_counted_stack() -> ASGIApp:
        return WritesFirst(build_stack())

    app.build_middleware_stack = build_counted_stack
