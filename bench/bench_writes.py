"""Writes over real HTTP: 1,000 creates one request at a time, the same 1,000 in one list of
changes, and a single create in a small and a large stored festival.

Run: python -m bench.bench_writes

Against a real `marquee serve` on SQLite with one worker. The baseline is the plain-text
/healthz route of the same server, measured in the same run (the cost of HTTP itself).

- 1,000 screenings created one `POST /screenings` at a time, each answer with its conflicts
  (90-minute films 100 minutes apart in 20 rooms: turnaround warnings), on a festival that
  starts empty; best, median and slowest of three runs. Target (issue 14): under 5 s. Beside
  it, the CPU time a request costs the server and the client: on a shared machine the wall
  clock also counts waiting for a core.

  The headline figure is measured with a lean client: the standard library's `http.client` on
  one keep-alive connection, each answer read and parsed as JSON (about 0.3 ms of client CPU a
  request). The same three runs are then made with httpx, whose client costs 1.2-1.75 ms of
  CPU a request (a third of the round trip or more; none of it Marquee's), and printed beside, so
  nothing is hidden: the server's CPU per request is about the same with either client.
- The same 1,000 bodies in one `POST /changes` list, on an empty festival; best, median and
  slowest of three. Target: under 1 s.
- A single create (a draft on top of a stored screening, so its answer has conflicts) in a
  stored festival of 1,000 screenings in 20 rooms and of 10,000 in 200 rooms, each with 5%
  more drafts overlapping stored screenings; the median of 50 creates, beside /healthz requested
  between them.
  Target: at 10,000 screenings within 5x of /healthz."""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import time as clock
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from sqlalchemy import create_engine, insert, select

from app.store.models import Festival, Film, Screening, ScreeningFilm
from bench.http import fresh_sqlite_url, make_token, median_ms, once_ms, served
from bench.stored import add_draft_overlaps, store_festival
from tests.server import Server, running_process

CREATES = 1_000
RUNS = 3
STORED = ((1_000, 20), (10_000, 200))
SINGLE_CREATES = 50
OVERLAPPING_SHARE = 0.05
TARGET_CREATES_S, TARGET_BATCH_S, TARGET_RATIO = 5.0, 1.0, 5.0


def add_films(url: str, count: int, runtime: int = 90, slug: str = "bench") -> list[int]:
    """`count` films of `runtime` minutes, stored straight into the festival `slug`."""
    engine = create_engine(url)
    with engine.begin() as db:
        festival_id = db.execute(select(Festival.id).where(Festival.slug == slug)).scalar_one()
        rows = [
            {
                "festival_id": festival_id,
                "title": f"Film {n}",
                "runtime_minutes": runtime,
                "directors": [],
                "countries": [],
                "languages": [],
                "credits": [],
                "awards": [],
                "copies": 1,
                "premiere": "none",
                "synopsis": "",
                "notes": "",
                "revision": 1,
            }
            for n in range(count)
        ]
        ids = db.execute(insert(Film).returning(Film.id), rows).scalars().all()
    engine.dispose()
    return list(ids)


