"""The pages' stylesheet, served at /static/ (no inline styles: the CSP allows only 'self')."""

from pathlib import Path

STATIC_DIR = Path(__file__).parent
