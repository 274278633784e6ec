"""Handing memory freed by a large render back to the operating system.

CPython gives large blocks to the C allocator; glibc's keeps the freed pages of its heaps for
later, so a server that rendered a 10 MB schedule or published 10,000 screenings once stays
that much larger for the rest of its life. `malloc_trim` returns the free pages (a few
milliseconds, without the interpreter's lock). Elsewhere than glibc it does nothing.

`malloc_trim` cannot return everything, though, for glibc moves its own thresholds: once a
block it had mapped on its own (a rendered feed, a schedule.json) is freed, every block up to
that size (at most 32 MB) is made inside a heap from then on, and a thread's heap keeps up to
twice that much free at its top, which `malloc_trim` leaves alone (it trims only the main
heap's top). A server renders on many threads, each with a heap of its own: measured on a
10,000-screening festival, 10 to 15 MB stayed resident that way. `keep_large_blocks_apart`
fixes both thresholds where glibc starts them (128 KiB), so every block of 128 KiB or more
is mapped on its own and unmapped when freed, and freed tops go back at once.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import threading
from collections.abc import Callable


def _malloc_trim() -> Callable[[int], int] | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (macOS, musl, Windows)
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


_trim = _malloc_trim()

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)
LARGE_BLOCK_BYTES = 128 * 1024  # glibc's own starting value of both thresholds


def keep_large_blocks_apart() -> bool:
    """Fix glibc's mmap and trim thresholds at 128 KiB (see above); False where there is no glibc.

    Called once when the application is made (`app.main`); a MALLOC_MMAP_THRESHOLD_ or
    MALLOC_TRIM_THRESHOLD_ in the environment (glibc's own tunables) is left as given."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    done = True
    tunables = os.environ.get("GLIBC_TUNABLES", "")
    for parameter, name in ((M_MMAP_THRESHOLD, "MMAP_THRESHOLD"), (M_TRIM_THRESHOLD, "TRIM_THRESHOLD")):
        if f"MALLOC_{name}_" not in os.environ and f"glibc.malloc.{name.lower()}" not in tunables:
            done = bool(mallopt(parameter, LARGE_BLOCK_BYTES)) and done
    return done


def release_freed_memory() -> None:
    """Give the allocator's free pages back to the operating system (after a large render)."""
    if _trim is not None:
        _trim(0)


_asked = threading.Event()
_trimmer: threading.Thread | None = None
_trimmer_lock = threading.Lock()


def release_freed_memory_soon() -> None:
    """`release_freed_memory` on a thread of its own, so that no answer waits for it; requests
    made while one runs are served by the next."""
    global _trimmer
    if _trim is None:
        return
    with _trimmer_lock:
        if _trimmer is None:
            _trimmer = threading.Thread(target=_trim_when_asked, name="marquee-malloc-trim", daemon=True)
            _trimmer.start()
    _asked.set()


def _trim_when_asked() -> None:
    while True:
        _asked.wait()
        _asked.clear()
        release_freed_memory()
