"""Builders for request bodies and a small client wrapper, so tests say only what matters."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient


def festival_body(**fields: Any) -> dict:
    return {
        "slug": "wiesbaden-2021",
        "name": "Wiesbaden Film Days",
        "city": "Wiesbaden",
        "timezone": "Europe/Berlin",
        "starts_on": "2021-11-17",
        "ends_on": "2021-11-21",
        **fields,
    }


def venue_body(**fields: Any) -> dict:
    return {
        "name": "Caligari FilmBühne",
        "address": "Marktplatz 9, 65183 Wiesbaden",
        "capacity": 300,
        "turnaround_minutes": 15,
        "latitude": 50.0817,
        "longitude": 8.2437,
        **fields,
    }


def film_body(**fields: Any) -> dict:
    return {
        "title": "Dear Comrades!",
        "original_title": "Дорогие товарищи!",
        "directors": ["Andrei Konchalovsky"],
        "year": 2020,
        "countries": ["Russia"],
        "languages": ["Russian"],
        "subtitles": "English",
        "runtime_minutes": 120,
        **fields,
    }


def screening_body(venue_id: int, films: list[int], starts_at: str = "2021-11-19T22:00", **fields: Any) -> dict:
    return {"venue_id": venue_id, "films": films, "starts_at": starts_at, **fields}


class Api:
    """The JSON API as a programmer uses it; `slug` is the festival made by `festival()`."""

    def __init__(self, client: TestClient, headers: dict[str, str]):
        self.client = client
        self.headers = headers
        self.slug = "wiesbaden-2021"

    def post(self, path: str, body: dict, expect: int = 201) -> dict:
        response = self.client.post(path, json=body, headers=self.headers)
        assert response.status_code == expect, response.text
        return response.json()

    def festival(self, **fields: Any) -> dict:
        body = self.post("/api/festivals", festival_body(**fields))
        self.slug = body["slug"]
        return body

    def venue(self, **fields: Any) -> dict:
        return self.post(f"/api/festivals/{self.slug}/venues", venue_body(**fields))

    def film(self, **fields: Any) -> dict:
        return self.post(f"/api/festivals/{self.slug}/films", film_body(**fields))

    def screening(
        self, venue_id: int, films: list[int], starts_at: str = "2021-11-19T22:00", expect: int = 201, **fields: Any
    ) -> dict:
        return self.post(
            f"/api/festivals/{self.slug}/screenings",
            screening_body(venue_id, films, starts_at, **fields),
            expect=expect,
        )
