"""One-tap calendar links and the film page's structured data, without HTTP."""

from datetime import UTC, date, datetime
from urllib.parse import parse_qs, urlsplit

from app.calendar.jsonld import screening_events, script_json
from app.calendar.links import feed_links, google_event_link, openstreetmap_link, outlook_event_link, webcal_url
from app.scheduling.programme import FestivalInfo, FilmInfo, Programme, VenueInfo, schedule_screening

FEED = "https://films.example/festivals/wfd/calendar.ics"


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_webcal_swaps_the_scheme():
    assert webcal_url(FEED) == "webcal://films.example/festivals/wfd/calendar.ics"
    assert webcal_url("http://127.0.0.1:8000/x.ics") == "webcal://127.0.0.1:8000/x.ics"


def test_feed_links_for_apple_google_and_outlook():
    links = feed_links(FEED, "Wiesbaden Film Days: Retrospective")
    assert links.https == FEED
    assert links.google.startswith("https://calendar.google.com/calendar/render?")
    assert query_of(links.google) == {"cid": ["webcal://films.example/festivals/wfd/calendar.ics"]}
    assert links.outlook.startswith("https://outlook.live.com/calendar/0/addfromweb?")
    assert query_of(links.outlook) == {"url": [FEED], "name": ["Wiesbaden Film Days: Retrospective"]}


STARTS = datetime.fromisoformat("2021-11-19T22:00:00+01:00")
ENDS = datetime.fromisoformat("2021-11-20T00:00:00+01:00")


def test_a_google_event_link_gives_the_times_in_utc():
    url = google_event_link(
        title="Dear Comrades!",
        starts_at=STARTS,
        ends_at=ENDS,
        location="Caligari FilmBühne, Marktplatz 9",
        details="Andrei Konchalovsky, 2020",
    )
    assert query_of(url) == {
        "action": ["TEMPLATE"],
        "text": ["Dear Comrades!"],
        "dates": ["20211119T210000Z/20211119T230000Z"],
        "location": ["Caligari FilmBühne, Marktplatz 9"],
        "details": ["Andrei Konchalovsky, 2020"],
    }


def test_an_outlook_event_link_gives_the_times_with_their_offset():
    url = outlook_event_link(title="Dear Comrades!", starts_at=STARTS, ends_at=ENDS)
    assert query_of(url) == {
        "path": ["/calendar/action/compose"],
        "rru": ["addevent"],
        "subject": ["Dear Comrades!"],
        "startdt": ["2021-11-19T22:00:00+01:00"],
        "enddt": ["2021-11-20T00:00:00+01:00"],
    }


def test_the_map_link_is_openstreetmap_at_the_venue():
    assert (
        openstreetmap_link(50.0823, 8.2436)
        == "https://www.openstreetmap.org/?mlat=50.08230&mlon=8.24360#map=17/50.08230/8.24360"
    )


def test_screening_events_are_schema_org_with_offsets_place_and_movie():
    festival = FestivalInfo(
        slug="wfd", name="Wiesbaden Film Days", starts_on=date(2021, 11, 17), ends_on=date(2021, 11, 21)
    )
    film = FilmInfo(
        id=1,
        title="Dear Comrades!",
        original_title="Дорогие товарищи!",
        directors=("Andrei Konchalovsky",),
        year=2020,
        runtime_minutes=120,
        subtitles="English",
    )
    venue = VenueInfo(id=3, name="Caligari FilmBühne", address="Marktplatz 9", latitude=50.0823, longitude=8.2436)
    screening = schedule_screening(
        festival, {1: film}, id=7, venue_id=3, film_ids=(1,), starts_at=STARTS, status="cancelled"
    )
    programme = Programme(
        festival=festival,
        venues=(venue,),
        films=(film,),
        screenings=(screening,),
        version=1,
        published_at=datetime(2021, 11, 1, tzinfo=UTC),
    )
    [event] = screening_events(programme, film, [screening], "https://films.example/")
    assert event["@type"] == "ScreeningEvent"
    assert (event["startDate"], event["endDate"]) == ("2021-11-19T22:00:00+01:00", "2021-11-20T00:00:00+01:00")
    assert event["eventStatus"] == "https://schema.org/EventCancelled"
    assert event["location"] == {
        "@type": "MovieTheater",
        "name": "Caligari FilmBühne",
        "address": "Marktplatz 9",
        "url": "https://films.example/festivals/wfd/venues/3",
        "geo": {"@type": "GeoCoordinates", "latitude": 50.0823, "longitude": 8.2436},
    }
    assert event["workPresented"]["@type"] == "Movie"
    assert event["workPresented"]["alternateName"] == "Дорогие товарищи!"
    assert event["url"] == "https://films.example/festivals/wfd/films/1#screening-7"


def test_json_in_a_script_element_cannot_close_it():
    text = script_json({"name": "</script><script>alert(1)</script>"})
    assert "</script>" not in text and "<" not in text
