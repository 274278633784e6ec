"""Public pages: the programme of the latest published version, found, filtered and linked; HTML errors."""

import re
from datetime import UTC, datetime

import extruct
import pytest

from app.web.public import festival_clock
from tests.attendee import published_festival

HTML = {"Accept": "text/html,application/xhtml+xml"}


@pytest.fixture
def published(api):
    return published_festival(api)


def programme_ids(html: str) -> list[int]:
    """Ids of the screenings listed in the page's programme (after the "now and next" box, if any)."""
    main = html.split('<h2 id="programme">', 1)[1]
    return [int(i) for i in re.findall(r'<li class="[a-z ]*" id="screening-(\d+)"', main)]


def test_pages_show_published_screenings_not_drafts(published, client):
    film = client.get(f"/festivals/{published.slug}/films/{published.cranes['id']}")
    assert film.status_code == 200
    assert "Летят журавли" in film.text
    assert f'id="screening-{published.cranes_fri["id"]}"' in film.text
    assert (
        f'id="screening-{published.draft["id"]}"'
        not in client.get(f"/festivals/{published.slug}/films/{published.comrades['id']}").text
    )
    assert "Fri 19 Nov" in film.text and "18:00" in film.text


def test_the_festival_page_opens_on_the_first_day_before_the_festival(published, client):
    page = client.get(f"/festivals/{published.slug}")
    assert page.status_code == 200
    assert "Wednesday 17 November" in page.text
    assert programme_ids(page.text) == []  # nothing on the first day in this small festival


def test_the_festival_page_opens_on_today_with_now_and_next_while_the_festival_runs(published, client):
    client.app.dependency_overrides[festival_clock] = lambda: datetime(2021, 11, 19, 18, 30, tzinfo=UTC)  # 19:30 local
    page = client.get(f"/festivals/{published.slug}").text
    assert "Friday 19 November" in page
    assert 'aria-current="page" class="today">Today</a>' in page
    now_next = page.split('id="now-next"', 1)[1].split('<h2 id="programme">', 1)[0]
    assert re.findall(r'id="screening-(\d+)"', now_next) == [
        str(published.cranes_fri["id"]),
        str(published.short_fri["id"]),
        str(published.comrades_fri["id"]),
    ]
    assert programme_ids(page) == [published.cranes_fri["id"], published.short_fri["id"], published.comrades_fri["id"]]


FILTERS = {  # what each query shows, by name of screening (one festival built for all of them)
    "day": ("day=2021-11-20", ["cranes_sat"]),
    "all_days": ("day=all", ["cranes_fri", "short_fri", "comrades_fri", "cranes_sat"]),
    "venue": ("day=all&venue={murnau}", ["cranes_fri"]),
    "section": ("day=all&section=competition", ["comrades_fri"]),
    "subtitles": ("day=all&subtitles=German", ["cranes_fri", "cranes_sat"]),
    "language_any_case": ("day=all&language=russian", ["cranes_fri", "short_fri", "comrades_fri", "cranes_sat"]),
    "step_free": ("day=all&access=step_free", ["cranes_fri"]),
    "captions": ("day=all&access=captioned", ["comrades_fri"]),
    "audio_description": ("day=all&access=audio_description", ["cranes_fri"]),
    "two_filters": ("day=all&access=step_free&subtitles=German", ["cranes_fri"]),
    "search_across_scripts": ("q=Dorogie", ["comrades_fri"]),
    "search_any_case": ("q=dear", ["comrades_fri"]),
    "search_director": ("q=KALATOZOV", ["cranes_fri", "cranes_sat"]),
    "search_cyrillic": ("q=летят", ["cranes_fri", "cranes_sat"]),
    "search_within_a_day": ("q=dear&day=2021-11-20", []),
    "unreadable_values_ignored": ("day=not-a-day&venue=x", []),  # the opening day, 17 November: nothing
}


def test_filters_and_search_are_query_parameters(published, client):
    shown, wanted = {}, {}
    for name, (query, expected) in FILTERS.items():
        page = client.get(f"/festivals/{published.slug}?{query.format(murnau=published.murnau['id'])}")
        assert page.status_code == 200, name
        shown[name] = programme_ids(page.text)
        wanted[name] = [getattr(published, screening)["id"] for screening in expected]
    assert shown == wanted


def test_filters_are_links_that_keep_the_other_filters(published, client):
    page = client.get(f"/festivals/{published.slug}?day=2021-11-19&section=competition").text
    murnau = published.murnau["id"]
    assert f'href="/festivals/{published.slug}?day=2021-11-19&amp;venue={murnau}&amp;section=competition"' in page
    # the filter in force is shown with a link that removes it
    assert f'<a href="/festivals/{published.slug}?day=2021-11-19" aria-label="Remove filter: Competition">' in page


