"""Writes first: while a write request is in this process, feed polls wait for it (a little).

A server process is one interpreter. Under a flood of feed polls (calendar apps poll every
hour, by the thousand) a schedule edit, which a person is waiting for, gets the interpreter
only in turns with them: at each of its steps (the token check, the transaction, each query,
the answer) it queues behind the polls that are ready. So `WritesFirst` counts the write
requests (POST, PUT, PATCH, DELETE) in this process, from their arrival to their answer's last
byte, and a feed poll that arrives meanwhile first waits for them, in steps of a millisecond
that leave the interpreter to the writes, for at most `MOST_WAIT`; then it is served as usual.
A poll is never refused, and waits at most that long even under a stream of writes.
"""

from __future__ import annotations

import asyncio
import time

from starlette.types import ASGIApp, Receive, Scope, Send

MOST_WAIT = 0.05  # seconds a poll waits for writes, at most
STEP = 0.001  # seconds between looks

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class WritesFirst:
    """ASGI middleware counting the write requests in flight in this process."""

    in_flight = 0  # requests on this process's event loop: no lock needed

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        WritesFirst.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            WritesFirst.in_flight -= 1


async def after_writes() -> None:
    """Wait until no write request is in this process, or MOST_WAIT has passed."""
    if not WritesFirst.in_flight:
        return
    deadline = time.monotonic() + MOST_WAIT
    while WritesFirst.in_flight and time.monotonic() < deadline:
        await asyncio.sleep(STEP)


def install_writes_first(app) -> None:
    """Outermost, so that a write counts from its arrival (before the token check) to its answer."""
    build_stack = app.build_middleware_stack

    def build_counted_stack() -> ASGIApp:
        return WritesFirst(build_stack())

    app.build_middleware_stack = build_counted_stack
