"""Cached conflicts are never stale: caught up write by write, in one process and across two.

Every answer is compared with a full sweep of what the database holds at that moment.
"""

from __future__ import annotations

import random

import httpx
from sqlalchemy import text

from app.scheduling.conflicts import find_conflicts
from app.services import conflict_ledgers
from app.store import repository
from app.store.db import unit_of_work
from app.store.models import Festival
from tests.builders import festival_body, film_body, screening_body, venue_body
from tests.conftest import make_token
from tests.server import running_server

SLUG = "wiesbaden-2021"


def swept_now(festival_id: int) -> list[tuple]:
    """The conflicts a full sweep finds in what is committed now: kind, screenings, minutes."""
    with unit_of_work(write=False) as session:
        festival = session.get(Festival, festival_id)
        conflicts = find_conflicts(
            repository.slots_of(session, festival),
            repository.rooms_of(session, festival_id),
            repository.prints_of(session, festival_id),
            repository.rules_of(festival),
        )
    return [(c.kind, c.screening_ids, c.minutes) for c in conflicts]


def listed(http: httpx.Client | object) -> list[tuple]:
    response = http.get(f"/api/festivals/{SLUG}/conflicts?limit=1000")  # type: ignore[attr-defined]
    assert response.status_code == 200, response.text
    return [(c["kind"], tuple(c["screening_ids"]), c["minutes"]) for c in response.json()["items"]]


def build_festival(http) -> tuple[int, list[int], list[int]]:
    festival = http.post("/api/festivals", json=festival_body()).json()
    venues = [
        http.post(f"/api/festivals/{SLUG}/venues", json=venue_body(name=f"Room {n}")).json()["id"] for n in range(3)
    ]
    films = [
        http.post(f"/api/festivals/{SLUG}/films", json=film_body(title=f"Film {n}", runtime_minutes=100)).json()["id"]
        for n in range(4)
    ]
    return festival["id"], venues, films


def random_write(http, rng: random.Random, venues: list[int], films: list[int], ids: list[int]) -> None:
    """Create, move, recast, give guests to, cancel or delete a screening: drafts, so nothing is refused."""
    action = rng.choice(["create", "create", "move", "films", "guests", "cancel", "delete"]) if ids else "create"
    starts_at = f"2021-11-{rng.randint(18, 20)}T{rng.randint(10, 22):02d}:{rng.choice(['00', '30'])}"
    if action == "create":
        body = screening_body(
            rng.choice(venues),
            rng.sample(films, rng.randint(1, 2)),
            starts_at,
            guests=rng.sample(["Anna", "Bela", "Chantal"], rng.randint(0, 2)),
        )
        response = http.post(f"/api/festivals/{SLUG}/screenings", json=body)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
        return
    screening_id = rng.choice(ids)
    path = f"/api/festivals/{SLUG}/screenings/{screening_id}"
    if action == "delete":
        assert http.delete(path).status_code == 204
        ids.remove(screening_id)
        return
    change = {
        "move": {"venue_id": rng.choice(venues), "starts_at": starts_at},
        "films": {"films": rng.sample(films, rng.randint(1, 2))},
        "guests": {"guests": rng.sample(["Anna", "Bela", "Chantal"], rng.randint(0, 3))},
        "cancel": {"status": "cancelled"},
    }[action]
    response = http.patch(path, json=change)
    assert response.status_code == 200, response.text


def test_conflicts_after_each_write_are_caught_up_not_rebuilt(client, programmer):
    client.headers.update(programmer)
    festival_id, venues, films = build_festival(client)
    rng = random.Random(14)
    ids: list[int] = []
    listed(client)  # the ledger is built once
    before = (conflict_ledgers.stats.rebuilt, conflict_ledgers.stats.caught_up)
    for _ in range(40):
        random_write(client, rng, venues, films, ids)
        assert listed(client) == swept_now(festival_id)
    rebuilt, caught_up = conflict_ledgers.stats.rebuilt - before[0], conflict_ledgers.stats.caught_up - before[1]
    assert (rebuilt, caught_up) == (0, 40)
    assert any(listed(client)), "the random writes should have made some conflicts"


