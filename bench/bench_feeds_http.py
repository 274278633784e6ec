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
3. Publishing at 10,000 stored screenings in 150 venues (SQLite, one worker): what
   `POST .../publish` costs, and how long it holds the festival's write lock, measured from
   outside: while it runs, a second client edits a draft screening back to back, and the
   longest of those edits, less an edit's median when nothing else runs, is the wait a
   programmer's edit can meet. Then one screening is moved and published again: the first
   whole-programme feed request after that publish (the feed was rendered, from the events
   of the version before, and stored just after the publish committed).
Everything generated is seeded, so runs differ only in timing.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

import httpx

from bench.bench_calendar_render import REPEATS, SIZES, best_of, generated_programme, print_rerender_table
from bench.http import fresh_sqlite_url, make_token, median_ms, once_ms
from bench.stored import store_festival
from tests.server import REPO, free_port

SCREENINGS, VENUES = 1_000, 20
FEED = "/festivals/bench/calendar.ics"
BASELINE = "/healthz"
WRK = ["wrk", "-t2", "-c16", "-d5s"]
FIRST_TARGET_MS = 10.0
BIG_SCREENINGS, BIG_VENUES = 10_000, 150
CACHED_TARGET_RATIO = 0.5


# --- 1. rendering in process ---------------------------------------------------------------------


def print_render_table() -> None:
    print(f"1. render_calendar in process, best of {REPEATS} (generated programmes, 20 venues)")
    print(f"   {'screenings':>10}  {'seconds':>8}  {'ms/screening':>12}  {'feed KB':>9}")
    for size in SIZES:
        seconds, feed_bytes = best_of(REPEATS, generated_programme(size))
        print(f"   {size:>10,}  {seconds:>8.3f}  {seconds / size * 1000:>12.3f}  {feed_bytes / 1024:>9,.0f}")
    print("1b. ", end="")
    print_rerender_table(indent="   ")


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


# --- 3. publishing at 10,000 screenings ----------------------------------------------------------


def draft_screening(http: httpx.Client) -> int:
    found = http.get("/api/festivals/bench/screenings", params={"status": "draft", "limit": 1}).raise_for_status()
    return found.json()["items"][0]["id"]


def publish_under_edits(base: str, http: httpx.Client, probe_id: int) -> dict:
    """POST publish while another client edits a draft back to back: (publish ms, edits' ms)."""
    with httpx.Client(base_url=base, headers=http.headers, timeout=120) as editor:

        def edit(n: int) -> float:
            started = time.perf_counter()
            editor.patch(f"/api/festivals/bench/screenings/{probe_id}", json={"notes": f"probe {n}"}).raise_for_status()
            return (time.perf_counter() - started) * 1000

        idle = statistics.median(edit(n) for n in range(15))
        outcome: dict = {}

        def run_publish() -> None:
            started = time.perf_counter()
            outcome["version"] = publish(http)
            outcome["ms"] = (time.perf_counter() - started) * 1000

        publisher = threading.Thread(target=run_publish)
        publisher.start()
        edits = []
        while publisher.is_alive():
            edits.append(edit(len(edits)))
        publisher.join()
    return {**outcome, "edit_idle_ms": idle, "edit_longest_ms": max(edits), "edits": len(edits)}


def measure_big_publish() -> dict:
    url = fresh_sqlite_url()
    store_festival(url, BIG_SCREENINGS, BIG_VENUES)
    with quiet_server(url) as (base, http):
        probe = draft_screening(http)
        first = publish_under_edits(base, http, probe)
        get_feed(http)  # what subscribers fetch between publishes (and this process renders from)
        move_one_screening(http)
        second = publish_under_edits(base, http, probe)
        response = None

        def first_feed() -> None:
            nonlocal response
            response = get_feed(http)

        after = once_ms(first_feed)
        repeated = median_ms(lambda: get_feed(http), repeats=10)
        assert response is not None and response.status_code == 200
    return {"first": first, "second": second, "feed_ms": after, "repeated_ms": repeated, "bytes": len(response.content)}


def print_big_publish(row: dict) -> None:
    print(f"3. publishing {BIG_SCREENINGS:,} stored screenings in {BIG_VENUES} venues (SQLite, 1 worker)")
    print(f"   {'':<52} {'ms':>8}")
    for label, run in (
        ("first publish (v1, everything added)", row["first"]),
        ("after one screening moved", row["second"]),
    ):
        print(f"   POST publish, {label:<38} {run['ms']:>8.0f}")
        print(
            f"     an edit meanwhile: longest of {run['edits']:<3} {run['edit_longest_ms']:>18.0f}"
            f"   (alone: {run['edit_idle_ms']:.1f} ms; the lock held about"
            f" {run['edit_longest_ms'] - run['edit_idle_ms']:.0f} ms)"
        )
    kb = row["bytes"] / 1024
    print(f"   first feed request after the second publish ({kb:,.0f} KB) {row['feed_ms']:>10.1f}")
    print(f"   repeated feed request (median of 10) {row['repeated_ms']:>25.1f}")


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
        else:
            print_throughput_table(measure_throughput(base, row["etag"]), row["feed_bytes"])
    print()
    print_big_publish(measure_big_publish())


if __name__ == "__main__":
    main()
