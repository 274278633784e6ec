"""An attendee in a real browser (Playwright driving Debian's Chromium) against a real `marquee serve`.

Desktop and a 390 px phone: find a film by search, put two clashing screenings in a plan, see
the clash, fix it, find the subscribe links. axe-core finds no serious or critical problem on
any public page, and no page is wider than a 360 px screen.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server import REPO, running_server

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SLUG = "wiesbaden-2021"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}

sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (test extras)")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`marquee serve` with the sample festival loaded and published, on its own SQLite file."""
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'marquee.db'}"
    env = {**os.environ, "MARQUEE_DATABASE_URL": url}
    for command in (["db", "upgrade"], ["load", str(REPO / "sample_programme")], ["publish", SLUG]):
        subprocess.run([sys.executable, "-m", "app", *command], cwd=REPO, env=env, check=True, capture_output=True)
    with running_server(url) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def public_pages(base: str) -> list[str]:
    return [
        "/",
        f"/festivals/{SLUG}",
        f"/festivals/{SLUG}?day=all",
        f"/festivals/{SLUG}?q=Dorogie",
        f"/festivals/{SLUG}/films/1",
        f"/festivals/{SLUG}/films/2",
        f"/festivals/{SLUG}/venues/1",
        f"/festivals/{SLUG}/venues/2",
        f"/festivals/{SLUG}/films/999",
        "/plans/not-a-plan",
    ]


def screening_item(page, title: str):
    return page.locator("ul.screenings > li").filter(has=page.get_by_role("link", name=title, exact=True)).first


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_find_a_film_plan_two_clashing_screenings_and_fix_the_clash(server, browser, viewport, tmp_path):
    context = browser.new_context(viewport=viewport, base_url=server)
    page = context.new_page()
    page.goto(f"/festivals/{SLUG}")
    sync_api.expect(page.get_by_role("heading", name=re.compile("Wednesday 17 November"))).to_be_visible()

    # find a film by its original title, typed in Latin letters
    page.get_by_role("searchbox").fill("Dorogie")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"q=Dorogie"))
    page.get_by_role("link", name="Dear Comrades!").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Dear Comrades!"
    screenings = page.locator("#screenings")
    credits = page.get_by_text("Director of photography")
    assert screenings.bounding_box()["y"] < credits.bounding_box()["y"]  # screenings before credits

    # two screenings that overlap on the opening night: Ballad of a Soldier 18:00, Cranes 19:00
    page.goto(f"/festivals/{SLUG}?day=2021-11-17")
    screening_item(page, "Ballad of a Soldier").get_by_role("button", name=re.compile("Add to my plan")).click()
    page.wait_for_url(re.compile(r"/plans/[A-Za-z0-9_-]+"))
    page.goto(f"/festivals/{SLUG}?day=2021-11-17")
    screening_item(page, "The Cranes Are Flying").get_by_role("button", name=re.compile("Add to my plan")).click()
    page.wait_for_url(re.compile(r"/plans/[A-Za-z0-9_-]+"))
    sync_api.expect(page.get_by_text("1 clash", exact=True)).to_be_visible()
    assert page.locator("li.clashing").count() == 2
    page.screenshot(path=str(tmp_path / "plan-clash.png"), full_page=True)

    # fix it: drop the Ballad
    screening_item(page, "Ballad of a Soldier").get_by_role("button", name=re.compile("Remove")).click()
    page.wait_for_url(re.compile(r"/plans/[A-Za-z0-9_-]+#plan$"))
    sync_api.expect(page.get_by_text("No clashes")).to_be_visible()
    assert page.locator("li.clashing").count() == 0
    subscribe = page.get_by_role("link", name=re.compile("Subscribe"))
    assert subscribe.get_attribute("href").startswith("webcal://") and subscribe.get_attribute("href").endswith(
        "/calendar.ics"
    )
    sync_api.expect(page.get_by_role("link", name="Add to Google Calendar")).to_be_visible()
    context.close()


def axe_violations(page) -> list[dict]:
    page.evaluate(AXE.read_text("utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.skipif(not AXE.exists(), reason="needs axe-core in node_modules (make install runs npm install)")
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_axe_finds_no_serious_or_critical_violations(server, browser, viewport):
    context = browser.new_context(viewport=viewport, base_url=server, bypass_csp=True)
    page = context.new_page()
    token = page.request.post(f"{server}/api/festivals/{SLUG}/plans", data={"screening_ids": [1, 2]}).json()["token"]
    problems = {}
    for path in [*public_pages(server), f"/plans/{token}", f"/plans/{token}/print"]:
        page.goto(path)
        violations = axe_violations(page)
        if violations:
            problems[path] = violations
    context.close()
    assert problems == {}


def test_no_public_page_is_wider_than_a_360_px_phone(server, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, base_url=server)
    page = context.new_page()
    token = page.request.post(f"{server}/api/festivals/{SLUG}/plans", data={"screening_ids": [1, 2]}).json()["token"]
    widths = {}
    for path in [*public_pages(server), f"/plans/{token}", f"/plans/{token}/print"]:
        page.goto(path)
        widths[path] = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert {path: width for path, width in widths.items() if width > 360} == {}


def test_tap_targets_are_at_least_44_px(server, browser):
    context = browser.new_context(viewport=PHONE, base_url=server)
    page = context.new_page()
    small = []
    for path in (f"/festivals/{SLUG}", f"/festivals/{SLUG}/films/1", f"/festivals/{SLUG}/venues/1"):
        page.goto(path)
        page.locator("details.filters summary").first.click() if path == f"/festivals/{SLUG}" else None
        targets = page.locator(
            "button, a.button, .day-tabs a, .actions a, .links a, header.site a, "
            ".subscribe-links a, details.filters summary, input[type=search]"
        )
        for i in range(targets.count()):
            box = targets.nth(i).bounding_box()
            if box is not None and (box["height"] < 44 or box["width"] < 44):
                small.append((path, targets.nth(i).inner_text()[:30], round(box["width"]), round(box["height"])))
    context.close()
    assert small == []


def test_the_page_reads_on_a_phone_without_a_10000_pixel_day(server, browser):
    context = browser.new_context(viewport=PHONE, base_url=server)
    page = context.new_page()
    page.goto(f"/festivals/{SLUG}?day=2021-11-19")
    first = page.locator("ul.screenings > li").first.bounding_box()
    assert first["y"] < 844 * 1.5  # the programme starts within the first screen and a half
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 6000
    context.close()
