"""Spreadsheet cells that never run as formulas (CSV injection, as OWASP describes it).

A spreadsheet reads a cell starting with `=`, `+`, `-` or `@` (or a tab or carriage return)
as a formula, so a film titled "=HYPERLINK(...)" would run when the file is opened. Such text
is written with a leading apostrophe, which spreadsheets read as "this is text". To stay
lossless for files Marquee reads back (`screenings.csv`), text that already starts with
apostrophes before such a character gets one more, and `unquote_formula` removes exactly one:
`unquote_formula(quote_formula(text)) == text` for every text.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _looks_like_formula(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_STARTS)


def quote_formula(text: str) -> str:
    """The text as a cell a spreadsheet shows as text: "=1+1" → "'=1+1"; other text unchanged."""
    return "'" + text if _looks_like_formula(text) else text


def unquote_formula(text: str) -> str:
    """Undo `quote_formula`: "'=1+1" → "=1+1"; "'Round Midnight" stays as it is."""
    return text[1:] if text.startswith("'") and _looks_like_formula(text) else text
