"""Writes first: while a write request is in this process, feed polls wait for it (a little).

A server process is one interpreter. Under a flood of feed polls (calendar apps poll every
hour, by the thousand) a schedule edit, which a person is waiting for, gets the interpreter
only in turns with them: at each of its steps (the token check, the transaction, each query,
the answer) it queues behind the polls that are ready. So `WritesFirst` counts the write
requests (POST, PUT, PATCH, DELETE) in this process, from their arrival to their answer's last
byte, and a feed poll that arrives meanwhile first waits for them (asleep, on an event set
when the last one is answered) for at most `MARQUEE_WRITES_FIRST_MS`; then it is served as usual. A poll is
never refused, and waits at most that long even under a stream of writes.

Several worker processes (`marquee serve --workers N`) share the machine's cores: while one
of them has a write, the others' polls take the cores from it. So `marquee serve` with more
than one worker hands them a small shared file (`MARQUEE_WRITES_BOARD`), the `WritesBoard`: a
slot per process, holding when its writes began (the system's monotonic clock, the same in
every process) or 0. A poll in a process with no write of its own waits, in steps of
`BOARD_STEP` seconds and as long as above at most, while another process's slot is busy. A
slot busy for over `STALE_SECONDS` (a worker that died mid-write) no longer counts.
"""

from __future__ import annotations

import asyncio
import logging
import mmap
import os
import time
import weakref
from functools import lru_cache

from starlette.types import ASGIApp, Receive, Scope, Send

from app.settings import get_settings

logger = logging.getLogger("marquee")

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
        board = writes_board()
        WritesFirst.in_flight += 1
        _no_writes().clear()
        if board is not None and WritesFirst.in_flight == 1:
            board.began()
        try:
            await self.app(scope, receive, send)
        finally:
            WritesFirst.in_flight -= 1
            if not WritesFirst.in_flight:
                _no_writes().set()
                if board is not None:
                    board.ended()


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
    """Wait until no write request is in this process (nor, with several workers, in another),
    or MOST_WAIT (`MARQUEE_WRITES_FIRST_MS`) has passed."""
    board = writes_board()
    if not WritesFirst.in_flight and (board is None or not board.busy()):
        return
    most = get_settings().writes_first_ms / 1000
    if not most:
        return
    if WritesFirst.in_flight:
        try:
            await asyncio.wait_for(_no_writes().wait(), most)
        except TimeoutError:
            pass  # a stream of writes delays a poll, never stops it
        return
    assert board is not None
    deadline = time.monotonic() + most
    while board.busy() and time.monotonic() < deadline:
        await asyncio.sleep(BOARD_STEP)


SLOTS = 64  # a slot per process, by pid: two workers sharing one only let their polls go early
BOARD_STEP = 0.002
STALE_SECONDS = 5.0


class WritesBoard:
    """The shared file: a header (`MAGIC`) and `SLOTS` doubles, when each process's writes
    began, or 0. A file that does not start with the header is never written to."""

    MAGIC = b"marquee writes 1"  # 16 bytes: the slots stay aligned
    SIZE = len(MAGIC) + SLOTS * 8

    def __init__(self, path: str):
        with open(path, "r+b") as file:
            if os.fstat(file.fileno()).st_size != self.SIZE or file.read(len(self.MAGIC)) != self.MAGIC:
                raise ValueError(f"{path} is not a writes board made by marquee serve")
            self._map = mmap.mmap(file.fileno(), self.SIZE)
        self._slots = memoryview(self._map)[len(self.MAGIC) :].cast("d")
        self._mine = os.getpid() % SLOTS

    @classmethod
    def create(cls, path: str) -> None:
        """A board with every slot free, at `path`."""
        with open(path, "wb") as file:
            file.write(cls.MAGIC + bytes(SLOTS * 8))

    def began(self) -> None:
        self._slots[self._mine] = time.monotonic()

    def ended(self) -> None:
        self._slots[self._mine] = 0.0

    def busy(self) -> bool:
        """Whether a process has had a write in flight for under STALE_SECONDS."""
        # this process's own slot is 0 whenever this is asked (its writes wait on the event)
        now = time.monotonic()
        return now - STALE_SECONDS < max(self._slots) <= now + 1


@lru_cache(maxsize=1)
def _board_at(path: str, pid: int) -> WritesBoard | None:
    try:
        return WritesBoard(path)
    except (OSError, ValueError) as error:
        # no board: each process's polls wait for its own writes only, as with one worker
        logger.warning("MARQUEE_WRITES_BOARD not used: %s", error)
        return None


def writes_board() -> WritesBoard | None:
    """This process's view of the shared board, if `marquee serve` made one (several workers)
    and it can be used."""
    path = get_settings().writes_board
    return _board_at(path, os.getpid()) if path else None


def install_writes_first(app) -> None:
    """Outermost, so that a write counts from its arrival (before the token check) to its answer."""
    build_stack = app.build_middleware_stack

    def build_counted_stack() -> ASGIApp:
        return WritesFirst(build_stack())

    app.build_middleware_stack = build_counted_stack
