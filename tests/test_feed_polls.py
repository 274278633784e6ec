"""The feed polls' fast path (`app.web.feeds.FeedPolls`) answers exactly as the route does.

Every answer is asked twice, once with the fast path off (the route, through every middleware)
and once with it on, and compared: status, headers in order, body. Run on SQLite and PostgreSQL
(the `database` fixture), and over real servers for a publish made in another process.
"""

from __future__ import annotations

import httpx
import pytest

from app.http.conditional import Rendered
from app.store.db import get_engines
from app.store.publishing import _POLLS, PublishedState, poll_published_state, published_state
from app.web import feeds
from tests.builders import festival_body, film_body, screening_body, venue_body
from tests.conftest import make_token
from tests.server import running_process


@pytest.fixture
def published(api):
    api.festival()
    venue, film = api.venue(), api.film(section="Competition")
    screening = api.screening(venue["id"], [film["id"]], status="confirmed")
    api.post(f"/api/festivals/{api.slug}/publish", {})
    return api, venue, film, screening


@pytest.fixture
def routed(monkeypatch):
    """Counts the polls the route answered (the fast path answers the others)."""
    calls = []
    serve = feeds.serve_feed

    async def counted(request, *args, **kwargs):
        calls.append(request.url.path)
        return await serve(request, *args, **kwargs)

    monkeypatch.setattr(feeds, "serve_feed", counted)
    return calls


def answer(client, method: str, path: str, headers: dict | None = None) -> tuple[int, list, bytes]:
    response = client.request(method, path, headers=headers or {}, follow_redirects=False)
    return response.status_code, response.headers.multi_items(), response.content


def both_ways(client, monkeypatch, method: str, path: str, headers: dict | None = None):
    """The answer with the fast path off, then on (the first one fills the cache if it can)."""
    monkeypatch.setattr(feeds.FeedPolls, "enabled", False)
    usual = answer(client, method, path, headers)
    monkeypatch.setattr(feeds.FeedPolls, "enabled", True)
    return usual, answer(client, method, path, headers)


def feed_paths(slug: str, venue: dict, film: dict, screening: dict) -> list[str]:
    return [
        f"/festivals/{slug}/calendar.ics",
        f"/festivals/{slug}/venues/{venue['id']}/calendar.ics",
        f"/festivals/{slug}/films/{film['id']}/calendar.ics",
        f"/festivals/{slug}/sections/competition/calendar.ics",
        f"/festivals/{slug}/screenings/{screening['id']}/calendar.ics",
    ]


def test_cached_feeds_are_answered_as_the_route_answers_them(published, monkeypatch, routed):
    api, venue, film, screening = published
    client = api.client
    for path in feed_paths(api.slug, venue, film, screening):
        usual, fast = both_ways(client, monkeypatch, "GET", path)
        assert usual[0] == 200 and usual[2].startswith(b"BEGIN:VCALENDAR")
        assert fast == usual
        etag = dict(usual[1])["etag"]
        last_modified = dict(usual[1])["last-modified"]
        for headers in (
            {"If-None-Match": etag},
            {"If-None-Match": f'W/{etag}, "other"'},
            {"If-None-Match": '"stale"'},
            {"If-None-Match": "*"},
            {"If-Modified-Since": last_modified},
            {"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"},
            {"If-Modified-Since": "not a date"},
            {"If-None-Match": '"stale"', "If-Modified-Since": last_modified},  # If-None-Match decides
        ):
            usual, fast = both_ways(client, monkeypatch, "GET", path, headers)
            assert fast == usual, headers
        usual, fast = both_ways(client, monkeypatch, "HEAD", path)
        assert usual[0] == 200 and usual[2] == b"" and fast == usual
        usual, fast = both_ways(client, monkeypatch, "HEAD", path, {"If-None-Match": etag})
        assert usual[0] == 304 and fast == usual
    routed.clear()
    for path in feed_paths(api.slug, venue, film, screening):
        client.get(path)
        client.get(path, headers={"If-None-Match": '"x"'})
        client.head(path)
    assert routed == []  # every one answered by the fast path
    # the headers made once per feed keep no body (the feeds' cache alone bounds those bytes)
    kept = list(feeds._answers._items.values())
    assert kept and not any(isinstance(part, (bytes, Rendered)) for answers in kept for part in answers.validators)


def test_the_fast_path_keeps_the_headers_that_matter(published, monkeypatch):
    api, *_ = published
    response = api.client.get(f"/festivals/{api.slug}/calendar.ics")
    response = api.client.get(f"/festivals/{api.slug}/calendar.ics")  # cached: the fast path
    headers = response.headers
    assert headers["content-type"] == "text/calendar; charset=utf-8"
    assert headers["cache-control"] == "public, max-age=300"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["content-length"] == str(len(response.content))
    assert headers["etag"] and headers["last-modified"]
    assert headers["content-disposition"] == f'inline; filename="{api.slug}.ics"'


