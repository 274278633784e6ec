"""TEMPORARY stand-in (never committed) until branch domain's search.py is merged."""
import unicodedata

_CYR = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                ["a","b","v","g","d","e","e","zh","z","i","i","k","l","m","n","o","p","r","s","t","u","f","kh","ts","ch","sh","shch","","y","","e","iu","ia"], strict=True))


def fold(text: str) -> str:
    text = "".join(_CYR.get(c, c) for c in text.casefold())
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def matches(query: str, texts) -> bool:
    q = fold(query).strip()
    return any(q in fold(t) for t in texts if t)