def test_every_screening_links_to_its_film_and_venue(published, client):
    page = client.get(f"/festivals/{published.slug}?day=all").text
    for li in re.findall(r'<li class="confirmed" id="screening-\d+">.*?</li>\n', page, re.S):
        assert re.search(rf'href="/festivals/{published.slug}/films/\d+"', li)
        assert re.search(rf'href="/festivals/{published.slug}/venues/\d+"', li)


def test_film_pages_list_screenings_before_the_credits(api, client):
    published = published_festival(api)
    api.client.patch(
        f"/api/festivals/{published.slug}/films/{published.cranes['id']}",
        headers=api.headers,
        json={"credits": [{"role": "Script", "names": ["Viktor Rozov"]}], "synopsis": "War and love."},
    )
    published.publish()
    page = client.get(f"/festivals/{published.slug}/films/{published.cranes['id']}").text.split("<main", 1)[1]
    assert page.index('id="screenings"') < page.index("War and love.") < page.index("Viktor Rozov")


def test_film_pages_carry_screening_events_as_json_ld_and_open_graph(published, client):
    url = f"/festivals/{published.slug}/films/{published.cranes['id']}"
    page = client.get(url).text
    data = extruct.extract(
        page, base_url="http://127.0.0.1:8000" + url, syntaxes=["json-ld", "opengraph"], uniform=True
    )
    events = data["json-ld"]
    assert [e["@type"] for e in events] == ["ScreeningEvent", "ScreeningEvent"]
    first = events[0]
    assert first["startDate"] == "2021-11-19T18:00:00+01:00"
    assert first["location"]["@type"] == "MovieTheater"
    assert first["location"]["name"] == "Murnau-Filmtheater"
    assert first["location"]["address"] == "Murnaustraße 6, 65189 Wiesbaden"
    assert first["workPresented"]["@type"] == "Movie"
    assert first["workPresented"]["name"] == "The Cranes Are Flying"
    assert first["workPresented"]["director"] == [{"@type": "Person", "name": "Mikhail Kalatozov"}]
    [og] = data["opengraph"]
    assert og["@type"] == "video.movie"
    assert og["og:title"] == "The Cranes Are Flying (1957) · Wiesbaden Film Days"
    assert og["og:url"] == "http://127.0.0.1:8000" + url


def test_venue_pages_link_to_the_map(published, client):
    page = client.get(f"/festivals/{published.slug}/venues/{published.murnau['id']}").text
    assert 'href="https://www.openstreetmap.org/?mlat=50.06880&amp;mlon=8.24750#map=17/50.06880/8.24750"' in page


def test_feeds_offer_webcal_https_google_and_outlook(published, client):
    page = client.get(f"/festivals/{published.slug}").text
    feed = f"127.0.0.1:8000/festivals/{published.slug}/calendar.ics"
    assert f'href="webcal://{feed}"' in page
    assert f"<code>http://{feed}</code>" in page
    assert 'href="https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2F127.0.0.1%3A8000%2Ffestivals' in page
    assert 'href="https://outlook.live.com/calendar/0/addfromweb?url=http%3A%2F%2F127.0.0.1%3A8000%2Ffestivals' in page


def test_each_screening_has_its_own_calendar_file_with_the_feeds_uid(published, client):
    screening = published.comrades_fri["id"]
    page = client.get(f"/festivals/{published.slug}?day=all").text
    ics_path = f"/festivals/{published.slug}/screenings/{screening}/calendar.ics"
    assert f'href="{ics_path}"' in page
    one = client.get(ics_path)
    assert one.status_code == 200
    uid = f"UID:screening-{screening}@{published.slug}.marquee"
    assert one.text.count("BEGIN:VEVENT") == 1 and uid in one.text
    assert uid in client.get(f"/festivals/{published.slug}/calendar.ics").text
    assert "action=TEMPLATE" in page and "dates=20211119T210000Z%2F20211119T230000Z" in page  # Google, in UTC
    assert client.get(f"/festivals/{published.slug}/screenings/{published.draft['id']}/calendar.ics").status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/festivals/{slug}/films/999",
        "/festivals/{slug}/venues/999",
        "/festivals/nowhere",
        "/festivals/{slug}/films/abc",
        "/no/such/page",
    ],
)
def test_a_browser_asking_for_a_missing_page_gets_an_html_page(published, client, path):
    path = path.format(slug=published.slug)
    page = client.get(path, headers=HTML)
    assert page.status_code in (404, 422)
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert "<h1>" in page.text and 'href="/"' in page.text
    plain = client.get(path)  # an API client (curl, scripts) keeps problem+json
    assert plain.headers["content-type"] == "application/problem+json"


