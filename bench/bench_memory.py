"""Memory: a `marquee serve` process holding a 10,000-screening festival with every cache warm.

    python -m bench.bench_memory [--screenings 10000] [--venues 150] [--no-pdf] [--booklet]

A real `marquee serve` (SQLite, one worker, so the process measured is the one serving) on a
stored festival of 10,000 screenings in 150 venues. The baseline is the same process idle right
after it started (its first `/healthz` answered). Then the festival is published and every kind
of answer is asked for once, so that every cache is warm: conflicts (the API and the board of
each day), the whole-programme feed, every venue's, film's and section's feed, the festival page
of each day, every film and venue page, the printed programme (HTML in its four views, the PDF
by day), CSV, Excel, schedule.json and schedule.xml, an attendee's plan and its feed; the
booklet only with --booklet (laying out ~1,000 A5 pages takes minutes). The resident memory
(VmRSS) is read after each stage, then printed beside the baseline, with the peak (VmHWM),
and the memory of its idle render process (PDFs and workbooks are made in a child process:
see app/isolated.py).

Target: under 300 MB resident with every cache warm.
"""

from __future__ import annotations

import argparse
import re
import time
from datetime import date, timedelta
from pathlib import Path

import httpx

from bench.http import fresh_sqlite_url, make_token
from bench.stored import STARTS_ON, store_festival
from tests.server import running_process

MB = 1024 * 1024
TARGET_MB = 300
DAYS = 10
SLUG = "bench"


