"""Paging of lists: `limit` (at most 1000) and `offset`, answered as `{"items", "total"}`."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from app.scheduling.fields import MAX_ID

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """A page of a list and the length of the whole list."""

    items: list[T]
    total: int


Limit = Annotated[int, Query(ge=1, le=1000, description="at most 1000")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
