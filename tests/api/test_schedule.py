"""Venues, films and screenings over HTTP: derived times, time zones, refusals that change nothing."""

import pytest


@pytest.fixture
def festival(api):
    api.festival()
    venue = api.venue()
    short = api.film(title="The Last Barge", original_title=None, runtime_minutes=14)
    feature = api.film()
    return api, venue, short, feature


def test_seed_screening_ends_after_midnight_but_stays_on_its_festival_day(festival):
    api, venue, short, feature = festival
    screening = api.screening(venue["id"], [short["id"], feature["id"]], "2021-11-19T22:00", intro_minutes=5)
    assert screening["starts_at"] == "2021-11-19T22:00:00+01:00"
    assert screening["runtime_minutes"] == 5 + 14 + 120
    assert screening["ends_at"] == "2021-11-20T00:19:00+01:00"
    assert screening["festival_day"] == "2021-11-19"
    assert screening["title"] == "The Last Barge + Dear Comrades!"
    assert screening["status"] == "draft"


def test_duration_across_the_dst_night_is_absolute_time(festival):
    api, venue, _, feature = festival
    screening = api.screening(venue["id"], [feature["id"]], "2021-10-31T01:30")
    # 01:30 CEST (+02:00, first occurrence) + 120 min = 02:30 CET (+01:00)
    assert (screening["starts_at"], screening["ends_at"]) == ("2021-10-31T01:30:00+02:00", "2021-10-31T02:30:00+01:00")
    assert screening["festival_day"] == "2021-10-30"


def test_an_offset_chooses_the_second_occurrence_of_an_ambiguous_time(festival):
    api, venue, _, feature = festival
    screening = api.screening(venue["id"], [feature["id"]], "2021-10-31T02:30+01:00")
    assert screening["starts_at"] == "2021-10-31T02:30:00+01:00"


def test_a_time_skipped_by_dst_is_422_and_nothing_is_stored(festival):
    api, venue, _, feature = festival
    problem = api.screening(venue["id"], [feature["id"]], "2021-03-28T02:30", expect=422)
    assert problem["errors"][0]["field"] == "starts_at"
    assert "does not exist in Europe/Berlin" in problem["detail"]
    listed = api.client.get(f"/api/festivals/{api.slug}/screenings", headers=api.headers).json()
    assert listed["total"] == 0


def test_times_given_in_utc_are_answered_in_the_festival_zone(festival):
    api, venue, _, feature = festival
    screening = api.screening(venue["id"], [feature["id"]], "2021-11-19T21:00:00Z")
    assert screening["starts_at"] == "2021-11-19T22:00:00+01:00"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"venue_id": 999}, "venue_id"),
        ({"films": [999]}, "films.0"),
        ({"films": []}, "films"),
        ({"status": "maybe"}, "status"),
        ({"intro_minutes": -5}, "intro_minutes"),
        ({"unknown": 1}, "unknown"),
    ],
    ids=["unknown_venue", "unknown_film", "no_films", "bad_status", "negative_intro", "unknown_field"],
)
def test_invalid_screening_is_422_naming_the_field(festival, body, field):
    api, venue, _, feature = festival
    base = {"venue_id": venue["id"], "films": [feature["id"]], "starts_at": "2021-11-19T18:00"}
    problem = api.post(f"/api/festivals/{api.slug}/screenings", {**base, **body}, expect=422)
    assert [e["field"] for e in problem["errors"]] == [field]


