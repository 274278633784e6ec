"""An attendee's plan as pages: add and remove screenings with plain forms, see clashes, subscribe, print.

Cross-site posts: the "Add to my plan" buttons of the programme pages find the plan in a
cookie (`HttpOnly; SameSite=Lax`, so a cross-site form post arrives without it and can only
start a new, empty plan), and the request is also refused when the browser says it comes
from another site (`Sec-Fetch-Site: cross-site`, or an `Origin` of another host). The
forms of the plan page carry the plan's token in their body, which must match the token
in the path: a page on another site cannot know it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from app.cache import LRU
from app.http.conditional import Rendered, not_modified
from app.http.deps import SessionDep
from app.http.plans import PRIVATE_HEADERS, plan_links
from app.http.problems import Problem
from app.services import plans
from app.services.errors import InvalidField, NotFound
from app.services.feeds import render_feed
from app.settings import get_settings
from app.web.public import ScreeningLinks
from app.web.templating import templates

router = APIRouter(include_in_schema=False)
COOKIE_DAYS = 90
MAX_FORM_BYTES = 4096
_feeds: LRU[Rendered] = LRU(maxsize=1024, max_bytes=lambda: get_settings().plan_feed_cache_bytes, size=Rendered.nbytes)


def plan_cookie(slug: str) -> str:
    """The cookie that remembers this device's plan for one festival."""
    return f"marquee_plan_{slug}"


def _remember(response: Response, slug: str, token: str) -> None:
    response.set_cookie(
        plan_cookie(slug),
        token,
        max_age=COOKIE_DAYS * 86400,
        path="/",
        httponly=True,
        samesite="lax",
        secure=get_settings().base_url.startswith("https://"),
    )


async def _form(request: Request) -> dict[str, str]:
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise Problem(413, "The form is too large.")
    return {k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()}


def _same_site(request: Request) -> bool:
    """False when the browser says the post comes from another site.

    `Sec-Fetch-Site` decides where the browser sends it (such a browser also sends `Origin: null`
    under our `Referrer-Policy: no-referrer`); without it, `Origin` must be absent or this host.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site in ("same-origin", "same-site", "none")
    origin = request.headers.get("origin")
    return origin is None or (origin != "null" and urlsplit(origin).netloc == request.url.netloc)


def _screening_id(form: dict[str, str]) -> int:
    screening_id = plans.valid_screening_id(form.get("screening_id", ""))
    if screening_id is None:
        raise InvalidField("screening_id", "give the id of a published screening")
    return screening_id


@router.post("/festivals/{slug}/plan")
async def add_to_my_plan(slug: str, request: Request, session: SessionDep):
    """An "Add to my plan" button: add to this device's plan (from its cookie), or start one."""
    if not _same_site(request):
        raise Problem(403, "Plans can only be changed from this site's own pages.")
    screening_id = _screening_id(await _form(request))
    now = datetime.now(UTC)
    token = request.cookies.get(plan_cookie(slug), "")
    try:
        view = plans.add_pick(session, token, screening_id, now) if token else None
    except NotFound:
        view = None
    if view is None or view.slug != slug:
        view, token = plans.create_plan(session, slug, [screening_id], now)
    response = RedirectResponse(f"/plans/{token}#screening-{screening_id}", status_code=303, headers=PRIVATE_HEADERS)
    _remember(response, slug, token)
    return response


@router.get("/festivals/{slug}/plan")
def my_plan(slug: str, request: Request):
    """ "My plan": this device's plan of the festival (from its cookie), so the pages can stay the same for all."""
    token = request.cookies.get(plan_cookie(slug))
    if token:
        return RedirectResponse(f"/plans/{token}", status_code=303, headers=PRIVATE_HEADERS)
    raise Problem(
        404, 'This device has no plan for this festival yet: press "Add to my plan" beside a screening to start one.'
    )


@router.post("/plans/{token}/picks")
async def change_picks(token: str, request: Request, session: SessionDep):
    """The plan page's forms: `action` add or remove `screening_id`; the body repeats the plan's token."""
    form = await _form(request)
    if form.get("token") != token or not _same_site(request):
        raise Problem(403, "This form does not belong to this plan; open the plan's page and try again.")
    screening_id = _screening_id(form)
    now = datetime.now(UTC)
    if form.get("action") == "remove":
        plans.remove_pick(session, token, screening_id, now)
    else:
        plans.add_pick(session, token, screening_id, now)
    return RedirectResponse(f"/plans/{token}#plan", status_code=303, headers=PRIVATE_HEADERS)


def _page(template: str, view: plans.PlanView, token: str) -> HTMLResponse:
    programme = view.programme
    clashes = [plans.clash_fields(c, programme) for c in view.clashes]
    clashing = {i for c in clashes for i in c["screening_ids"]}
    days: dict = {}
    for pick in view.picks:
        days.setdefault(pick.festival_day, []).append(pick)
    links = ScreeningLinks(programme)
    html = templates.get_template(template).render(
        programme=programme,
        festival=programme.festival,
        venues=programme.venues_by_id,
        films=programme.films_by_id,
        links=links,
        view=view,
        token=token,
        days=days,
        clashes=clashes,
        clashing=clashing,
        plan=plan_links(token, view.slug),
        titles={s.id: links.title(s) for s in view.picks},
        feed=plan_links(token, view.slug).subscribe,
    )
    response = HTMLResponse(html, headers=PRIVATE_HEADERS)
    _remember(response, view.slug, token)
    return response


@router.get("/plans/{token}", response_class=HTMLResponse)
def plan_page(token: str, session: SessionDep):
    """The plan: picks by day, clashes marked, remove buttons, subscribe links."""
    return _page("plan.html", plans.get_plan(session, token), token)


@router.get("/plans/{token}/print", response_class=HTMLResponse)
def printable_plan(token: str, session: SessionDep):
    """The plan on one printed page: a table of the picks."""
    return _page("plan_print.html", plans.get_plan(session, token), token)


@router.api_route("/plans/{token}/calendar.ics", methods=["GET", "HEAD"])
def plan_feed(token: str, request: Request, session: SessionDep):
    """The plan as a feed that follows the published programme: moved picks move, cancelled ones show cancelled."""
    view = plans.get_plan(session, token)
    programme = view.programme
    key = (view.plan.id, view.plan.revision, programme.version, programme.published_at)

    def render() -> Rendered:
        body = render_feed(
            programme,
            screenings=view.picks,
            name=f"My plan: {programme.festival.name}",
            description=f"Screenings picked at {programme.festival.name}.",
            base_url=get_settings().base_url,
        )
        last = max(filter(None, [view.plan.updated_at, programme.published_at]))
        return Rendered.of(body, last)

    feed = _feeds.get_or_make(key, render)
    headers = {**PRIVATE_HEADERS, "ETag": feed.etag}
    if not_modified(request, feed):
        return Response(status_code=304, headers=headers)
    return Response(
        feed.body,
        media_type="text/calendar; charset=utf-8",
        headers={**headers, "Content-Disposition": 'inline; filename="my-plan.ics"'},
    )
