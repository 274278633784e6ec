"""Screenshots of the attendee's pages on a desktop and a 390 px phone, taken with Playwright and Debian's Chromium.

    python scripts/attendee_screenshots.py --url http://127.0.0.1:8000 --slug wiesbaden-2021

Writes docs/screenshots/attendee-*.png. Makes a plan with two clashing screenings on the way.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--slug", default="wiesbaden-2021")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    base, slug = args.url.rstrip("/"), args.slug
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=args.chromium, args=ARGS)
        shots = []
        for name, viewport, path, full in (
            ("festival-desktop", DESKTOP, f"/festivals/{slug}?day=2021-11-19", False),
            ("festival-phone", PHONE, f"/festivals/{slug}?day=2021-11-19", False),
            ("search-phone", PHONE, f"/festivals/{slug}?q=Dorogie", False),
            ("film-phone", PHONE, f"/festivals/{slug}/films/1", False),
            ("venue-phone", PHONE, f"/festivals/{slug}/venues/1", False),
        ):
            page = browser.new_page(viewport=viewport, device_scale_factor=1)
            page.goto(base + path)
            png = args.out / f"attendee-{name}.png"
            page.screenshot(path=str(png), full_page=full)
            shots.append(png)
            page.close()
        # a plan with two clashing screenings (the opening night's first two), on a phone
        page = browser.new_page(viewport=PHONE, device_scale_factor=1)
        for nth in range(2):
            page.goto(f"{base}/festivals/{slug}?day=2021-11-17")
            page.locator("ul.screenings > li:not(.cancelled) button").nth(nth).click()
            page.wait_for_url("**/plans/**")
        page.goto(page.url.split("#")[0])
        png = args.out / "attendee-plan-phone.png"
        page.screenshot(path=str(png), full_page=False)
        shots.append(png)
        browser.close()
    for png in shots:
        print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
