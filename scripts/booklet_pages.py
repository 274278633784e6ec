"""Pages of the sample festival's booklet as PNG, laid out as the spreads a reader sees (poppler's pdftoppm).

    python scripts/booklet_pages.py                   # writes docs/screenshots/booklet-*.png
    python scripts/booklet_pages.py --all /tmp/pages  # every page, to look at before printing

The sample programme folder is read and printed as its first published version would be.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (file name, pages side by side): the cover alone, then spreads as the booklet opens
SPREADS = {"booklet-cover.png": (1,), "booklet-programme.png": (4, 5), "booklet-films.png": (8, 9)}


def sample_booklet(size: str = "a5", bleed: bool = False) -> bytes:
    """The sample festival's booklet, as version 1 published on 1 November 2021."""
    sys.path.insert(0, str(ROOT))
    from app.printing import render_booklet_pdf
    from app.programme_files import read_programme_folder
    from app.scheduling.publishing import next_version

    working = read_programme_folder(ROOT / "sample_programme").programme()
    version, _changelog = next_version(None, working, datetime(2021, 11, 1, 12, tzinfo=UTC))
    return render_booklet_pdf(version, size=size, bleed=bleed, base_url="https://wiesbaden-2021.example.org")


def spread(pages: list[Path], png: Path) -> None:
    from PIL import Image

    images = [Image.open(page) for page in pages]
    sheet = Image.new("RGB", (sum(image.width for image in images), max(image.height for image in images)), "white")
    x = 0
    for image in images:
        sheet.paste(image, (x, 0))
        x += image.width
    sheet.save(png, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--all", type=Path, help="write every page to this folder instead")
    parser.add_argument("--size", default="a5", choices=["a5", "a4"])
    parser.add_argument("--dpi", type=int, default=90)
    args = parser.parse_args(argv)
    if shutil.which("pdftoppm") is None:
        parser.error("pdftoppm not found (Debian: apt install poppler-utils)")
    with tempfile.TemporaryDirectory(prefix="marquee-booklet-") as work:
        pdf = Path(work) / "booklet.pdf"
        pdf.write_bytes(sample_booklet(args.size))
        target = args.all or Path(work)
        target.mkdir(parents=True, exist_ok=True)
        subprocess.run(["pdftoppm", "-r", str(args.dpi), "-png", str(pdf), str(target / "page")], check=True)
        pages = sorted(target.glob("page-*.png"))
        if args.all:
            print(f"{len(pages)} pages in {target}")
            return 0
        args.out.mkdir(parents=True, exist_ok=True)
        for name, numbers in SPREADS.items():
            spread([pages[number - 1] for number in numbers if number <= len(pages)], args.out / name)
            print(args.out / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
