"""Festivals over HTTP: the contract's status codes, ETags and problem bodies."""

from tests.builders import festival_body


def test_create_answers_201_with_location_etag_and_the_festival(client, programmer):
    response = client.post("/api/festivals", json=festival_body(), headers=programmer)
    assert response.status_code == 201
    assert response.headers["location"] == "/api/festivals/wiesbaden-2021"
    assert response.headers["etag"]
    body = response.json()
    assert (body["slug"], body["timezone"], body["day_starts_at"]) == ("wiesbaden-2021", "Europe/Berlin", "06:00:00")
    assert body["print_transfer_minutes"] == 30


def test_duplicate_slug_is_409_and_names_the_slug(api):
    api.festival()
    problem = api.post("/api/festivals", festival_body(name="Other"), expect=409)
    assert "wiesbaden-2021" in problem["detail"]


def test_list_is_paged_in_the_items_total_shape(api, client):
    for n in range(3):
        api.festival(slug=f"fest-{n}")
    page = client.get("/api/festivals?limit=2&offset=1").json()
    assert (len(page["items"]), page["total"]) == (2, 3)


def test_limit_over_1000_is_422(client, database):
    response = client.get("/api/festivals?limit=1001")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "query.limit"


def test_patch_with_stale_if_match_is_412_and_changes_nothing(api, client):
    created = client.post("/api/festivals", json=festival_body(), headers=api.headers)
    etag = created.headers["etag"]
    first = client.patch(
        "/api/festivals/wiesbaden-2021", json={"city": "Mainz"}, headers={**api.headers, "If-Match": etag}
    )
    assert first.status_code == 200
    assert first.headers["etag"] != etag
    stale = client.patch(
        "/api/festivals/wiesbaden-2021", json={"city": "Bonn"}, headers={**api.headers, "If-Match": etag}
    )
    assert stale.status_code == 412
    assert client.get("/api/festivals/wiesbaden-2021").json()["city"] == "Mainz"


def test_ends_before_start_is_refused_with_the_reason(api):
    problem = api.post("/api/festivals", festival_body(starts_on="2021-11-21", ends_on="2021-11-17"), expect=422)
    assert "before starts_on" in problem["detail"]


def test_unknown_timezone_names_the_field(api):
    problem = api.post("/api/festivals", festival_body(timezone="Mars/Olympus"), expect=422)
    assert problem["errors"] == [
        {"field": "timezone", "message": "'Mars/Olympus' is not an IANA timezone name (e.g. Europe/Berlin)"}
    ]


def test_only_an_admin_may_delete_a_festival(api, client, admin):
    api.festival()
    assert client.delete("/api/festivals/wiesbaden-2021", headers=api.headers).status_code == 403
    assert client.delete("/api/festivals/wiesbaden-2021", headers=admin).status_code == 204
    assert client.get("/api/festivals/wiesbaden-2021").status_code == 404


def test_deleting_a_festival_removes_its_schedule(api, client, admin):
    api.festival()
    venue, film = api.venue(), api.film()
    api.screening(venue["id"], [film["id"]])
    assert client.delete("/api/festivals/wiesbaden-2021", headers=admin).status_code == 204
    assert client.get("/api/festivals").json()["total"] == 0
