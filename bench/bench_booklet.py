"""How long the printed booklet takes, against a bare WeasyPrint baseline measured in the same run.

    python -m bench.bench_booklet [--screenings 400] [--venues 20] [--repeat 3]

1. In process: each render runs in a fresh interpreter, so "first" is a real first render
   (fonts and stylesheets not yet cached); the best of --repeat fresh processes is kept, the
   baseline and the booklet taking turns. The baseline is bare WeasyPrint typesetting a plain
   table of the same screenings on A5 (what any booklet has to typeset at least).
2. Over HTTP (`marquee serve`, SQLite): the first GET /festivals/{slug}/booklet.pdf after a
   publish lays it out; a repeat is served from the per-version cache.

Targets: 400 screenings in 20 venues under 6 s on first render, under 50 ms repeated.
"""

from __future__ import annotations

import argparse
import io
import multiprocessing
import time

from pypdf import PdfReader

from bench.bench_programme_pdf import _baseline_html
from bench.programmes import realistic_programme

FIRST_TARGET_S = 6.0
REPEAT_TARGET_MS = 50.0


def _measure(kind: str, size: str, sizes: tuple[int, int, int], results) -> None:
    """In a fresh process: import, then render twice, timing each."""
    programme = realistic_programme(*sizes)
    import weasyprint

    from app.printing import render_booklet_pdf

    if kind == "baseline":
        document = _baseline_html(programme).replace("size: A4", "size: A5")

        def render() -> bytes:
            return weasyprint.HTML(string=document).write_pdf()
    else:

        def render() -> bytes:
            return render_booklet_pdf(programme, size=size)

    timings = []
    for _ in range(2):
        started = time.perf_counter()
        pdf = render()
        timings.append(time.perf_counter() - started)
    results.put(
        {
            "first": timings[0],
            "second": timings[1],
            "pages": len(PdfReader(io.BytesIO(pdf)).pages),
            "kb": len(pdf) / 1024,
        }
    )


def measure(kind: str, size: str, sizes: tuple[int, int, int]) -> dict:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_measure, args=(kind, size, sizes, results))
    process.start()
    result = results.get(timeout=900)
    process.join()
    return result


def measure_http(screenings: int, venues: int) -> dict:
    """The booklet over HTTP: the first request after a publish renders it, a repeat is a cache hit."""
    from bench.http import fresh_sqlite_url, median_ms, once_ms, served
    from bench.stored import store_festival

    url = fresh_sqlite_url()
    store_festival(url, screenings, venues, slug="bench", days=9)
    with served(url) as (_, http):
        http.post("/api/festivals/bench/publish").raise_for_status()
        path = "/festivals/bench/booklet.pdf"
        first = once_ms(lambda: http.get(path).raise_for_status())
        repeat = median_ms(lambda: http.get(path).raise_for_status(), repeats=20)
        health = median_ms(lambda: http.get("/healthz").raise_for_status(), repeats=20)
        body = http.get(path).content
    pages = len(PdfReader(io.BytesIO(body)).pages)
    return {"first_ms": first, "repeat_ms": repeat, "health_ms": health, "pages": pages, "kb": len(body) / 1024}


def _verdict(met: bool) -> str:
    return "met" if met else "MISSED"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Time render_booklet_pdf.")
    parser.add_argument("--screenings", type=int, default=400)
    parser.add_argument("--venues", type=int, default=20)
    parser.add_argument("--days", type=int, default=9)
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per measurement")
    args = parser.parse_args(argv)
    sizes = (args.screenings, args.venues, args.days)
    print(
        f"1. in process: {args.screenings} screenings, {args.venues} venues, {args.days} days "
        "(synopses and credits for every feature)"
    )
    runs: dict[str, list[dict]] = {"baseline": [], "a5": [], "a4": []}
    for _ in range(args.repeat):
        runs["baseline"].append(measure("baseline", "a5", sizes))
        runs["a5"].append(measure("booklet", "a5", sizes))
    runs["a4"].append(measure("booklet", "a4", sizes))
    best = {
        name: {**results[0], **{key: min(r[key] for r in results) for key in ("first", "second")}}
        for name, results in runs.items()
    }
    baseline = best["baseline"]
    print(f"   {'':44} {'first':>8} {'second':>8} {'pages':>6} {'KB':>6}  ratio to baseline")
    print(
        f"   {'baseline: bare WeasyPrint, plain A5 table':44} {baseline['first']:7.2f}s {baseline['second']:7.2f}s "
        f"{baseline['pages']:>6} {baseline['kb']:>6.0f}"
    )
    for name, label in (("a5", "render_booklet_pdf(size='a5')"), ("a4", "render_booklet_pdf(size='a4'), one run")):
        result = best[name]
        print(
            f"   {label:44} {result['first']:7.2f}s {result['second']:7.2f}s {result['pages']:>6} "
            f"{result['kb']:>6.0f}  {result['first'] / baseline['first']:.2f}x"
        )
    print(
        f"   target: first render under {FIRST_TARGET_S:.0f} s: {_verdict(best['a5']['first'] < FIRST_TARGET_S)} "
        f"(best of {args.repeat} fresh processes)"
    )

    http = measure_http(args.screenings, args.venues)
    print(
        f"\n2. over HTTP (`marquee serve`, SQLite): GET /festivals/bench/booklet.pdf after a publish, "
        f"{args.screenings} stored screenings"
    )
    print(
        f"   first request {http['first_ms'] / 1000:.2f} s ({http['pages']} pages, {http['kb']:.0f} KB); "
        f"repeat {http['repeat_ms']:.1f} ms (/healthz {http['health_ms']:.1f} ms in the same run)"
    )
    print(f"   target: repeat under {REPEAT_TARGET_MS:.0f} ms: {_verdict(http['repeat_ms'] < REPEAT_TARGET_MS)}")


if __name__ == "__main__":
    main()
