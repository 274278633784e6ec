"""schedule.json (frab/c3voc) for a large festival: in process and over HTTP, beside a baseline.

    python -m bench.bench_schedule_json [--screenings 5000] [--venues 20]

1. In process: render_schedule_json on a generated programme, best of five.
2. Over HTTP (`marquee serve`, SQLite, 1 worker), after a publish: the first
   GET /festivals/{slug}/schedule.json of a fresh server process (reads and parses the version,
   renders, caches; best of three processes), a repeat (the cache), and as the baseline
   measured in the same run the first GET /api/festivals/{slug}/versions/{n}, which reads the
   same stored version and answers it as JSON without rendering anything.

Target: 5,000 screenings under 300 ms on first request.
"""

from __future__ import annotations

import argparse
import time

from bench.programmes import realistic_programme

FIRST_TARGET_MS = 300.0


def measure_in_process(screenings: int, venues: int) -> dict:
    from app.exports.frab import render_schedule_json

    programme = realistic_programme(screenings, venues, 9)
    best = float("inf")
    for _ in range(5):
        started = time.perf_counter()
        body = render_schedule_json(programme, base_url="https://marquee.example")
        best = min(best, time.perf_counter() - started)
    return {"ms": best * 1000, "kb": len(body) / 1024, "events": body.count(b'"guid"') - venues}


def measure_http(screenings: int, venues: int, rounds: int = 3) -> dict:
    """Best of `rounds` fresh server processes: each first request reads, parses and renders the version."""
    from bench.http import fresh_sqlite_url, median_ms, once_ms, served
    from bench.stored import store_festival

    url = fresh_sqlite_url()
    store_festival(url, screenings, venues, slug="bench", days=9)
    firsts, baselines = [], []
    for round_ in range(rounds):
        with served(url) as (_, http):
            if round_ == 0:
                http.post("/api/festivals/bench/publish").raise_for_status()
            # the baseline reads the stored version without parsing it into a Programme, so it warms nothing
            baselines.append(once_ms(lambda: http.get("/api/festivals/bench/versions/1").raise_for_status()))
            path = "/festivals/bench/schedule.json"
            firsts.append(once_ms(lambda path=path: http.get(path).raise_for_status()))
            repeat = median_ms(lambda path=path: http.get(path).raise_for_status(), repeats=20)
            size = len(http.get(path).content)
    return {
        "first_ms": min(firsts),
        "repeat_ms": repeat,
        "baseline_ms": min(baselines),
        "kb": size / 1024,
        "rounds": rounds,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Time schedule.json.")
    parser.add_argument("--screenings", type=int, default=5000)
    parser.add_argument("--venues", type=int, default=20)
    args = parser.parse_args(argv)
    local = measure_in_process(args.screenings, args.venues)
    print(
        f"1. render_schedule_json in process, {args.screenings:,} screenings in {args.venues} venues: "
        f"{local['ms']:.0f} ms ({local['kb']:,.0f} KB), best of 5"
    )
    http = measure_http(args.screenings, args.venues)
    verdict = "met" if http["first_ms"] < FIRST_TARGET_MS else "MISSED"
    print(
        f"2. over HTTP (`marquee serve`, SQLite), {args.screenings:,} stored screenings, first request to a "
        f"fresh server process, best of {http['rounds']}:"
    )
    print(
        f"   first GET schedule.json {http['first_ms']:.0f} ms ({http['kb']:,.0f} KB); "
        f"repeat {http['repeat_ms']:.1f} ms"
    )
    print(
        f"   baseline, same run: first GET /api/.../versions/N (the stored version as JSON) "
        f"{http['baseline_ms']:.0f} ms ({http['first_ms'] / http['baseline_ms']:.2f}x)"
    )
    print(f"   target: first request under {FIRST_TARGET_MS:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