def create_bodies(films: list[int], venues: list[int]) -> list[dict]:
    """1,000 screenings: each room plays five 90-minute films a day, 100 minutes apart, each film three times."""
    bodies = []
    for n in range(CREATES):
        venue, k = divmod(n, CREATES // len(venues))
        day, slot = divmod(k, 5)
        starts_at = datetime.combine(date(2021, 10, 26) + timedelta(days=day % 10), time(10)) + timedelta(
            minutes=100 * slot
        )
        bodies.append(
            {
                "venue_id": venues[venue % len(venues)],
                "films": [films[n // 3]],
                "starts_at": starts_at.isoformat(),
                "status": "confirmed" if n % 2 else "draft",
            }
        )
    return bodies


def empty_festival() -> tuple[str, list[int]]:
    """A stored festival of 20 rooms and enough films for the 1,000 bodies, with no screenings."""
    url = fresh_sqlite_url()
    store_festival(url, 0, 20)
    return url, add_films(url, CREATES // 3 + 1)


@contextmanager
def served_process(url: str) -> Iterator[tuple[Server, httpx.Client]]:
    """Like `bench.http.served`, with the server process itself (to read its CPU time)."""
    token = make_token(url)
    with (
        running_process(url) as server,
        httpx.Client(base_url=server.base, headers={"Authorization": f"Bearer {token}"}, timeout=120) as client,
    ):
        yield server, client


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux: /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class LeanClient:
    """One keep-alive HTTP/1.1 connection (the standard library's `http.client`) with a programmer's
    token: a client that costs a fraction of what httpx costs a request."""

    def __init__(self, base: str, token: str):
        address = urlsplit(base)
        self.connection = http.client.HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=120)
        self.headers = {"Authorization": f"Bearer {token}"}
        self.json_headers = {**self.headers, "Content-Type": "application/json"}

    def get(self, path: str) -> tuple[int, bytes]:
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        return response.status, response.read()

    def post_json(self, path: str, body: dict) -> tuple[int, bytes]:
        self.connection.request("POST", path, body=json.dumps(body).encode(), headers=self.json_headers)
        response = self.connection.getresponse()
        return response.status, response.read()

    def close(self) -> None:
        self.connection.close()


def measure_creates(lean: bool = True) -> dict:
    """1,000 creates one at a time, with the lean client (`lean`) or with httpx."""
    url, films = empty_festival()
    with served_process(url) as (server, http):
        venues = [v["id"] for v in http.get("/api/festivals/bench/venues").json()["items"]]
        bodies = create_bodies(films, venues)
        path = "/api/festivals/bench/screenings"
        if lean:
            client = LeanClient(server.base, http.headers["Authorization"].removeprefix("Bearer "))

            def healthz() -> None:
                assert client.get("/healthz")[0] == 200

            def create(body: dict) -> tuple[int, dict]:
                status, payload = client.post_json(path, body)
                return status, json.loads(payload)
        else:

            def healthz() -> None:
                http.get("/healthz").raise_for_status()

            def create(body: dict) -> tuple[int, dict]:
                response = http.post(path, json=body)
                return response.status_code, response.json()

        baseline = median_ms(healthz)
        created = with_conflicts = 0
        server_cpu, client_cpu = cpu_seconds(server.process.pid), clock.process_time()
        started = clock.perf_counter()
        for body in bodies:
            status, answer = create(body)
            assert status in (201, 409), answer
            created += status == 201
            with_conflicts += bool(answer.get("conflicts"))
        seconds = clock.perf_counter() - started
        server_cpu = cpu_seconds(server.process.pid) - server_cpu
        client_cpu = clock.process_time() - client_cpu
        if lean:
            client.close()
    return {
        "seconds": seconds,
        "server_cpu": server_cpu,
        "client_cpu": client_cpu,
        "created": created,
        "with_conflicts": with_conflicts,
        "baseline_ms": baseline,
    }


def measure_batch() -> dict:
    url, films = empty_festival()
    with served(url) as (_, http):
        venues = [v["id"] for v in http.get("/api/festivals/bench/venues").json()["items"]]
        changes = [{"op": "create", **body} for body in create_bodies(films, venues)]
        started = clock.perf_counter()
        response = http.post("/api/festivals/bench/changes", json={"changes": changes})
        seconds = clock.perf_counter() - started
        assert response.status_code == 200, response.text[:2000]
        items = response.json()["items"]
        assert len(items) == CREATES
    return {"seconds": seconds, "with_conflicts": sum(bool(i["screening"]["conflicts"]) for i in items)}


def measure_single_create(screenings: int, venues: int) -> dict:
    """The median of 50 creates, each a draft on top of a stored screening, and of /healthz between them."""
    url = fresh_sqlite_url()
    store_festival(url, screenings, venues)
    add_draft_overlaps(url, int(screenings * OVERLAPPING_SHARE))
    rng = random.Random(14)
    engine = create_engine(url)
    with engine.connect() as db:
        stored = db.execute(
            select(Screening.venue_id, Screening.starts_at, ScreeningFilm.film_id)
            .join(ScreeningFilm, ScreeningFilm.screening_id == Screening.id)
            .where(Screening.status == "confirmed")
            .order_by(Screening.id)
        ).all()
    engine.dispose()
    with served(url) as (_, http):
        times, baselines, with_conflicts = [], [], 0
        for s in rng.sample(stored, SINGLE_CREATES + 1):
            venue_id, starts_at, film_id = s
            body = {"venue_id": venue_id, "films": [film_id], "starts_at": starts_at.isoformat(), "status": "draft"}
            answer = {}

            def create(body=body, answer=answer):
                response = http.post("/api/festivals/bench/screenings", json=body)
                assert response.status_code == 201, response.text
                answer.update(response.json())

            times.append(once_ms(create))
            with_conflicts += bool(answer["conflicts"])
            # the baseline beside each create, so both see the same machine
            baselines.extend(once_ms(lambda: http.get("/healthz").raise_for_status()) for _ in range(3))
    return {
        "screenings": screenings,
        "venues": venues,
        "create_ms": statistics.median(times[1:]),  # the first create warms the server's caches
        "with_conflicts": with_conflicts,
        "baseline_ms": statistics.median(baselines[3:]),
    }


def _spread(values: list[float]) -> str:
    return f"best {min(values):.2f} s, median {statistics.median(values):.2f} s, slowest {max(values):.2f} s"


def main() -> None:
    print("Writes over HTTP (SQLite, one server process); baseline: GET /healthz of the same server")
    for lean in (True, False):
        creates = [measure_creates(lean) for _ in range(RUNS)]
        seconds = [c["seconds"] for c in creates]
        baseline = statistics.median(c["baseline_ms"] for c in creates)
        per_request = statistics.median(seconds) / CREATES * 1000
        server_cpu = statistics.median(c["server_cpu"] for c in creates) / CREATES * 1000
        client_cpu = statistics.median(c["client_cpu"] for c in creates) / CREATES * 1000
        client = "http.client, one keep-alive connection" if lean else "httpx (the same runs, beside)"
        print(
            f"creating {CREATES:,} screenings one request at a time (each answer with its conflicts), {RUNS} runs, "
            f"client {client}: {_spread(seconds)}; {per_request:.1f} ms per request, "
            f"{per_request / baseline:.1f}x /healthz ({baseline:.2f} ms); {creates[0]['created']} created, "
            f"{creates[0]['with_conflicts']} answers with conflicts; target under {TARGET_CREATES_S:.0f} s"
        )
        # on a shared machine the wall clock waits for other processes; CPU time says what the request costs
        print(
            f"  CPU per request: server {server_cpu:.2f} ms, client ({'http.client' if lean else 'httpx'}) "
            f"{client_cpu:.2f} ms; the rest of {per_request:.1f} ms is waiting (for the other side, or for a core)"
        )
    batches = [measure_batch() for _ in range(RUNS)]
    seconds = [b["seconds"] for b in batches]
    print(
        f"the same {CREATES:,} in one POST /changes list, {RUNS} runs: {_spread(seconds)} "
        f"({statistics.median(seconds) / CREATES * 1e6:.0f} us per entry, {batches[0]['with_conflicts']} "
        f"with conflicts); target under {TARGET_BATCH_S:.0f} s"
    )
    print(f"\none create (a draft on a stored screening, answered with its conflicts; median of {SINGLE_CREATES})")
    print(f"{'stored':>8} {'venues':>6} {'create':>9} {'/healthz':>9} {'create/healthz':>15}")
    rows = [measure_single_create(screenings, venues) for screenings, venues in STORED]
    for row in rows:
        print(
            f"{row['screenings']:>8,} {row['venues']:>6} {row['create_ms']:>7.2f}ms {row['baseline_ms']:>7.2f}ms "
            f"{row['create_ms'] / row['baseline_ms']:>14.1f}x"
        )
    small, large = rows
    print(
        f"growth from {small['screenings']:,} to {large['screenings']:,} stored screenings: "
        f"{large['create_ms'] / small['create_ms']:.2f}x; target: within {TARGET_RATIO:.0f}x of /healthz"
    )


if __name__ == "__main__":
    main()
