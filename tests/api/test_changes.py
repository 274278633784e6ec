"""A list of changes in one transaction: swaps of confirmed screenings, all or nothing, refusals by index."""

import pytest

from app.services.changes import MAX_CHANGES


@pytest.fixture
def two_confirmed(api):
    api.festival()
    caligari = api.venue(name="Caligari", turnaround_minutes=20)
    comrades = api.film()
    ascent = api.film(title="The Ascent", original_title="Восхождение", runtime_minutes=111)
    early = api.screening(caligari["id"], [comrades["id"]], "2021-11-19T18:00", status="confirmed")
    late = api.screening(caligari["id"], [ascent["id"]], "2021-11-19T20:30", status="confirmed")
    return api, caligari, comrades, ascent, early, late


def changes(api, entries, expect=200):
    response = api.client.post(f"/api/festivals/{api.slug}/changes", json={"changes": entries}, headers=api.headers)
    assert response.status_code == expect, response.text
    return response.json()


def stored(api, screening_id):
    return api.client.get(f"/api/festivals/{api.slug}/screenings/{screening_id}", headers=api.headers)


def test_two_confirmed_screenings_swap_places_in_one_list(two_confirmed):
    api, _, _, _, early, late = two_confirmed
    answer = changes(
        api,
        [
            {"op": "update", "id": early["id"], "starts_at": "2021-11-19T20:30"},
            {"op": "update", "id": late["id"], "starts_at": "2021-11-19T18:00"},
        ],
    )
    assert [(o["index"], o["op"], o["id"]) for o in answer["items"]] == [
        (0, "update", early["id"]),
        (1, "update", late["id"]),
    ]
    assert answer["items"][0]["screening"]["starts_at"] == "2021-11-19T20:30:00+01:00"
    assert stored(api, late["id"]).json()["starts_at"] == "2021-11-19T18:00:00+01:00"
    assert stored(api, early["id"]).json()["status"] == "confirmed"
    # the same swap as two single writes is refused at the first
    response = api.client.patch(
        f"/api/festivals/{api.slug}/screenings/{early['id']}",
        json={"starts_at": "2021-11-19T18:00"},
        headers=api.headers,
    )
    assert response.status_code == 409


def test_a_refused_list_changes_nothing_and_names_the_entry(two_confirmed):
    api, caligari, comrades, _, early, late = two_confirmed
    problem = changes(
        api,
        [
            {"op": "create", "venue_id": caligari["id"], "films": [comrades["id"]], "starts_at": "2021-11-20T18:00"},
            {"op": "update", "id": early["id"], "starts_at": "2021-11-19T20:00"},  # onto the confirmed late one
            {"op": "delete", "id": late["id"] + 1000},
        ],
        expect=404,
    )
    assert problem["index"] == 2
    assert problem["detail"].startswith("Change 2 (delete): Screening")

    problem = changes(
        api,
        [
            {"op": "create", "venue_id": caligari["id"], "films": [comrades["id"]], "starts_at": "2021-11-20T18:00"},
            {"op": "update", "id": early["id"], "starts_at": "2021-11-19T20:00"},
        ],
        expect=409,
    )
    assert problem["index"] == 1
    assert problem["detail"] == (
        "Change 1 (update): Dear Comrades! (Fri 19 Nov 20:00, Caligari) cannot be confirmed: 1 error-level "
        "conflict with confirmed screenings: it overlaps The Ascent (Fri 19 Nov 20:30, Caligari) by 90 minutes "
        "in Caligari."
    )
    assert problem["conflicts"][0]["screening_ids"] == [early["id"], late["id"]]
    listed = api.client.get(f"/api/festivals/{api.slug}/screenings", headers=api.headers).json()
    assert listed["total"] == 2  # the create of entry 0 was rolled back
    assert stored(api, early["id"]).json()["starts_at"] == "2021-11-19T18:00:00+01:00"


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"op": "move", "id": 1}, "changes.0.op"),
        ({"op": "update", "starts_at": "2021-11-19T20:00"}, "changes.0.id"),
        ({"op": "update", "id": 1, "status": "maybe"}, "changes.0.status"),
        ({"op": "create", "venue_id": 1, "films": []}, "changes.0.starts_at"),
        ({"op": "delete", "id": 1, "notes": "x"}, "changes.0.notes"),
    ],
)
def test_invalid_entries_answer_422_with_the_field(two_confirmed, entry, field):
    api, *_ = two_confirmed
    if entry.get("id") == 1:
        entry = {**entry, "id": two_confirmed[4]["id"]}
    problem = changes(api, [entry], expect=422)
    assert problem["index"] == 0
    assert problem["errors"][0]["field"] == field


def test_create_update_and_delete_together(two_confirmed):
    api, caligari, comrades, _, early, late = two_confirmed
    answer = changes(
        api,
        [
            {"op": "delete", "id": late["id"]},
            {
                "op": "create",
                "venue_id": caligari["id"],
                "films": [comrades["id"]],
                "starts_at": "2021-11-19T20:30",
                "status": "confirmed",
            },
            {"op": "update", "id": early["id"], "status": "draft"},
        ],
    )
    created = answer["items"][1]["screening"]
    assert answer["items"][0]["screening"] is None
    assert created["status"] == "confirmed" and created["conflicts"] == []
    assert stored(api, late["id"]).status_code == 404
    assert stored(api, early["id"]).json()["status"] == "draft"


def test_changes_need_a_token(client):
    response = client.post("/api/festivals/x/changes", json={"changes": [{"op": "delete", "id": 1}]})
    assert response.status_code == 401


def test_a_list_holds_up_to_a_thousand_changes(api):
    api.festival()
    caligari = api.venue(turnaround_minutes=0)
    short = api.film(title="The Last Barge", original_title=None, runtime_minutes=15)
    entries = [
        {
            "op": "create",
            "venue_id": caligari["id"],
            "films": [short["id"]],
            "starts_at": f"2021-11-{17 + n // 200}T{8 + n % 200 // 15:02}:{n % 15 * 4:02}",
        }
        for n in range(MAX_CHANGES + 1)
    ]
    problem = changes(api, entries, expect=422)
    assert "1000" in str(problem) or "1,000" in str(problem)
    answer = changes(api, entries[:MAX_CHANGES])
    assert answer["total"] == MAX_CHANGES == 1_000
    # 4 minutes apart, 15 minutes long: each overlaps the previous three and the next three in one room
    kinds = [c["kind"] for c in answer["items"][500]["screening"]["conflicts"]]
    assert kinds.count("venue_overlap") == 6


def test_a_screening_created_and_then_changed_in_one_list_answers_as_it_now_stands(two_confirmed):
    api, caligari, comrades, _, _, late = two_confirmed
    created = late["id"] + 1  # ids are handed out in order: the list's new screening gets the next one
    answer = changes(
        api,
        [
            {"op": "create", "venue_id": caligari["id"], "films": [comrades["id"]], "starts_at": "2021-11-20T18:00"},
            {"op": "update", "id": created, "notes": "print arrives by courier"},
        ],
    )
    assert [o["id"] for o in answer["items"]] == [created, created]
    assert [o["screening"]["notes"] for o in answer["items"]] == ["print arrives by courier"] * 2
    assert stored(api, created).json()["notes"] == "print arrives by courier"
