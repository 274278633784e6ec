import pytest

from app.printing import catalogue_sort_key
from app.printing.sorting import catalogue_letter


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("The Ascent", "ascent"),
        ("Ballad of a Soldier", "ballad of a soldier"),
        ("A Man Escaped", "man escaped"),
        ("An Autumn Afternoon", "autumn afternoon"),
        ("Der Himmel über Berlin", "himmel uber berlin"),
        ("Die bitteren Tränen der Petra von Kant", "bitteren tranen der petra von kant"),
        ("Das Boot", "boot"),
        ("La Jetée", "jetee"),
        ("Le Samouraï", "samourai"),
        ("Les Quatre Cents Coups", "quatre cents coups"),
        ("L'Atalante", "atalante"),
        ("L’Avventura", "avventura"),
        ("El Sur", "sur"),
        ("Летят журавли", "летят журавли"),
        ("Élite Squad", "elite squad"),
        ("...And God Created Woman", "and god created woman"),
        ("The", "the"),
        ("Theorem", "theorem"),
        ("Ánimas", "animas"),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_catalogue_key_ignores_leading_article_case_and_accents(title, key):
    assert catalogue_sort_key(title) == key


def test_catalogue_order_files_titles_under_their_first_real_word():
    titles = ["Летят журавли", "The Cranes Are Flying", "Ballad of a Soldier", "The Ascent",
              "Ånd", "a Zoo", "Das Boot"]  # fmt: skip
    assert sorted(titles, key=catalogue_sort_key) == [
        "Ånd",
        "The Ascent",
        "Ballad of a Soldier",
        "Das Boot",
        "The Cranes Are Flying",
        "a Zoo",
        "Летят журавли",
    ]


def test_cyrillic_titles_file_after_latin_under_their_own_letter():
    assert catalogue_letter("Летят журавли") == "Л"
    assert catalogue_sort_key("Летят журавли") > catalogue_sort_key("Zabriskie Point")


def test_short_i_stays_a_letter_of_its_own():
    assert catalogue_sort_key("Йошкар-Ола") == "йошкар-ола"


@pytest.mark.parametrize(
    ("title", "letter"),
    [("The Ascent", "A"), ("Ballad of a Soldier", "B"), ("The 400 Blows", "0–9"), ("", "#")],
    ids=["article", "plain", "number", "empty"],
)
def test_index_letter(title, letter):
    assert catalogue_letter(title) == letter
