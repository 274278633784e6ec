"""Conflicts over real HTTP: GET /conflicts on stored programmes (writes: `bench_writes`).

Run: python -m bench.bench_http_conflicts
Against a real `marquee serve` on SQLite, with the plain-text /healthz route of the same
server measured in the same run as the baseline (the cost of HTTP itself).
"""

from __future__ import annotations

import httpx

from bench.bench_load import postgres_database
from bench.http import fresh_sqlite_url, median_ms, once_ms, served
from bench.stored import store_festival

SIZES = ((1_000, 20), (10_000, 200))
AFTER_WRITE_TARGET_MS = 30.0


def measure_get_conflicts() -> list[dict]:
    rows = []
    for screenings, venues in SIZES:
        url = fresh_sqlite_url()
        store_festival(url, screenings, venues)
        with served(url) as (_, http):
            rows.append(_measure_one(http, screenings, venues))
    return rows


def _measure_one(http, screenings: int, venues: int) -> dict:
    path = "/api/festivals/bench/conflicts?limit=1000"
    first = once_ms(lambda: http.get(path).raise_for_status())
    warm = median_ms(lambda: http.get(path).raise_for_status())
    # a write raises the schedule revision: the next read catches the cached conflicts up
    # (the written screening's venue, films and guests are decided again)
    recomputed = after_writes_ms(http, http, path)
    baseline = median_ms(lambda: http.get("/healthz").raise_for_status())
    total = http.get(path).json()["total"]
    return {
        "screenings": screenings,
        "venues": venues,
        "conflicts": total,
        "first_ms": first,
        "after_write_ms": recomputed,
        "cached_ms": warm,
        "baseline_ms": baseline,
    }


def after_writes_ms(writer: httpx.Client, reader: httpx.Client, path: str, writes: int = 9) -> float:
    """Median ms of `reader`'s GET `path` right after `writer` moves a screening (`writes` moves)."""
    screenings = writer.get("/api/festivals/bench/screenings?limit=9").json()["items"]
    times = []
    for n, screening in enumerate(screenings[:writes]):
        # back to draft and half an hour earlier: an overlap appears (drafts are never refused)
        move = {"status": "draft", "starts_at": screening["starts_at"][:11] + f"{9 + n % 2:02d}:{10 * n % 60:02d}"}
        writer.patch(f"/api/festivals/bench/screenings/{screening['id']}", json=move).raise_for_status()
        times.append(once_ms(lambda: reader.get(path).raise_for_status()))
    return sorted(times)[len(times) // 2]


def measure_two_servers(screenings: int = 10_000, venues: int = 200) -> dict:
    """Two servers sharing one PostgreSQL: one writes, the other answers GET /conflicts."""
    path = "/api/festivals/bench/conflicts?limit=1000"
    with postgres_database() as url:
        store_festival(url, screenings, venues)
        with served(url) as (_, writer), served(url) as (_, reader):
            first = once_ms(lambda: reader.get(path).raise_for_status())
            writer.get(path).raise_for_status()
            cached = median_ms(lambda: reader.get(path).raise_for_status())
            after = after_writes_ms(writer, reader, path)
            same = writer.get(path).json() == reader.get(path).json()
    return {"screenings": screenings, "first_ms": first, "cached_ms": cached, "after_write_ms": after, "same": same}


def main() -> None:
    print("GET /api/festivals/{slug}/conflicts over HTTP (SQLite, one server process)")
    print(
        f"{'screenings':>10} {'conflicts':>9} {'first':>9} {'after write':>12} {'cached':>9} "
        f"{'baseline':>9} {'cached/baseline':>16} {'after write/cached':>19}"
    )
    for row in measure_get_conflicts():
        print(
            f"{row['screenings']:>10,} {row['conflicts']:>9} {row['first_ms']:>7.1f}ms "
            f"{row['after_write_ms']:>10.1f}ms {row['cached_ms']:>7.1f}ms {row['baseline_ms']:>7.1f}ms "
            f"{row['cached_ms'] / row['baseline_ms']:>15.1f}x {row['after_write_ms'] / row['cached_ms']:>18.1f}x"
        )
    print(
        f"target: after a write at 10,000 screenings under {AFTER_WRITE_TARGET_MS:.0f} ms and within 5x of cached"
        " ('first' is the full build: the baseline the catch-up replaces)"
    )
    two = measure_two_servers()
    print(
        f"\ntwo servers sharing PostgreSQL, {two['screenings']:,} screenings: GET /conflicts on one right after a"
        f" write on the other {two['after_write_ms']:.1f} ms (caught up from the schedule log); cached"
        f" {two['cached_ms']:.1f} ms; full build {two['first_ms']:.1f} ms; same answers: {two['same']}"
    )


if __name__ == "__main__":
    main()
