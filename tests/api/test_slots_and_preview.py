"""Where a film can still go, over HTTP; and what publishing now would change."""


def test_slots_offer_only_starts_that_fit(api):
    api.festival()
    caligari = api.venue(
        name="Caligari",
        turnaround_minutes=20,
        availability=[{"starts_at": "2021-11-19T16:00", "ends_at": "2021-11-20T00:30"}],
    )
    comrades = api.film()  # 120 minutes
    ascent = api.film(title="The Ascent", runtime_minutes=100)
    api.screening(caligari["id"], [ascent["id"]], "2021-11-19T18:00")  # a draft counts too
    response = api.client.get(
        f"/api/festivals/{api.slug}/films/{comrades['id']}/slots",
        params={"day": "2021-11-19", "step": 30},
        headers=api.headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    starts = [s["starts_at"][11:16] for s in body["items"]]
    # in the window 16:00-00:30; clear of 18:00-19:40 with 20 minutes either side
    assert starts == ["20:00", "20:30", "21:00", "21:30", "22:00", "22:30"]
    assert body["total"] == 6
    assert body["items"][0] == {
        "venue_id": caligari["id"],
        "starts_at": "2021-11-19T20:00:00+01:00",
        "ends_at": "2021-11-19T22:00:00+01:00",
    }
    narrowed = api.client.get(
        f"/api/festivals/{api.slug}/films/{comrades['id']}/slots",
        params={
            "day": "2021-11-19",
            "step": 30,
            "earliest": "2021-11-19T21:00",
            "latest": "2021-11-19T22:00",
            "venue_id": caligari["id"],
        },
        headers=api.headers,
    ).json()
    assert [s["starts_at"][11:16] for s in narrowed["items"]] == ["21:00", "21:30", "22:00"]


def test_slots_refuse_what_names_nothing(api):
    api.festival()
    film = api.film()
    missing = api.client.get(f"/api/festivals/{api.slug}/films/{film['id'] + 99}/slots", headers=api.headers)
    assert missing.status_code == 404
    odd = api.client.get(f"/api/festivals/{api.slug}/films/{film['id']}/slots", params={"step": 7}, headers=api.headers)
    assert odd.status_code == 422 and odd.headers["content-type"] == "application/problem+json"


def test_publish_preview_is_the_changelog_publishing_would_write(api):
    api.festival()
    caligari = api.venue()
    film = api.film()
    screening = api.screening(caligari["id"], [film["id"]], status="confirmed")
    api.screening(caligari["id"], [film["id"]], "2021-11-20T18:00")  # a draft: not public
    url = f"/api/festivals/{api.slug}/publish/preview"
    preview = api.client.get(url, headers=api.headers).json()
    assert [(e["kind"], e["screening_id"]) for e in preview["changelog"]] == [("added", screening["id"])]
    assert preview["changes"] == {"added": 1, "moved": 0, "retimed": 0, "cancelled": 0}
    published = api.post(f"/api/festivals/{api.slug}/publish", {})
    assert published["changelog"] == preview["changelog"]
    assert api.client.get(url, headers=api.headers).json()["changelog"] == []
    assert api.client.get(url).status_code == 401
