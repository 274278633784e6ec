"""Festivals in zones other than Berlin, over HTTP: repeated hours, offsets, gaps, festival days."""

import pytest


def publish(api, expect=201) -> dict:
    return api.post(f"/api/festivals/{api.slug}/publish", {}, expect=expect)


@pytest.mark.parametrize(
    ("zone", "day", "starts_at", "window"),
    [
        # screenings in the second 02:xx (CET) of Berlin's autumn night, a window ending in the first
        ("Europe/Berlin", "2021-10-30", "2021-10-31T02:20+01:00", ("2021-10-30T20:00", "2021-10-31T02:10")),
        # ... in the second 01:xx of New York's autumn night
        ("America/New_York", "2021-11-06", "2021-11-07T01:20-05:00", ("2021-11-06T20:00", "2021-11-07T01:10")),
        # Lord Howe repeats half an hour (01:30-02:00) when it leaves DST
        ("Australia/Lord_Howe", "2022-04-02", "2022-04-03T01:40+10:30", ("2022-04-02T20:00", "2022-04-03T01:35")),
    ],
    ids=["berlin", "new_york", "lord_howe"],
)
def test_publishing_twice_without_a_change_makes_no_new_version(api, zone, day, starts_at, window):
    api.festival(timezone=zone, starts_on=day, ends_on=day)
    venue = api.venue()
    other = api.venue(name="Murnau-Filmtheater", availability=[{"starts_at": window[0], "ends_at": window[1]}])
    film, short = api.film(runtime_minutes=60), api.film(title="The Last Barge", runtime_minutes=15)
    api.screening(venue["id"], [film["id"]], starts_at, status="confirmed")
    api.screening(other["id"], [short["id"]], window[0], status="confirmed")
    first = publish(api)

    again = publish(api, expect=200)
    feed = api.client.get(f"/festivals/{api.slug}/calendar.ics").text

    assert again["number"] == first["number"] == 1
    assert "SEQUENCE:1" not in feed and feed.count("SEQUENCE:0") == 2


def test_an_offset_the_festival_zone_does_not_use_is_refused_naming_the_local_time(api):
    api.festival(slug="nyff", timezone="America/New_York", starts_on="2021-11-17", ends_on="2021-11-21")
    venue, film = api.venue(), api.film()

    problem = api.screening(venue["id"], [film["id"]], "2021-11-19T20:00+02:00", expect=422)

    assert problem["errors"][0]["field"] == "starts_at"
    assert "2021-11-19 13:00 EST" in problem["errors"][0]["message"]


def test_an_offset_across_the_spring_gap_is_refused(api):
    api.festival(slug="nyff", timezone="America/New_York", starts_on="2021-03-12", ends_on="2021-03-16")
    venue, film = api.venue(), api.film()

    gap = api.screening(venue["id"], [film["id"]], "2021-03-14T02:30", expect=422)
    typed_offset = api.screening(venue["id"], [film["id"]], "2021-03-14T02:30-05:00", expect=422)

    assert "go forward 1 hour at 02:00 on 2021-03-14, straight to 03:00" in gap["errors"][0]["message"]
    assert "offset" not in gap["errors"][0]["message"]
    assert "2021-03-14 03:30 EDT" in typed_offset["errors"][0]["message"]


