"""Security headers, private answers, HEAD and 405, safe links: on every kind of response, both databases."""

from __future__ import annotations

import base64
import hashlib
import re

import httpx
import pytest

from app.http.security import DEFAULT_CSP, inline_style_policy
from app.links import safe_url
from tests.server import running_server


def published_festival(api) -> dict:
    """A festival with one confirmed screening, published: pages, feeds and prints all answer."""
    api.festival(website="https://filmtage.example")
    venue = api.venue()
    film = api.film(section="Retrospective: Evacuation on Screen")
    api.screening(venue["id"], [film["id"]], status="confirmed", ticket_url="https://tickets.example/1")
    api.post(f"/api/festivals/{api.slug}/publish", {})
    return {"venue": venue, "film": film}


def every_kind_of_path(slug: str, ids: dict) -> list[str]:
    venue, film = ids["venue"]["id"], ids["film"]["id"]
    return [
        "/",
        f"/festivals/{slug}",
        f"/festivals/{slug}/films/{film}",
        f"/festivals/{slug}/venues/{venue}",
        f"/festivals/{slug}/programme?by=day",
        f"/festivals/{slug}/programme?by=grid",
        f"/festivals/{slug}/programme.csv",
        f"/festivals/{slug}/calendar.ics",
        f"/festivals/{slug}/venues/{venue}/calendar.ics",
        f"/api/festivals/{slug}",
        f"/api/festivals/{slug}/films",
        f"/api/festivals/{slug}/versions",
        "/openapi.json",
        "/docs",
        "/static/marquee.css",
        "/healthz",
        "/nothing-here",
        f"/festivals/{slug}/films/999",
    ]


def assert_secure(response: httpx.Response) -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    policy = headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy
    assert re.search(r"script-src 'self'(;|$)", policy), policy  # nothing inline, no other host
    assert "unsafe-eval" not in policy


def test_every_response_carries_the_security_headers(api, client):
    ids = published_festival(api)
    for path in every_kind_of_path(api.slug, ids):
        response = client.get(path)
        assert response.status_code in (200, 404), path
        assert_secure(response)
    # errors too: a refused write, a 405, a 422
    assert_secure(client.post("/api/festivals", json={}))
    assert_secure(client.put(f"/api/festivals/{api.slug}", json={}, headers=api.headers))
    assert_secure(client.get("/api/festivals?limit=5000"))


def test_pages_allow_no_inline_style_or_script(api, client):
    published_festival(api)
    for path in ("/", f"/festivals/{api.slug}"):
        response = client.get(path)
        assert response.headers["content-security-policy"] == DEFAULT_CSP
        assert "style-src 'self';" in DEFAULT_CSP
        assert "<script" not in response.text and " style=" not in response.text and "<style" not in response.text
        assert re.search(r"\son\w+=", response.text) is None
    assert client.get("/static/marquee.css").headers["content-type"].startswith("text/css")


