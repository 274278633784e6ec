"""Imports point one way: the pure domain and renderers know nothing of HTTP, the database or the clock."""

import ast
import inspect
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
PURE = ("scheduling", "calendar", "printing", "programme_files", "exports")
FORBIDDEN = ("fastapi", "starlette", "sqlmodel", "sqlalchemy", "app.api", "app.web", "app.store", "app.settings")


def imports_of(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


@pytest.mark.parametrize("package", PURE)
def test_pure_packages_import_no_framework_database_or_settings(package):
    offending = {
        f"{path.name}: {module}"
        for path in (APP / package).rglob("*.py")
        for module in imports_of(path)
        if module.startswith(FORBIDDEN)
    }
    assert offending == set()


@pytest.mark.parametrize("package", PURE)
def test_pure_packages_never_read_the_clock(package):
    for path in (APP / package).rglob("*.py"):
        text = path.read_text("utf-8")
        assert "datetime.now(" not in text and "date.today(" not in text and "time.time(" not in text, path.name


def test_routes_write_no_sql_of_their_own():
    offending = set()
    for folder in ("api", "web"):
        for path in (APP / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module == "sqlalchemy":
                    offending.update(f"{path.name}: {a.name}" for a in node.names if a.name == "text")
    assert offending == set()


@pytest.mark.parametrize("folder", ["api", "web"])
def test_routers_import_no_database_toolkit(folder):
    """Routers parse, call a service and shape the answer: queries live in app/store."""
    offending = {
        f"{path.name}: {module}"
        for path in (APP / folder).rglob("*.py")
        for module in imports_of(path)
        if module.startswith(("sqlalchemy", "sqlmodel"))
    }
    assert offending == set()


@pytest.mark.parametrize(("folder", "other"), [("api", "app.web"), ("web", "app.api")])
def test_the_api_and_the_pages_do_not_import_each_other(folder, other):
    offending = {
        f"{path.name}: {module}"
        for path in (APP / folder).rglob("*.py")
        for module in imports_of(path)
        if module.startswith(other)
    }
    assert offending == set()


def test_the_http_toolkit_and_services_import_no_router():
    offending = {
        f"{path.parent.name}/{path.name}: {module}"
        for folder in ("http", "services")
        for path in (APP / folder).rglob("*.py")
        for module in imports_of(path)
        if module.startswith(("app.api", "app.web"))
    }
    assert offending == set()


# The fast paths answer in front of the layers inside them: a feed poll (`FeedPolls`) and a
# create (`ScreeningCreates`) skip what those layers do. This list is what they were checked
# against; a layer added or moved fails here until someone decides whether the fast paths
# must do what it does (and then updates the list).
ASGI_LAYERS = [
    "app.http.priority.WritesFirst",
    "app.http.creates.ScreeningCreates",
    "app.web.feeds.FeedPolls",
    "app.http.security.SecureResponses",
    "app.http.limits.RequestGate",
    "starlette.middleware.errors.ServerErrorMiddleware",
    "fastapi.telemetry._asgi.ExceptionTelemetryMiddleware",
    "fastapi._body_limit.AppBodyLimitMiddleware",
    "app.http.redirects.FormerSlugRedirects",
    "starlette.middleware.exceptions.ExceptionMiddleware",
    "fastapi.middleware.asyncexitstack.AsyncExitStackMiddleware",
    "fastapi.routing.APIRouter",
]


def test_the_fast_paths_know_every_layer_they_answer_in_front_of():
    from app.main import create_app

    layer, names = create_app().build_middleware_stack(), []
    while not inspect.ismethod(layer):  # down to the router's own `app` method
        names.append(f"{type(layer).__module__}.{type(layer).__qualname__}")
        layer = layer.app
    assert names == ASGI_LAYERS, "a layer was added or moved: see the comment above ASGI_LAYERS"
