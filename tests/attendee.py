"""A small published festival for the attendee tests: two venues a 20-minute walk apart, four films."""

from __future__ import annotations

from dataclasses import dataclass

from tests.builders import Api


@dataclass
class Published:
    api: Api
    caligari: dict
    murnau: dict
    comrades: dict
    cranes: dict
    short: dict
    # screenings by name
    comrades_fri: dict  # Fri 19 Nov 22:00-00:00 Caligari, captioned
    cranes_fri: dict  # Fri 19 Nov 18:00-19:37 Murnau, audio description
    cranes_sat: dict  # Sat 20 Nov 18:00 Caligari
    short_fri: dict  # Fri 19 Nov 19:45-20:10 Caligari: 8 minutes after the Cranes at Murnau, a 20-minute walk
    draft: dict  # Sun 21 Nov, never published

    @property
    def slug(self) -> str:
        return self.api.slug

    def publish(self) -> dict:
        return self.api.post(f"/api/festivals/{self.slug}/publish", {})


def published_festival(api: Api) -> Published:
    api.festival()
    caligari = api.venue()  # Marktplatz 9, 50.0817 / 8.2437, step-free: no
    murnau = api.venue(
        name="Murnau-Filmtheater",
        address="Murnaustraße 6, 65189 Wiesbaden",
        latitude=50.0688,
        longitude=8.2475,
        step_free=True,
    )
    comrades = api.film(section="Competition")
    cranes = api.film(
        title="The Cranes Are Flying",
        original_title="Летят журавли",
        directors=["Mikhail Kalatozov"],
        year=1957,
        languages=["Russian"],
        subtitles="German",
        runtime_minutes=97,
        section="Retrospective: Evacuation on Screen",
    )
    short = api.film(
        title="The Boy and the Dove",
        original_title="Мальчик и голубь",
        runtime_minutes=25,
        languages=["Russian"],
        subtitles="English",
        section="Retrospective: Evacuation on Screen",
    )
    comrades_fri = api.screening(
        caligari["id"],
        [comrades["id"]],
        "2021-11-19T22:00",
        status="confirmed",
        accessibility=["subtitled", "captioned"],
    )
    cranes_fri = api.screening(
        murnau["id"], [cranes["id"]], "2021-11-19T18:00", status="confirmed", accessibility=["audio_description"]
    )
    cranes_sat = api.screening(caligari["id"], [cranes["id"]], "2021-11-20T18:00", status="confirmed")
    short_fri = api.screening(caligari["id"], [short["id"]], "2021-11-19T19:45", status="confirmed")
    draft = api.screening(murnau["id"], [comrades["id"]], "2021-11-21T18:00")
    published = Published(
        api, caligari, murnau, comrades, cranes, short, comrades_fri, cranes_fri, cranes_sat, short_fri, draft
    )
    published.publish()
    return published
