"""What the public may see of a festival: its latest published version, and nothing before the first.

Until a festival's first publish its films, venues and screenings are not public: pages show
the bare festival ("not announced yet"), and the API answers 404 to a read without a token.
"""

from __future__ import annotations

from sqlmodel import Session

from app.scheduling.programme import Programme
from app.services.errors import NotFound
from app.store import repository
from app.store.models import ApiToken, Festival
from app.store.publishing import PublishedState, programme_at, published_state


def public_state(session: Session, slug: str) -> PublishedState:
    """The festival's latest published version (its id and time), what every public cache is keyed by."""
    return published_state(session, slug)


def published_programme(session: Session, slug: str) -> Programme:
    """The latest published version, or the bare festival (no films, venues or screenings) before it."""
    return programme_at(session, published_state(session, slug))


def announced_programme(session: Session, slug: str) -> tuple[int, Programme]:
    """The festival's id and latest published programme; 404 while nothing is published."""
    state = published_state(session, slug)
    if state.version_id is None:
        raise NotFound(f"Festival '{slug}' has not published a programme yet.")
    return state.festival_id, programme_at(session, state)


def is_announced(session: Session, festival: Festival) -> bool:
    """Whether the festival has published at least once."""
    return repository.latest_version_number(session, festival.id) > 0


def require_announced(session: Session, festival: Festival, token: ApiToken | None, what: str) -> None:
    """Refuse (404) a reader without a token the films or venues of a festival not yet announced."""
    if token is None and not is_announced(session, festival):
        raise NotFound(
            f"Festival '{festival.slug}' has not announced its {what} yet (they need a token until its first publish)."
        )