def test_malformed_json_is_a_problem(festival):
    api = festival[0]
    response = api.client.post(
        f"/api/festivals/{api.slug}/screenings",
        content=b'{"venue_id": 1,',
        headers={**api.headers, "content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert "not valid JSON" in response.json()["detail"]


def test_deleting_a_venue_or_film_in_use_is_409(festival):
    api, venue, _, feature = festival
    api.screening(venue["id"], [feature["id"]])
    client, headers = api.client, api.headers
    assert client.delete(f"/api/festivals/{api.slug}/venues/{venue['id']}", headers=headers).status_code == 409
    film = client.delete(f"/api/festivals/{api.slug}/films/{feature['id']}", headers=headers)
    assert film.status_code == 409
    assert "1 screening" in film.json()["detail"]


def test_patch_moves_a_screening_and_keeps_the_rest(festival):
    api, venue, short, feature = festival
    created = api.client.post(
        f"/api/festivals/{api.slug}/screenings",
        headers=api.headers,
        json={
            "venue_id": venue["id"],
            "films": [short["id"], feature["id"]],
            "starts_at": "2021-11-19T22:00",
            "guests": ["Festival curator"],
        },
    )
    url = created.headers["location"]
    moved = api.client.patch(
        url, json={"starts_at": "2021-11-20T20:00"}, headers={**api.headers, "If-Match": created.headers["etag"]}
    )
    assert moved.status_code == 200
    body = moved.json()
    assert (body["starts_at"], body["films"], body["guests"]) == (
        "2021-11-20T20:00:00+01:00",
        [short["id"], feature["id"]],
        ["Festival curator"],
    )
    stale = api.client.delete(url, headers={**api.headers, "If-Match": created.headers["etag"]})
    assert stale.status_code == 412
    assert api.client.delete(url, headers=api.headers).status_code == 204
    assert api.client.get(url, headers=api.headers).status_code == 404


def test_list_filters_by_festival_day_venue_and_status(festival):
    api, venue, _, feature = festival
    other = api.venue(name="Murnau-Filmtheater")
    api.screening(venue["id"], [feature["id"]], "2021-11-19T22:00")
    api.screening(venue["id"], [feature["id"]], "2021-11-20T01:30")  # still festival day 19th
    api.screening(other["id"], [feature["id"]], "2021-11-20T18:00", status="confirmed")
    base = f"/api/festivals/{api.slug}/screenings"

    def ids(query):
        return [s["starts_at"] for s in api.client.get(base + query, headers=api.headers).json()["items"]]

    assert ids("?day=2021-11-19") == ["2021-11-19T22:00:00+01:00", "2021-11-20T01:30:00+01:00"]
    assert ids(f"?venue_id={other['id']}") == ["2021-11-20T18:00:00+01:00"]
    assert ids("?status=confirmed") == ["2021-11-20T18:00:00+01:00"]


def test_venue_availability_is_read_and_answered_in_local_time(festival):
    api = festival[0]
    venue = api.venue(name="Kurhaus", availability=[{"starts_at": "2021-11-18T10:00", "ends_at": "2021-11-18T23:00"}])
    assert venue["availability"] == [{"starts_at": "2021-11-18T10:00:00+01:00", "ends_at": "2021-11-18T23:00:00+01:00"}]


def test_film_update_that_would_break_confirmed_screenings_is_refused(festival):
    api, venue, _, feature = festival
    api.screening(venue["id"], [feature["id"]], "2021-11-19T18:00", status="confirmed")
    api.screening(venue["id"], [feature["id"]], "2021-11-19T20:30", status="confirmed")
    url = f"/api/festivals/{api.slug}/films/{feature['id']}"
    response = api.client.patch(url, json={"runtime_minutes": 180}, headers=api.headers)
    assert response.status_code == 409
    assert {c["kind"] for c in response.json()["conflicts"]} == {"venue_overlap", "print_clash"}
    assert api.client.get(url, headers=api.headers).json()["runtime_minutes"] == 120


def test_text_with_nul_is_refused_on_both_databases(festival):
    api = festival[0]
    response = api.client.post(f"/api/festivals/{api.slug}/venues", json={"name": "Kino\x00"}, headers=api.headers)
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": "name", "message": "must not contain the control character NUL"}]
    venues = api.client.get(f"/api/festivals/{api.slug}/venues", headers=api.headers).json()["items"]
    names = [v["name"] for v in venues]
    assert names == ["Caligari FilmBühne"]
