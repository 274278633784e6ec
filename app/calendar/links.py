"""Links that put a feed or one screening into a calendar app in one tap.

Pure string building: `webcal://` for Apple Calendar and most desktop clients, Google
Calendar's and Outlook's "add from the web" pages for Android phones and web calendars
(Android has no handler for `webcal://`), and a pre-filled event for one screening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"
OUTLOOK_ADD_FROM_WEB = "https://outlook.live.com/calendar/0/addfromweb"
OUTLOOK_COMPOSE = "https://outlook.live.com/calendar/0/deeplink/compose"


@dataclass(frozen=True)
class FeedLinks:
    """Every way to subscribe to one feed."""

    https: str
    webcal: str
    google: str
    outlook: str


def webcal_url(https_url: str) -> str:
    """The feed's address with the `webcal://` scheme, which opens the subscribe dialog."""
    return "webcal://" + https_url.split("://", 1)[1]


def feed_links(https_url: str, name: str) -> FeedLinks:
    """Subscribe links for the feed at `https_url` (an absolute http or https address)."""
    webcal = webcal_url(https_url)
    return FeedLinks(
        https=https_url,
        webcal=webcal,
        # Google Calendar subscribes to the address given as `cid` (it accepts webcal:// there)
        google=f"{GOOGLE_CALENDAR}?cid={quote(webcal, safe='')}",
        outlook=f"{OUTLOOK_ADD_FROM_WEB}?{urlencode({'url': https_url, 'name': name}, quote_via=quote)}",
    )


def _utc_stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def google_event_link(
    *, title: str, starts_at: datetime, ends_at: datetime, location: str = "", details: str = ""
) -> str:
    """Google Calendar's "add this event" page, filled in (times in UTC, so no zone is guessed)."""
    params = {
        "action": "TEMPLATE",
        "text": title,
        "dates": f"{_utc_stamp(starts_at)}/{_utc_stamp(ends_at)}",
        "location": location,
        "details": details,
    }
    return f"{GOOGLE_CALENDAR}?{urlencode({k: v for k, v in params.items() if v}, quote_via=quote)}"


def outlook_event_link(
    *, title: str, starts_at: datetime, ends_at: datetime, location: str = "", details: str = ""
) -> str:
    """Outlook on the web's "new event" page, filled in (ISO times with their offset)."""
    params = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": title,
        "startdt": starts_at.isoformat(),
        "enddt": ends_at.isoformat(),
        "location": location,
        "body": details,
    }
    return f"{OUTLOOK_COMPOSE}?{urlencode({k: v for k, v in params.items() if v}, quote_via=quote)}"


def openstreetmap_link(latitude: float, longitude: float, zoom: int = 17) -> str:
    """OpenStreetMap centred on a venue, with a marker."""
    lat, lon = f"{latitude:.5f}", f"{longitude:.5f}"
    return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map={zoom}/{lat}/{lon}"