def test_a_venue_film_or_festival_edit_rebuilds(client, programmer):
    client.headers.update(programmer)
    festival_id, venues, films = build_festival(client)
    client.post(f"/api/festivals/{SLUG}/screenings", json=screening_body(venues[0], [films[0]], "2021-11-19T20:00"))
    client.post(f"/api/festivals/{SLUG}/screenings", json=screening_body(venues[0], [films[1]], "2021-11-19T22:00"))
    assert [kind for kind, _, _ in listed(client)] == []  # 20 minutes apart: the room needs 15
    client.patch(f"/api/festivals/{SLUG}/venues/{venues[0]}", json={"turnaround_minutes": 30}).raise_for_status()
    rebuilt = conflict_ledgers.stats.rebuilt

    assert [kind for kind, _, _ in listed(client)] == ["turnaround"]
    assert conflict_ledgers.stats.rebuilt == rebuilt + 1
    client.patch(f"/api/festivals/{SLUG}/films/{films[0]}", json={"runtime_minutes": 125}).raise_for_status()
    assert listed(client) == swept_now(festival_id)
    assert [kind for kind, _, _ in listed(client)] == ["venue_overlap"]


def test_a_process_behind_the_pruned_log_rebuilds(client, programmer):
    """A revision missing from the log (pruned, or written before it) is never guessed at."""
    client.headers.update(programmer)
    festival_id, venues, films = build_festival(client)
    client.post(f"/api/festivals/{SLUG}/screenings", json=screening_body(venues[0], [films[0]], "2021-11-19T20:00"))
    listed(client)
    client.post(f"/api/festivals/{SLUG}/screenings", json=screening_body(venues[0], [films[1]], "2021-11-19T20:30"))
    with unit_of_work() as session:
        session.execute(text("DELETE FROM schedule_change WHERE festival_id = :id"), {"id": festival_id})
    rebuilt = conflict_ledgers.stats.rebuilt

    assert [kind for kind, _, _ in listed(client)] == ["venue_overlap"]
    assert conflict_ledgers.stats.rebuilt == rebuilt + 1


def test_a_refused_write_leaves_no_trace_in_the_log(client, programmer):
    client.headers.update(programmer)
    festival_id, venues, films = build_festival(client)
    body = screening_body(venues[0], [films[0]], "2021-11-19T20:00", status="confirmed")
    client.post(f"/api/festivals/{SLUG}/screenings", json=body).raise_for_status()
    listed(client)
    with unit_of_work(write=False) as session:
        rows = session.execute(text("SELECT count(*) FROM schedule_change")).scalar_one()
    clash = screening_body(venues[0], [films[1]], "2021-11-19T20:30", status="confirmed")
    assert client.post(f"/api/festivals/{SLUG}/screenings", json=clash).status_code == 409

    with unit_of_work(write=False) as session:
        assert session.execute(text("SELECT count(*) FROM schedule_change")).scalar_one() == rows
    assert listed(client) == swept_now(festival_id) == []


def test_two_server_processes_answer_the_same_conflicts_after_each_others_writes(database):
    """Writes alternate between two servers sharing one database; after each, both answer
    what a full sweep of the database finds (the other one caught up from the schedule log)."""
    headers = {"Authorization": f"Bearer {make_token('programmer')}"}
    rng = random.Random(12)
    with running_server(database) as first, running_server(database) as second:
        with (
            httpx.Client(base_url=first, headers=headers, timeout=30) as one,
            httpx.Client(base_url=second, headers=headers, timeout=30) as other,
        ):
            festival_id, venues, films = build_festival(one)
            ids: list[int] = []
            assert listed(one) == listed(other) == []
            for n in range(30):
                writer = one if n % 3 else other
                random_write(writer, rng, venues, films, ids)
                truth = swept_now(festival_id)
                assert listed(one) == truth
                assert listed(other) == truth
            # a venue edit on one: the other rebuilds rather than keep the old turnaround
            one.patch(f"/api/festivals/{SLUG}/venues/{venues[1]}", json={"turnaround_minutes": 45}).raise_for_status()
            truth = swept_now(festival_id)
            assert listed(other) == truth == listed(one)


def test_publishing_leaves_the_cached_conflicts_as_they_are(client, programmer):
    """A publish takes the festival's lock but changes no schedule: no rebuild, no catch-up."""
    client.headers.update(programmer)
    festival_id, venues, films = build_festival(client)
    client.post(f"/api/festivals/{SLUG}/screenings", json=screening_body(venues[0], [films[0]], "2021-11-19T20:00"))
    client.post(f"/api/festivals/{SLUG}/screenings", json=screening_body(venues[0], [films[1]], "2021-11-19T20:30"))
    before = listed(client)
    counts = (conflict_ledgers.stats.rebuilt, conflict_ledgers.stats.caught_up)

    assert client.post(f"/api/festivals/{SLUG}/publish").status_code in (200, 201)

    assert listed(client) == before == swept_now(festival_id)
    assert (conflict_ledgers.stats.rebuilt, conflict_ledgers.stats.caught_up) == counts