def test_an_availability_window_with_a_foreign_offset_is_refused(api):
    api.festival(slug="nyff", timezone="America/New_York", starts_on="2021-11-17", ends_on="2021-11-21")
    response = api.client.post(
        f"/api/festivals/{api.slug}/venues",
        headers=api.headers,
        json={
            "name": "Walter Reade",
            "availability": [{"starts_at": "2021-11-19T10:00+01:00", "ends_at": "2021-11-19T23:00"}],
        },
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "availability.0"


def test_the_day_filter_works_on_a_day_whose_end_is_skipped(api):
    # America/Santiago skipped midnight on 2022-09-11; a festival day starting at 00:00 then
    # ends at 01:00 (the first time after the gap), where the next one begins
    api.festival(
        slug="sanfic", timezone="America/Santiago", starts_on="2022-09-09", ends_on="2022-09-12", day_starts_at="00:00"
    )
    venue, film = api.venue(), api.film(runtime_minutes=60)
    late = api.screening(venue["id"], [film["id"]], "2022-09-10T22:30")
    after_gap = api.screening(venue["id"], [film["id"]], "2022-09-11T01:00")

    saturday = api.client.get(
        f"/api/festivals/{api.slug}/screenings", params={"day": "2022-09-10"}, headers=api.headers
    )
    sunday = api.client.get(f"/api/festivals/{api.slug}/screenings", params={"day": "2022-09-11"}, headers=api.headers)

    assert saturday.status_code == sunday.status_code == 200, saturday.text
    assert [s["id"] for s in saturday.json()["items"]] == [late["id"]]
    assert [s["id"] for s in sunday.json()["items"]] == [after_gap["id"]]
    assert after_gap["festival_day"] == "2022-09-11"


def test_the_loader_refuses_an_offset_the_festival_zone_does_not_use(database, tmp_path):
    import shutil
    from pathlib import Path

    from typer.testing import CliRunner

    from app.cli import cli

    folder = tmp_path / "programme"
    shutil.copytree(Path(__file__).resolve().parents[2] / "sample_programme", folder)
    rows = (folder / "screenings.csv").read_text().splitlines()
    rows.append("2021-11-20 10:00+05:00,caligari,dear-comrades,,,,,,draft,,,")
    (folder / "screenings.csv").write_text("\n".join(rows) + "\n")

    result = CliRunner().invoke(cli, ["load", str(folder)])

    assert result.exit_code == 2, result.output
    assert f"screenings.csv line {len(rows)}" in result.output
    assert "2021-11-20 06:00 CET" in result.output


def test_the_day_filter_agrees_with_festival_day_when_the_day_starts_in_the_repeated_hour(api):
    # day_starts_at 02:30 happens twice on 31 October 2021 in Berlin
    api.festival(starts_on="2021-10-29", ends_on="2021-11-01", day_starts_at="02:30")
    venue, film = api.venue(), api.film(runtime_minutes=15)
    created = [
        api.screening(venue["id"], [film["id"]], at)
        for at in (
            "2021-10-31T02:10+02:00",
            "2021-10-31T02:40+02:00",
            "2021-10-31T02:10+01:00",
            "2021-10-31T02:40+01:00",
        )
    ]

    listed = {}
    for day in ("2021-10-30", "2021-10-31"):
        response = api.client.get(f"/api/festivals/{api.slug}/screenings", params={"day": day}, headers=api.headers)
        listed[day] = [s["id"] for s in response.json()["items"]]

    by_day = {}
    for screening in created:
        by_day.setdefault(screening["festival_day"], []).append(screening["id"])
    assert (
        listed
        == by_day
        == {"2021-10-30": [created[0]["id"], created[2]["id"]], "2021-10-31": [created[1]["id"], created[3]["id"]]}
    )


@pytest.mark.parametrize(
    ("first", "second", "runtimes"),
    [
        ("2021-10-31T02:50+02:00", "2021-10-31T00:15", (60, 180)),  # the second ends 02:15 CET, after the first began
        ("2021-10-31T01:30", "2021-10-31T02:30", (100, 30)),  # the first ends 02:10 CET; 02:30 is the first 02:30
    ],
    ids=["long_screening_across_the_repeated_hour", "first_0230_inside_an_earlier_screening"],
)
def test_confirmed_screenings_cannot_overlap_across_the_autumn_night(api, first, second, runtimes):
    """The neighbour query works in UTC: on a zone's clock 02:00 CET + 30 minutes is 02:30 CEST."""
    api.festival(slug="autumn", starts_on="2021-10-29", ends_on="2021-11-01")
    venue = api.venue()
    a, b = (api.film(title=f"Film {n}", runtime_minutes=m) for n, m in enumerate(runtimes))
    api.screening(venue["id"], [a["id"]], first, status="confirmed")
    refused = api.screening(venue["id"], [b["id"]], second, status="confirmed", expect=409)
    assert refused["conflicts"][0]["kind"] == "venue_overlap"
    draft = api.screening(venue["id"], [b["id"]], second)
    assert [c["kind"] for c in draft["conflicts"]] == ["venue_overlap"]
    response = api.client.patch(
        f"/api/festivals/{api.slug}/screenings/{draft['id']}", json={"status": "confirmed"}, headers=api.headers
    )
    assert response.status_code == 409
    errors = api.client.get(f"/api/festivals/{api.slug}/conflicts?severity=error", headers=api.headers).json()
    assert errors["total"] == 1  # the draft's, not between confirmed screenings
