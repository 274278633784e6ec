"""Request and response bodies of the JSON API, built from the field families in `app.scheduling.fields`.

`Create` is the family's `Base`; `Update` is generated from it with every field optional
(a PATCH names only what changes); `Public` adds what the server works out.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, create_model

from app.scheduling.fields import (
    FestivalBase,
    FestivalSlug,
    FilmBase,
    ScreeningBase,
    VenueBase,
)

M = TypeVar("M", bound=BaseModel)


def partial(model: type[M], name: str) -> type[M]:
    """The model with every field optional and no defaults: what a PATCH body may hold.

    Values are checked with the full model after merging them into the stored resource, so
    the bounds live in one place.
    """
    fields: dict[str, Any] = {field: (Any, None) for field in model.model_fields}
    return create_model(name, __config__=ConfigDict(extra="forbid"), **fields)  # type: ignore[call-overload]


def _public(config_extra: str = "ignore") -> ConfigDict:
    return ConfigDict(extra=config_extra)  # type: ignore[typeddict-item]


# -- festivals ------------------------------------------------------------------------------


class FestivalCreate(FestivalSlug, FestivalBase):
    pass


FestivalUpdate = partial(FestivalCreate, "FestivalUpdate")


class FestivalPublic(FestivalCreate):
    model_config = _public()
    id: int
    created_at: datetime
    updated_at: datetime
    latest_version: int = 0


# -- venues ---------------------------------------------------------------------------------

VenueCreate = VenueBase
VenueUpdate = partial(VenueBase, "VenueUpdate")


class VenuePublic(VenueBase):
    model_config = _public()
    id: int


# -- films ----------------------------------------------------------------------------------

FilmCreate = FilmBase
FilmUpdate = partial(FilmBase, "FilmUpdate")


class FilmPublic(FilmBase):
    model_config = _public()
    id: int
    section_slug: str | None = None


# -- screenings -----------------------------------------------------------------------------

ScreeningCreate = ScreeningBase
ScreeningUpdate = partial(ScreeningBase, "ScreeningUpdate")


class ConflictPublic(BaseModel):
    kind: str
    severity: Literal["error", "warning"]
    screening_ids: list[int]
    minutes: int
    message: str
    festival_day: date


class ScreeningPublic(ScreeningBase):
    model_config = _public()
    id: int
    title: str  # type: ignore[assignment]
    runtime_minutes: int
    ends_at: datetime
    festival_day: date
    conflicts: list[ConflictPublic] = Field(default_factory=list)


# -- publishing -----------------------------------------------------------------------------


class ChangeCounts(BaseModel):
    added: int = 0
    moved: int = 0
    retimed: int = 0
    cancelled: int = 0


class VersionSummary(BaseModel):
    number: int
    published_at: datetime
    screenings: int
    changes: ChangeCounts
    url: str


class VersionDetail(VersionSummary):
    changelog: list[dict[str, Any]]
    programme: dict[str, Any]
    detail: str | None = Field(default=None, description="said when publishing changed nothing")
