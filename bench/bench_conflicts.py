"""How long find_conflicts takes for 1,000, 10,000 and 100,000 screenings, and how it scales.

Run: python -m bench.bench_conflicts
Programmes come from bench.generate (ten days across the October DST night in Europe/Berlin,
n // 100 venues but at least 100, one print per film, some guests, a few conflicts of each
kind), deterministically, with the screenings' times in UTC as the store hands them to the
sweep (`as_stored`); the 100,000 are also swept with their times in the festival's zone, which
the app never passes (each time then costs an offset lookup: about a third more).
Prints the best and the median of a few runs per size, the growth
per 10x (about 10 for O(n log n) work), and the sweep's speed-up over the pairwise oracle at
5,000 screenings (the oracle lives with the tests, in tests/scheduling/oracle.py). The target
is judged on the median.
Times are wall-clock (perf_counter) with CPU time (process_time) beside them: on a shared
machine the difference is time spent waiting for a core.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from app.scheduling.conflicts import find_conflicts
from bench.generate import as_stored, generate_programme
from tests.scheduling.oracle import find_conflicts_bruteforce

SIZES = (1_000, 10_000, 100_000)
REPEATS = 5
ORACLE_SIZE = 5_000
TARGET_SECONDS = 0.5  # for 100,000 screenings, in process


def best_of(repeats: int, run: Callable[[], object]) -> tuple[float, float, object]:
    """The fastest of `repeats` runs in wall-clock and in CPU seconds, and what the last returned."""
    best, best_cpu, _, result = timed(repeats, run)
    return best, best_cpu, result


def timed(repeats: int, run: Callable[[], object]) -> tuple[float, float, float, object]:
    """The fastest wall-clock and CPU seconds of `repeats` runs, the median wall-clock, what the last returned."""
    walls, cpus, result = [], [], None
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = run()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - started_cpu)
    return min(walls), min(cpus), statistics.median(walls), result


def main() -> None:
    print(
        f"find_conflicts, best and median of {REPEATS}: 10 festival days, Europe/Berlin, one print per film, "
        "times in UTC as the store reads them"
    )
    header = ("screenings", "venues", "conflicts", "seconds", "cpu s", "median s", "µs/screening", "x per 10x")
    widths = (10, 6, 9, 8, 8, 8, 12, 9)
    print("  ".join(f"{title:>{width}}" for title, width in zip(header, widths, strict=True)))
    previous = seconds = median = 0.0
    for size in SIZES:
        programme = as_stored(generate_programme(size))
        seconds, cpu, median, conflicts = timed(REPEATS, lambda programme=programme: find_conflicts(*programme))
        growth = f"{seconds / previous:9.1f}" if previous else " " * 9
        print(
            f"{size:>10,}  {len(programme[1]):>6}  {len(conflicts):>9,}  {seconds:>8.3f}  {cpu:>8.3f}  {median:>8.3f}  "
            f"{seconds / size * 1e6:>12.2f}  {growth}"
        )
        previous = seconds
    verdict = "within" if median < TARGET_SECONDS else "OVER"
    print(f"100,000 screenings: median {median:.3f} s (best {seconds:.3f} s), {verdict} the {TARGET_SECONDS} s target")
    zoned = generate_programme(SIZES[-1])
    zoned_best, _, zoned_median, zoned_conflicts = timed(REPEATS, lambda: find_conflicts(*zoned))
    same = "the same conflicts" if zoned_conflicts == conflicts else "DIFFERENT conflicts"
    print(
        f"the same with times in the festival's zone: median {zoned_median:.3f} s (best {zoned_best:.3f} s), "
        f"{zoned_median / median:.2f}x; {same}"
    )

    programme = as_stored(generate_programme(ORACLE_SIZE, seed=1))
    swept, swept_cpu, sweep_result = best_of(REPEATS, lambda: find_conflicts(*programme))
    oracle, oracle_cpu, oracle_result = best_of(1, lambda: find_conflicts_bruteforce(*programme))
    same = "same conflicts" if sweep_result == oracle_result else "DIFFERENT conflicts"
    print()
    print(f"{ORACLE_SIZE:>10,}  {'seconds':>8}  {'cpu s':>8}")
    print(f"{'sweep':>10}  {swept:>8.3f}  {swept_cpu:>8.3f}")
    print(f"{'pairwise':>10}  {oracle:>8.3f}  {oracle_cpu:>8.3f}")
    print(f"speed-up {oracle / swept:,.0f}x ({same}, {len(sweep_result):,} of them)")


if __name__ == "__main__":
    main()
