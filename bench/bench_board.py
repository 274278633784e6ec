"""The board and the slot finder: a day of a 1,000-screening festival rendered, and where a film still fits
among 10,000 screenings in 100 venues.

Targets: the board's day in under 100 ms of server time; free starts in under 50 ms in process.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path


def _best(run, repeat: int = 7) -> tuple[float, float]:
    """(median, best) seconds of `repeat` calls after one warm-up."""
    run()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times)


def bench_free_starts() -> None:
    import dataclasses
    from datetime import UTC, timedelta

    from app.scheduling.slots import free_starts
    from app.scheduling.times import day_bounds
    from bench.generate import STARTS_ON, generate_programme

    generated, rooms, prints, rules = generate_programme(10_000, venues=100)
    # as the store hands them over: instants in UTC (the generator's are in Europe/Berlin)
    stored = [
        dataclasses.replace(s, starts_at=s.starts_at.astimezone(UTC), ends_at=s.ends_at.astimezone(UTC))
        for s in generated
    ]
    film = next(iter(prints))
    day = date.fromordinal(STARTS_ON.toordinal() + 4)
    opens, closes = day_bounds(day, rules.zone, rules.day_starts_at)
    reach = timedelta(days=1, minutes=110)  # what `slots_of(around=...)` loads for that day
    nearby = [s for s in stored if opens - reach <= s.starts_at < closes + reach]
    cases = (
        ("one day, the day's neighbourhood as the service loads it", nearby, {"day": day}),
        ("one day, all 10,000 passed in (UTC)", stored, {"day": day}),
        ("one day, all 10,000 passed in (zone-aware, as generated)", generated, {"day": day}),
        ("whole festival, all 10,000 (UTC)", stored, {}),
    )
    for label, slots, kwargs in cases:
        found = []

        def run(slots=slots, kwargs=kwargs, found=found):
            found[:] = free_starts([film], 110, slots, rooms, prints, rules, step=15, **kwargs)

        median, best = _best(run)
        print(
            f"   free_starts, 10,000 screenings in 100 venues, {label} ({len(slots)} screenings): "
            f"{median * 1000:.1f} ms (best {best * 1000:.1f}), {len(found)} starts; target under 50 ms: "
            f"{'met' if median < 0.05 else 'MISSED'}"
        )


def bench_board_http() -> None:
    import os

    from fastapi.testclient import TestClient

    from bench.stored import STARTS_ON, store_festival

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        store_festival(url, 1000, 20)
        os.environ["MARQUEE_DATABASE_URL"] = url
        from app.settings import get_settings
        from app.store.db import get_engines, unit_of_work
        from app.store.tokens import create_token

        get_settings.cache_clear()
        get_engines.cache_clear()
        with unit_of_work() as session:
            token = create_token(session, "programmer", "bench")[1]
        from app.main import create_app

        with TestClient(create_app()) as client:
            page = client.get("/login")
            sign_in = re.search(r'name="sign_in" value="([^"]+)"', page.text).group(1)
            client.post("/login", data={"token": token, "sign_in": sign_in, "next": "/"})
            day = date.fromordinal(STARTS_ON.toordinal() + 2).isoformat()
            path = f"/festivals/bench/board?day={day}"
            started = time.perf_counter()
            first = client.get(path)
            cold = time.perf_counter() - started
            assert first.status_code == 200, first.text[:500]
            blocks = first.text.count('class="block ')
            median, best = _best(lambda: client.get(path), repeat=15)
            health, _ = _best(lambda: client.get("/healthz"), repeat=15)
            print(
                f"   board of one day, 1,000-screening festival in 20 rooms ({blocks} blocks): "
                f"{median * 1000:.1f} ms (best {best * 1000:.1f}; first request, conflicts not yet cached, "
                f"{cold * 1000:.0f} ms); /healthz {health * 1000:.1f} ms; target under 100 ms: "
                f"{'met' if median < 0.1 else 'MISSED'}"
            )
            slots_path = "/api/festivals/bench/films/1/slots"
            headers = {"Authorization": f"Bearer {token}"}
            median, _ = _best(lambda: client.get(slots_path, params={"day": day}, headers=headers))
            print(f"   GET .../films/1/slots?day=, over the ASGI stack: {median * 1000:.1f} ms")
        get_engines().write.dispose()
        get_engines.cache_clear()
        get_settings.cache_clear()


def main() -> None:
    bench_free_starts()
    bench_board_http()


if __name__ == "__main__":
    main()
