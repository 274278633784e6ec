"""In real headless Chromium (Debian's), driven by Playwright: hostile URLs planted straight in the
database never run script, the Content-Security-Policy is enforced, and /docs works offline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from tests.server import running_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (pip install '.[test]')")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]

SCRIPT_URLS = [
    "javascript:window.__pwned='ticket'",
    "JaVaScRiPt:window.__pwned='case'",
    " javascript:window.__pwned='space'",
    "java\tscript:window.__pwned='tab'",
    "data:text/html,<script>opener.__pwned='data'</script>",
]


@pytest.fixture(scope="module")
def browser() -> Iterator:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def events() -> list[str]:
    """What the page said: console messages (CSP violations among them), errors, dialogs."""
    return []


@pytest.fixture
def page(browser, events):
    context = browser.new_context()
    page = context.new_page()
    page.on("console", lambda message: events.append(f"console {message.type}: {message.text}"))
    page.on("pageerror", lambda error: events.append(f"pageerror: {error}"))
    page.on("dialog", lambda dialog: (events.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    yield page
    context.close()


def plant_hostile_urls(api, database_url: str) -> dict:
    """Write script URLs into the database directly (the API refuses them), then publish."""
    from app.store.db import get_engines

    api.festival()
    venue = api.venue()
    film = api.film(
        title="<img src=x onerror=\"window.__pwned='title'\">", synopsis="<script>window.__pwned='synopsis'</script>"
    )
    ids = [
        api.screening(venue["id"], [film["id"]], f"2021-11-{17 + n}T20:00", status="confirmed")["id"]
        for n in range(len(SCRIPT_URLS))
    ]
    api.screening(
        venue["id"], [film["id"]], "2021-11-17T14:00", status="confirmed", ticket_url="https://tickets.example/ok"
    )  # the one link that may be shown
    with get_engines().write.begin() as connection:
        connection.execute(text("UPDATE festival SET website = :url"), {"url": "javascript:window.__pwned='site'"})
        for screening_id, url in zip(ids, SCRIPT_URLS, strict=True):
            connection.execute(
                text("UPDATE screening SET ticket_url = :url WHERE id = :id"), {"url": url, "id": screening_id}
            )
    api.post(f"/api/festivals/{api.slug}/publish", {})
    return {"venue": venue["id"], "film": film["id"]}


def assert_no_script_ran(page, events: list[str]) -> None:
    assert page.evaluate("() => window.__pwned") is None, events
    assert not [event for event in events if event.startswith("dialog")]


def test_planted_script_urls_are_never_links_and_never_run(api, database, page, events):
    ids = plant_hostile_urls(api, database)
    with running_server(database) as base:
        paths = [
            f"/festivals/{api.slug}",
            f"/festivals/{api.slug}/films/{ids['film']}",
            f"/festivals/{api.slug}/venues/{ids['venue']}",
            f"/festivals/{api.slug}/programme?by=day",
            f"/festivals/{api.slug}/programme?by=venue",
            f"/festivals/{api.slug}/programme?by=grid",
            "/",
        ]
        for path in paths:
            response = page.goto(base + path)
            assert response.status == 200, path
            policy = response.headers["content-security-policy"]
            assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
            hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
            assert hrefs, path
            for href in hrefs:
                assert re.match(r"^(/|#|https?://|webcal://)", href), (path, href)
                # a calendar link carries the (percent-encoded) title as text; nothing else may
                calendar_link = href.startswith(("https://calendar.google.com/", "https://outlook."))
                assert calendar_link or "pwned" not in href, (path, href)
            assert_no_script_ran(page, events)
            assert not [e for e in events if "pageerror" in e], (path, events)
        # of six ticket URLs only the https one is a link
        for path, selector in (
            (f"/festivals/{api.slug}/programme?by=day", "p.tickets a"),
            (f"/festivals/{api.slug}/films/{ids['film']}", "a.tickets"),
        ):
            page.goto(base + path)
            assert page.eval_on_selector_all(selector, "links => links.map(a => a.href)") == [
                "https://tickets.example/ok"
            ], path


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the browser side: one database is enough
def test_the_policy_is_enforced_even_against_a_script_link(api, database, page, events):
    """Defence in depth: were a script URL ever rendered, the CSP still would not run it."""
    plant_hostile_urls(api, database)
    with running_server(database) as base:
        for path in (f"/festivals/{api.slug}", f"/festivals/{api.slug}/programme?by=day"):
            page.goto(base + path)
            page.evaluate("""() => {
                const a = document.createElement('a');
                a.href = "javascript:window.__pwned='link'"; a.id = 'planted'; a.textContent = 'x';
                document.body.appendChild(a);
                const s = document.createElement('script');
                s.textContent = "window.__pwned = 'inline'";
                document.body.appendChild(s);
                const d = document.createElement('div');
                d.innerHTML = '<img src="data:," onerror="window.__pwned=\\'handler\\'">';
                document.body.appendChild(d);
            }""")
            page.click("#planted")
            page.wait_for_timeout(300)
            assert_no_script_ran(page, events)
            violations = [e for e in events if "Content Security Policy" in e]
            assert len(violations) >= 3, events  # the inline script, the handler, the javascript: link
            events.clear()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the browser side: one database is enough
def test_the_printed_programme_keeps_its_style_under_the_policy(api, database, page, events):
    api.festival()
    venue = api.venue()
    film = api.film()
    api.screening(venue["id"], [film["id"]], status="confirmed")
    api.post(f"/api/festivals/{api.slug}/publish", {})
    with running_server(database) as base:
        for view in ("day", "grid"):
            page.goto(f"{base}/festivals/{api.slug}/programme?by={view}")
            assert not [e for e in events if "Content Security Policy" in e], events
            # the stylesheet applied: the page is in the programme's font, not the browser's default
            family = page.eval_on_selector("body", "b => getComputedStyle(b).fontFamily")
            assert family.startswith('"DejaVu Sans"'), family
        top = page.eval_on_selector(".block", "b => getComputedStyle(b).top")
        height = page.eval_on_selector(".block", "b => b.getBoundingClientRect().height")
        assert top != "auto" and height == pytest.approx(120 * 1.5, abs=1)  # 120 minutes at 1.5 px


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # the browser side: one database is enough
def test_docs_work_offline_under_the_policy(client, database, page, events):
    with running_server(database) as base:
        html = httpx.get(f"{base}/docs").text
        assert re.findall(r"(?:src|href)=\"(https?:)?//", html) == []
        for asset in re.findall(r"(?:src|href)=\"(/[^\"]+)\"", html):
            assert httpx.get(base + asset).status_code == 200, asset

        requested: list[str] = []
        page.route(
            "**/*",
            lambda route: (
                requested.append(route.request.url),
                route.continue_() if route.request.url.startswith(base) else route.abort(),
            ),
        )
        page.goto(f"{base}/docs")
        page.wait_for_selector(".opblock", timeout=20000)
        assert page.locator(".opblock").count() >= 20
        assert page.locator(".opblock-summary-path", has_text="/api/festivals/{slug}/screenings").count() > 0
        page.goto(f"{base}/redoc")
        page.wait_for_selector("li[data-item-id]", timeout=20000)
        assert page.locator("li[data-item-id]").count() >= 20
        assert [url for url in requested if not url.startswith(base) and not url.startswith("blob:")] == []
        assert not [e for e in events if "pageerror" in e], events
        # the docs pages load nothing from elsewhere; ReDoc's only outside image is refused by the policy
        violations = [e for e in events if "Content Security Policy" in e]
        assert all("cdn.redoc.ly" in e for e in violations), violations
