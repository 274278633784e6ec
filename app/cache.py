"""A small thread-safe LRU for values derived from immutable things (a published version).

Keys must name everything the value depends on (version id and publication time, filter,
base URL), so every server process computes the same value and none can serve a stale one.

`get_or_make` is single-flight: while one thread makes the value for a key, other threads
asking for the same key wait for that result instead of making it again (24 simultaneous
first requests for a PDF lay it out once). A failure is not cached: the threads waiting on
that attempt get its exception, and the next caller tries again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Generic, TypeVar

V = TypeVar("V")


@dataclass
class CacheStats:
    """What the cache has done since it was made (or cleared): read by tests and benchmarks."""

    hits: int = 0  # answered from the cache
    made: int = 0  # values made (calls of `make`), failed attempts included
    waited: int = 0  # callers that waited for another thread's attempt instead of making it
    failed: int = 0  # attempts whose `make` raised


class LRU(Generic[V]):
    def __init__(self, maxsize: int = 256):
        self.maxsize = maxsize
        self.stats = CacheStats()
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._in_flight: dict[Hashable, Future[V]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.stats.hits += 1
                return self._items[key]
        return None

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        """The cached value for `key`, made by `make()` once however many threads ask at once."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.stats.hits += 1
                return self._items[key]
            flight = self._in_flight.get(key)
            leader = flight is None
            if leader:
                flight = self._in_flight[key] = Future()
                self.stats.made += 1
            else:
                self.stats.waited += 1
        if not leader:
            return flight.result()  # the leader's value, or its exception raised here too
        try:
            value = make()  # outside the lock: other keys are served meanwhile
        except BaseException as error:
            with self._lock:
                self.stats.failed += 1
                del self._in_flight[key]
            flight.set_exception(error)
            raise
        with self._lock:
            self._items[key] = value
            if len(self._items) > self.maxsize:
                self._items.popitem(last=False)
            del self._in_flight[key]
        flight.set_result(value)
        return value

    def put(self, key: Hashable, value: V) -> None:
        """Keep `value` for `key`, in place of any value it had."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            if len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget every value and reset the statistics (attempts in flight finish unhindered)."""
        with self._lock:
            self._items.clear()
            self.stats = CacheStats()
