"""Writes first (app.http.priority): a feed poll waits for the write requests in its process,
and under writes that never end is still served once MARQUEE_WRITES_FIRST_MS has passed."""

from __future__ import annotations

import asyncio

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
