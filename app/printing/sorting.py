"""Catalogue order: titles A to Z the way a printed festival catalogue files them."""

from __future__ import annotations

import re
import unicodedata

# Leading articles a catalogue ignores. Ambiguous one-letter words that are also common
# first words of titles ("I", "O") are left out on purpose: "I Am Cuba" files under I.
_ARTICLES = (
    "the", "a", "an",                      # English
    "der", "die", "das", "ein", "eine",    # German
    "la", "le", "les", "un", "une",        # French
    "el", "los", "las", "una",             # Spanish
    "il", "lo", "gli", "uno",              # Italian
    "het", "een", "de",                    # Dutch
    "den", "det",                          # Scandinavian
)  # fmt: skip
_ARTICLE = re.compile(r"^(?:(?:" + "|".join(_ARTICLES) + r")\s+|(?:l|un)['’]\s*)(?=\w)", re.IGNORECASE)
_LEADING_PUNCTUATION = re.compile(r"^[\W_]+")


# Letters that are letters of their own alphabet, not accented variants to fold away.
_KEEP = frozenset("йЙїЇ")


def _fold(text: str) -> str:
    folded = []
    for char in unicodedata.normalize("NFC", text):
        if char in _KEEP:
            folded.append(char)
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        folded.extend(part for part in decomposed if not unicodedata.combining(part))
    return "".join(folded).casefold()


def catalogue_sort_key(title: str) -> str:
    """Sort key for A to Z: leading article, case and accents ignored ("The Ascent" → "ascent")."""
    text = _LEADING_PUNCTUATION.sub("", title.strip())
    without_article = _ARTICLE.sub("", text, count=1)
    if without_article.strip():
        text = without_article
    text = _LEADING_PUNCTUATION.sub("", text) or text
    return " ".join(_fold(text).split())


def catalogue_letter(title: str) -> str:
    """The index letter a title files under: "A", "B", ..., "0–9" for numbers."""
    key = catalogue_sort_key(title)
    if not key:
        return "#"
    first = key[0]
    if first.isdigit():
        return "0–9"
    return first.upper()