def test_what_the_fast_path_leaves_to_the_route_is_answered_the_same(published, monkeypatch, routed):
    api, venue, *_ = published
    client = api.client
    token = api.headers["Authorization"]
    feed = f"/festivals/{api.slug}/calendar.ics"
    client.get(feed)  # cached
    cases = [
        ("GET", "/festivals/no-such-festival/calendar.ics", {}),  # 404 problem+json
        ("HEAD", "/festivals/no-such-festival/calendar.ics", {}),
        ("GET", f"/festivals/{api.slug}/venues/999/calendar.ics", {}),  # not cached: 404 from the route
        ("GET", f"/festivals/{api.slug}/venues/0{venue['id']}/calendar.ics", {}),  # the route's key is the int
        ("GET", feed, {"Authorization": token}),  # private: no-store, Vary
        ("GET", feed, {"Content-Length": str(10**9)}),  # the gate's 413
        ("POST", feed, {}),  # 405 with Allow
    ]
    for method, path, headers in cases:
        usual, fast = both_ways(client, monkeypatch, method, path, headers)
        assert fast == usual, (method, path)
    assert dict(both_ways(client, monkeypatch, "GET", feed, {"Authorization": token})[1][1])["cache-control"] == (
        "private, no-store"
    )
    routed.clear()
    client.get("/festivals/no-such-festival/calendar.ics")
    assert routed == ["/festivals/no-such-festival/calendar.ics"]


def test_a_former_slug_still_redirects(published, monkeypatch):
    api, *_ = published
    old = api.slug
    client = api.client
    client.get(f"/festivals/{old}/calendar.ics")  # cached under the old slug
    response = client.patch(f"/api/festivals/{old}", json={"slug": "renamed-2021"}, headers=api.headers)
    assert response.status_code == 200, response.text
    for method in ("GET", "HEAD"):
        usual, fast = both_ways(client, monkeypatch, method, f"/festivals/{old}/calendar.ics?x=1")
        assert usual[0] == 308 and fast == usual
        assert dict(fast[1])["location"] == "/festivals/renamed-2021/calendar.ics?x=1"


def test_a_draft_is_never_in_the_feed(published, monkeypatch):
    api, venue, film, _ = published
    api.screening(venue["id"], [film["id"]], starts_at="2021-11-20T10:00", status="confirmed")  # not published
    path = f"/festivals/{api.slug}/calendar.ics"
    usual, fast = both_ways(api.client, monkeypatch, "GET", path)
    assert fast == usual and usual[2].count(b"BEGIN:VEVENT") == 1


def test_the_poll_connection_answers_what_the_query_answers(published):
    api, *_ = published
    with get_engines().read.connect() as connection:
        expected = published_state(connection, api.slug)
    state = _POLLS.published_state(api.slug)
    assert isinstance(state, PublishedState)
    assert state == expected and [type(v) for v in state] == [type(v) for v in expected]
    assert state.published_at.tzinfo is not None and state.updated_at.tzinfo is not None
    assert _POLLS.published_state("no-such-festival") is None
    assert poll_published_state(api.slug) == expected


def test_the_poll_connection_recovers_from_a_broken_connection(published):
    api, *_ = published
    assert _POLLS.published_state(api.slug) is not None
    _POLLS._connection.driver_connection.close()  # e.g. the database restarted
    assert _POLLS.published_state(api.slug) is None  # dropped; the ordinary way answers meanwhile
    assert poll_published_state(api.slug).version_id is not None
    assert _POLLS.published_state(api.slug) is not None  # a new connection


def test_a_publish_on_another_server_is_served_by_the_next_poll(database):
    """Two servers on one database: one keeps answering polls from its fast path; the other
    publishes a new version; the first one's next poll (and 304 check) serves the new one."""
    headers = {"Authorization": f"Bearer {make_token('programmer')}"}
    with running_process(database) as one, running_process(database) as two:
        with (
            httpx.Client(base_url=one.base, timeout=30) as poller,
            httpx.Client(base_url=two.base, headers=headers, timeout=30) as editor,
        ):
            slug = editor.post("/api/festivals", json=festival_body()).json()["slug"]
            api = f"/api/festivals/{slug}"
            venue = editor.post(f"{api}/venues", json=venue_body()).json()
            film = editor.post(f"{api}/films", json=film_body(title="First")).json()
            body = screening_body(venue["id"], [film["id"]], status="confirmed")
            editor.post(f"{api}/screenings", json=body).raise_for_status()
            editor.post(f"{api}/publish").raise_for_status()
            feed = f"/festivals/{slug}/calendar.ics"
            first = poller.get(feed)
            assert first.status_code == 200 and b"SUMMARY:First" in first.content
            etag = first.headers["etag"]
            for _ in range(3):  # cached in the poller: its fast path
                assert poller.get(feed, headers={"If-None-Match": etag}).status_code == 304
                assert poller.get(feed).content == first.content
            editor.patch(f"{api}/films/{film['id']}", json={"title": "Second"}).raise_for_status()
            assert poller.get(feed).content == first.content  # not published yet: the same version
            editor.post(f"{api}/publish").raise_for_status()
            again = poller.get(feed, headers={"If-None-Match": etag})
            assert again.status_code == 200 and b"SUMMARY:Second" in again.content
            assert again.headers["etag"] != etag
            assert poller.get(feed, headers={"If-None-Match": again.headers["etag"]}).status_code == 304
            assert poller.head(feed).headers["etag"] == again.headers["etag"]
