"""Public pages show the latest published version only, with subscribe links."""


def test_pages_show_published_screenings_not_drafts(api, client):
    api.festival()
    venue = api.venue()
    cranes = api.film(title="The Cranes Are Flying", original_title="Летят журавли", runtime_minutes=97)
    api.screening(venue["id"], [cranes["id"]], "2021-11-19T18:00", status="confirmed")
    api.screening(venue["id"], [cranes["id"]], "2021-11-20T18:00")  # draft
    before = client.get(f"/festivals/{api.slug}")
    assert before.status_code == 200
    assert "has not been published yet" in before.text
    api.post(f"/api/festivals/{api.slug}/publish", {})
    film = client.get(f"/festivals/{api.slug}/films/{cranes['id']}")
    assert film.status_code == 200
    assert "Летят журавли" in film.text
    assert "Fri 19 Nov, 18:00–19:37" in film.text
    assert "Sat 20 Nov" not in film.text
    assert f"webcal://127.0.0.1:8000/festivals/{api.slug}/films/{cranes['id']}/calendar.ics" in film.text
    page = client.get(f"/festivals/{api.slug}/venues/{venue['id']}")
    assert "Marktplatz 9" in page.text
    assert client.get(f"/festivals/{api.slug}/films/999").status_code == 404


def test_front_door_lists_festivals_with_their_venues(api, client):
    api.festival()
    api.venue()
    page = client.get("/")
    assert page.status_code == 200
    assert "Wiesbaden Film Days" in page.text
    assert "Caligari FilmBühne" in page.text
    assert 'href="/docs' in page.text
