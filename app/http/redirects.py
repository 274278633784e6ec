"""Renamed festivals: every GET of a path under a former slug answers 308 with the new path.

A festival's slug is in every URL people keep (feed subscriptions, printed links, bookmarks),
so renaming it must not break them. This middleware looks only at answers that are already
404, so it costs nothing on the hot path (a feed poll): for `GET`/`HEAD` of
`/festivals/{slug}/...` or `/api/festivals/{slug}/...` where `{slug}` is a former slug
(`festival_slug_history`), the 404 becomes `308 Permanent Redirect` to the same path under the
current slug, query string kept. Any route under those prefixes is covered, including ones
added later (pages, feeds, prints, exports).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

import anyio.to_thread

from app.store.db import read_session
from app.store.repository import current_slug_for

_FESTIVAL_PATH = re.compile(r"^(?P<prefix>(?:/api)?/festivals/)(?P<slug>[^/]+)(?P<rest>/.*)?$")


def renamed_slug(former: str) -> str | None:
    with read_session() as session:
        return current_slug_for(session, former)


class FormerSlugRedirects:
    """ASGI middleware: a 404 under a former festival slug becomes a 308 to the current one."""

    def __init__(self, app, lookup: Callable[[str], str | None] = renamed_slug):
        self.app = app
        self.lookup = lookup

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        match = _FESTIVAL_PATH.match(scope["path"])
        if match is None:
            return await self.app(scope, receive, send)
        redirected = False

        async def send_or_redirect(message):
            nonlocal redirected
            if redirected:
                return  # the 404's body: dropped, the redirect is already sent
            if message["type"] == "http.response.start" and message["status"] == 404:
                current = await anyio.to_thread.run_sync(self.lookup, match["slug"])
                if current is not None:
                    redirected = True
                    location = match["prefix"] + quote(current) + quote(match["rest"] or "")
                    if scope.get("query_string"):
                        location += "?" + scope["query_string"].decode("latin-1")
                    body = f"Moved permanently to {location}\n".encode()
                    await send(
                        {
                            "type": "http.response.start",
                            "status": 308,
                            "headers": [
                                (b"location", location.encode("latin-1")),
                                (b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()),
                                (b"cache-control", b"public, max-age=3600"),
                            ],
                        }
                    )
                    await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})
                    return
            await send(message)

        await self.app(scope, receive, send_or_redirect)
