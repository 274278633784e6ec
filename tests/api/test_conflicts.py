"""Conflicts over HTTP: the list (errors first, filtered, paged) and the dry run that writes nothing."""

import random

import pytest

from tests.builders import screening_body


@pytest.fixture
def clashing(api):
    api.festival()
    caligari = api.venue(turnaround_minutes=20)
    feature = api.film()
    short = api.film(title="The Last Barge", original_title=None, runtime_minutes=15)
    ids = [
        api.screening(caligari["id"], [feature["id"]], "2021-11-19T18:00")["id"],
        api.screening(caligari["id"], [short["id"]], "2021-11-19T19:30")["id"],  # overlaps the feature
        api.screening(caligari["id"], [short["id"]], "2021-11-20T20:10")["id"],  # 10 minutes after...
        api.screening(caligari["id"], [feature["id"]], "2021-11-20T18:00")["id"],
    ]  # ...this one ends
    return api, caligari, feature, ids


def conflicts(api, query=""):
    response = api.client.get(f"/api/festivals/{api.slug}/conflicts{query}", headers=api.headers)
    assert response.status_code == 200, response.text
    return response.json()


def test_conflicts_are_listed_errors_first_with_their_days(clashing):
    api, *_, ids = clashing
    listed = conflicts(api)
    assert [
        (c["kind"], c["severity"], c["screening_ids"], c["minutes"], c["festival_day"]) for c in listed["items"]
    ] == [
        ("venue_overlap", "error", [ids[0], ids[1]], 15, "2021-11-19"),
        ("turnaround", "warning", [ids[3], ids[2]], 10, "2021-11-20"),
    ]
    # in words a programmer can act on: films, day, time and venue (the ids stay in screening_ids)
    assert listed["items"][1]["message"] == (
        "The Last Barge (Sat 20 Nov 20:10, Caligari FilmBühne) starts too soon after Dear Comrades! "
        "(Sat 20 Nov 18:00, Caligari FilmBühne) ends: Caligari FilmBühne is 10 minutes short of its turnaround."
    )
    assert listed["total"] == 2


@pytest.mark.parametrize(
    ("query", "kinds"),
    [
        ("?severity=warning", ["turnaround"]),
        ("?kind=venue_overlap", ["venue_overlap"]),
        ("?day=2021-11-20", ["turnaround"]),
        ("?day=2021-11-21", []),
        ("?limit=1&offset=1", ["turnaround"]),
    ],
    ids=["severity", "kind", "day", "empty_day", "paged"],
)
def test_conflicts_can_be_filtered(clashing, query, kinds):
    assert [c["kind"] for c in conflicts(clashing[0], query)["items"]] == kinds


def test_an_unknown_kind_is_422(clashing):
    api = clashing[0]
    assert api.client.get(f"/api/festivals/{api.slug}/conflicts?kind=nonsense", headers=api.headers).status_code == 422


def test_check_answers_for_a_proposed_screening_and_writes_nothing(clashing):
    api, caligari, feature, ids = clashing
    before = api.client.get(f"/api/festivals/{api.slug}/screenings", headers=api.headers).json()["total"]
    answer = api.post(
        f"/api/festivals/{api.slug}/conflicts/check",
        {"venue_id": caligari["id"], "films": [feature["id"]], "starts_at": "2021-11-19T19:00"},
        expect=200,
    )
    # 0 stands for the proposed screening
    assert [(c["kind"], c["screening_ids"]) for c in answer["items"]] == [
        ("print_clash", [ids[0], 0]),
        ("venue_overlap", [ids[0], 0]),
        ("venue_overlap", [0, ids[1]]),
    ]
    after = api.client.get(f"/api/festivals/{api.slug}/screenings", headers=api.headers).json()["total"]
    assert before == after == 4


def test_each_screening_answers_the_same_conflicts_as_the_whole_schedule(clashing):
    """A screening's own conflicts are found in a window around it; it must miss nothing."""
    api, caligari, feature, ids = clashing
    other = api.venue(name="Murnau-Filmtheater", turnaround_minutes=15)
    ids.append(api.screening(other["id"], [feature["id"]], "2021-11-19T20:20")["id"])  # print in transit
    ids.append(api.screening(other["id"], [feature["id"]], "2021-11-21T23:30", guests=["Anna"])["id"])
    ids.append(api.screening(caligari["id"], [feature["id"]], "2021-11-22T01:00", guests=["anna"])["id"])
    everything = conflicts(api, "?limit=1000")["items"]
    for screening_id in ids:
        own = api.client.get(f"/api/festivals/{api.slug}/screenings/{screening_id}", headers=api.headers).json()
        assert own["conflicts"] == [c for c in everything if screening_id in c["screening_ids"]], screening_id


def test_each_write_answers_the_same_conflicts_as_the_whole_schedule(api):
    """A write looks only at the screenings in its venue, showing its films or (when it has guests)
    with guests; its answer must still be exactly its share of the whole schedule's conflicts."""
    rng = random.Random(14)
    api.festival(print_transfer_minutes=40)
    venues = [api.venue(name=f"Room {n}", turnaround_minutes=rng.choice([0, 15, 30]))["id"] for n in range(3)]
    films = [
        api.film(title=f"Film {n}", original_title=None, runtime_minutes=rng.choice([15, 70, 100]), copies=copies)["id"]
        for n, copies in enumerate([1, 1, 2, 1])
    ]
    stored: list[int] = []

    def same_as_whole(answer: dict) -> None:
        everything = conflicts(api, "?limit=1000")["items"]
        assert answer["conflicts"] == [c for c in everything if answer["id"] in c["screening_ids"]], answer["id"]

    for n in range(40):
        body = screening_body(
            rng.choice(venues),
            rng.sample(films, rng.choice([1, 1, 2])),
            f"2021-11-{rng.choice([18, 19])}T{rng.randrange(10, 24):02}:{rng.choice([0, 15, 30, 45]):02}",
            guests=rng.choice([[], [], ["Anna"], [" anna  "], ["Bela", "Anna"]]),
            status=rng.choice(["draft", "draft", "confirmed", "cancelled"]),
        )
        if stored and n % 4 == 3:  # move one already stored
            screening_id = rng.choice(stored)
            path = f"/api/festivals/{api.slug}/screenings/{screening_id}"
            response = api.client.patch(path, json=body, headers=api.headers)
        else:
            response = api.client.post(f"/api/festivals/{api.slug}/screenings", json=body, headers=api.headers)
        assert response.status_code in (200, 201, 409), response.text
        if response.status_code != 409:  # a confirmed screening refused for an error: nothing stored
            stored.append(response.json()["id"])
            same_as_whole(response.json())
    assert len(set(stored)) > 20


def test_a_dry_run_names_the_proposed_screening_by_its_film(clashing):
    api, caligari, feature, ids = clashing
    body = {"venue_id": caligari["id"], "films": [feature["id"]], "starts_at": "2021-11-19T18:30"}
    response = api.client.post(f"/api/festivals/{api.slug}/conflicts/check", json=body, headers=api.headers)
    overlaps = [c for c in response.json()["items"] if c["kind"] == "venue_overlap"]
    assert overlaps and all("Dear Comrades! (Fri 19 Nov 18:30, Caligari FilmBühne)" in c["message"] for c in overlaps)
    assert all(0 in c["screening_ids"] for c in overlaps)
