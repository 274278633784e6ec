"""RFC 5545 content lines for feed events: TEXT escaping, date-times and 75-octet folding.

The calendar's header and VTIMEZONE are written by icalendar; the events, thousands of them,
are written here, because icalendar's per-property machinery (value-type lookup, parameter
objects, a character-by-character fold) costs about half a millisecond an event.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

LINE_OCTETS = 75  # RFC 5545 3.1: lines SHOULD NOT be longer than 75 octets, without the CRLF
CRLF = b"\r\n"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # TEXT may not hold controls but HTAB


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, ';' and ',' escaped, line breaks as '\\n'."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    # controls but HTAB are dropped; all are unprintable (HTAB too), so printable text needs no look
    return value if value.isprintable() else _CONTROL.sub("", value)


def compact(value: datetime) -> str:
    """`value`'s own wall-clock date and time as a DATE-TIME ('20210701T080000'), without zone."""
    if value.year < 1000:  # isoformat pads the year to four digits, strftime does not
        return value.strftime("%Y%m%dT%H%M%S")
    return value.isoformat()[:19].replace("-", "").replace(":", "")


def utc_stamp(value: datetime) -> str:
    """A UTC DATE-TIME ('20210701T080000Z'); a naive value is taken to be UTC already."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return compact(value.astimezone(UTC)) + "Z"


def is_ambiguous(local: datetime) -> bool:
    """True when `local`'s wall-clock time happens twice in its zone (the clocks going back)."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def date_time_line(name: str, value: datetime, zone: ZoneInfo) -> str:
    """`DTSTART;TZID=Europe/Berlin:20210710T200000`, or UTC when the local time is ambiguous.

    RFC 5545 reads an ambiguous wall-clock time (the hour repeated when the clocks go back)
    as its first occurrence, so a screening ending at the second 02:30 is written in UTC.
    """
    local = value.astimezone(zone)
    if is_ambiguous(local):
        return f"{name}:{utc_stamp(value)}"
    return f"{name};TZID={zone.key}:{compact(local)}"


def fold_text(line: str) -> str:
    """`fold(line)` as text: the same lines, the same breaks (what `.encode()` makes `fold`'s bytes).

    An ASCII line (the usual one) is folded as it is, without encoding it to count its octets."""
    if not line.isascii():
        data = line.encode("utf-8")
        return line if len(data) <= LINE_OCTETS else _fold_octets(data).decode("utf-8")
    size = len(line)
    if size <= LINE_OCTETS:
        return line
    pieces = []
    start, end = 0, LINE_OCTETS
    while end < size:
        if line[end - 1] == "\\" and end - start > 1:  # as in `fold`: keep an escape in one piece
            piece = line[start:end]
            if (len(piece) - len(piece.rstrip("\\"))) % 2:
                end -= 1
        pieces.append(line[start:end])
        start, end = end, end + LINE_OCTETS - 1  # continuation lines begin with a space
    pieces.append(line[start:])
    return "\r\n ".join(pieces)


def fold(line: str) -> bytes:
    """`line` as UTF-8, folded (CRLF + space) so no physical line exceeds 75 octets.

    A fold never splits a UTF-8 sequence, nor a backslash from the character it escapes
    (RFC 5545 allows both, but some clients then misread the text).
    """
    return _fold_octets(line.encode("utf-8"))


def _fold_octets(data: bytes) -> bytes:
    if len(data) <= LINE_OCTETS:
        return data
    pieces = []
    start, limit = 0, LINE_OCTETS
    while len(data) - start > limit:
        end = start + limit
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to the character start
            end -= 1
        if data[end - 1] == 0x5C:  # a backslash: is it the first of an escape?
            slashes = len(data[start:end]) - len(data[start:end].rstrip(b"\\"))
            if slashes % 2 and end - start > 1:  # ends with the backslash of an escape
                end -= 1
        pieces.append(data[start:end])
        start, limit = end, LINE_OCTETS - 1  # continuation lines begin with a space
    pieces.append(data[start:])
    return b"\r\n ".join(pieces)
