"""Language names as films list them ("Russian") and their ISO 639-1 codes ("ru").

Schedule apps expect a code; the printed booklet uses it to hyphenate an original title by
the rules of its language. A name not in the table has no code (None), and nothing guesses.
"""

from __future__ import annotations

CODES = {
    "arabic": "ar", "armenian": "hy", "azerbaijani": "az", "basque": "eu", "belarusian": "be",
    "bengali": "bn", "bosnian": "bs", "bulgarian": "bg", "cantonese": "zh", "catalan": "ca",
    "chinese": "zh", "croatian": "hr", "czech": "cs", "danish": "da", "dutch": "nl", "english": "en",
    "estonian": "et", "farsi": "fa", "finnish": "fi", "flemish": "nl", "french": "fr", "galician": "gl",
    "georgian": "ka", "german": "de", "greek": "el", "hebrew": "he", "hindi": "hi", "hungarian": "hu",
    "icelandic": "is", "indonesian": "id", "irish": "ga", "italian": "it", "japanese": "ja",
    "kazakh": "kk", "korean": "ko", "kurdish": "ku", "kyrgyz": "ky", "latvian": "lv", "lithuanian": "lt",
    "macedonian": "mk", "mandarin": "zh", "mongolian": "mn", "norwegian": "no", "persian": "fa",
    "polish": "pl", "portuguese": "pt", "romanian": "ro", "russian": "ru", "serbian": "sr",
    "slovak": "sk", "slovenian": "sl", "spanish": "es", "swedish": "sv", "tajik": "tg", "tamil": "ta",
    "thai": "th", "turkish": "tr", "turkmen": "tk", "ukrainian": "uk", "urdu": "ur", "uzbek": "uz",
    "vietnamese": "vi", "welsh": "cy", "yiddish": "yi",
}  # fmt: skip


def language_code(name: str | None) -> str | None:
    """'Russian' → 'ru'; an unknown name, 'No dialogue' or None → None."""
    if not name:
        return None
    return CODES.get(name.strip().casefold())
