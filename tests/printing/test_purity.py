"""app.printing is a pure renderer: no web framework, no database, no clock."""

import ast
from pathlib import Path

import app.printing

PACKAGE = Path(app.printing.__file__).parent
FORBIDDEN_IMPORTS = ("fastapi", "starlette", "sqlmodel", "sqlalchemy", "app.api", "app.web",
                     "app.store")  # fmt: skip


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
    return modules


def test_printing_imports_no_framework_or_database():
    for path in PACKAGE.glob("*.py"):
        for module in imported_modules(path):
            assert not module.startswith(FORBIDDEN_IMPORTS), f"{path.name} imports {module}"


def test_printing_never_reads_the_clock():
    for path in PACKAGE.glob("*.py"):
        source = path.read_text("utf-8")
        for call in (".now(", ".today(", "utcnow(", "time.time("):
            assert call not in source, f"{path.name} reads the clock"