def _status(pid: int, field: str) -> int:
    """A VmRSS/VmHWM-like field of /proc/<pid>/status, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no {field} in /proc/{pid}/status")


def _children(pid: int) -> list[int]:
    """The child processes of `pid` (the render processes that lay out PDFs and workbooks)."""
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children += [int(child) for child in (task / "children").read_text().split()]
        except FileNotFoundError:  # a thread that ended meanwhile
            pass
    return children


def _resident_or_none(pid: int) -> int:
    """VmRSS of a process, 0 for one that has exited (gone, or a zombie not yet reaped)."""
    try:
        return _status(pid, "VmRSS")
    except (FileNotFoundError, RuntimeError):
        return 0


def _get(http: httpx.Client, path: str, **params) -> httpx.Response:
    response = http.get(path, params=params or None)
    assert response.status_code == 200, f"{path}: {response.status_code} {response.text[:300]}"
    return response


def _sign_in(http: httpx.Client, token: str) -> None:
    """A staff session cookie for the board (it is a page for people, not a bearer-token API)."""
    page = http.get("/login")
    sign_in = re.search(r'name="sign_in" value="([^"]+)"', page.text).group(1)
    http.post("/login", data={"token": token, "sign_in": sign_in, "next": "/"}, follow_redirects=False)


def stages(http: httpx.Client, days: list[date], *, pdf: bool, booklet: bool):
    """(name, run) of each stage of warming, in order; each `run` returns what it fetched (requests, bytes)."""
    base = f"/festivals/{SLUG}"

    def fetch_all(paths: list[str]) -> tuple[int, int]:
        size = 0
        for path in paths:
            size += len(_get(http, path).content)
        return len(paths), size

    def publish() -> tuple[int, int]:
        response = http.post(f"/api/festivals/{SLUG}/publish")
        assert response.status_code == 201, response.text[:300]
        return 1, len(response.content)

    films = [f["id"] for f in _paged(http, f"/api/festivals/{SLUG}/films")]
    venues = [v["id"] for v in _paged(http, f"/api/festivals/{SLUG}/venues")]

    def conflicts() -> tuple[int, int]:
        return fetch_all([f"/api/festivals/{SLUG}/conflicts?limit=1000"])

    def board() -> tuple[int, int]:
        return fetch_all([f"{base}/board?day={day.isoformat()}" for day in days])

    def sections() -> list[str]:
        page = _get(http, base).text
        return sorted(set(re.findall(rf"{base}/sections/([^/\"]+)/calendar\.ics", page)))

    def plan() -> tuple[int, int]:
        feed = _get(http, f"{base}/calendar.ics").text
        every = [int(uid) for uid in re.findall(r"UID:screening-(\d+)@", feed)]
        picks = every[:: max(1, len(every) // 40)][:40]
        created = http.post(f"/api/festivals/{SLUG}/plans", json={"screening_ids": picks})
        assert created.status_code == 201, created.text[:300]
        return fetch_all([f"/api/plans/{created.json()['token']}", f"/plans/{created.json()['token']}/calendar.ics"])

    yield "publish", publish
    yield "conflicts (API) and the board of every day", lambda: _sum(conflicts(), board())
    yield "the whole-programme feed", lambda: fetch_all([f"{base}/calendar.ics"])
    yield f"every venue's feed ({len(venues)})", lambda: fetch_all([f"{base}/venues/{v}/calendar.ics" for v in venues])
    yield f"every film's feed ({len(films)})", lambda: fetch_all([f"{base}/films/{f}/calendar.ics" for f in films])
    yield "every section's feed", lambda: fetch_all([f"{base}/sections/{s}/calendar.ics" for s in sections()])
    yield (
        f"the festival page of every day ({len(days)}) and all days",
        lambda: fetch_all([f"{base}?day={day.isoformat()}" for day in days] + [f"{base}?all_days=1"]),
    )
    yield (
        "every film's and venue's page",
        lambda: fetch_all([f"{base}/films/{f}" for f in films] + [f"{base}/venues/{v}" for v in venues]),
    )
    yield (
        "the printed programme, HTML by day, venue, film, grid",
        lambda: fetch_all([f"{base}/programme?by={view}" for view in ("day", "venue", "film", "grid")]),
    )
    yield (
        "CSV (three separators), Excel, schedule.json, schedule.xml",
        lambda: fetch_all(
            [f"{base}/programme.csv?sep={sep}" for sep in (",", ";", "tab")]
            + [f"{base}/programme.xlsx", f"{base}/schedule.json", f"{base}/schedule.xml"]
        ),
    )
    yield "an attendee's plan of 40 picks and its feed", plan
    if pdf:
        yield "the printed programme PDF by day", lambda: fetch_all([f"{base}/programme.pdf?by=day"])
    if booklet:
        yield "the booklet (A5)", lambda: fetch_all([f"{base}/booklet.pdf"])


def _sum(*counts: tuple[int, int]) -> tuple[int, int]:
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def _paged(http: httpx.Client, path: str) -> list[dict]:
    items, offset = [], 0
    while True:
        page = _get(http, path, limit=1000, offset=offset).json()
        items += page["items"]
        offset += len(page["items"])
        if not page["items"] or offset >= page["total"]:
            return items


def measure(screenings: int, venues: int, *, pdf: bool, booklet: bool, env: dict[str, str] | None = None) -> dict:
    url = fresh_sqlite_url()
    store_festival(url, screenings, venues, days=DAYS, sections=12, synopses=True)
    token = make_token(url)
    days = [STARTS_ON + timedelta(days=n) for n in range(DAYS)]
    with (
        running_process(url, env=env) as server,
        httpx.Client(base_url=server.base, headers={"Authorization": f"Bearer {token}"}, timeout=600) as http,
    ):
        pid = server.process.pid
        _get(http, "/healthz")
        time.sleep(1)
        baseline = _status(pid, "VmRSS")
        print(f"   idle right after start (the baseline): {baseline / MB:.0f} MB resident")
        _sign_in(http, token)
        for name, run in stages(http, days, pdf=pdf, booklet=booklet):
            started = time.perf_counter()
            requests, size = run()
            seconds = time.perf_counter() - started
            print(
                f"   + {name}: {requests} requests, {size / MB:.1f} MB answered, {seconds:.1f} s; "
                f"now {_status(pid, 'VmRSS') / MB:.0f} MB resident",
                flush=True,
            )
        warm = _status(pid, "VmRSS")
        peak = _status(pid, "VmHWM")
        children, settled = _settled_children(pid)
    return {"baseline": baseline, "warm": warm, "peak": peak, "children": children, "settled": settled}


def _settled_children(pid: int, timeout: float = 120) -> tuple[int, float]:
    """The render processes' resident memory once it stops changing (the one that laid out the
    last PDF takes a few seconds to exit; the next one to start), and the seconds that took."""
    started, last, steady = time.monotonic(), -1, 0
    while time.monotonic() - started < timeout:
        now = sum(_resident_or_none(child) for child in _children(pid))
        steady = steady + 1 if now == last else 0
        if steady == 4:
            break
        last = now
        time.sleep(0.5)
    return max(last, 0), time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screenings", type=int, default=10_000)
    parser.add_argument("--venues", type=int, default=150)
    parser.add_argument("--no-pdf", dest="pdf", action="store_false", help="skip the PDF (it takes a minute)")
    parser.add_argument("--booklet", action="store_true", help="also the booklet (several minutes at 10,000)")
    options = parser.parse_args()
    print(f"   a stored festival of {options.screenings:,} screenings in {options.venues} venues, {DAYS} days")
    figures = measure(options.screenings, options.venues, pdf=options.pdf, booklet=options.booklet)
    warm, baseline = figures["warm"], figures["baseline"]
    print(
        f"   every cache warm: {warm / MB:.0f} MB resident (peak {figures['peak'] / MB:.0f} MB); "
        f"idle after start {baseline / MB:.0f} MB: {warm / baseline:.2f}x; "
        f"target under {TARGET_MB} MB: {'met' if warm < TARGET_MB * MB else 'MISSED'}"
    )
    if figures["children"]:
        print(
            f"   beside it, its render processes once settled ({figures['settled']:.0f} s; the idle one ready "
            f"for the next PDF, and multiprocessing's resource tracker): {figures['children'] / MB:.0f} MB resident"
        )


if __name__ == "__main__":
    main()
