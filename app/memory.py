"""Handing memory freed by a large render back to the operating system.

CPython gives large blocks to the C allocator; glibc's keeps the freed pages of its heaps for
later, so a server that rendered a 10 MB schedule or published 10,000 screenings once stays
that much larger for the rest of its life. `malloc_trim` returns the free pages (a few
milliseconds, without the interpreter's lock). Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
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
