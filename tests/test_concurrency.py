"""Two programmers confirming at the same second never double-book a room (real server, real HTTP)."""

from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import httpx
import pytest

from tests.builders import festival_body, film_body, screening_body, venue_body
from tests.conftest import make_token
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
            films = [
                http.post("/api/festivals/wiesbaden-2021/films", json=film_body(title=f"Film {n}")).json()
                for n in range(CONTENDERS)
            ]
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


@pytest.mark.parametrize("entity", ["festival", "venue", "film", "screening"])
def test_simultaneous_patches_with_the_same_etag_lose_nothing(database, entity):
    """Exactly one of several PATCHes sent together with one If-Match wins; the rest get 412."""
    headers = {"Authorization": f"Bearer {make_token('programmer')}"}
    contenders = 6
    with running_server(database, workers=2) as base:
        with httpx.Client(base_url=base, headers=headers) as http:
            http.post("/api/festivals", json=festival_body()).raise_for_status()
            venue = http.post("/api/festivals/wiesbaden-2021/venues", json=venue_body()).json()
            film = http.post("/api/festivals/wiesbaden-2021/films", json=film_body()).json()
            screening = http.post(
                "/api/festivals/wiesbaden-2021/screenings", json=screening_body(venue["id"], [film["id"]])
            ).json()
            path = {
                "festival": "/api/festivals/wiesbaden-2021",
                "venue": f"/api/festivals/wiesbaden-2021/venues/{venue['id']}",
                "film": f"/api/festivals/wiesbaden-2021/films/{film['id']}",
                "screening": f"/api/festivals/wiesbaden-2021/screenings/{screening['id']}",
            }[entity]
            etag = http.get(path).headers["ETag"]
        field = {"festival": "city", "venue": "address", "film": "notes", "screening": "notes"}[entity]
        barrier = Barrier(contenders)

        def patch(n: int) -> int:
            with httpx.Client(base_url=base, headers={**headers, "If-Match": etag}, timeout=60) as http:
                barrier.wait()
                return http.patch(path, json={field: f"change {n}"}).status_code

        with ThreadPoolExecutor(contenders) as pool:
            statuses = list(pool.map(patch, range(contenders)))
        with httpx.Client(base_url=base, headers=headers) as http:
            stored = http.get(path).json()
    assert sorted(statuses) == [200] + [412] * (contenders - 1)
    assert stored[field].startswith("change ")


def test_only_one_of_many_simultaneous_lists_of_changes_confirms_into_a_room(database):
    """Lists of changes queue like single writes: of many lists each confirming a screening into the
    same evening of one room, exactly one wins; the others are refused whole (their drafts too)."""
    headers = {"Authorization": f"Bearer {make_token('programmer')}"}
    contenders = 8
    with running_server(database, workers=2) as base:
        with httpx.Client(base_url=base, headers=headers) as http:
            http.post("/api/festivals", json=festival_body()).raise_for_status()
            venue = http.post("/api/festivals/wiesbaden-2021/venues", json=venue_body()).json()
            other = http.post("/api/festivals/wiesbaden-2021/venues", json=venue_body(name="Murnau")).json()
            films = [
                http.post("/api/festivals/wiesbaden-2021/films", json=film_body(title=f"Film {n}")).json()
                for n in range(contenders)
            ]
        barrier = Barrier(contenders)

        def apply(n: int) -> int:
            entries = [
                {"op": "create", **screening_body(other["id"], [films[n]["id"]], f"2021-11-{17 + n % 4}T10:00")},
                {
                    "op": "create",
                    **screening_body(venue["id"], [films[n]["id"]], f"2021-11-19T20:{n:02d}", status="confirmed"),
                },
            ]
            with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
                barrier.wait()
                return http.post("/api/festivals/wiesbaden-2021/changes", json={"changes": entries}).status_code

        with ThreadPoolExecutor(contenders) as pool:
            statuses = list(pool.map(apply, range(contenders)))
        with httpx.Client(base_url=base, headers=headers) as http:
            stored = http.get("/api/festivals/wiesbaden-2021/screenings").json()
            conflicts = http.get("/api/festivals/wiesbaden-2021/conflicts?severity=error").json()
    assert sorted(statuses) == [200] + [409] * (contenders - 1)
    assert stored["total"] == 2  # the winner's two screenings; nothing of the refused lists
    assert conflicts["total"] == 0
