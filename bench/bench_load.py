"""Load: feed polls from 8 connections for a minute while 1,000 schedule edits and 10 publishes run.

Run: python -m bench.bench_load [seconds]

Against a real `marquee serve`: on PostgreSQL with `--workers 2`, then on SQLite with one worker,
each holding a stored festival of 1,000 screenings in 20 venues, published once. The load
generator runs on the same 2-core machine:

- `wrk -t2 -c8` polls the whole-programme feed for the given time (default 60 s); every second
  request is conditional (`If-None-Match` with the feed's ETag, so a 304 until the next publish),
  through `bench/wrk_feed.lua`;
- meanwhile one client makes 1,000 edits one request at a time (a draft placed in a room of its
  own, then moved 5 minutes; every hundredth edit confirms one, and a publish follows it).

Printed: polls, polls a second, their p50/p99 and non-2xx/3xx answers (wrk's count), and the
edits' p50/p99 and failures. Targets (issue 12): at least 100,000 polls in the minute, edits' p99
under 50 ms, no errors. Skipped, with a message, without wrk.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from bench.bench_feeds_http import quiet_server
from bench.http import fresh_sqlite_url
from bench.stored import store_festival

SCREENINGS, VENUES = 1_000, 20
EDITS, PUBLISHES = 1_000, 10
FEED = "/festivals/bench/calendar.ics"
LUA = Path(__file__).resolve().parent / "wrk_feed.lua"
POLL_TARGET, EDIT_P99_TARGET_MS = 100_000, 50.0
ADMIN_URL = os.environ.get("MARQUEE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def postgres_database():
    """A fresh PostgreSQL database, dropped afterwards."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"marquee_load_{uuid.uuid4().hex[:8]}"
    admin = make_url(ADMIN_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def edit_the_schedule(http: httpx.Client, seconds: float, results: dict) -> None:
    """1,000 edits spread over `seconds`, a publish after every hundredth; latencies in ms."""
    room = http.post("/api/festivals/bench/venues", json={"name": "Load room", "turnaround_minutes": 0}).json()
    film = http.post("/api/festivals/bench/films", json={"title": "Load test", "runtime_minutes": 30}).json()
    festival = http.get("/api/festivals/bench").json()
    first = datetime.fromisoformat(f"{festival['starts_on']}T06:00")
    latencies, failures, publishes, placed, starts, published = [], 0, 0, [], [], []
    pause = seconds / EDITS * 0.8
    for n in range(EDITS):
        started = time.perf_counter()
        starts.append(started)
        if n % 2 == 0 or not placed:
            starts_at = first + timedelta(minutes=40 * (n // 2))
            response = http.post(
                "/api/festivals/bench/screenings",
                json={"venue_id": room["id"], "films": [film["id"]], "starts_at": starts_at.isoformat()},
            )
            if response.status_code == 201:
                placed.append(response.json())
        else:
            screening = placed[-1]
            change = (
                {"status": "confirmed"}
                if n % 100 == 99
                else {"starts_at": (datetime.fromisoformat(screening["starts_at"]) + timedelta(minutes=5)).isoformat()}
            )
            response = http.patch(f"/api/festivals/bench/screenings/{screening['id']}", json=change)
            if response.status_code == 200:
                placed[-1] = response.json()
        latencies.append((time.perf_counter() - started) * 1000)
        failures += response.status_code >= 400
        if n % 100 == 99 and publishes < PUBLISHES:
            publish_started = time.perf_counter()
            publishes += http.post("/api/festivals/bench/publish").status_code in (200, 201)
            published.append((publish_started, time.perf_counter()))
        time.sleep(pause)
    results.update(latencies=latencies, failures=failures, publishes=publishes, starts=starts, published=published)


def after_publishes(results: dict, within: float = 1.0) -> tuple[list[float], list[float]]:
    """The edits' latencies split: those that began within `within` seconds after a publish
    answered (when its feed's first polls and its garbage are about), and the others."""
    near, other = [], []
    for started, ms in zip(results["starts"], results["latencies"], strict=True):
        close = any(0 <= started - answered < within for _, answered in results["published"])
        (near if close else other).append(ms)
    return near, other


def wrk_figures(output: str) -> dict:
    def ms(text: str) -> float:
        value, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    requests = int(re.search(r"(\d+) requests in", output).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = ms(re.search(r"\s50%\s+(\S+)", output).group(1))
    p99 = ms(re.search(r"\s99%\s+(\S+)", output).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: (.*)", output)
    return {
        "requests": requests,
        "rate": rate,
        "p50": p50,
        "p99": p99,
        "bad": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1) if errors else "none",
    }


def run(label: str, url: str, workers: int, seconds: int) -> None:
    store_festival(url, SCREENINGS, VENUES)
    with quiet_server(url, workers) as (base, http):
        http.post("/api/festivals/bench/publish").raise_for_status()
        etag = http.get(FEED).headers["etag"]
        results: dict = {}
        editor = threading.Thread(target=edit_the_schedule, args=(http, seconds, results))
        editor.start()
        env = {**os.environ, "MARQUEE_ETAG": etag}
        wrk = subprocess.run(
            ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", "-s", str(LUA), f"{base}{FEED}"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
        editor.join()
    polls = wrk_figures(wrk.stdout)
    edits = results["latencies"]
    poll_verdict = "met" if polls["requests"] * 60 / seconds >= POLL_TARGET else "missed"
    edit_verdict = "met" if percentile(edits, 0.99) < EDIT_P99_TARGET_MS else "missed"
    print(f"   {label}")
    print(
        f"     feed polls: {polls['requests']:,} in {seconds} s ({polls['rate']:,.0f}/s), p50 {polls['p50']:.1f} ms, "
        f"p99 {polls['p99']:.1f} ms, non-2xx/3xx {polls['bad']}, socket errors {polls['socket_errors']}"
        f"  [at least {POLL_TARGET:,} a minute: {poll_verdict}]"
    )
    print(
        f"     edits: {len(edits):,}, p50 {statistics.median(edits):.1f} ms, p99 {percentile(edits, 0.99):.1f} ms, "
        f"failed {results['failures']}, publishes {results['publishes']}  "
        f"[p99 under {EDIT_P99_TARGET_MS:.0f} ms: {edit_verdict}]"
    )
    near, other = after_publishes(results)
    slowest = sorted(edits)[-10:]
    publish_ms = [(answered - started) * 1000 for started, answered in results["published"]]
    print(
        f"     where the tail is: edits within 1 s after a publish {len(near)}, p99 "
        f"{percentile(near, 0.99) if near else 0:.1f} ms; the others p99 {percentile(other, 0.99):.1f} ms; "
        f"the 10 slowest {slowest[0]:.0f}-{slowest[-1]:.0f} ms, {sum(ms in near for ms in slowest)} of them "
        f"after a publish; publishes took {min(publish_ms):.0f}-{max(publish_ms):.0f} ms"
    )


def main() -> None:
    seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    if shutil.which("wrk") is None:
        print("   wrk is not installed (Debian: apt install wrk): skipped")
        return
    print(
        f"Load: wrk -c8 polling the feed (half conditional) for {seconds} s while {EDITS:,} edits and "
        f"{PUBLISHES} publishes run; {SCREENINGS:,} stored screenings in {VENUES} venues"
    )
    with postgres_database() as url:
        run("PostgreSQL, marquee serve --workers 2", url, workers=2, seconds=seconds)
    run("SQLite, marquee serve (one worker)", fresh_sqlite_url(), workers=1, seconds=seconds)


if __name__ == "__main__":
    main()
