"""Stored URLs made safe to link: only http(s) becomes an href (defence in depth).

The field models refuse anything but http(s) for `ticket_url` and `website`; this is the
second wall, for whatever reached the database another way (an old row, a direct edit, a
bug). Pure: the pages and the printed programme both use it as the Jinja filter `safe_url`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Browsers drop ASCII tab and newlines anywhere in a URL, and leading and trailing C0 control
# characters and spaces, before they look at the scheme: "java\tscript:" is "javascript:".
_DROPPED_ANYWHERE = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(c) for c in range(0x21))


def safe_url(value: object) -> str | None:
    """`value` if it is an absolute http or https URL with a host, else None (not linked)."""
    if not isinstance(value, str):
        return None
    cleaned = _DROPPED_ANYWHERE.sub("", value).strip(_C0_AND_SPACE)
    if not cleaned or any(ord(c) < 0x20 or c in '\\"<>`' for c in cleaned):
        return None
    try:
        parts = urlsplit(cleaned)
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return cleaned
