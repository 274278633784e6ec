"""Screenshots of the printed programme's HTML views, taken with headless Chromium.

    python scripts/screenshots.py                      # a generated 400-screening programme
    python scripts/screenshots.py --programme prog.json  # a Programme saved as JSON
    python scripts/screenshots.py --url http://127.0.0.1:8000 --slug kinofest-2021  # live server

Writes docs/screenshots/programme-<view>.png (by default the day and grid views).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CHROMIUM = "/usr/bin/chromium"


def chromium_command(chromium: str, profile_dir: Path, *args: str) -> list[str]:
    """A headless Chromium command line that stays offline and leaves no state behind."""
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile_dir}",
        *args,
    ]


def screenshot(url: str, png: Path, *, width: int = 1280, height: int = 2000, chromium: str = DEFAULT_CHROMIUM) -> Path:
    """Save a PNG of `url` as Chromium renders it in a window of the given size."""
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="marquee-chromium-") as profile_dir:
        command = chromium_command(
            chromium,
            Path(profile_dir),
            f"--screenshot={png}",
            f"--window-size={width},{height}",
            url,
        )
        subprocess.run(command, check=True, capture_output=True, timeout=120)
    if not png.exists() or png.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no screenshot for {url}")
    return png


def _load_programme(path: Path | None):
    sys.path.insert(0, str(ROOT))
    from app.scheduling.programme import Programme

    if path is not None:
        return Programme.model_validate_json(path.read_text("utf-8"))
    from bench.programmes import realistic_programme

    return realistic_programme()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--programme", type=Path, help="a Programme saved as JSON")
    source.add_argument("--url", help="base URL of a running Marquee server")
    parser.add_argument("--slug", help="festival slug (with --url)")
    parser.add_argument("--views", nargs="+", default=["day", "grid"])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2000)
    parser.add_argument("--chromium", default=shutil.which("chromium") or DEFAULT_CHROMIUM)
    args = parser.parse_args(argv)
    if not Path(args.chromium).exists():
        parser.error(f"chromium not found at {args.chromium}")
    if args.url and not args.slug:
        parser.error("--url needs --slug")

    programme = None if args.url else _load_programme(args.programme)
    with tempfile.TemporaryDirectory(prefix="marquee-screenshots-") as work:
        for view in args.views:
            if programme is None:
                url = f"{args.url.rstrip('/')}/festivals/{args.slug}/programme?by={view}"
            else:
                from app.printing import render_programme_html

                page = Path(work) / f"programme-{view}.html"
                page.write_text(render_programme_html(programme, view), "utf-8")
                url = page.as_uri()
            png = screenshot(
                url,
                args.out / f"programme-{view}.png",
                width=args.width,
                height=args.height,
                chromium=args.chromium,
            )
            print(png)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