@pytest.mark.parametrize("view", ["day", "venue", "film", "grid"])
def test_the_printed_programme_allows_its_one_style_by_hash_and_nothing_else(api, client, view):
    published_festival(api)
    response = client.get(f"/festivals/{api.slug}/programme?by={view}")
    css = re.search(r"<style>(.*?)</style>", response.text, re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    policy = response.headers["content-security-policy"]
    assert f"style-src 'self' 'sha256-{digest}';" in policy
    assert "unsafe-inline" not in policy and " style=" not in response.text
    # a revalidation keeps the same policy (a 304's headers update the cached response's)
    again = client.get(
        f"/festivals/{api.slug}/programme?by={view}", headers={"If-None-Match": response.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.headers["content-security-policy"] == policy


def test_inline_style_policy_hashes_what_the_browser_hashes():
    html = b"<html><head><style>\r\nbody{color:red}\r\n</style></head><body></body></html>"
    digest = base64.b64encode(hashlib.sha256(b"\nbody{color:red}\n").digest()).decode()
    assert f"'sha256-{digest}'" in inline_style_policy(html, "test-key-crlf")


def test_answers_to_token_holders_and_the_api_are_private(api, client):
    ids = published_festival(api)
    for path in (f"/api/festivals/{api.slug}", f"/api/festivals/{api.slug}/screenings", "/api/festivals"):
        for headers in ({}, api.headers):
            response = client.get(path, headers=headers)
            assert response.headers["cache-control"] == "private, no-store", path
            assert "Authorization" in response.headers["vary"], path
    # a public feed is shared-cacheable, but not when it was asked for with a token
    feed = f"/festivals/{api.slug}/films/{ids['film']['id']}/calendar.ics"
    assert client.get(feed).headers["cache-control"] == "public, max-age=300"
    with_token = client.get(feed, headers=api.headers)
    assert with_token.headers["cache-control"] == "private, no-store"
    assert "Authorization" in with_token.headers["vary"]


def test_head_answers_like_get_without_a_body(api, client):
    ids = published_festival(api)
    for path in every_kind_of_path(api.slug, ids):
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code, path
        assert head.content == b"", path
        assert head.headers["content-type"] == get.headers["content-type"], path
        if get.status_code == 200 and "etag" in get.headers:
            assert head.headers["etag"] == get.headers["etag"], path
    pdf = f"/festivals/{api.slug}/programme.pdf"
    head = client.head(pdf)
    assert (head.status_code, head.headers["content-type"], head.content) == (200, "application/pdf", b"")
    # a path that serves no GET: HEAD is not allowed there either
    refused = client.head(f"/api/festivals/{api.slug}/publish", headers=api.headers)
    assert refused.status_code == 405 and refused.headers["allow"] == "POST"


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("PUT", "/api/festivals/{slug}", "GET, HEAD, PATCH, DELETE"),
        ("DELETE", "/api/festivals", "GET, HEAD, POST"),
        ("PUT", "/api/festivals/{slug}/screenings/1", "GET, HEAD, PATCH, DELETE"),
        ("PUT", "/api/festivals/{slug}/venues/1", "GET, HEAD, PATCH, DELETE"),
        ("GET", "/api/festivals/{slug}/publish", "POST"),
        ("POST", "/festivals/{slug}/calendar.ics", "GET, HEAD"),
        ("POST", "/festivals/{slug}/programme", "GET, HEAD"),
        ("POST", "/static/marquee.css", "GET, HEAD"),
    ],
)
def test_a_405_names_every_method_its_path_answers(api, client, method, path, allow):
    api.festival()
    path = path.format(slug=api.slug)
    response = client.request(method, path, headers=api.headers)
    assert response.status_code == 405
    assert response.headers["allow"] == allow
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == f"{method} is not allowed on {path}; it answers {allow}."


def test_the_front_door_never_links_the_requests_host(api, client):
    published_festival(api)
    page = client.get("/", headers={"Host": "evil.example"})
    assert "evil.example" not in page.text
    assert f'href="webcal://127.0.0.1:8000/festivals/{api.slug}/calendar.ics"' in page.text


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.example/x",
        "/relative",
        "https:",
        "http://",
        "ftp://example.com/",
        'https://example.com/"onmouseover="alert(1)',
        "https://exa mple.com<script>",
        "",
        None,
        42,
    ],
)
def test_safe_url_refuses_everything_but_http_and_https(url):
    assert safe_url(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://tickets.example/show?id=1&seat=2",
        "http://example.com",
        "HTTPS://Example.com/Path",
        "  https://example.com/  ",
    ],
)
def test_safe_url_keeps_http_and_https(url):
    assert safe_url(url) == url.strip()


def test_templates_link_stored_urls_only_through_safe_url():
    """Every template that links a stored URL (ticket_url, website) passes it through safe_url."""
    from pathlib import Path

    app = Path(__file__).resolve().parent.parent / "app"
    uses = 0
    for template in [*(app / "web" / "templates").glob("*.html"), *(app / "printing" / "templates").glob("*.html")]:
        text = template.read_text("utf-8")
        for field in ("ticket_url", "website"):
            for use in re.findall(rf"[^\n]*\.{field}\b[^\n]*", text):
                assert "safe_url" in use, f"{template.name}: {use.strip()}"
                uses += 1
    assert uses >= 4  # tickets on the pages and in print, the website on the page and the cover


def test_over_real_http_every_kind_of_response_is_secured(api, client, database):
    ids = published_festival(api)
    with running_server(database) as base, httpx.Client(base_url=base) as http:
        for path in every_kind_of_path(api.slug, ids):
            response = http.get(path)
            assert_secure(response)
            head = http.head(path)
            assert (head.status_code, head.content) == (response.status_code, b""), path
            assert head.headers.get("content-length") == response.headers.get("content-length"), path
        refused = http.request("PUT", f"/api/festivals/{api.slug}", headers=api.headers)
        assert (refused.status_code, refused.headers["allow"]) == (405, "GET, HEAD, PATCH, DELETE")


def test_the_api_docs_reference_no_other_host_and_their_assets_load(client):
    for page in ("/docs", "/redoc"):
        response = client.get(page)
        assert response.status_code == 200
        assert re.findall(r"https?://|//[a-z]", response.text) == [], page
        assets = re.findall(r'(?:src|href)="(/[^"]+)"', response.text)
        assert "/static/docs.js" in assets
        for asset in assets:
            loaded = client.get(asset)
            assert loaded.status_code == 200, asset
            assert loaded.headers["content-type"].split(";")[0] in (
                "text/javascript",
                "application/javascript",
                "text/css",
                "image/png",
            ), asset
    # Swagger UI runs under the default policy; ReDoc gets inline styles and a blob: worker, no more
    assert client.get("/docs").headers["content-security-policy"] == DEFAULT_CSP
    redoc = client.get("/redoc").headers["content-security-policy"]
    assert "style-src 'self' 'unsafe-inline'" in redoc and "worker-src 'self' blob:" in redoc
    assert "script-src 'self';" in redoc and "http" not in redoc
    assert client.get("/docs/oauth2-redirect").status_code == 404  # unused, and it was inline script
