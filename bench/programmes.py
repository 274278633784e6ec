"""A generated, plausible festival programme for benchmarks and screenshots.

Deterministic: the same arguments always give the same programme.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from app.scheduling.programme import (
    Credit,
    FestivalInfo,
    FilmInfo,
    Programme,
    VenueInfo,
    schedule_screening,
)

_FEATURES = [
    ("The Cranes Are Flying", "Летят журавли", "Mikhail Kalatozov", 1957, "USSR", "Russian", 97),
    ("The Ascent", "Восхождение", "Larisa Shepitko", 1977, "USSR", "Russian", 111),
    ("Ballad of a Soldier", "Баллада о солдате", "Grigori Chukhrai", 1959, "USSR", "Russian", 88),
    ("Ivan's Childhood", "Иваново детство", "Andrei Tarkovsky", 1962, "USSR", "Russian", 95),
    ("Wings", "Крылья", "Larisa Shepitko", 1966, "USSR", "Russian", 85),
    ("Come and See", "Иди и смотри", "Elem Klimov", 1985, "USSR", "Belarusian", 142),
    ("The Commissar", "Комиссар", "Aleksandr Askoldov", 1967, "USSR", "Russian", 110),
    (
        "Tashkent, City of Bread",
        "Ташкент — город хлебный",
        "Shukhrat Abbasov",
        1968,
        "USSR",
        "Uzbek",
        98,
    ),
    ("Night Train to Tashkent", None, "Dilnoza Karimova", 2021, "Uzbekistan", "Uzbek", 120),
    ("The Evacuees", "Die Evakuierten", "Jonas Weber", 2021, "Germany", "German", 104),
    ("Le Dernier Convoi", None, "Claire Moreau", 2020, "France", "French", 93),
    ("Winter Orchard", None, "Aino Virtanen", 2021, "Finland", "Finnish", 101),
    ("El Largo Invierno", None, "Lucía Ortega", 2021, "Spain", "Spanish", 117),
    ("Das Haus am Fluss", None, "Petra Lang", 2021, "Germany; Austria", "German", 96),
    ("A Quiet Departure", None, "Hannah Reid", 2021, "United Kingdom", "English", 89),
    ("Östliche Lichter", None, "Matthias Krüger", 2020, "Germany", "German", 108),
    ("Les Enfants du Quai", None, "Amélie Durand", 2021, "France; Belgium", "French", 99),
    ("Kolkhoz Summer", "Колхозное лето", "Aleksei Sorokin", 2021, "Russia", "Russian", 91),
    ("The Glass River", None, "Tomás Novák", 2021, "Czech Republic", "Czech", 113),
    ("Salt and Ash", None, "Nadia Haddad", 2021, "Lebanon; France", "Arabic", 86),
    ("Die Stille nach dem Zug", None, "Karl Hoffmann", 2021, "Germany", "German", 127),
    ("Northern Line", None, "Ewa Kowalska", 2020, "Poland", "Polish", 94),
    ("An Unfinished Map", None, "Rui Almeida", 2021, "Portugal", "Portuguese", 102),
    ("The Last Harvest", None, "Sofia Rossi", 2021, "Italy", "Italian", 118),
]
_SHORTS = [
    ("The Last Tram", "Dilnoza Karimova", 2020, "Uzbekistan", 12),
    ("Platform 9", "Lena Fischer", 2021, "Germany", 9),
    ("Paper Cranes", "Yuki Sato", 2021, "Japan", 14),
    ("Snow on the Rails", "Ivan Petrov", 2021, "Bulgaria", 11),
    ("Night Shift", "Maria Ionescu", 2021, "Romania", 15),
    ("Kettle", "Tom Bell", 2020, "Ireland", 8),
    ("Die Brücke im Nebel", "Jana Wolf", 2021, "Germany", 13),
    ("Sirens", "Ana Costa", 2021, "Portugal", 10),
]
_SECTIONS = [
    "Competition",
    "Retrospective: Evacuation on Screen",
    "Panorama",
    "Shorts & Debuts",
    "Family Screenings",
]
_VENUE_NAMES = [
    "Kino Arsenal 1", "Kino Arsenal 2", "Babylon Mitte", "Babylon Studio", "Delphi Filmpalast",
    "Zoo Palast 1", "Zoo Palast 2", "Kino International", "Colosseum 1", "Colosseum 2",
    "Filmtheater am Friedrichshain", "Odeon", "Moviemento 1", "Moviemento 2", "Lichtblick-Kino",
    "Sputnik Kino", "fsk am Oranienplatz", "Eva Lichtspiele", "Toni & Tonino", "Kant Kino",
]  # fmt: skip
_GUESTS = ["Dilnoza Karimova", "Jonas Weber", "Claire Moreau", "Petra Lang", "Hannah Reid",
           "Aino Virtanen", "Lucía Ortega", "Tomás Novák"]  # fmt: skip
# Generated titles fill the catalogue to a realistic size (a film shows two or three times).
_TITLE_WORDS = (
    ["Silent", "Northern", "Last", "Long", "Hidden", "Distant", "Quiet", "Burning", "Frozen",
     "Golden", "Broken", "Restless", "Small", "Bright"],
    ["River", "Harvest", "Station", "Winter", "Border", "Garden", "Convoy", "Letters", "Summer",
     "Island", "Mirror", "Crossing", "Horizon", "Tide"],
)  # fmt: skip
_ORIGINS = [
    ("Germany", "German"), ("France", "French"), ("Poland", "Polish"), ("Italy", "Italian"),
    ("Ukraine", "Ukrainian"), ("Georgia", "Georgian"), ("Kazakhstan", "Kazakh"),
    ("Sweden", "Swedish"), ("Romania", "Romanian"), ("United Kingdom", "English"),
]  # fmt: skip
_FIRST_NAMES = ["Anna", "Oleksandr", "Marta", "Giorgi", "Ingrid", "Luca", "Aigerim", "Ioana",
                "Paul", "Zofia", "Nino", "Elias"]  # fmt: skip
_LAST_NAMES = ["Berger", "Kovalenko", "Nowak", "Beridze", "Lind", "Ferrari", "Sadykova",
               "Popescu", "Martin", "Wiśniewska", "Kapanadze", "Brandt"]  # fmt: skip
_STREETS = ["Potsdamer Straße", "Rosa-Luxemburg-Straße", "Karl-Marx-Allee", "Kantstraße"]
_PREMIERES = ["none", "none", "none", "local", "national", "european", "international", "world"]
# Sentences a catalogue's synopses are made of, shuffled into a few lines per feature.
_SYNOPSIS = [
    "Winter 1942: a train of evacuees crosses the steppe towards Tashkent, and nobody on board knows for how long.",
    "A schoolteacher keeps a diary of the journey, written in pencil on the backs of timetables.",
    "In the carriage next door, a projectionist guards six cans of film as if they were his children.",
    "When the train stops for three days in the snow, the passengers build a cinema out of a goods wagon.",
    "Years later, her granddaughter finds the diary in a drawer in Lyon and follows its route east.",
    "Shot on 16 mm in the villages along the old line, the film mixes archive footage with re-enactment.",
    "The director's first feature, made with a cast of non-professionals from Samarkand and Almaty.",
    "A quiet film about what people carry with them when they have to leave everything behind.",
    "Its long takes of empty platforms and crowded kitchens make the distance almost physical.",
    "Restored in 4K from the original camera negative for the festival's retrospective.",
]


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"


def _synopsis(rng: random.Random) -> str:
    return " ".join(rng.sample(_SYNOPSIS, rng.randint(3, 5)))


def _credits(rng: random.Random, director: str | None) -> tuple[Credit, ...]:
    return (
        Credit(role="Script", names=tuple(dict.fromkeys([director or _person(rng), _person(rng)]))),
        Credit(role="Director of photography", names=(_person(rng),)),
        Credit(role="Editor", names=(_person(rng),)),
        Credit(role="Cast", names=tuple(dict.fromkeys(_person(rng) for _ in range(4)))),
    )


def realistic_programme(screenings: int = 400, venues: int = 20, days: int = 9, *, seed: int = 1957) -> Programme:
    """A published-looking programme: features, shorts before features, Q&As, late shows."""
    rng = random.Random(seed)
    starts_on = date(2021, 11, 19)
    festival = FestivalInfo(
        slug="kinofest-2021",
        name="Kinofest Berlin 2021",
        city="Berlin",
        website="https://kinofest.example.org",
        timezone="Europe/Berlin",
        starts_on=starts_on,
        ends_on=starts_on + timedelta(days=days - 1),
    )
    films: list[FilmInfo] = []
    for index, (title, original, director, year, countries, language, runtime) in enumerate(_FEATURES, start=1):
        films.append(
            FilmInfo(
                id=index,
                title=title,
                original_title=original or title,
                directors=(director,),
                year=year,
                countries=tuple(countries.split("; ")),
                languages=(language,),
                subtitles=None if language == "English" else "English",
                runtime_minutes=runtime,
                section=_SECTIONS[1] if year < 1990 else rng.choice(_SECTIONS[:1] + _SECTIONS[2:]),
                premiere="none" if year < 1990 else rng.choice(_PREMIERES),
                format="35mm" if year < 1990 else "DCP",
                copies=2,
                synopsis=_synopsis(rng),
                credits=_credits(rng, director),
            )
        )
    # about one feature for every two or three screenings
    generated = max(0, screenings // 5 * 2 - len(films))
    for number in range(generated):
        adjective = _TITLE_WORDS[0][number % len(_TITLE_WORDS[0])]
        noun = _TITLE_WORDS[1][(number // len(_TITLE_WORDS[0]) + number) % len(_TITLE_WORDS[1])]
        article = ("The ", "")[number % 2]
        country, language = _ORIGINS[number % len(_ORIGINS)]
        films.append(
            FilmInfo(
                id=len(films) + 1,
                title=f"{article}{adjective} {noun}",
                directors=(f"{rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}",),
                year=rng.choice([2020, 2021, 2021, 2021]),
                countries=(country,),
                languages=(language,),
                subtitles=None if language == "English" else "English",
                runtime_minutes=rng.randint(78, 135),
                section=rng.choice(_SECTIONS[:1] + _SECTIONS[2:]),
                premiere=rng.choice(_PREMIERES),
                format="DCP",
                synopsis=_synopsis(rng),
                credits=_credits(rng, None),
            )
        )
    feature_ids = [film.id for film in films]
    short_ids = []
    for title, director, year, country, runtime in _SHORTS:
        film_id = len(films) + 1
        short_ids.append(film_id)
        films.append(
            FilmInfo(
                id=film_id, title=title, directors=(director,), year=year, countries=(country,),
                languages=("No dialogue",), runtime_minutes=runtime, section="Shorts & Debuts",
                premiere=rng.choice(_PREMIERES),
            )
        )  # fmt: skip
    films_by_id = {film.id: film for film in films}
    venue_infos = tuple(
        VenueInfo(
            id=index,
            name=name,
            address=f"{rng.choice(_STREETS)} {index}, Berlin",
            capacity=rng.choice([80, 120, 180, 250, 400, 600]),
            step_free=index % 3 != 0,
        )
        for index, name in enumerate(_VENUE_NAMES[:venues], start=1)
    )
    # spread the screenings over every (day, venue): two or three shows a room a day, the
    # last one sometimes a late show that runs past midnight
    cells = [(day, venue) for day in range(days) for venue in venue_infos]
    shows = {cell: screenings // len(cells) for cell in cells}
    for cell in rng.sample(cells, screenings % len(cells)):
        shows[cell] += 1
    scheduled = []
    for day, venue in cells:
        count = shows[(day, venue)]
        evening = datetime(2021, 11, 19, 21, 0) + timedelta(days=day)
        starts = [evening - timedelta(minutes=210 * (count - 1 - show)) for show in range(count)]
        if count and rng.random() < 0.25:
            starts[-1] += timedelta(minutes=rng.choice([90, 120]))  # 22:30 or 23:00
        not_before = None
        for wall_clock in starts:
            starts_at = wall_clock.replace(tzinfo=festival.zone) + timedelta(minutes=15 * rng.choice([-2, -1, 0, 0, 1]))
            if not_before is not None and starts_at < not_before:
                starts_at = not_before
            number = len(scheduled) + 1
            film_ids = (rng.choice(feature_ids),)
            if rng.random() < 0.15:
                film_ids = (rng.choice(short_ids), *film_ids)
            qa_minutes = rng.choice([0, 0, 0, 20, 30])
            guests = tuple(rng.sample(_GUESTS, rng.choice([1, 1, 2]))) if qa_minutes else ()
            accessibility = tuple(item for item in ("captioned", "audio_description", "relaxed") if rng.random() < 0.08)
            screening = schedule_screening(
                festival,
                films_by_id,
                id=number,
                venue_id=venue.id,
                starts_at=starts_at,
                film_ids=film_ids,
                intro_minutes=rng.choice([0, 0, 5, 10]),
                qa_minutes=qa_minutes,
                guests=guests,
                status="cancelled" if rng.random() < 0.03 else "confirmed",
                accessibility=accessibility,
                ticket_url=f"https://tickets.example.org/kinofest/{number}",
            )
            scheduled.append(screening)
            # the next show in this room starts after the turnaround, on a quarter hour
            free_at = screening.ends_at + timedelta(minutes=venue.turnaround_minutes)
            not_before = free_at + timedelta(minutes=-free_at.minute % 15)
    return Programme(
        festival=festival,
        venues=venue_infos,
        films=tuple(films),
        screenings=tuple(scheduled),
        version=3,
        published_at=datetime(2021, 11, 12, 18, 0, tzinfo=festival.zone),
    )
