"""Search that ignores case, accents and script: "konchal" finds Кончаловский, "amelie" Amélie.

`fold` turns text into what search compares: compatibility forms unified (NFKC: "ﬁ" is "fi",
full-width letters are plain), case folded ("ß" is "ss"), Cyrillic and Greek transliterated to
Latin, accents and other combining marks dropped (NFKD), and a few Latin letters that carry
no combining mark spelled out ("æ" "ae", "ø" "o", "ł" "l", "đ" "d", "þ" "th", "œ" "oe").

Transliteration, without diacritics so that anyone can type it:
- Cyrillic: BGN/PCGN as English-language references spell Russian names, simplified:
  е and ё are "e", й "y", х "kh", ц "ts", ж "zh", ч "ch", ш "sh", щ "shch", ы "y",
  ю "yu", я "ya", ъ and ь dropped, and an adjective's ending -ий/-ый is "y" (Достоевский is
  "dostoevsky", Дорогие товарищи "dorogie tovarishchi"); with the Ukrainian, Belarusian,
  Serbian and Macedonian letters (є "ye", ї "yi", ґ "g", ў "u", ђ "dj", ћ "c", џ "dz",
  љ "lj", њ "nj", ѓ "gj", ќ "kj"). Text is not tagged with its language, so и is "i" (as in
  Russian) in Ukrainian too.
- Greek: ELOT 743 simplified: η and ι and υ are "i", "i", "y", θ "th", χ "ch", ψ "ps",
  ξ "x", and ου "ou", αυ "av", ευ "ev", γγ "ng" (Τοπίο στην ομίχλη is "topio stin omichli").
- Other scripts are left as they are (folded for case): a query in the same script finds
  them. Chinese and Japanese characters count as a word each, since those scripts put no
  spaces between words.
Written here rather than taken from a library: Unidecode is GPL, anyascii (ISC) spells
Cyrillic one way and turns Japanese kanji into Chinese readings; two dozen letters are
easier to own.

`matches` asks whether every word of a query begins some word of the fields. A field's words
are also taken in a second, looser Cyrillic spelling that people type as often (щ "sch",
й "i", ё "yo", е "ye" after a vowel or at a word's start, -ий "i"), so "tovarisch", "andrei",
"dorogiye" and "khrustalyov" find what "tovarishch", "andrey", "dorogie" and "khrustalev"
find. Two whole spellings, not every mix of letters: a word spelt half one way and half the
other is found only by its first letters. A word joined by
an apostrophe, hyphen or full stop is also a word whole ("l'avventura" holds "l",
"avventura" and "lavventura"; "M.A.S.H." holds "mash").
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
    # Ukrainian, Belarusian, Serbian, Macedonian
    "є": "ye", "і": "i", "ї": "yi", "ґ": "g", "ў": "u", "ђ": "dj", "ј": "j", "љ": "lj", "њ": "nj", "ћ": "c",
    "џ": "dz", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
}  # fmt: skip
# the looser spelling: only the letters it spells otherwise
_CYRILLIC_LOOSE = {**_CYRILLIC, "щ": "sch", "й": "i", "ё": "yo"}
_GREEK = {
    "α": "a", "β": "v", "γ": "g", "δ": "d", "ε": "e", "ζ": "z", "η": "i", "θ": "th", "ι": "i", "κ": "k",
    "λ": "l", "μ": "m", "ν": "n", "ξ": "x", "ο": "o", "π": "p", "ρ": "r", "σ": "s", "ς": "s", "τ": "t",
    "υ": "y", "φ": "f", "χ": "ch", "ψ": "ps", "ω": "o",
}  # fmt: skip
_GREEK_PAIRS = {"ου": "ou", "αυ": "av", "ευ": "ev", "γγ": "ng"}
_LATIN = {"æ": "ae", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "œ": "oe", "ı": "i", "ħ": "h", "ŧ": "t",
          "ŋ": "ng", "ĸ": "q"}  # fmt: skip

_CYRILLIC_TABLE = str.maketrans(_CYRILLIC)
_CYRILLIC_LOOSE_TABLE = str.maketrans(_CYRILLIC_LOOSE)
_GREEK_TABLE = str.maketrans(_GREEK)
_LATIN_TABLE = str.maketrans(_LATIN)
_GREEK_PAIR = re.compile("|".join(_GREEK_PAIRS))
_CYRILLIC_WORD_END = re.compile(r"[иы]й\b")  # an adjective's ending, -ий or -ый
_CYRILLIC_YE = re.compile(r"(?:(?<=[аеёиоуыэюяъьєії])|\b)е")  # е after a vowel or a sign, or first
_HAS_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_HAS_GREEK = re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]")
# a word: a run of letters and digits, or one Chinese or Japanese character; joiners inside a word
_IDEOGRAPH = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
_WORD = re.compile(rf"{_IDEOGRAPH}|(?:(?!{_IDEOGRAPH})[^\W_])+(?:['’ʼ.\-‐‑](?:(?!{_IDEOGRAPH})[^\W_])+)*")
_JOINER = re.compile(r"['’ʼ.\-‐‑]")


def fold(text: str) -> str:
    """Text as search compares it: case, accents and script set aside (see the module docstring)."""
    return _fold(text, loose=False)


def words(*fields: str | None) -> frozenset[str]:
    """Every word a query word may begin, from some fields (None and empty fields count as none)."""
    found: set[str] = set()
    for field in fields:
        if not field:
            continue
        spellings = {_fold(field, loose=False)}
        if _HAS_CYRILLIC.search(field):
            spellings.add(_fold(field, loose=True))
        for spelling in spellings:
            for word in _WORD.findall(spelling):
                found.add(word)
                if _JOINER.search(word):
                    found.update(part for part in _JOINER.split(word) if part)
                    found.add(_JOINER.sub("", word))
    return frozenset(word for word in found if not _JOINER.search(word))


def query_words(query: str) -> list[str]:
    """The words of a query, folded; joiners split them ("jean-luc" is "jean" and "luc")."""
    return [part for word in _WORD.findall(fold(query)) for part in _JOINER.split(word) if part]


def matches(query: str, *fields: str | None) -> bool:
    """Whether every word of `query` begins some word of `fields` (an empty query matches anything)."""
    wanted = query_words(query)
    if not wanted:
        return True
    known = sorted(words(*fields))
    return all(_begins_one(word, known) for word in wanted)


def _begins_one(prefix: str, known: list[str]) -> bool:
    """Whether `prefix` begins some word of the sorted list `known`."""
    k = bisect_left(known, prefix)
    return k < len(known) and known[k].startswith(prefix)


def _fold(text: str, loose: bool) -> str:
    """Fold `text`, taking Cyrillic in the strict or the loose spelling."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", text).casefold())
    if _HAS_CYRILLIC.search(text):
        if loose:
            text = _CYRILLIC_WORD_END.sub("i", text)
            text = _CYRILLIC_YE.sub("ye", text)
        else:
            text = _CYRILLIC_WORD_END.sub("y", text)
        text = text.translate(_CYRILLIC_LOOSE_TABLE if loose else _CYRILLIC_TABLE)
    text = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))
    if _HAS_CYRILLIC.search(text):  # letters that had a mark the table does not know (ѐ, ӭ)
        text = text.translate(_CYRILLIC_LOOSE_TABLE if loose else _CYRILLIC_TABLE)
    if _HAS_GREEK.search(text):
        text = _GREEK_PAIR.sub(lambda pair: _GREEK_PAIRS[pair.group()], text).translate(_GREEK_TABLE)
    return text.translate(_LATIN_TABLE)
