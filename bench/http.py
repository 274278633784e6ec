"""Shared pieces of the over-HTTP benchmarks: a served database, a token, latency figures."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx

from tests.server import running_server


def fresh_sqlite_url() -> str:
    return f"sqlite:///{tempfile.mkdtemp(prefix='marquee-bench-')}/bench.db"


def make_token(url: str) -> str:
    from app.settings import get_settings
    from app.store.db import get_engines, unit_of_work
    from app.store.tokens import create_token

    os.environ["MARQUEE_DATABASE_URL"] = url
    get_settings.cache_clear()
    get_engines.cache_clear()
    with unit_of_work() as session:
        token = create_token(session, "programmer", "bench")[1]
    get_engines().write.dispose()
    return token


@contextmanager
def served(url: str, workers: int = 1) -> Iterator[tuple[str, httpx.Client]]:
    """A real `marquee serve` on `url` and a keep-alive client with a programmer's token."""
    token = make_token(url)
    with (
        running_server(url, workers=workers) as base,
        httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client,
    ):
        yield base, client


def median_ms(request: Callable[[], object], repeats: int = 30) -> float:
    """Median wall-clock milliseconds of `request` (after one warm-up call)."""
    request()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        request()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def once_ms(request: Callable[[], object]) -> float:
    started = time.perf_counter()
    request()
    return (time.perf_counter() - started) * 1000
