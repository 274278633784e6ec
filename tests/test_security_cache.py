"""Single-flight renders: many simultaneous first requests make a value once."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import httpx
import pytest
import uvicorn

from app.cache import LRU
from tests.server import free_port


def test_simultaneous_callers_of_one_key_make_it_once():
    cache: LRU[object] = LRU()
    calls = 0
    start = threading.Barrier(24)

    def make() -> object:
        nonlocal calls
        calls += 1
        time.sleep(0.3)  # long enough that every other caller arrives meanwhile
        return object()

    def ask(_):
        start.wait()
        return cache.get_or_make("programme.pdf", make)

    with ThreadPoolExecutor(24) as pool:
        values = list(pool.map(ask, range(24)))
    assert calls == 1
    assert all(value is values[0] for value in values)
    assert (cache.stats.made, cache.stats.waited + cache.stats.hits) == (1, 23)
    assert cache.get_or_make("programme.pdf", make) is values[0] and calls == 1


def test_a_failure_is_shared_with_the_waiters_not_cached_and_the_next_caller_retries():
    cache: LRU[str] = LRU()
    calls = 0
    start = threading.Barrier(8)

    def fail() -> str:
        nonlocal calls
        calls += 1
        time.sleep(0.3)
        raise RuntimeError("Pango is missing")

    def ask(_):
        start.wait()
        try:
            return cache.get_or_make("pdf", fail)
        except RuntimeError as error:
            return error

    with ThreadPoolExecutor(8) as pool:
        outcomes = list(pool.map(ask, range(8)))
    assert calls == 1
    assert all(isinstance(outcome, RuntimeError) for outcome in outcomes)
    assert cache.stats.failed == 1
    assert cache.get("pdf") is None
    assert cache.get_or_make("pdf", lambda: "rendered") == "rendered"  # the next caller tries again
    assert cache.get_or_make("pdf", fail) == "rendered" and calls == 1


def test_different_keys_are_made_at_the_same_time():
    cache: LRU[str] = LRU()
    both_inside = threading.Barrier(2, timeout=5)  # would time out if one key waited for the other

    def make(key: str):
        def inner() -> str:
            both_inside.wait()
            return key

        return inner

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(lambda key: cache.get_or_make(key, make(key)), ["day", "grid"]))
    assert results == ["day", "grid"]


def test_the_lru_still_evicts_the_least_recently_used():
    cache: LRU[int] = LRU(maxsize=2)
    cache.get_or_make("a", lambda: 1)
    cache.get_or_make("b", lambda: 2)
    cache.get("a")
    cache.get_or_make("c", lambda: 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)
    cache.clear()
    assert cache.get("a") is None and cache.stats.made == 0


@contextmanager
def serving_in_this_process() -> Iterator[str]:
    """The app under uvicorn on a real socket, in a thread, so the test can read its caches."""
    from app.main import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@pytest.mark.parametrize("view", ["day", "grid"])
def test_simultaneous_first_requests_for_a_pdf_render_it_once_over_http(api, view):
    from app.web.programme import _prints

    api.festival()
    venue = api.venue()
    for day in (17, 18, 19):
        film = api.film(title=f"Film of the {day}th")
        api.screening(venue["id"], [film["id"]], f"2021-11-{day}T20:00", status="confirmed")
    api.post(f"/api/festivals/{api.slug}/publish", {})
    with serving_in_this_process() as base:
        made, start = _prints.stats.made, threading.Barrier(24)

        def fetch(_) -> httpx.Response:
            start.wait()
            return httpx.get(f"{base}/festivals/{api.slug}/programme.pdf?by={view}", timeout=120)

        with ThreadPoolExecutor(24) as pool:
            responses = list(pool.map(fetch, range(24)))
        assert [r.status_code for r in responses] == [200] * 24
        assert len({r.content for r in responses}) == 1 and responses[0].content.startswith(b"%PDF")
        assert _prints.stats.made - made == 1  # one render for 24 requests
