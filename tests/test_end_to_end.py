"""A programmer's first five minutes, against a real `marquee serve` over real HTTP."""

import httpx

from tests.builders import festival_body, film_body, screening_body, venue_body
from tests.conftest import make_token
from tests.server import running_server


def test_walkthrough_over_real_http(database):
    token = make_token("programmer")
    with (
        running_server(database) as base,
        httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as http,
    ):
        assert http.post("/api/festivals", json=festival_body()).status_code == 201
        venue = http.post("/api/festivals/wiesbaden-2021/venues", json=venue_body()).json()
        film = http.post("/api/festivals/wiesbaden-2021/films", json=film_body()).json()
        created = http.post(
            "/api/festivals/wiesbaden-2021/screenings",
            json=screening_body(venue["id"], [film["id"]], status="confirmed"),
        )
        assert created.status_code == 201
        read = http.get(created.headers["location"]).json()
        assert (read["starts_at"], read["ends_at"], read["conflicts"]) == (
            "2021-11-19T22:00:00+01:00",
            "2021-11-20T00:00:00+01:00",
            [],
        )
        clash = http.post(
            "/api/festivals/wiesbaden-2021/screenings",
            json=screening_body(venue["id"], [film["id"]], "2021-11-19T23:30", status="confirmed"),
        )
        assert clash.status_code == 409
        assert clash.headers["content-type"] == "application/problem+json"
        front = httpx.get(base + "/")
        assert front.status_code == 200
        assert "Wiesbaden Film Days" not in front.text  # not announced before its first publish
        assert http.post("/api/festivals/wiesbaden-2021/publish").status_code == 201
        assert "Wiesbaden Film Days" in httpx.get(base + "/").text
        assert httpx.get(base + "/docs").status_code == 200
