"""The board in a real browser: Debian's Chromium driven by Playwright against a real `marquee serve`.

Desktop and a 390 px phone: sign in, place a film with the slot finder, hit a conflict, fix it,
swap two confirmed screenings (drag and drop on the desktop, the form on the phone), publish
after the preview, sign out; keyboard only; axe-core finds no serious or critical violation.
Set MARQUEE_SCREENSHOTS_DIR to keep the screenshots (docs/screenshots/ holds the README's).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
import pytest

from tests.builders import festival_body, film_body, screening_body, venue_body
from tests.conftest import make_token
from tests.server import REPO, running_server

CHROMIUM = Path("/usr/bin/chromium")
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
    pytest.mark.skipif(not AXE.exists(), reason="needs axe-core in node_modules (make install runs npm install)"),
    pytest.mark.parametrize("database_url", ["sqlite"], indirect=True),
]
SLUG = "wiesbaden-2021"
FRIDAY = "2021-11-19"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def festival(database):
    """A running server with a festival: two venues, three films, two confirmed screenings at 18:00."""
    token = make_token("programmer")
    with running_server(database) as base:
        with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as http:
            http.post("/api/festivals", json=festival_body()).raise_for_status()
            caligari = http.post(
                f"/api/festivals/{SLUG}/venues", json=venue_body(name="Caligari", turnaround_minutes=20)
            ).json()
            murnau = http.post(f"/api/festivals/{SLUG}/venues", json=venue_body(name="Murnau")).json()
            http.post(f"/api/festivals/{SLUG}/films", json=film_body()).raise_for_status()  # Dear Comrades!
            ascent = http.post(
                f"/api/festivals/{SLUG}/films", json=film_body(title="The Ascent", runtime_minutes=111)
            ).json()
            wings = http.post(f"/api/festivals/{SLUG}/films", json=film_body(title="Wings", runtime_minutes=85)).json()
            for venue, film in ((caligari, ascent), (murnau, wings)):
                http.post(
                    f"/api/festivals/{SLUG}/screenings",
                    json=screening_body(venue["id"], [film["id"]], f"{FRIDAY}T18:00", status="confirmed"),
                ).raise_for_status()
        yield {"base": base, "token": token, "caligari": caligari, "murnau": murnau}


def no_serious_violations(page) -> None:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => (await axe.run(document)).violations"
        ".map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' '))}))"
    )
    serious = [v for v in result if v["impact"] in ("serious", "critical")]
    assert serious == [], serious


def shoot(page, name: str, tmp_path: Path) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.read_bytes().startswith(b"\x89PNG")
    keep = os.environ.get("MARQUEE_SCREENSHOTS_DIR")
    if keep:
        shutil.copy(path, Path(keep) / path.name)


def sign_in(page, festival, viewport_name: str = "desktop") -> None:
    page.goto(f"{festival['base']}/festivals/{SLUG}/board?day={FRIDAY}")
    assert "/login" in page.url  # the board needs a session
    page.fill("#token", festival["token"])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/board?day={FRIDAY}")


def lane_of(page, title: str) -> str:
    block = page.locator(".block", has_text=title).first
    return block.evaluate("b => b.closest('.lane').dataset.venue")


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_programmer_builds_a_day_on_the_board(browser, festival, width, tmp_path):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, festival)
    cookie = next(c for c in context.cookies() if c["name"] == "marquee_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert festival["token"] not in page.content()
    no_serious_violations(page)

    # place a film with the slot finder: after The Ascent (18:00-19:51) and 20 minutes of turnaround
    page.get_by_role("link", name="Place film Dear Comrades!").click()
    page.get_by_role("button", name="Place at 20:15 in Caligari").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text() == "Screening placed."
    assert "20:15–22:15" in page.locator(".block", has_text="Dear Comrades!").inner_text()
    shoot(page, f"board-{'phone' if width < 500 else 'desktop'}", tmp_path)

    # hit a conflict: move it onto The Ascent (a draft may conflict), then try to confirm it
    page.fill("#move-start", f"{FRIDAY}T19:00")
    page.get_by_role("button", name="Move", exact=True).click()
    page.wait_for_load_state()
    conflicts = page.locator("ul.conflicts")
    assert "overlap in a venue" in conflicts.inner_text()
    assert "Dear Comrades! (Fri 19 Nov 19:00, Caligari)" in conflicts.inner_text()
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    refusal = page.get_by_role("alert")
    assert "Nothing was changed" in refusal.inner_text()
    assert (
        "Dear Comrades! (Fri 19 Nov 19:00, Caligari) cannot be confirmed: 1 error-level conflict with "
        "confirmed screenings: it overlaps The Ascent (Fri 19 Nov 18:00, Caligari)"
    ) in refusal.inner_text()
    assert "draft" in page.locator(".block", has_text="Dear Comrades!").inner_text()
    no_serious_violations(page)
    shoot(page, f"board-refusal-{'phone' if width < 500 else 'desktop'}", tmp_path)

    # fix it: back after the turnaround, then confirm
    page.fill("#move-start", f"{FRIDAY}T20:30")
    page.get_by_role("button", name="Move", exact=True).click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text() == "Screening confirmed."
    assert page.locator("#conflicts-title .count").inner_text() == "0"

    # swap The Ascent and Wings, both confirmed at 18:00 in different venues
    caligari, murnau = str(festival["caligari"]["id"]), str(festival["murnau"]["id"])
    assert (lane_of(page, "The Ascent"), lane_of(page, "Wings")) == (caligari, murnau)
    if width >= 500:  # drag one onto the other
        page.locator(".block", has_text="The Ascent").drag_to(page.locator(".block", has_text="Wings"))
    else:  # the form does the same without a pointer
        page.locator(".block", has_text="The Ascent").click()
        page.select_option("#swap-with", label="Wings (18:00, Murnau)")
        page.get_by_role("button", name="Swap").click()
    page.wait_for_url("**notice=swapped**")
    assert (lane_of(page, "The Ascent"), lane_of(page, "Wings")) == (murnau, caligari)

    # publish with the preview
    page.get_by_role("link", name="Review and publish…").click()
    preview = page.locator("table.changes").inner_text()
    assert preview.count("added") == 3 and "Dear Comrades!" in preview
    no_serious_violations(page)
    page.get_by_role("button", name="Publish version").click()
    page.wait_for_load_state()
    assert page.get_by_role("status").inner_text() == "Published."

    # sign out: the board asks for sign-in again
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login**")
    page.goto(f"{festival['base']}/festivals/{SLUG}/board")
    assert "/login" in page.url
    assert errors == []
    context.close()


def test_the_board_works_from_the_keyboard_alone(browser, festival):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{festival['base']}/festivals/{SLUG}/board?day={FRIDAY}")
    page.locator("#token").focus()
    page.keyboard.type(festival["token"])
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/board?day={FRIDAY}")

    def tab_to(name: str, limit: int = 120) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "() => (document.activeElement.getAttribute('aria-label') "
                "|| document.activeElement.textContent || '').trim()"
            )
            if focused.startswith(name):
                return
        raise AssertionError(f"{name!r} cannot be reached with Tab")

    def press_enter() -> None:
        with page.expect_navigation():
            page.keyboard.press("Enter")

    tab_to("Place film Dear Comrades!")
    press_enter()
    tab_to("Place at 20:15 in Caligari")
    press_enter()
    assert page.get_by_role("status").inner_text() == "Screening placed."
    tab_to("Confirm")
    press_enter()
    assert page.get_by_role("status").inner_text() == "Screening confirmed."
    context.close()
