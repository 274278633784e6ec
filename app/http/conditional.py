"""HTTP caching for things made from one published version (feeds, printed programmes)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request, Response

CACHE_CONTROL = "public, max-age=300"


@dataclass(frozen=True)
class Rendered:
    """Bytes made once per version and view, with the validators HTTP caches compare."""

    body: bytes
    etag: str
    last_modified: datetime

    @classmethod
    def of(cls, body: bytes, last_modified: datetime) -> Rendered:
        return cls.of_digest(body, hashlib.sha256(body).hexdigest(), last_modified)

    @classmethod
    def of_digest(cls, body: bytes, sha256: str, last_modified: datetime) -> Rendered:
        """`of`, for a body whose SHA-256 (hex) is known already."""
        return cls(body, f'"{sha256[:32]}"', last_modified)

    def nbytes(self) -> int:
        """What it weighs in a cache bounded by bytes: its body."""
        return len(self.body)


def not_modified(request: Request, rendered: Rendered) -> bool:
    """A matching If-None-Match (or, without one, an If-Modified-Since not older than the version)."""
    return unchanged_for(request.headers.get("if-none-match"), request.headers.get("if-modified-since"), rendered)


def unchanged_for(if_none_match: str | None, if_modified_since: str | None, rendered: Rendered) -> bool:
    """`not_modified`, given the two request headers' values (the first of each, or None)."""
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or rendered.etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        return since.tzinfo is not None and rendered.last_modified.replace(microsecond=0) <= since
    return False


def versioned_response(request: Request, rendered: Rendered, media_type: str, filename: str | None = None) -> Response:
    return answer(rendered, media_type, filename, unchanged=not_modified(request, rendered))


def answer(rendered: Rendered, media_type: str, filename: str | None, *, unchanged: bool) -> Response:
    """The 200 with the bytes, or (`unchanged`) the 304: validators and Cache-Control on both."""
    headers = {
        "ETag": rendered.etag,
        "Last-Modified": format_datetime(rendered.last_modified, usegmt=True),
        "Cache-Control": CACHE_CONTROL,
    }
    if unchanged:
        return Response(status_code=304, headers=headers)
    if filename:
        headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return Response(rendered.body, media_type=media_type, headers=headers)
