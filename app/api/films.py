"""Films of a festival."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy import func
from sqlmodel import select

from app.api.deps import FestivalDep, PathId, Programmer, SessionDep, check_if_match, etag_of, set_etag
from app.api.festivals import Limit, Offset
from app.api.problems import Problem, not_found
from app.api.schemas import FilmFields, FilmPublic, FilmUpdate, Page
from app.scheduling.programme import section_slug
from app.store.guard import guard_confirmed_schedule
from app.store.models import Festival, Film
from app.store.repository import count_screenings_using, lock_festival

router = APIRouter(prefix="/api/festivals/{slug}/films", tags=["films"])


def film_public(film: Film) -> FilmPublic:
    return FilmPublic.model_validate(
        {**film.model_dump(), "section_slug": section_slug(film.section) if film.section else None})


def get_film(session, festival: Festival, film_id: int) -> Film:
    film = session.get(Film, film_id)
    if film is None or film.festival_id != festival.id:
        raise not_found(f"Film {film_id} of festival '{festival.slug}'")
    return film


@router.post("", status_code=201, response_model=FilmPublic)
def create_film(_: Programmer, body: FilmFields, festival: FestivalDep, session: SessionDep,
                response: Response):
    film = Film(**body.model_dump(), festival_id=festival.id)
    session.add(film)
    session.flush()
    response.headers["Location"] = f"/api/festivals/{festival.slug}/films/{film.id}"
    set_etag(response, etag_of("film", film))
    return film_public(film)


@router.get("", response_model=Page[FilmPublic])
def list_films(festival: FestivalDep, session: SessionDep, limit: Limit = 100, offset: Offset = 0):
    where = Film.festival_id == festival.id
    total = session.execute(select(func.count()).select_from(Film).where(where)).scalar_one()
    rows = session.exec(select(Film).where(where).order_by(Film.title, Film.id)
                        .offset(offset).limit(limit)).all()
    return {"items": [film_public(f) for f in rows], "total": total}


@router.get("/{film_id}", response_model=FilmPublic)
def read_film(film_id: PathId, festival: FestivalDep, session: SessionDep, response: Response):
    film = get_film(session, festival, film_id)
    set_etag(response, etag_of("film", film))
    return film_public(film)


@router.patch("/{film_id}", response_model=FilmPublic)
def update_film(_: Programmer, film_id: PathId, body: FilmUpdate, festival: FestivalDep,
                session: SessionDep, request: Request, response: Response):
    film = get_film(session, festival, film_id)
    check_if_match(request, etag_of("film", film))
    current = FilmFields.model_validate(film.model_dump(include=set(FilmFields.model_fields)))
    merged = FilmFields.model_validate({**current.model_dump(), **body.model_dump(exclude_unset=True)})
    for field, value in merged.model_dump().items():
        setattr(film, field, value)
    film.revision += 1
    session.add(film)
    session.flush()
    guard_confirmed_schedule(session, festival)
    set_etag(response, etag_of("film", film))
    return film_public(film)


@router.delete("/{film_id}", status_code=204)
def delete_film(_: Programmer, film_id: PathId, festival: FestivalDep, session: SessionDep,
                request: Request):
    lock_festival(session, festival.id)
    film = get_film(session, festival, film_id)
    check_if_match(request, etag_of("film", film))
    used = count_screenings_using(session, film_id=film.id)
    if used:
        raise Problem(409, f"Film {film.id} ({film.title}) is shown in {used} screening"
                           f"{'s' if used != 1 else ''}; remove it from them first.",
                      type_="urn:marquee:problem:in-use", title="Film in use")
    session.delete(film)
    session.flush()
    return Response(status_code=204)
