"""Caches of rendered answers are bounded by bytes as well as by entries."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from app.cache import LRU, byte_size


def test_the_least_recently_used_go_until_the_bytes_fit():
    cache: LRU[bytes] = LRU(maxsize=100, max_bytes=10)
    cache.get_or_make("monday", lambda: b"aaaa")
    cache.get_or_make("tuesday", lambda: b"bbbb")
    cache.get("monday")  # now tuesday is the least recently used
    assert cache.get_or_make("wednesday", lambda: b"cccc") == b"cccc"
    assert (cache.get("monday"), cache.get("tuesday"), cache.get("wednesday")) == (b"aaaa", None, b"cccc")
    assert (len(cache), cache.nbytes, cache.stats.evicted) == (2, 8, 1)


def test_one_large_value_evicts_as_many_small_ones_as_it_needs():
    cache: LRU[bytes] = LRU(maxsize=100, max_bytes=10)
    for day in "abcde":
        cache.get_or_make(day, lambda: b"xx")
    cache.get_or_make("grid", lambda: b"y" * 7)
    assert [day for day in "abcde" if cache.get(day) is not None] == ["e"]
    assert (cache.nbytes, cache.stats.evicted) == (9, 4)


def test_a_value_larger_than_the_bound_is_handed_out_but_not_kept():
    cache: LRU[bytes] = LRU(maxsize=100, max_bytes=10)
    cache.get_or_make("venue", lambda: b"small")
    assert cache.get_or_make("booklet", lambda: b"p" * 11) == b"p" * 11
    assert cache.get("booklet") is None and cache.get("venue") == b"small"
    assert (cache.nbytes, cache.stats.oversized, cache.stats.evicted) == (5, 1, 0)
    assert cache.get_or_make("booklet", lambda: b"q" * 11) == b"q" * 11  # made again: it was never kept
    assert cache.stats.made == 3


def test_the_entry_bound_still_holds_under_a_byte_bound():
    cache: LRU[bytes] = LRU(maxsize=2, max_bytes=1000)
    for key in "abc":
        cache.get_or_make(key, lambda key=key: key.encode())
    assert (cache.get("a"), len(cache), cache.nbytes) == (None, 2, 2)


def test_the_size_function_measures_what_a_value_holds():
    cache: LRU[dict] = LRU(maxsize=100, max_bytes=5, size=len)
    cache.get_or_make("a", lambda: {1: 1, 2: 2, 3: 3})
    cache.get_or_make("b", lambda: {1: 1, 2: 2, 3: 3})
    assert (cache.get("a"), len(cache), cache.nbytes) == (None, 1, 3)


def test_a_bound_given_as_a_function_is_read_at_each_insert():
    bound = 10
    cache: LRU[bytes] = LRU(maxsize=100, max_bytes=lambda: bound)
    cache.get_or_make("a", lambda: b"12345678")
    bound = 4  # say, the setting was changed
    cache.get_or_make("b", lambda: b"123")
    assert (cache.get("a"), cache.get("b"), cache.nbytes) == (None, b"123", 3)


def test_a_zero_bound_keeps_nothing():
    cache: LRU[bytes] = LRU(max_bytes=0)
    assert cache.get_or_make("a", lambda: b"x") == b"x"
    assert (len(cache), cache.nbytes, cache.stats.oversized) == (0, 0, 1)


def test_clear_forgets_the_bytes_too():
    cache: LRU[bytes] = LRU(max_bytes=100)
    cache.get_or_make("a", lambda: b"x" * 40)
    cache.clear()
    assert (len(cache), cache.nbytes) == (0, 0)
    for key in "bc":
        cache.get_or_make(key, lambda: b"y" * 50)
    assert (len(cache), cache.nbytes, cache.stats.evicted) == (2, 100, 0)


def test_strings_weigh_what_they_hold_in_memory():
    ascii_page, quoted_page = "a" * 1000, "“" + "a" * 999  # one wide character makes every character wide
    assert byte_size(b"a" * 1000) == 1000
    assert 1000 <= byte_size(ascii_page) < 1100
    assert 2000 <= byte_size(quoted_page) < 2100
    assert byte_size(quoted_page.encode()) == 1002  # why the page cache keeps UTF-8
    with pytest.raises(TypeError):
        byte_size(object())


def test_waiters_get_an_oversized_value_made_once():
    cache: LRU[bytes] = LRU(max_bytes=10)
    everyone_waits, calls = threading.Event(), []

    def make() -> bytes:
        calls.append(1)
        everyone_waits.wait(timeout=30)
        return b"a PDF longer than the bound"

    def ask(_) -> bytes:
        return cache.get_or_make("programme.pdf", make)

    with ThreadPoolExecutor(8) as pool:
        answers = [pool.submit(ask, n) for n in range(8)]
        for _ in range(3000):  # until the seven others wait on the first one's attempt
            if cache.stats.waited == 7:
                break
            threading.Event().wait(0.01)
        everyone_waits.set()
        values = [answer.result() for answer in answers]
    assert values == [b"a PDF longer than the bound"] * 8 and len(calls) == 1
    assert (cache.stats.made, cache.stats.waited, cache.stats.oversized, len(cache)) == (1, 7, 1, 0)


def test_the_bounds_are_settings(api, client, monkeypatch):
    from app.settings import get_settings
    from app.web.programme import _prints
    from app.web.public import _pages

    api.festival()
    venue, film = api.venue(), api.film()
    api.screening(venue["id"], [film["id"]], "2021-11-19T20:00", status="confirmed")
    api.post(f"/api/festivals/{api.slug}/publish", {})
    monkeypatch.setenv("MARQUEE_PRINT_CACHE_BYTES", "0")
    get_settings.cache_clear()
    try:
        made = _prints.stats.made
        first, again = (client.get(f"/festivals/{api.slug}/programme.csv") for _ in range(2))
        assert first.status_code == again.status_code == 200 and first.content == again.content
        assert _prints.stats.made - made == 2  # nothing kept: made for each request
        page = client.get(f"/festivals/{api.slug}/films/{film['id']}")
        assert page.status_code == 200 and film["title"] in page.text
        assert next(reversed(_pages._items.values())) == page.content  # pages are kept as UTF-8 bytes
    finally:
        monkeypatch.delenv("MARQUEE_PRINT_CACHE_BYTES")
        get_settings.cache_clear()


def test_freed_memory_is_handed_back_by_one_thread_however_often_it_is_asked():
    from app.memory import release_freed_memory, release_freed_memory_soon

    release_freed_memory()
    for _ in range(5):
        release_freed_memory_soon()
    assert sum(thread.name == "marquee-malloc-trim" for thread in threading.enumerate()) <= 1
