"""Links follow the server: without MARQUEE_BASE_URL, every absolute link names the address served."""

from __future__ import annotations

import io
import re

import httpx
import pytest
from pypdf import PdfReader

from app.settings import get_settings
from tests.server import running_process


def published(api) -> dict:
    api.festival()
    venue = api.venue()
    film = api.film(section="Retrospective: Evacuation on Screen")
    api.screening(venue["id"], [film["id"]], status="confirmed")
    # published in this process, whose base URL is the default: the stored feed names :8000
    api.post(f"/api/festivals/{api.slug}/publish", {})
    return {"venue": venue["id"], "film": film["id"]}


def test_a_server_on_another_port_links_to_itself_everywhere(api, database):
    ids = published(api)
    slug = api.slug
    with running_process(database, base_url=None) as server, httpx.Client(base_url=server.base) as http:
        here = f"127.0.0.1:{server.port}"
        assert server.port != 8000
        pages = {
            path: http.get(path).text
            for path in (
                "/",
                f"/festivals/{slug}",
                f"/festivals/{slug}/films/{ids['film']}",
                f"/festivals/{slug}/venues/{ids['venue']}",
                f"/festivals/{slug}/programme?by=day",
            )
        }
        assert f'href="webcal://{here}/festivals/{slug}/calendar.ics"' in pages["/"]
        assert f"webcal://{here}/festivals/{slug}/calendar.ics" in pages[f"/festivals/{slug}"]
        assert (
            f"webcal://{here}/festivals/{slug}/sections/retrospective-evacuation-on-screen/calendar.ics"
            in pages[f"/festivals/{slug}"]
        )
        assert (
            f"webcal://{here}/festivals/{slug}/films/{ids['film']}/calendar.ics"
            in pages[f"/festivals/{slug}/films/{ids['film']}"]
        )
        programme = pages[f"/festivals/{slug}/programme?by=day"]
        assert f'href="http://{here}/festivals/{slug}/programme?by=grid"' in programme
        for path, text in pages.items():
            assert "127.0.0.1:8000" not in text, path

        for feed in (f"/festivals/{slug}/calendar.ics", f"/festivals/{slug}/films/{ids['film']}/calendar.ics"):
            ics = http.get(feed).text.replace("\r\n ", "")
            urls = re.findall(r"^URL[^:]*:(.*)$", ics, re.MULTILINE)
            assert urls and all(url.startswith(f"http://{here}/festivals/{slug}") for url in urls), feed

        pdf = http.get(f"/festivals/{slug}/programme.pdf")
        cover = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().replace("\n", "")
        assert f"http://{here}/festivals/{slug}/programme?by=day" in cover
        assert f"links in feeds, pages and prints point at http://{here}" in server.log.read_text()


def test_a_configured_base_url_wins_over_the_port(api, database):
    published(api)
    with running_process(database, base_url="https://programme.example") as server:
        page = httpx.get(f"{server.base}/festivals/{api.slug}").text
        assert f"webcal://programme.example/festivals/{api.slug}/calendar.ics" in page
        assert "127.0.0.1" not in page
        assert "point at https://programme.example" in server.log.read_text()


def test_cached_renders_are_keyed_by_the_base_url(api, client, monkeypatch):
    published(api)
    for base in ("http://one.example", "http://two.example", "http://one.example"):
        monkeypatch.setenv("MARQUEE_BASE_URL", base)
        get_settings.cache_clear()
        programme = client.get(f"/festivals/{api.slug}/programme?by=venue").text
        assert f'href="{base}/festivals/{api.slug}/programme?by=day"' in programme
        feed = client.get(f"/festivals/{api.slug}/calendar.ics").text
        assert f"URL:{base}/festivals/{api.slug}" in feed


@pytest.fixture
def no_base_url(monkeypatch, tmp_path):
    """No MARQUEE_BASE_URL (and no .env); whatever `serve` sets is undone afterwards."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MARQUEE_BASE_URL", "recorded, so that teardown restores the original")
    monkeypatch.delenv("MARQUEE_BASE_URL")
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("host", "port", "expected"),
    [
        ("127.0.0.1", 9000, "http://127.0.0.1:9000"),
        ("localhost", 8123, "http://localhost:8123"),
        ("0.0.0.0", 9000, "http://127.0.0.1:9000"),
        ("::1", 9000, "http://[::1]:9000"),
        ("::", 9001, "http://127.0.0.1:9001"),
    ],
)
def test_serve_derives_the_base_url_from_its_host_and_port(no_base_url, monkeypatch, host, port, expected):
    from app.cli import _base_url_for

    assert _base_url_for(host, port) == expected
    assert get_settings().base_url == expected  # and the worker processes inherit it
    monkeypatch.setenv("MARQUEE_BASE_URL", "https://festival.example")
    assert _base_url_for(host, port) == "https://festival.example"


def test_serve_reads_the_base_url_from_a_dot_env_file(no_base_url):
    from app.cli import _base_url_for

    (no_base_url / ".env").write_text("MARQUEE_BASE_URL=https://from-dot-env.example\n")
    assert _base_url_for("127.0.0.1", 9000) == "https://from-dot-env.example"
