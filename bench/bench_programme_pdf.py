"""How long the printed programme takes as PDF, against a bare WeasyPrint baseline.

    python -m bench.bench_programme_pdf [--by day|venue|film|grid|all] [--screenings 400]

Each measurement runs in a fresh interpreter, so "first" is a real first render (fonts and
stylesheets not yet cached) and "second" a render in the same warm process; with --repeat N
(default 3) the best of N fresh processes is kept, baseline and programme taking turns, which
steadies the figures on a busy machine. The baseline is a bare WeasyPrint render of a plain
400-row table of the same screenings, typeset in the same run, so the ratio means something
on any machine.
"""

from __future__ import annotations

import argparse
import html
import io
import multiprocessing
import time

from pypdf import PdfReader

from bench.programmes import realistic_programme


def _baseline_html(programme) -> str:
    """A plain table, one row per screening: the least a programme PDF has to typeset."""
    from app.printing.model import screening_rows

    rows = "".join(
        "<tr>"
        + "".join(
            f"<td>{html.escape(str(cell))}</td>"
            for cell in (
                row.day.isoformat(),
                f"{row.start}–{row.end}",
                row.venue.name,
                row.title,
                f"{row.runtime} min",
                row.screening.status,
            )
        )
        + "</tr>"
        for row in screening_rows(programme)
    )
    return (
        "<!doctype html><html><head><meta charset='utf-8'><style>"
        "@page { size: A4; margin: 15mm } body { font-family: 'DejaVu Sans', sans-serif; "
        "font-size: 9pt } td { padding: 2px 4px }"
        f"</style></head><body><table>{rows}</table></body></html>"
    )


def _measure(kind: str, by: str, sizes: tuple[int, int, int], results) -> None:
    """Run in a fresh process: import, then render twice, timing each."""
    programme = realistic_programme(*sizes)
    started = time.perf_counter()
    import weasyprint

    from app.printing import render_programme_pdf

    imported = time.perf_counter() - started
    if kind == "baseline":
        document = _baseline_html(programme)

        def render() -> bytes:
            return weasyprint.HTML(string=document).write_pdf()
    else:

        def render() -> bytes:
            return render_programme_pdf(programme, by)

    timings = []
    for _ in range(2):
        started = time.perf_counter()
        pdf = render()
        timings.append(time.perf_counter() - started)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    results.put({"import": imported, "first": timings[0], "second": timings[1], "pages": pages,
                 "bytes": len(pdf)})  # fmt: skip


def measure(kind: str, by: str, sizes: tuple[int, int, int]) -> dict:
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    process = context.Process(target=_measure, args=(kind, by, sizes, results))
    process.start()
    result = results.get(timeout=600)
    process.join()
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Time render_programme_pdf.")
    parser.add_argument("--by", default="day", choices=["day", "venue", "film", "grid", "all"])
    parser.add_argument("--screenings", type=int, default=400)
    parser.add_argument("--venues", type=int, default=20)
    parser.add_argument("--days", type=int, default=9)
    parser.add_argument("--repeat", type=int, default=3, help="fresh processes per measurement")
    args = parser.parse_args(argv)
    sizes = (args.screenings, args.venues, args.days)
    views = ["day", "venue", "film", "grid"] if args.by == "all" else [args.by]

    print(f"programme: {args.screenings} screenings, {args.venues} venues, {args.days} days")
    runs: dict[str, list[dict]] = {"baseline": [], **{view: [] for view in views}}
    for _ in range(args.repeat):
        runs["baseline"].append(measure("baseline", "day", sizes))
        for view in views:
            runs[view].append(measure("programme", view, sizes))
    best = {
        name: {**results[0], **{key: min(result[key] for result in results) for key in ("first", "second")}}
        for name, results in runs.items()
    }
    baseline = best["baseline"]
    print(
        f"{'baseline: bare WeasyPrint, plain table':42} first {baseline['first']:5.2f} s   "
        f"second {baseline['second']:5.2f} s   {baseline['pages']:3} pages"
    )
    for view in views:
        result = best[view]
        print(
            f"{f'render_programme_pdf(by={view!r})':42} first {result['first']:5.2f} s   "
            f"second {result['second']:5.2f} s   {result['pages']:3} pages   "
            f"ratio {result['first'] / baseline['first']:.2f} / "
            f"{result['second'] / baseline['second']:.2f}"
        )
    print(
        f"(best of {args.repeat} fresh processes; import weasyprint {baseline['import']:.2f} s, not counted; "
        "ratio: first / second)"
    )
    print_http(measure_http())


def measure_http() -> list[dict]:
    """The PDF over HTTP from a real server: the first request renders, a repeat comes from the cache."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from bench.http import fresh_sqlite_url, median_ms, once_ms, served
    from bench.stored import store_festival

    results = []
    sample = fresh_sqlite_url()
    env = {**os.environ, "MARQUEE_DATABASE_URL": sample}
    root = Path(__file__).resolve().parent.parent
    for command in (["db", "upgrade"], ["load", "sample_programme"]):
        subprocess.run([sys.executable, "-m", "app", *command], cwd=root, env=env, check=True, capture_output=True)
    generated = fresh_sqlite_url()
    store_festival(generated, 400, 20, slug="bench", days=9)
    for label, url, slug in (
        ("sample festival (27 screenings)", sample, "wiesbaden-2021"),
        ("generated (400 screenings, 20 venues)", generated, "bench"),
    ):
        with served(url) as (_, http):
            http.post(f"/api/festivals/{slug}/publish").raise_for_status()
            path = f"/festivals/{slug}/programme.pdf?by=day"
            first = once_ms(lambda path=path: http.get(path).raise_for_status())
            repeat = median_ms(lambda path=path: http.get(path).raise_for_status(), repeats=20)
            size = len(http.get(path).content)
        results.append({"label": label, "first_ms": first, "repeat_ms": repeat, "kb": size / 1024})
    return results


def print_http(results: list[dict]) -> None:
    print("\nover HTTP (`marquee serve`, SQLite): GET /festivals/{slug}/programme.pdf?by=day after a publish")
    print(f"{'festival':40} {'first':>9} {'repeat':>9} {'size':>8}  target: repeat < 50 ms")
    for r in results:
        print(f"{r['label']:40} {r['first_ms'] / 1000:8.2f}s {r['repeat_ms']:7.1f}ms {r['kb']:6.0f}KB")


if __name__ == "__main__":
    main()
