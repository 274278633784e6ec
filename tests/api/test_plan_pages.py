"""The plan as pages: "Add to my plan" buttons that remember the plan in a cookie, plain forms, clashes marked."""

import re

import pytest

from app.web.plans import plan_cookie
from tests.attendee import published_festival

HTML = {"Accept": "text/html"}


@pytest.fixture
def published(api):
    return published_festival(api)


def add(client, slug, screening_id, **headers):
    return client.post(
        f"/festivals/{slug}/plan", data={"screening_id": str(screening_id)}, headers=headers, follow_redirects=False
    )


def test_the_add_button_starts_a_plan_remembers_it_and_adds_to_it(published, client):
    first = add(client, published.slug, published.cranes_fri["id"])
    assert first.status_code == 303
    token = re.fullmatch(r"/plans/([A-Za-z0-9_-]+)#screening-\d+", first.headers["location"]).group(1)
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"{plan_cookie(published.slug)}={token};")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    second = add(client, published.slug, published.short_fri["id"])  # the client sends the cookie back
    assert second.headers["location"].startswith(f"/plans/{token}#")
    assert client.get(f"/api/plans/{token}").json()["screening_ids"] == [
        published.cranes_fri["id"],
        published.short_fri["id"],
    ]


def test_the_plan_page_marks_clashes_and_offers_subscribe_links_and_a_printable_plan(published, client):
    token = add(client, published.slug, published.cranes_fri["id"]).headers["location"].split("/")[2].split("#")[0]
    add(client, published.slug, published.short_fri["id"])
    page = client.get(f"/plans/{token}")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "private, no-store"
    assert '<meta name="robots" content="noindex, nofollow">' in page.text
    assert "1 clash" in page.text
    assert f'class="confirmed clashing" id="screening-{published.cranes_fri["id"]}"' in page.text
    assert f'class="confirmed clashing" id="screening-{published.short_fri["id"]}"' in page.text
    assert f'href="webcal://127.0.0.1:8000/plans/{token}/calendar.ics"' in page.text
    assert "calendar.google.com/calendar/render?cid=" in page.text and "outlook.live.com" in page.text
    printable = client.get(f"/plans/{token}/print")
    assert printable.status_code == 200 and "The Cranes Are Flying" in printable.text
    assert printable.text.count("<tr") == 3  # a header and two picks


def test_removing_a_pick_with_the_plan_pages_form_fixes_the_clash(published, client):
    token = add(client, published.slug, published.cranes_fri["id"]).headers["location"].split("/")[2].split("#")[0]
    add(client, published.slug, published.short_fri["id"])
    removed = client.post(
        f"/plans/{token}/picks",
        follow_redirects=False,
        data={"token": token, "action": "remove", "screening_id": str(published.short_fri["id"])},
    )
    assert removed.status_code == 303
    body = client.get(f"/api/plans/{token}").json()
    assert (body["screening_ids"], body["clashes"]) == ([published.cranes_fri["id"]], [])
    assert "No clashes" in client.get(f"/plans/{token}").text


def test_a_plan_form_without_the_plans_token_in_its_body_is_refused(published, client):
    token = client.post(f"/api/festivals/{published.slug}/plans", json={}).json()["token"]
    for data in (
        {"action": "add", "screening_id": str(published.cranes_fri["id"])},
        {"token": "someone-else", "action": "add", "screening_id": str(published.cranes_fri["id"])},
    ):
        refused = client.post(f"/plans/{token}/picks", data=data, headers=HTML, follow_redirects=False)
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "text/html; charset=utf-8"
    assert client.get(f"/api/plans/{token}").json()["screening_ids"] == []


@pytest.mark.parametrize(
    "headers", [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}], ids=["fetch_metadata", "origin"]
)
def test_a_cross_site_post_cannot_change_a_plan(published, client, headers):
    token = add(client, published.slug, published.cranes_fri["id"]).headers["location"].split("/")[2].split("#")[0]
    refused = add(client, published.slug, published.comrades_fri["id"], **headers)
    assert refused.status_code == 403
    on_page = client.post(
        f"/plans/{token}/picks",
        headers=headers,
        follow_redirects=False,
        data={"token": token, "action": "add", "screening_id": str(published.comrades_fri["id"])},
    )
    assert on_page.status_code == 403
    assert client.get(f"/api/plans/{token}").json()["screening_ids"] == [published.cranes_fri["id"]]


def test_adding_a_draft_or_nonsense_is_refused_with_a_page(published, client):
    for value in (str(published.draft["id"]), "abc", ""):
        refused = client.post(
            f"/festivals/{published.slug}/plan", data={"screening_id": value}, headers=HTML, follow_redirects=False
        )
        assert refused.status_code == 422
        assert refused.headers["content-type"] == "text/html; charset=utf-8"


def test_an_unknown_plan_page_is_an_html_404(published, client):
    page = client.get("/plans/not-a-plan", headers=HTML)
    assert (page.status_code, page.headers["content-type"]) == (404, "text/html; charset=utf-8")


def test_my_plan_finds_this_devices_plan_from_any_page(published, client):
    """The programme pages are the same for everyone; "My plan" follows the device's plan cookie."""
    page = client.get(f"/festivals/{published.slug}").text
    assert f'href="/festivals/{published.slug}/plan">My plan</a>' in page
    none_yet = client.get(f"/festivals/{published.slug}/plan", headers={"Accept": "text/html"}, follow_redirects=False)
    assert none_yet.status_code == 404 and "Add to my plan" in none_yet.text
    added = add(client, published.slug, published.cranes_fri["id"])
    assert added.status_code == 303
    mine = client.get(f"/festivals/{published.slug}/plan", follow_redirects=False)
    assert mine.status_code == 303
    assert mine.headers["location"] == added.headers["location"].split("#", 1)[0]
    assert "no-store" in mine.headers["cache-control"]


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Origin": "null"}, 403),  # a sandboxed or data: page, in a browser that says no more
        ({"Origin": "null", "Sec-Fetch-Site": "same-origin"}, 303),  # our own page under no-referrer
    ],
    ids=["null_origin_alone", "null_origin_from_our_own_page"],
)
def test_a_null_origin_is_judged_by_fetch_metadata(published, client, headers, status):
    response = add(client, published.slug, published.cranes_fri["id"], **headers)
    assert response.status_code == status
