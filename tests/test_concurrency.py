"""Two programmers confirming at the same second never double-book a room (real server, real HTTP)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import httpx
import pytest

from tests.conftest import make_token
from tests.factories import festival_body, film_body, screening_body, venue_body
from tests.server import running_server

CONTENDERS = 16


@pytest.mark.parametrize("workers", [2], ids=["two_server_processes"])
def test_only_one_of_many_simultaneous_overlapping_confirmations_wins(database, workers):
    token = make_token("programmer")
    headers = {"Authorization": f"Bearer {token}"}
    with running_server(database, workers=workers) as base:
        with httpx.Client(base_url=base, headers=headers) as http:
            http.post("/api/festivals", json=festival_body()).raise_for_status()
            venue = http.post("/api/festivals/wiesbaden-2021/venues", json=venue_body()).json()
            # every contender shows its own film, so only the room is contested
            films = [http.post("/api/festivals/wiesbaden-2021/films",
                               json=film_body(title=f"Film {n}")).json() for n in range(CONTENDERS)]
        barrier = Barrier(CONTENDERS)

        def confirm(n: int) -> int:
            body = screening_body(venue["id"], [films[n]["id"]], f"2021-11-19T20:{n:02d}", status="confirmed")
            with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
                barrier.wait()
                return http.post("/api/festivals/wiesbaden-2021/screenings", json=body).status_code

        with ThreadPoolExecutor(CONTENDERS) as pool:
            statuses = list(pool.map(confirm, range(CONTENDERS)))
        with httpx.Client(base_url=base, headers=headers) as http:
            stored = http.get("/api/festivals/wiesbaden-2021/screenings?status=confirmed").json()
            conflicts = http.get("/api/festivals/wiesbaden-2021/conflicts?severity=error").json()
    assert sorted(statuses) == [201] + [409] * (CONTENDERS - 1)
    assert stored["total"] == 1
    assert conflicts["total"] == 0
