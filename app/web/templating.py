"""Jinja2 for the public pages."""

from pathlib import Path

from fastapi.templating import Jinja2Templates

from app.calendar.links import FeedLinks
from app.calendar.links import feed_links as links_of_feed
from app.links import safe_url
from app.settings import get_settings

templates = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def feed_links(path: str, name: str = "") -> FeedLinks:
    """Subscribe links of the feed at `path`, on the configured base URL (never the request's Host)."""
    return links_of_feed(get_settings().base_url.rstrip("/") + path, name)


# a stored URL is linked only when it is http(s): `{% set url = value | safe_url %}{% if url %}...`
templates.env.filters["safe_url"] = safe_url
templates.env.globals["feed_links"] = feed_links
