"""Attendees' plans: the screenings someone means to see, their clashes, and the plan's feed.

A plan belongs to one festival and holds screening ids of its published programme. Its
secret token (192 random bits from `secrets`) is its only credential; only a hash is
stored, and the plan is found by that hash. Picks are checked against the latest
published version: a new pick must be a screening the public can see and that is not
cancelled; a pick that has since been cancelled stays in the plan (and in its feed, as
cancelled) until the attendee removes it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.scheduling.fields import MAX_ID, ScreeningStatus
from app.scheduling.plans import WALK, Clash, plan_clashes, walking_minutes
from app.scheduling.programme import Programme, ScreeningInfo, screening_title
from app.services.errors import InvalidField, NotFound
from app.services.public import announced_programme
from app.store import plans as store
from app.store.models import Plan

MAX_PICKS = 500
TOKEN_BYTES = 24  # 192 bits


@dataclass(frozen=True)
class PlanView:
    """A plan as its owner sees it: its picks in the latest published programme and their clashes."""

    plan: Plan
    slug: str
    programme: Programme
    picks: tuple[ScreeningInfo, ...]
    clashes: tuple[Clash, ...]


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _view(plan: Plan, slug: str, programme: Programme) -> PlanView:
    wanted = set(plan.screening_ids)
    picks = tuple(sorted((s for s in programme.screenings if s.id in wanted), key=lambda s: (s.starts_at, s.id)))
    # a cancelled pick stays in view (and in the feed, as cancelled) but takes no time
    showing = [s for s in picks if s.status != ScreeningStatus.CANCELLED]
    return PlanView(
        plan=plan, slug=slug, programme=programme, picks=picks, clashes=tuple(plan_clashes(showing, programme))
    )


def _checked_picks(programme: Programme, screening_ids: list[int], kept: set[int]) -> list[int]:
    """The picks without repeats, in order; 422 naming any that is not a published, running screening."""
    if len(screening_ids) > MAX_PICKS:
        raise InvalidField("screening_ids", f"a plan holds at most {MAX_PICKS} screenings")
    published = {s.id: s for s in programme.screenings}
    unknown = [i for i in screening_ids if i not in published]
    if unknown:
        raise InvalidField(
            "screening_ids",
            f"{_ids(unknown)} {'is' if len(unknown) == 1 else 'are'} not in the "
            f"published programme of '{programme.festival.slug}'",
        )
    cancelled = [i for i in screening_ids if published[i].status == ScreeningStatus.CANCELLED and i not in kept]
    if cancelled:
        raise InvalidField("screening_ids", f"{_ids(cancelled)} {'is' if len(cancelled) == 1 else 'are'} cancelled")
    return list(dict.fromkeys(screening_ids))


def _ids(ids: list[int]) -> str:
    return ("screening " if len(ids) == 1 else "screenings ") + ", ".join(str(i) for i in dict.fromkeys(ids))


def create_plan(session: Session, slug: str, screening_ids: list[int], now: datetime) -> tuple[PlanView, str]:
    """A new plan of the festival's published screenings; returns it and its token (shown only now)."""
    festival_id, programme = announced_programme(session, slug)
    picks = _checked_picks(programme, screening_ids, kept=set())
    token = new_token()
    plan = store.add_plan(session, festival_id, token, picks, now)
    return _view(plan, slug, programme), token


def get_plan(session: Session, token: str) -> PlanView:
    """The plan with this token, or 404 (found by the token's hash: an unknown one costs the same query)."""
    found = store.plan_by_token(session, token) if 0 < len(token) <= 200 else None
    if found is None:
        raise NotFound("No plan has this address; check the link, or make a new plan.")
    plan, slug = found
    _, programme = announced_programme(session, slug)
    return _view(plan, slug, programme)


def replace_picks(session: Session, token: str, screening_ids: list[int], now: datetime) -> PlanView:
    """Set the plan's picks (PUT): every id must be published; cancelled ones only if already picked."""
    view = get_plan(session, token)
    picks = _checked_picks(view.programme, screening_ids, kept=set(view.plan.screening_ids))
    if picks != list(view.plan.screening_ids):
        store.save_picks(session, view.plan, picks, now)
    return _view(view.plan, view.slug, view.programme)


def add_pick(session: Session, token: str, screening_id: int, now: datetime) -> PlanView:
    view = get_plan(session, token)
    return replace_picks(session, token, [*view.plan.screening_ids, screening_id], now)


def remove_pick(session: Session, token: str, screening_id: int, now: datetime) -> PlanView:
    view = get_plan(session, token)
    return replace_picks(session, token, [i for i in view.plan.screening_ids if i != screening_id], now)


def valid_screening_id(value: str) -> int | None:
    """A form's screening id as an int, or None when it is not one."""
    return int(value) if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID else None


def pick_title(programme: Programme, screening: ScreeningInfo) -> str:
    """A pick's title as the programme prints it."""
    films = programme.films_by_id
    return screening_title(screening.title, [films[i].title for i in screening.film_ids if i in films])


def clash_fields(clash: Clash, programme: Programme) -> dict:
    """A clash as the API and the plan page give it (with the walk's minutes for a walk clash)."""
    walk = None
    if clash.kind == WALK:
        by_id = {s.id: s for s in programme.screenings}
        first, second = (by_id[i] for i in clash.screening_ids)
        walk = walking_minutes(programme.venues_by_id.get(first.venue_id), programme.venues_by_id.get(second.venue_id))
    return {
        "kind": clash.kind,
        "screening_ids": list(clash.screening_ids),
        "minutes": clash.minutes,
        "walk_minutes": walk,
        "message": clash.message,
    }
