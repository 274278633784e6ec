"""Writes first (app.http.priority): a feed poll waits for the write requests in its process,
and under writes that never end is still served once MARQUEE_WRITES_FIRST_MS has passed."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.http.priority import WritesFirst, after_writes
from app.settings import get_settings


@pytest.fixture
def most_wait(monkeypatch):
    """Set MARQUEE_WRITES_FIRST_MS for one test."""

    def set_ms(ms: int) -> None:
        monkeypatch.setenv("MARQUEE_WRITES_FIRST_MS", str(ms))
        get_settings.cache_clear()

    yield set_ms
    monkeypatch.delenv("MARQUEE_WRITES_FIRST_MS", raising=False)
    get_settings.cache_clear()


def write_until(event: asyncio.Event, method: str = "PATCH") -> asyncio.Task:
    async def write(scope, receive, send):
        await event.wait()

    return asyncio.create_task(WritesFirst(write)({"type": "http", "method": method}, None, None))


def test_a_poll_is_served_after_the_write_in_flight(most_wait):
    most_wait(1000)

    async def scenario() -> list[str]:
        order: list[str] = []
        done = asyncio.Event()
        write = write_until(done)
        await asyncio.sleep(0)
        assert WritesFirst.in_flight == 1

        async def poll():
            await after_writes()
            order.append("poll")

        waiting = asyncio.create_task(poll())
        for _ in range(20):
            await asyncio.sleep(0)
        order.append("write")
        done.set()
        await write
        await waiting
        assert WritesFirst.in_flight == 0
        await poll()  # no write in flight: served at once
        return order

    assert asyncio.run(scenario()) == ["write", "poll", "poll"]


def test_a_stream_of_writes_delays_a_poll_but_never_stops_it(most_wait):
    most_wait(10)

    async def scenario() -> int:
        never = asyncio.Event()
        write = write_until(never, "POST")
        await asyncio.sleep(0)
        await after_writes()  # returns although the write is still there
        in_flight = WritesFirst.in_flight
        never.set()
        await write
        return in_flight

    assert asyncio.run(scenario()) == 1


def test_reads_are_not_counted_as_writes():
    async def scenario() -> int:
        seen = []

        async def read(scope, receive, send):
            seen.append(WritesFirst.in_flight)

        for method in ("GET", "HEAD", "OPTIONS"):
            await WritesFirst(read)({"type": "http", "method": method}, None, None)
        await WritesFirst(read)({"type": "lifespan"}, None, None)
        return max(seen)

    assert asyncio.run(scenario()) == 0


def test_zero_serves_polls_at_once(most_wait):
    most_wait(0)

    async def scenario() -> bool:
        never = asyncio.Event()
        write = write_until(never)
        await asyncio.sleep(0)
        poll = asyncio.create_task(after_writes())
        await asyncio.sleep(0)  # one turn of the loop: enough when nothing is waited for
        served = poll.done()
        never.set()
        await write
        await poll
        return served

    assert asyncio.run(scenario()) is True


# Several workers (`marquee serve --workers N`): their polls wait for each other's writes
# through the shared board; here the other worker is a real process of its own.

OTHER_WORKER = """
import sys
from app.http.priority import WritesBoard
board = WritesBoard(sys.argv[1])
board.began()
print("began", flush=True)
sys.stdin.readline()
board.ended()
print("ended", flush=True)
"""


@pytest.fixture
def board(tmp_path, monkeypatch, most_wait):
    """A writes board as `marquee serve --workers 2` makes one, named in the environment."""
    from app.cli import _writes_board

    most_wait(1000)
    with _writes_board(2):
        path = get_settings().writes_board
        assert path and get_settings().writes_board == os.environ["MARQUEE_WRITES_BOARD"]
        yield path
    assert not os.path.exists(path), "marquee serve removes the board when it stops"
    assert "MARQUEE_WRITES_BOARD" not in os.environ


def test_a_poll_waits_for_a_write_in_another_worker_process(board):
    other = subprocess.Popen(
        [sys.executable, "-c", OTHER_WORKER, board],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        assert other.stdout.readline().strip() == "began"

        async def scenario() -> None:
            poll = asyncio.create_task(after_writes())
            await asyncio.sleep(0.1)
            assert not poll.done(), "the poll went ahead of the other process's write"
            other.stdin.write("\n")
            other.stdin.flush()
            await asyncio.wait_for(poll, 0.5)  # served once the write is answered, not at 1 s

        asyncio.run(scenario())
        assert other.stdout.readline().strip() == "ended"
    finally:
        other.kill()
        other.wait()


def test_a_write_left_on_the_board_by_a_dead_worker_stops_counting(board):
    from app.http.priority import STALE_SECONDS, WritesBoard, writes_board

    WritesBoard(board)._slots[7] = time.monotonic() - STALE_SECONDS - 1
    assert not writes_board().busy()
    asyncio.run(asyncio.wait_for(after_writes(), 0.5))  # at once, not after 1 s


def test_a_write_in_this_process_marks_the_board_until_it_is_answered(board):
    from app.http.priority import writes_board

    async def scenario() -> None:
        done = asyncio.Event()
        write = write_until(done)
        await asyncio.sleep(0)
        assert writes_board().busy()
        done.set()
        await write
        assert not writes_board().busy()

    asyncio.run(scenario())


def test_one_worker_has_no_board():
    from app.cli import _writes_board
    from app.http.priority import writes_board

    with _writes_board(1):
        assert "MARQUEE_WRITES_BOARD" not in os.environ
        assert writes_board() is None


@pytest.mark.parametrize("kind", ["missing", "short", "someone else's file"])
def test_a_board_that_is_not_marquees_is_left_alone_and_changes_nothing(tmp_path, monkeypatch, most_wait, kind):
    """MARQUEE_WRITES_BOARD set by hand (in .env, say): each process then waits for its own
    writes only, as with one worker, and writes nothing into the file."""
    from app.http.priority import _board_at, writes_board

    most_wait(1000)
    path = tmp_path / "board"
    original = {"missing": None, "short": b"\0" * 16, "someone else's file": b"SQLite format 3\0" + b"\x7f" * 600}[kind]
    if original is not None:
        path.write_bytes(original)
    monkeypatch.setenv("MARQUEE_WRITES_BOARD", str(path))
    get_settings.cache_clear()
    _board_at.cache_clear()
    try:
        assert writes_board() is None

        async def scenario() -> None:
            done = asyncio.Event()
            write = write_until(done)
            await asyncio.sleep(0)
            done.set()
            await write
            await asyncio.wait_for(after_writes(), 0.5)  # nothing in flight: at once

        asyncio.run(scenario())
        assert WritesFirst.in_flight == 0
        assert (path.read_bytes() if path.exists() else None) == original
    finally:
        monkeypatch.delenv("MARQUEE_WRITES_BOARD")
        get_settings.cache_clear()
        _board_at.cache_clear()
