"""Heavy renders (WeasyPrint's layout of a PDF, an Excel workbook) in a child process, so their memory is given back.

Laying out the printed programme of 10,000 screenings takes WeasyPrint about a minute and a
gigabyte of memory, most of it boxes freed when the PDF is written. Freed, but not returned to
the operating system: the allocator keeps the pages, and the server would stay at a gigabyte
for the rest of its life. A child process that exits after one render returns all of it, and
its layout no longer holds the server's interpreter lock for that minute. (The workbook of
10,000 screenings is 500,000 openpyxl cells: 90 MB, freed in pieces the allocator keeps.)

A pool of `MARQUEE_RENDER_PROCESSES` children (default 1: renders queue rather than add up),
each doing one render and then exiting; the pool starts the next child as soon as one exits,
with WeasyPrint already imported, so only the first PDF after the server starts waits for a
child to start. 0 renders in the server process itself (no child processes).

A child exits when the server process is gone (killed, crashed), within `PARENT_CHECK_SECONDS`:
nothing else would end it, for it holds its end of the pool's queues itself, and while it
lives so does multiprocessing's resource tracker (whose pipe it holds too).
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import ParamSpec, TypeVar

from app.scheduling.programme import Programme
from app.settings import get_settings

P = ParamSpec("P")
R = TypeVar("R")

_pool: ProcessPoolExecutor | None = None
_pool_lock = threading.Lock()
PARENT_CHECK_SECONDS = 0.5


def _exit_with(parent_pid: int) -> None:
    """Exit this process once its parent is no longer `parent_pid` (the parent died and this
    process was handed to another). Polled, not prctl(PR_SET_PDEATHSIG): that signal comes when
    the *thread* that started the child ends, and children are started by request threads,
    which end while the server lives."""
    while os.getppid() == parent_pid:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)  # a render in progress has nobody to answer to


def _warm_up(parent_pid: int) -> None:
    """In a new child: exit with the server, import what a render needs before any render asks
    for it, and arrange for a quick exit."""
    # first, so a child whose parent died while it started (before this ran) goes too
    threading.Thread(target=_exit_with, args=(parent_pid,), name="marquee-parent-watch", daemon=True).start()
    import weasyprint  # noqa: F401  (slow to import: a second or so)

    import app.printing  # noqa: F401

    # The child exits once its answer is sent. Let the kernel take its memory back at once
    # rather than the interpreter freeing a gigabyte of layout boxes one by one (10 seconds of
    # a core at 10,000 screenings): the last exit handler to be registered runs first.
    atexit.register(os._exit, 0)


def _executor(processes: int) -> ProcessPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=processes,
                # spawn, not fork: the server has threads, and a forked child would copy its memory
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_warm_up,
                initargs=(os.getpid(),),
                max_tasks_per_child=1,
            )
        return _pool


def run_isolated(render: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`render(*args, **kwargs)` in a child process (its arguments and answer are pickled), or
    here when MARQUEE_RENDER_PROCESSES is 0. Its exception, if it raises, is raised here."""
    processes = get_settings().render_processes
    if processes == 0:
        return render(*args, **kwargs)
    try:
        return _executor(processes).submit(render, *args, **kwargs).result()
    except BrokenProcessPool:  # a child died (killed for its memory, say): the next render starts a new pool
        shutdown()
        raise


def shutdown() -> None:
    """Stop the children (after one died: the next render starts a new pool); renders in flight finish first."""
    global _pool
    with _pool_lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def render_apart(render: Callable[..., R], programme: Programme, *args, **kwargs) -> R:
    """`render(programme, *args, **kwargs)` through `run_isolated`, the programme sent as its JSON
    (one string to copy, where pickling 10,000 screenings would build a second graph of objects).
    The JSON is sent as the UTF-8 bytes pydantic makes (`model_dump_json` would decode them to a
    str, and pickling encode that again: two more copies of 5 MB at 10,000 screenings)."""
    if get_settings().render_processes == 0:
        return render(programme, *args, **kwargs)
    programme_json = programme.__pydantic_serializer__.to_json(programme)
    return run_isolated(_render_from_json, render, programme_json, *args, **kwargs)


def _render_from_json(render: Callable[..., R], programme_json: bytes, *args, **kwargs) -> R:
    return render(Programme.model_validate_json(programme_json), *args, **kwargs)
