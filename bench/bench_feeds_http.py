"""iCal feeds: render time in process, and serving them over real HTTP (latency and throughput).

Run: python -m bench.bench_feeds_http

1. render_calendar on generated programmes of 500, 2,000 and 10,000 screenings (best of 3,
   reusing bench.bench_calendar_render), in seconds and ms per screening.
2. A real `marquee serve` (SQLite, one worker) with a stored festival of 1,000 screenings in
   20 venues, published through POST /api/festivals/bench/publish:
   - latency, measured with httpx: the first feed request after the publish (the server has
     just started, so nothing is cached in it), the median of repeated ones, and the first one
     after a second publish (one confirmed screening moved 5 minutes with PATCH, then publish);
   - throughput with wrk (`wrk -t2 -c16 -d5s`, no Lua script) for the plain-text /healthz
     baseline, the cached feed, and a 304 (the feed with If-None-Match: <its ETag>), each with
     its ratio to the baseline measured in the same run. Skipped, with a message, without wrk.
Everything generated is seeded, so runs differ only in timing.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import httpx

from bench.bench_calendar_render import REPEATS, SIZES, best_of, generated_programme
from bench.http import fresh_sqlite_url, make_token, median_ms, once_ms
from bench.stored import store_festival
from tests.server import REPO, free_port

SCREENINGS, VENUES = 1_000, 20
FEED = "/festivals/bench/calendar.ics"
BASELINE = "/healthz"
WRK = ["wrk", "-t2", "-c16", "-d5s"]
FIRST_TARGET_MS = 15.0
CACHED_TARGET_RATIO = 0.5


# --- 1. rendering in process ---------------------------------------------------------------------


def print_render_table() -> None:
    print(f"1. render_calendar in process, best of {REPEATS} (generated programmes, 20 venues)")
    print(f"   {'screenings':>10}  {'seconds':>8}  {'ms/screening':>12}  {'feed KB':>9}")
    for size in SIZES:
        seconds, feed_bytes = best_of(REPEATS, generated_programme(size))
        print(f"   {size:>10,}  {seconds:>8.3f}  {seconds / size * 1000:>12.3f}  {feed_bytes / 1024:>9,.0f}")


# --- 2. over HTTP ---------------------------------------------------------------------------------


@contextmanager
def quiet_server(url: str, workers: int = 1) -> Iterator[tuple[str, httpx.Client]]:
    """Like bench.http.served, but the server logs to a file, not to a pipe.

    tests.server.running_server pipes the server's stdout and never reads it: after ~64 KB of
    access log (about a thousand requests) uvicorn blocks writing it and stops answering.
    """
    token, port = make_token(url), free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "MARQUEE_DATABASE_URL": url, "MARQUEE_BASE_URL": base}
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(port), "--workers", str(workers)],
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(base, process, log)
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as http:
                yield base, http
        finally:
            process.terminate()
            process.wait(timeout=10)


def wait_until_up(base: str, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{base}{BASELINE}", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            log.seek(0)
            raise RuntimeError(f"marquee serve did not start:\n{log.read().decode()}")
        time.sleep(0.1)


def publish(http: httpx.Client) -> int:
    response = http.post("/api/festivals/bench/publish")
    assert response.status_code == 201, f"publish did not create a version: {response.status_code} {response.text}"
    return response.json()["number"]


def get_feed(http: httpx.Client, headers: dict | None = None) -> httpx.Response:
    response = http.get(FEED, headers=headers)
    assert response.status_code in (200, 304), response.text
    return response


def move_one_screening(http: httpx.Client) -> int:
    """Move the first confirmed screening that accepts it 5 minutes earlier: a public change."""
    screenings = (
        http.get("/api/festivals/bench/screenings", params={"status": "confirmed", "limit": 50})
        .raise_for_status()
        .json()["items"]
    )
    for screening in screenings:
        starts_at = datetime.fromisoformat(screening["starts_at"]) - timedelta(minutes=5)
        response = http.patch(
            f"/api/festivals/bench/screenings/{screening['id']}", json={"starts_at": starts_at.isoformat()}
        )
        if response.status_code == 200:
            return screening["id"]
    raise RuntimeError("no confirmed screening could be moved 5 minutes earlier")


def measure_latency(http: httpx.Client) -> dict:
    version = publish(http)
    first = once_ms(lambda: get_feed(http))
    repeated = median_ms(lambda: get_feed(http))
    feed = get_feed(http)
    move_one_screening(http)
    second = publish(http)
    after_second = once_ms(lambda: get_feed(http))
    new_feed = get_feed(http)
    assert new_feed.headers["etag"] != feed.headers["etag"], "the second publish did not change the feed"
    return {
        "version": version,
        "first_ms": first,
        "repeated_ms": repeated,
        "second_version": second,
        "after_second_ms": after_second,
        "healthz_ms": median_ms(lambda: http.get(BASELINE)),
        "not_modified_ms": median_ms(lambda: get_feed(http, {"If-None-Match": new_feed.headers["etag"]})),
        "etag": new_feed.headers["etag"],
        "feed_bytes": len(new_feed.content),
    }


def wrk_rps(url: str, headers: dict | None = None) -> float:
    """Requests per second from one wrk run; fails on socket errors or error responses."""
    args = [*WRK, *(a for name, value in (headers or {}).items() for a in ("-H", f"{name}: {value}")), url]
    output = subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw errors for {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s*([\d.]+)", output).group(1))


def measure_throughput(base: str, etag: str) -> dict[str, float]:
    return {
        "baseline": wrk_rps(base + BASELINE),
        "cached feed": wrk_rps(base + FEED),
        "304": wrk_rps(base + FEED, {"If-None-Match": etag}),
    }


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def print_latency_table(row: dict) -> None:
    kb = row["feed_bytes"] / 1024
    print(f"2a. latency with httpx (keep-alive), feed of {kb:,.0f} KB")
    print(f"   {'request':<48} {'ms':>8}  target")
    lines = [
        (
            f"first feed request after publish (v{row['version']}, cold)",
            row["first_ms"],
            f"< {FIRST_TARGET_MS:.0f} ms: {verdict(row['first_ms'] < FIRST_TARGET_MS)}",
        ),
        ("repeated feed request (median of 30)", row["repeated_ms"], f"near the cost of sending {kb:,.0f} KB"),
        (
            f"first feed request after publish (v{row['second_version']})",
            row["after_second_ms"],
            f"< {FIRST_TARGET_MS:.0f} ms: {verdict(row['after_second_ms'] < FIRST_TARGET_MS)}",
        ),
        ("304 with If-None-Match (median of 30)", row["not_modified_ms"], ""),
        ("baseline GET /healthz (median of 30)", row["healthz_ms"], ""),
        ("  sending the body: repeated − 304", row["repeated_ms"] - row["not_modified_ms"], ""),
        ("  the feed route without a body: 304 − /healthz", row["not_modified_ms"] - row["healthz_ms"], ""),
    ]
    for label, ms, target in lines:
        print(f"   {label:<48} {ms:>8.2f}  {target}".rstrip())


def print_throughput_table(rps: dict[str, float], feed_bytes: int) -> None:
    baseline = rps["baseline"]
    print(f"2b. throughput with `{' '.join(WRK)}`")
    print(f"   {'route':<12} {'requests/s':>11} {'× baseline':>11} {'MB/s':>8}  target")
    for name, value in rps.items():
        ratio = value / baseline
        megabytes, target = "", ""
        if name == "cached feed":
            megabytes = f"{value * feed_bytes / 1e6:,.0f}"
            target = f"≥ {CACHED_TARGET_RATIO}× baseline: {verdict(ratio >= CACHED_TARGET_RATIO)}"
        print(f"   {name:<12} {value:>11,.0f} {ratio:>10.2f}× {megabytes:>8}  {target}".rstrip())


def main() -> None:
    print_render_table()
    url = fresh_sqlite_url()
    store_festival(url, SCREENINGS, VENUES)
    print(f"\n2. over HTTP: `marquee serve` (SQLite, 1 worker), {SCREENINGS:,} stored screenings in {VENUES} venues")
    with quiet_server(url) as (base, http):
        row = measure_latency(http)
        print_latency_table(row)
        if shutil.which("wrk") is None:
            print("2b. skipped: the `wrk` load generator is not installed (apt-get install wrk)")
            return
        print_throughput_table(measure_throughput(base, row["etag"]), row["feed_bytes"])


if __name__ == "__main__":
    main()
