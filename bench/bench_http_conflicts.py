"""Conflicts over real HTTP: GET /conflicts on stored programmes (writes: `bench_writes`).

Run: python -m bench.bench_http_conflicts
Against a real `marquee serve` on SQLite, with the plain-text /healthz route of the same
server measured in the same run as the baseline (the cost of HTTP itself).
"""

from __future__ import annotations

from bench.http import fresh_sqlite_url, median_ms, once_ms, served
from bench.stored import store_festival

SIZES = ((1_000, 20), (10_000, 200))


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
    # a write raises the schedule revision: the next read recomputes from the database
    screening = http.get("/api/festivals/bench/screenings?limit=1").json()["items"][0]
    recomputed = []
    for n in range(9):
        http.patch(f"/api/festivals/bench/screenings/{screening['id']}", json={"notes": f"edit {n}"}).raise_for_status()
        recomputed.append(once_ms(lambda: http.get(path).raise_for_status()))
    baseline = median_ms(lambda: http.get("/healthz").raise_for_status())
    total = http.get(path).json()["total"]
    return {
        "screenings": screenings,
        "venues": venues,
        "conflicts": total,
        "first_ms": first,
        "after_write_ms": sorted(recomputed)[4],
        "cached_ms": warm,
        "baseline_ms": baseline,
    }


def main() -> None:
    print("GET /api/festivals/{slug}/conflicts over HTTP (SQLite, one server process)")
    print(
        f"{'screenings':>10} {'conflicts':>9} {'first':>9} {'after write':>12} {'cached':>9} "
        f"{'baseline':>9} {'cached/baseline':>16}"
    )
    for row in measure_get_conflicts():
        print(
            f"{row['screenings']:>10,} {row['conflicts']:>9} {row['first_ms']:>7.1f}ms "
            f"{row['after_write_ms']:>10.1f}ms {row['cached_ms']:>7.1f}ms {row['baseline_ms']:>7.1f}ms "
            f"{row['cached_ms'] / row['baseline_ms']:>15.1f}x"
        )


if __name__ == "__main__":
    main()
