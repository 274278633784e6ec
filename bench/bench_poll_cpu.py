"""Server CPU per feed poll: what one cached poll costs `marquee serve`, the robust figure on a shared machine.

Run: python -m bench.bench_poll_cpu [seconds] [postgres|sqlite ...]

A real `marquee serve` (PostgreSQL with `--workers 2`, SQLite with one worker) holding a stored
festival of 1,000 screenings in 20 venues, published once. `wrk -t1 -c4` asks, for the given
time each (default 10 s): `/healthz` (the baseline), the whole-programme feed (200, 447 KB),
the feed with `If-None-Match` (304), and the load bench's mix (`bench/wrk_feed.lua`, half
conditional). Before and after each, the utime+stime of the server's processes (the uvicorn
supervisor and its workers, from /proc) is read: the difference over the requests answered
is the server's CPU per request, which wall-clock load from neighbours does not change much.
No edits run meanwhile.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from bench.bench_feeds_http import quiet_server
from bench.bench_load import FEED, LUA, SCREENINGS, VENUES, postgres_database
from bench.http import fresh_sqlite_url
from bench.stored import store_festival

TICK = os.sysconf("SC_CLK_TCK")


def server_tree(port: str) -> list[int]:
    """The `marquee serve --port PORT` process and its descendants (uvicorn's workers)."""
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"serve" in cmdline and port.encode() in cmdline:
                return children(int(entry.name))
    raise RuntimeError(f"no marquee serve on port {port}")


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (after the state field)
    return total / TICK


def children(pid: int) -> list[int]:
    """`pid` and its descendants."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").iterdir():
            kids = (task / "children").read_text().split()
            todo.extend(int(k) for k in kids)
    return found


def measure(base: str, pids: list[int], seconds: int, path: str, extra: list[str]) -> tuple[int, float]:
    before = cpu_seconds(pids)
    out = subprocess.run(
        ["wrk", "-t1", "-c4", f"-d{seconds}s", *extra, f"{base}{path}"],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    ).stdout
    after = cpu_seconds(pids)
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad:
        raise SystemExit(f"{path}: {bad.group(1)} answers not 2xx/3xx")
    return requests, after - before


def run(label: str, url: str, workers: int, seconds: int) -> None:
    store_festival(url, SCREENINGS, VENUES)
    with quiet_server(url, workers) as (base, http):
        http.post("/api/festivals/bench/publish").raise_for_status()
        etag = http.get(FEED).headers["etag"]
        os.environ["MARQUEE_ETAG"] = etag
        port = base.rsplit(":", 1)[1]
        tree = server_tree(port)
        # warm every worker
        measure(base, tree, 2, FEED, ["-s", str(LUA)])
        print(f"   {label} (server processes {tree})")
        for name, path, extra in (
            ("/healthz", "/healthz", []),
            ("feed 200", FEED, []),
            ("feed 304", FEED, ["-H", f"If-None-Match: {etag}"]),
            ("feed, half 304 (the load's mix)", FEED, ["-s", str(LUA)]),
        ):
            requests, cpu = measure(base, tree, seconds, path, extra)
            print(
                f"     {name:<32} {requests / seconds:>7,.0f} requests/s, "
                f"server CPU {cpu / requests * 1e6:>6.0f} µs a request ({cpu:.1f} s for {requests:,})"
            )


def main() -> None:
    args = sys.argv[1:]
    seconds = int(args.pop(0)) if args and args[0].isdigit() else 10
    which = args or ["postgres", "sqlite"]
    if shutil.which("wrk") is None:
        print("   wrk is not installed (Debian: apt install wrk): skipped")
        return
    if "postgres" in which:
        with postgres_database() as url:
            run("PostgreSQL, marquee serve --workers 2", url, workers=2, seconds=seconds)
    if "sqlite" in which:
        run("SQLite, marquee serve (one worker)", fresh_sqlite_url(), workers=1, seconds=seconds)


if __name__ == "__main__":
    main()
