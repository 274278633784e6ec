"""Jinja2 for the public pages."""

from pathlib import Path

from fastapi.templating import Jinja2Templates

from app.links import safe_url, webcal_url
from app.settings import get_settings

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def feed_links(path: str) -> dict[str, str]:
    """https and webcal:// addresses of a feed, on the configured base URL (never the request's Host)."""
    https = get_settings().base_url.rstrip("/") + path
    return {"https": https, "webcal": webcal_url(https)}


# a stored URL is linked only when it is http(s): `{% set url = value | safe_url %}{% if url %}...`
templates.env.filters["safe_url"] = safe_url
templates.env.globals["feed_links"] = feed_links