def test_the_api_answers_problem_json_even_to_a_browser(published, client):
    response = client.get(f"/api/festivals/{published.slug}/films/999", headers=HTML)
    assert (response.status_code, response.headers["content-type"]) == (404, "application/problem+json")


def test_pages_carry_no_inline_script_or_style(published, client):
    paths = [
        "/",
        f"/festivals/{published.slug}",
        f"/festivals/{published.slug}?day=all",
        f"/festivals/{published.slug}/films/{published.cranes['id']}",
        f"/festivals/{published.slug}/venues/{published.caligari['id']}",
        "/nowhere",
    ]
    token = client.post(f"/api/festivals/{published.slug}/plans", json={"screening_ids": []}).json()["token"]
    paths += [f"/plans/{token}", f"/plans/{token}/print"]
    for path in paths:
        html = client.get(path, headers=HTML).text
        assert "<style" not in html and " style=" not in html, path
        assert not re.search(r"\son[a-z]+=", html), path
        scripts = re.findall(r"<script([^>]*)>", html)
        assert all('type="application/ld+json"' in attributes for attributes in scripts), path
    assert client.get("/static/marquee.css").headers["content-type"].startswith("text/css")


# -- nothing before it is announced ---------------------------------------------------------------


def unannounced(api):
    api.festival()
    venue, film = api.venue(), api.film()
    api.screening(venue["id"], [film["id"]], status="confirmed")
    return venue, film


def test_an_unannounced_festival_is_not_on_the_home_page(api, client):
    unannounced(api)
    page = client.get("/").text
    assert "Wiesbaden Film Days" not in page and "Caligari" not in page
    api.post(f"/api/festivals/{api.slug}/publish", {})
    page = client.get("/").text
    assert "Wiesbaden Film Days" in page and "Caligari FilmBühne" in page


def test_an_unannounced_festivals_pages_show_no_films_venues_or_screenings(api, client):
    venue, film = unannounced(api)
    page = client.get(f"/festivals/{api.slug}")
    assert page.status_code == 200
    assert "has not been published yet" in page.text
    assert "Dear Comrades" not in page.text and "Caligari" not in page.text
    assert client.get(f"/festivals/{api.slug}/films/{film['id']}", headers=HTML).status_code == 404
    assert client.get(f"/festivals/{api.slug}/venues/{venue['id']}", headers=HTML).status_code == 404
    assert "BEGIN:VEVENT" not in client.get(f"/festivals/{api.slug}/calendar.ics").text
    assert client.get(f"/festivals/{api.slug}/films/{film['id']}/calendar.ics").status_code == 404


@pytest.mark.parametrize("what", ["films", "venues"])
def test_an_unannounced_festivals_films_and_venues_need_a_token(api, client, what):
    venue, film = unannounced(api)
    one = film if what == "films" else venue
    for path in (f"/api/festivals/{api.slug}/{what}", f"/api/festivals/{api.slug}/{what}/{one['id']}"):
        refused = client.get(path)
        assert refused.status_code == 404
        assert refused.headers["content-type"] == "application/problem+json"
        assert "has not announced" in refused.json()["detail"]
        assert client.get(path, headers=api.headers).status_code == 200
        assert client.get(path, headers={"Authorization": "Bearer wrong"}).status_code == 401
    api.post(f"/api/festivals/{api.slug}/publish", {})
    assert client.get(f"/api/festivals/{api.slug}/{what}").json()["total"] == 1


def test_section_feeds_are_offered_every_way_too(published, client):
    """Android has no webcal:// handler: each section offers Google, Outlook and its https address."""
    page = client.get(f"/festivals/{published.slug}").text
    sections = page.split("<h2>Sections</h2>", 1)[1]
    feeds = re.findall(r'/sections/([a-z0-9-]+)/calendar\.ics"', sections)
    assert feeds
    for slug in set(feeds):
        assert f'href="webcal://127.0.0.1:8000/festivals/{published.slug}/sections/{slug}/calendar.ics"' in sections
        assert f'href="http://127.0.0.1:8000/festivals/{published.slug}/sections/{slug}/calendar.ics"' in sections
        assert f"sections%2F{slug}%2Fcalendar.ics" in sections  # the Google and Outlook links carry it
