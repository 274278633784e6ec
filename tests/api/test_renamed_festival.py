"""Renaming a festival's slug breaks no subscription: old URLs answer 308, UIDs stay the same."""

import icalendar
import pytest


@pytest.fixture
def published(api):
    api.festival()
    venue, film = api.venue(), api.film(section="Competition")
    screening = api.screening(venue["id"], [film["id"]], status="confirmed")
    api.post(f"/api/festivals/{api.slug}/publish", {})
    return api, venue, film, screening


def uids(body: bytes) -> list[str]:
    return [str(event["UID"]) for event in icalendar.Calendar.from_ical(body).walk("VEVENT")]


def rename(api, new: str) -> None:
    response = api.client.patch(f"/api/festivals/{api.slug}", json={"slug": new}, headers=api.headers)
    assert response.status_code == 200, response.text
    api.slug = new


@pytest.mark.parametrize(
    "path",
    [
        "",
        "/calendar.ics",
        "/programme",
        "/programme.csv",
        "/programme?by=grid",
        "/films/{film}",
        "/films/{film}/calendar.ics",
        "/venues/{venue}/calendar.ics",
        "/sections/competition/calendar.ics",
    ],
)
def test_old_public_urls_redirect_permanently_to_the_new_ones(published, path):
    api, venue, film, _ = published
    rename(api, "wfd-2021")
    path = path.format(film=film["id"], venue=venue["id"])

    response = api.client.get(f"/festivals/wiesbaden-2021{path}", follow_redirects=False)

    assert response.status_code == 308
    assert response.headers["location"] == f"/festivals/wfd-2021{path}"
    assert api.client.get(response.headers["location"]).status_code == 200


def test_old_api_reads_redirect_and_old_api_writes_do_not(published):
    api, *_ = published
    rename(api, "wfd-2021")

    festival = api.client.get("/api/festivals/wiesbaden-2021?x=1", follow_redirects=False)
    screenings = api.client.get("/api/festivals/wiesbaden-2021/screenings", headers=api.headers, follow_redirects=False)
    write = api.client.patch("/api/festivals/wiesbaden-2021", json={"name": "X"}, headers=api.headers)

    assert (festival.status_code, festival.headers["location"]) == (308, "/api/festivals/wfd-2021?x=1")
    assert (screenings.status_code, screenings.headers["location"]) == (308, "/api/festivals/wfd-2021/screenings")
    assert write.status_code == 404
    assert api.client.get("/festivals/never-was/calendar.ics").status_code == 404


def test_uids_survive_a_rename_and_the_next_publish(published):
    api, venue, film, screening = published
    before = uids(api.client.get("/festivals/wiesbaden-2021/calendar.ics").content)
    rename(api, "wfd-2021")
    api.client.patch(
        f"/api/festivals/{api.slug}/screenings/{screening['id']}", json={"notes": "Q&A after"}, headers=api.headers
    )
    api.post(f"/api/festivals/{api.slug}/publish", {})
    rename(api, "wiesbaden-film-days-2021")  # and once more

    after = api.client.get(f"/festivals/{api.slug}/calendar.ics")

    assert before == [f"screening-{screening['id']}@wiesbaden-2021.marquee"]
    assert uids(after.content) == before
    # the latest version was published as wfd-2021: its links use that slug, which redirects
    assert f"/festivals/wfd-2021/films/{film['id']}" in after.text.replace("\r\n ", "")
    # both former slugs redirect to the current one
    for former in ("wiesbaden-2021", "wfd-2021"):
        response = api.client.get(f"/festivals/{former}/calendar.ics", follow_redirects=False)
        assert response.headers["location"] == f"/festivals/{api.slug}/calendar.ics"


def test_a_former_slug_can_be_taken_again(published):
    api, *_ = published
    rename(api, "wfd-2021")
    api.post(
        "/api/festivals",
        {
            "slug": "wiesbaden-2021",
            "name": "Another",
            "timezone": "Europe/Berlin",
            "starts_on": "2022-11-16",
            "ends_on": "2022-11-20",
        },
    )
    assert api.client.get("/api/festivals/wiesbaden-2021").json()["name"] == "Another"
    rename(api, "wfd")  # wfd-2021 -> wfd: only wfd-2021 redirects now
    assert api.client.get("/festivals/wiesbaden-2021", follow_redirects=False).status_code == 200
    assert api.client.get("/festivals/wfd-2021", follow_redirects=False).headers["location"] == "/festivals/wfd"


def test_renaming_back_to_a_former_slug_works(published):
    api, *_ = published
    rename(api, "wfd-2021")
    rename(api, "wiesbaden-2021")
    assert api.client.get("/festivals/wiesbaden-2021", follow_redirects=False).status_code == 200
    assert (
        api.client.get("/festivals/wfd-2021", follow_redirects=False).headers["location"] == "/festivals/wiesbaden-2021"
    )


def test_a_folder_exported_before_a_rename_loads_into_the_renamed_festival(published, tmp_path):
    from typer.testing import CliRunner

    from app.cli import cli

    api, *_ = published
    runner = CliRunner()
    assert runner.invoke(cli, ["export", "wiesbaden-2021", str(tmp_path / "p")]).exit_code == 0
    rename(api, "wfd-2021")

    result = runner.invoke(cli, ["load", str(tmp_path / "p")])

    assert result.exit_code == 0, result.output
    assert api.client.get("/api/festivals").json()["total"] == 1
