"""Search that ignores case, accents and script: folding, and which queries find which film."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.scheduling.programme import section_slug
from app.scheduling.search import fold, matches, query_words, words

DEAR_COMRADES = ("Dear Comrades!", "Дорогие товарищи!", "Andrei Konchalovsky", "Competition")


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Дорогие товарищи!", "dorogie tovarishchi!"),
        ("Андрей Кончаловский", "andrey konchalovsky"),
        ("Достоевский", "dostoevsky"),
        ("Щедрин, Хуциев, Жуковский, Цой", "shchedrin, khutsiev, zhukovsky, tsoy"),
        ("Тарковский: Зеркало", "tarkovsky: zerkalo"),
        ("Київ, Ґалаґан, Євген", "kiyiv, galagan, yevgen"),
        ("Ђорђе, Љубљана, Његош, Ћирилица, Џеп", "djordje, ljubljana, njegosh, cirilitsa, dzep"),
        ("Ο Θίασος", "o thiasos"),
        ("Τοπίο στην ομίχλη", "topio stin omichli"),
        ("ΕΥΡΥΔΙΚΗ ΒΑ 2037", "evrydiki va 2037"),
        ("Amélie, Björk, Çiğdem, Ñandú", "amelie, bjork, cigdem, nandu"),
        ("Łódź, Straße, Ærø, Œuvre, Þórsmörk", "lodz, strasse, aero, oeuvre, thorsmork"),
        ("ﬁlm Ｎｏ．１", "film no.1"),
        ("東京物語", "東京物語"),
    ],
    ids=[
        "russian_title",
        "russian_name",
        "adjective_ending",
        "hard_russian_letters",
        "colon_kept",
        "ukrainian",
        "serbian",
        "greek",
        "greek_with_accents",
        "greek_capitals_and_diphthongs",
        "latin_accents",
        "latin_letters_without_marks",
        "compatibility_forms",
        "japanese_unchanged",
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    "query",
    [
        "Dorogie",
        "Dear",
        "konchal",
        "Tovarisch",
        "tovarishch",
        "товарищ",
        "ДОРОГИЕ",
        "dorogiye",
        "andrei",
        "dear comr",
        "Konchalovsky dear",
        "  dear  ",
        "competition",
    ],
    ids=[
        "original_title_romanised",
        "english_title",
        "director_prefix",
        "popular_spelling_of_shch",
        "bgn_spelling",
        "cyrillic_query",
        "cyrillic_capitals",
        "ye_after_a_vowel",
        "director_as_credited",
        "two_words_one_a_prefix",
        "words_in_any_order",
        "spaces_around",
        "section",
    ],
)
def test_queries_that_find_dear_comrades(query):
    assert matches(query, *DEAR_COMRADES)


@pytest.mark.parametrize(
    "query",
    ["comrades tarkovsky", "omrades", "dorogie!x", "vorschau"],
    ids=["one_word_not_there", "not_a_word_start", "a_word_not_there_after_punctuation", "another_section"],
)
def test_queries_that_do_not_find_dear_comrades(query):
    assert not matches(query, *DEAR_COMRADES)


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("amelie", ("Le Fabuleux Destin d'Amélie Poulain",)),
        ("damelie", ("Le Fabuleux Destin d'Amélie Poulain",)),
        ("l'avventura", ("L’Avventura",)),
        ("jean-luc", ("Jean-Luc Godard",)),
        ("jeanluc godard", ("Jean-Luc Godard",)),
        ("mash", ("M.A.S.H.",)),
        ("lodz", ("Łódź Film School",)),
        ("strasse", ("Die Straße",)),
        ("STRASSE", ("Die Strasse",)),
        ("thiasos", ("The Travelling Players", "Ο Θίασος")),
        ("θίασος", ("O Thiasos",)),
        ("dostoevsky", ("Достоевский",)),
        ("dostoyevski", ("Достоевский",)),
        ("pyotr", ("Пётр",)),
        ("khrustalyov", ("Хрусталёв, машину!",)),
        ("物語", ("東京物語",)),
        ("東京", ("東京物語",)),
        ("8½", ("8½",)),
        ("", ("anything",)),
    ],
    ids=[
        "accent_and_apostrophe",
        "apostrophe_joined",
        "typographic_apostrophe",
        "hyphenated_name",
        "hyphen_joined",
        "initials",
        "polish_l",
        "eszett",
        "eszett_spelled_out",
        "greek_romanised",
        "greek_query_latin_field",
        "adjective_ending_as_y",
        "loose_spelling_of_ye_and_ending",
        "yo",
        "yo_in_a_title",
        "japanese_second_word",
        "japanese_first_word",
        "fraction",
        "empty_query",
    ],
)
def test_more_queries_that_find(query, fields):
    assert matches(query, *fields)


def test_missing_fields_count_as_none():
    assert matches("solaris", None, "", "Solaris")
    assert not matches("solaris", None, "")


def test_search_does_not_go_through_section_slugs():
    # a slug keeps a-z and 0-9 only (folded as search folds); search keeps every letter
    section = "Ретроспектива: Évacuation à l’écran"

    assert section_slug(section) == "retrospektiva-evacuation-a-l-ecran"
    assert matches("retrospektiva evacuation ecran", section)


def test_query_words_are_folded_and_split_at_joiners():
    assert query_words("  Jean-Luc   L'AVVENTURA  Дорогие ") == ["jean", "luc", "l", "avventura", "dorogie"]
    assert words("Jean-Luc") == frozenset({"jean", "luc", "jeanluc"})


CYRILLIC_AND_GREEK = st.characters(min_codepoint=0x370, max_codepoint=0x4FF) | st.sampled_from(" -'.aé")


@settings(max_examples=300)
@given(st.text(max_size=30) | st.text(CYRILLIC_AND_GREEK, max_size=20))
def test_a_text_always_finds_itself_and_folding_is_idempotent(text):
    assert matches(text, text)
    assert fold(fold(text)) == fold(text)
