"""Attendees' pages and plans: cached pages, a filtered day rendered afresh, a plan of 40 picks.

Run: python -m bench.bench_attendee

1. In process, on a realistic published programme of 1,000 screenings in 20 venues: the
   festival page's filtered day view (one day, one section, step-free) rendered from nothing
   (`festival_page_html`, no page cache), median of 30. Target: under 50 ms.
2. A real `marquee serve` (SQLite, one worker) with a stored festival of 1,000 screenings,
   published: median latency of the festival page, a day with filters, a film page and a venue
   page once they are in the version's page cache; `/healthz` as the baseline. Target: under 10 ms.
3. The same server: a plan of 40 picks (`PUT`, then `GET /api/plans/{token}`), answered with its
   clashes. Target: under 20 ms.
"""

from __future__ import annotations

import re
import statistics
import time
from datetime import UTC, datetime

from bench.http import fresh_sqlite_url, median_ms, served
from bench.programmes import realistic_programme
from bench.stored import store_festival


def in_process() -> None:
    from app.scheduling.finding import ProgrammeQuery
    from app.scheduling.programme import section_slug
    from app.web.public import festival_page_html

    programme = realistic_programme(screenings=1000, venues=20)
    programme = programme.model_copy(update={"version": 1, "published_at": datetime(2021, 11, 1, tzinfo=UTC)})
    section = next(f.section for f in programme.films if f.section)
    query = ProgrammeQuery(day=programme.festival.starts_on, section=section_slug(section), access=("step_free",))
    now = datetime(2021, 11, 1, tzinfo=UTC)
    times = []
    for _ in range(30):
        started = time.perf_counter()
        html = festival_page_html(programme, query, now)
        times.append(time.perf_counter() - started)
    whole = ProgrammeQuery(all_days=True)
    started = time.perf_counter()
    festival_page_html(programme, whole, now)
    all_days_ms = (time.perf_counter() - started) * 1000
    print(
        f"   filtered day view, {len(programme.screenings)} screenings, rendered afresh: "
        f"{statistics.median(times) * 1000:.1f} ms median ({len(html) // 1024} KB)  [target < 50 ms]"
    )
    print(f"   every day unfiltered, rendered afresh: {all_days_ms:.1f} ms")


def over_http() -> None:
    url = fresh_sqlite_url()
    store_festival(url, screenings=1000, venues=20)
    with served(url) as (_, http):
        assert http.post("/api/festivals/bench/publish").status_code == 201
        film_id = http.get("/api/festivals/bench/films?limit=1").json()["items"][0]["id"]
        venue_id = http.get("/api/festivals/bench/venues?limit=1").json()["items"][0]["id"]
        baseline = median_ms(lambda: http.get("/healthz"))
        print(f"   /healthz baseline: {baseline:.2f} ms")
        for label, path in (
            ("festival page (opening day)", "/festivals/bench"),
            ("a day with a venue and step-free", f"/festivals/bench?day=2021-10-27&venue={venue_id}&access=step_free"),
            ("film page", f"/festivals/bench/films/{film_id}"),
            ("venue page", f"/festivals/bench/venues/{venue_id}"),
        ):
            assert http.get(path).status_code == 200
            ms = median_ms(lambda path=path: http.get(path))
            print(
                f"   {label}, from the version's cache: {ms:.2f} ms ({ms / baseline:.1f}x /healthz)  [target < 10 ms]"
            )
        feed = http.get("/festivals/bench/calendar.ics").text
        every = [int(uid) for uid in re.findall(r"UID:screening-(\d+)@", feed)]  # by start time
        # an attendee's week: picks spread over the days, and four at the opening hour (they clash)
        ids = every[4 :: len(every) // 36][:36] + every[:4]
        created = http.post("/api/festivals/bench/plans", json={"screening_ids": []}).json()
        token = created["token"]
        put = http.put(f"/api/plans/{token}", json={"screening_ids": ids})
        assert put.status_code == 200, put.text
        clashes = len(put.json()["clashes"])
        ms = median_ms(lambda: http.get(f"/api/plans/{token}"))
        put_ms = median_ms(lambda: http.put(f"/api/plans/{token}", json={"screening_ids": ids}))
        print(
            f"   plan of {len(ids)} picks with {clashes} clashes: GET {ms:.2f} ms, PUT {put_ms:.2f} ms"
            "  [target < 20 ms]"
        )


def main() -> None:
    in_process()
    over_http()


if __name__ == "__main__":
    main()
