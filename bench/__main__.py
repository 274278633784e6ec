"""`make bench`: every benchmark in turn; each prints its figures and ratios to a baseline measured in the same run."""

from __future__ import annotations

import importlib
import platform
import sys
import time

BENCHMARKS = (
    "bench.bench_conflicts",  # the sweep in process: 1k, 10k, 100k screenings; speed-up over pairwise
    "bench.bench_slots",  # where a film can still go: 10k screenings, 100 venues; ratio to the sweep
    "bench.bench_http_conflicts",  # GET /conflicts over real HTTP, first, after a write, cached
    "bench.bench_writes",  # 1,000 creates one at a time and in one list of changes; a create at 1k vs 10k stored
    "bench.bench_feeds_http",  # feed rendering, first request after publish, rps vs a plain route
    "bench.bench_programme_pdf",  # printed programme: sample and 400 screenings, repeat from cache
    "bench.bench_board",  # the board of a day (1,000 screenings); free starts among 10,000
    "bench.bench_booklet",  # the booklet: 400 screenings first render vs bare WeasyPrint, repeat over HTTP
    "bench.bench_schedule_json",  # frab schedule.json: 5,000 screenings in process and first request over HTTP
    "bench.bench_attendee",  # public pages from cache, a filtered day, a plan of 40 picks
    "bench.bench_load",  # a minute of feed polls (wrk) while 1,000 edits and 10 publishes run, PostgreSQL and SQLite
    "bench.bench_memory",  # resident memory of `marquee serve` with a 10,000-screening festival and every cache warm
)
# Not here: bench.bench_peers (side by side with pretalx), which needs pretalx in its own
# virtualenv; `make bench-peers` installs it and runs it. Nor bench.bench_poll_cpu (the server's
# CPU per feed poll and per /healthz, read from /proc; `python -m bench.bench_poll_cpu`), a
# profiling aid for the load's polls rather than a target.


def main(names: list[str]) -> None:
    sys.argv = sys.argv[:1]  # the benchmarks' own options keep their defaults
    chosen = [b for b in BENCHMARKS if not names or b.rsplit(".", 1)[-1].removeprefix("bench_") in names]
    print(
        f"Marquee benchmarks on {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}, {time.strftime('%Y-%m-%d %H:%M')}\n"
    )
    for name in chosen:
        print(f"== {name}")
        started = time.perf_counter()
        importlib.import_module(name).main()
        print(f"   ({time.perf_counter() - started:.0f} s)\n", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
