"""Films of a festival."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from app.api.schemas import FilmCreate, FilmPublic, FilmUpdate
from app.http.deps import FestivalDep, PathId, Programmer, Reader, SessionDep, if_match
from app.http.paging import Limit, Offset, Page
from app.http.problems import problem_responses
from app.services import catalogue
from app.services.public import require_announced
from app.services.screenings import etag_of
from app.store.models import Film

router = APIRouter(prefix="/api/festivals/{slug}/films", tags=["films"])
UNANNOUNCED = (
    "Public once the festival has published its programme; before its first publish "
    "only a programmer's token may read its films (404 without one)."
)
IfMatch = Annotated[str | None, Depends(if_match)]


def film_public(film: Film) -> FilmPublic:
    return FilmPublic.model_validate(catalogue.film_fields(film))


@router.post("", status_code=201, response_model=FilmPublic, responses=problem_responses(401, 403, 404, 422))
def create_film(_: Programmer, body: FilmCreate, festival: FestivalDep, session: SessionDep, response: Response):
    film = catalogue.create_film(session, festival, body)
    response.headers["Location"] = f"/api/festivals/{festival.slug}/films/{film.id}"
    response.headers["ETag"] = etag_of("film", film)
    return film_public(film)


@router.get("", description=UNANNOUNCED, response_model=Page[FilmPublic], responses=problem_responses(401, 404, 422))
def list_films(reader: Reader, festival: FestivalDep, session: SessionDep, limit: Limit = 100, offset: Offset = 0):
    require_announced(session, festival, reader, "films")
    rows, total = catalogue.list_films(session, festival, limit, offset)
    return {"items": [film_public(f) for f in rows], "total": total}


@router.get(
    "/{film_id}", description=UNANNOUNCED, response_model=FilmPublic, responses=problem_responses(401, 404, 422)
)
def read_film(reader: Reader, film_id: PathId, festival: FestivalDep, session: SessionDep, response: Response):
    require_announced(session, festival, reader, "films")
    film = catalogue.get_film(session, festival, film_id)
    response.headers["ETag"] = etag_of("film", film)
    return film_public(film)


@router.patch("/{film_id}", response_model=FilmPublic, responses=problem_responses(401, 403, 404, 409, 412, 422))
def update_film(
    _: Programmer,
    film_id: PathId,
    body: FilmUpdate,
    festival: FestivalDep,
    session: SessionDep,
    response: Response,
    precondition: IfMatch,
):
    film = catalogue.update_film(session, festival, film_id, body.model_dump(exclude_unset=True), precondition)
    response.headers["ETag"] = etag_of("film", film)
    return film_public(film)


@router.delete("/{film_id}", status_code=204, responses=problem_responses(401, 403, 404, 409, 412, 422))
def delete_film(_: Programmer, film_id: PathId, festival: FestivalDep, session: SessionDep, precondition: IfMatch):
    catalogue.delete_film(session, festival, film_id, precondition)
    return Response(status_code=204)
