"""A small thread-safe LRU for values derived from immutable things (a published version).

Keys must name everything the value depends on (version id and publication time, filter,
base URL), so every server process computes the same value and none can serve a stale one.

`get_or_make` is single-flight: while one thread makes the value for a key, other threads
asking for the same key wait for that result instead of making it again (24 simultaneous
first requests for a PDF lay it out once). A failure is not cached: the threads waiting on
that attempt get its exception, and the next caller tries again.

A cache is bounded by its number of entries (`maxsize`) and, where it holds rendered bytes,
by their total size (`max_bytes`, measured by `size`): the least recently used values go
first until both bounds hold. A value larger than the whole byte bound is handed to its
callers but not kept (`stats.oversized`). With `release_after_bytes`, making a value at least
that large is followed by `release_freed_memory_soon` (what making it took goes back to the
system, on a thread of its own).
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Generic, TypeVar

from app.memory import release_freed_memory_soon

V = TypeVar("V")
RELEASE_AFTER_BYTES = 256 * 1024  # renders this large leave megabytes of garbage behind


@dataclass
class CacheStats:
    """What the cache has done since it was made (or cleared): read by tests and benchmarks."""

    hits: int = 0  # answered from the cache
    made: int = 0  # values made (calls of `make`), failed attempts included
    waited: int = 0  # callers that waited for another thread's attempt instead of making it
    failed: int = 0  # attempts whose `make` raised
    evicted: int = 0  # values dropped to keep within `maxsize` and `max_bytes`
    oversized: int = 0  # values larger than `max_bytes` on their own: handed out, never kept


def byte_size(value: object) -> int:
    """The bytes a rendering holds: the length of bytes, the size in memory of a str."""
    if isinstance(value, bytes | bytearray | memoryview):
        return len(value)
    if isinstance(value, str):
        return sys.getsizeof(value)  # 1, 2 or 4 bytes a character, by the widest one in it
    raise TypeError(f"byte_size measures bytes and str, not {type(value).__name__}: pass a size function")


class LRU(Generic[V]):
    def __init__(
        self,
        maxsize: int = 256,
        *,
        max_bytes: int | Callable[[], int] | None = None,
        size: Callable[[V], int] = byte_size,
        release_after_bytes: int | None = None,
    ):
        """At most `maxsize` values and, with `max_bytes`, at most that many bytes of them as
        `size` measures them. `max_bytes` may be a function (say, reading a setting): it is
        asked at each insert. With `release_after_bytes` (and `max_bytes`), freed memory is
        handed back after making a value of at least that size."""
        self.maxsize = maxsize
        self.stats = CacheStats()
        self._max_bytes = max_bytes
        self._size = size
        self._release_after_bytes = release_after_bytes
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._sizes: dict[Hashable, int] = {}
        self._bytes = 0
        self._in_flight: dict[Hashable, Future[V]] = {}
        self._lock = threading.Lock()

    @property
    def max_bytes(self) -> int | None:
        return self._max_bytes() if callable(self._max_bytes) else self._max_bytes

    @property
    def nbytes(self) -> int:
        """The bytes the cached values hold, as `size` measures them (0 without a byte bound)."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._items)

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
            max_bytes = self.max_bytes
            size = self._size(value) if max_bytes is not None else 0
        except BaseException as error:
            with self._lock:
                self.stats.failed += 1
                del self._in_flight[key]
            flight.set_exception(error)
            raise
        with self._lock:
            if max_bytes is not None and size > max_bytes:
                self.stats.oversized += 1
            else:
                self._keep(key, value, size, max_bytes)
            del self._in_flight[key]
        flight.set_result(value)
        if self._release_after_bytes is not None and max_bytes is not None and size >= self._release_after_bytes:
            release_freed_memory_soon()
        return value

    def put(self, key: Hashable, value: V) -> None:
        """Keep `value` for `key`, in place of any value it had (within the bounds)."""
        max_bytes = self.max_bytes
        size = self._size(value) if max_bytes is not None else 0
        with self._lock:
            if max_bytes is not None and size > max_bytes:
                self.stats.oversized += 1
                return
            if key in self._items:
                self._items.move_to_end(key)  # newest: never the one evicted to make room
            self._keep(key, value, size, max_bytes)

    def _keep(self, key: Hashable, value: V, size: int, max_bytes: int | None) -> None:
        """Store `value`, then drop the least recently used values until both bounds hold (under the lock)."""
        self._bytes += size - self._sizes.get(key, 0)
        self._items[key] = value
        self._sizes[key] = size
        while len(self._items) > self.maxsize or (max_bytes is not None and self._bytes > max_bytes):
            old, _ = self._items.popitem(last=False)
            self._bytes -= self._sizes.pop(old)
            self.stats.evicted += 1

    def clear(self) -> None:
        """Forget every value and reset the statistics (attempts in flight finish unhindered)."""
        with self._lock:
            self._items.clear()
            self._sizes.clear()
            self._bytes = 0
            self.stats = CacheStats()
