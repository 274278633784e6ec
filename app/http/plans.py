"""What the plan API and the plan page share: their privacy headers and the plan's addresses."""

from __future__ import annotations

from dataclasses import dataclass

from app.calendar.links import FeedLinks, feed_links
from app.settings import get_settings

# a plan is one person's: never stored by a shared cache, never indexed, and its address (the token)
# never sent as a Referer to another site (same-origin: the plan's own forms still send an Origin)
PRIVATE_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Robots-Tag": "noindex, nofollow",
    "Referrer-Policy": "same-origin",
}


@dataclass(frozen=True)
class PlanLinks:
    page: str
    calendar: str
    subscribe: FeedLinks
    slug: str

    def screening_page(self, screening) -> str:
        """Where a pick is described: its main film's page, at the screening."""
        return screening_address(self.slug, screening)


def screening_address(slug: str, screening) -> str:
    """A screening's place on its first film's page (absolute)."""
    base = get_settings().base_url.rstrip("/")
    return f"{base}/festivals/{slug}/films/{screening.film_ids[0]}#screening-{screening.id}"


def plan_links(token: str, slug: str) -> PlanLinks:
    base = get_settings().base_url.rstrip("/")
    calendar = f"{base}/plans/{token}/calendar.ics"
    return PlanLinks(
        page=f"{base}/plans/{token}", calendar=calendar, subscribe=feed_links(calendar, "My festival plan"), slug=slug
    )
