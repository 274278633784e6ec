"""How long `free_starts` takes to say where a film can still go, beside the conflict sweep.

Run: python -m bench.bench_slots
Programmes come from bench.generate (ten days across the October DST night in Europe/Berlin,
n // 100 venues but at least 100, a few conflicts of each kind), deterministically. The
question: every start for a 90-minute screening of the programme's most-shown film, in every
venue, over the whole festival, on the 5-minute grid. Prints the best of a few runs per size
(wall-clock and CPU time: on a shared machine the difference is time spent waiting for a
core, so the verdict falls back on CPU time, saying so, when the wall clock misses), the
answer's size, and the ratio to `find_conflicts` over the same programme measured in the same
run; then what trying each candidate start (a trial insert and a sweep of its neighbours) would take,
extrapolated from a sample.
"""

from __future__ import annotations

import os
import random
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from app.scheduling.conflicts import Slot, conflicts_of, find_conflicts
from app.scheduling.slots import free_starts
from app.scheduling.times import add_minutes
from bench.generate import generate_programme

SIZES = (1_000, 10_000, 100_000)
TARGET_SIZE = 10_000
TARGET_SECONDS = 0.050  # for 10,000 screenings in 100 venues, in process
REPEATS = 7
RUNTIME = 90
STEP = 5
SAMPLE = 200


def best_of(repeats: int, run: Callable[[], object]) -> tuple[float, float, object]:
    """The fastest of `repeats` runs in wall-clock and in CPU seconds, and what the last returned."""
    best, best_cpu, result = float("inf"), float("inf"), None
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = run()
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - started_cpu)
    return best, best_cpu, result


def main() -> None:
    print(
        f"free_starts, best of {REPEATS}: a {RUNTIME}-minute screening of the most-shown film, every venue, "
        f"whole festival, {STEP}-minute grid; baseline find_conflicts on the same programme"
    )
    header = ("screenings", "venues", "shown", "starts", "seconds", "cpu s", "sweep s", "of sweep")
    widths = (10, 6, 5, 8, 8, 8, 8, 8)
    print("  ".join(f"{title:>{width}}" for title, width in zip(header, widths, strict=True)))
    target = None
    for size in SIZES:
        slots, rooms, prints, rules = generate_programme(size)
        film, shown = Counter(film for slot in slots for film in slot.film_ids).most_common(1)[0]

        def ask(slots=slots, rooms=rooms, prints=prints, rules=rules, film=film) -> object:
            return free_starts([film], RUNTIME, slots, rooms, prints, rules, step=STEP)

        seconds, cpu, found = best_of(REPEATS, ask)
        sweep, _, _ = best_of(
            3, lambda slots=slots, rooms=rooms, prints=prints, rules=rules: find_conflicts(slots, rooms, prints, rules)
        )
        assert isinstance(found, list)
        print(
            f"{size:>10,}  {len(rooms):>6}  {shown:>5}  {len(found):>8,}  {seconds:>8.4f}  {cpu:>8.4f}  "
            f"{sweep:>8.4f}  {seconds / sweep:>7.2f}x"
        )
        if size == TARGET_SIZE:
            target = (seconds, cpu, slots, rooms, prints, rules, film, found)

    assert target is not None
    seconds, cpu, slots, rooms, prints, rules, film, found = target
    verdict = "within" if seconds < TARGET_SECONDS else "within on CPU time" if cpu < TARGET_SECONDS else "OVER"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"{TARGET_SIZE:,} screenings: {seconds * 1000:.1f} ms ({cpu * 1000:.1f} ms CPU; load {load:.1f} on "
        f"{os.cpu_count()} cores), {verdict} the {TARGET_SECONDS * 1000:.0f} ms target"
    )

    # the other way: try each candidate start, as a confirmation would check it
    rng = random.Random(0)
    first = min(slot.starts_at for slot in slots)
    candidates = [
        Slot(0, rng.choice(list(rooms)), starts_at, add_minutes(starts_at, RUNTIME), (film,), runtime_minutes=RUNTIME)
        for starts_at in (first + timedelta(minutes=STEP * rng.randrange(10 * 24 * 60 // STEP)) for _ in range(SAMPLE))
    ]

    def trial_insert(candidate: Slot) -> list:
        """What a trial insert costs: the neighbours within a day, swept with the candidate."""
        near = [s for s in slots if abs((s.starts_at - candidate.starts_at).total_seconds()) < 86_400]
        return [
            c
            for c in conflicts_of(0, find_conflicts([*near, candidate], rooms, prints, rules))
            if c.severity == "error"
        ]

    tried, _, _ = best_of(1, lambda: [trial_insert(c) for c in candidates])
    every = len(rooms) * 10 * 24 * 60 // STEP
    per_try = tried / SAMPLE
    print(
        f"trying each of the {every:,} candidate starts by a trial insert: {per_try * 1000:.2f} ms each, "
        f"about {per_try * every:,.0f} s in all, {per_try * every / seconds:,.0f}x free_starts"
    )


if __name__ == "__main__":
    main()
