"""The linters a newcomer runs pass: mypy on every pure package, and ruff's formatting.

`make lint` checks the whole tree; these hold the pure packages to mypy (as `[tool.mypy]` in
pyproject.toml configures it, the conflict engine strictest) and the files of the conflict
engine (and its tests and benchmark) to ruff's formatting on every test run.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# the packages that know nothing of HTTP, the database or the clock (tests/test_architecture.py)
PURE_PACKAGES = ("scheduling", "calendar", "printing", "programme_files", "exports")
BIN = Path(sys.executable).parent
ENGINE = ROOT / "app" / "scheduling" / "conflicts"
ENGINE_FILES = sorted(ENGINE.glob("*.py"))
OWN_FILES = [
    *ENGINE_FILES,
    ROOT / "tests" / "scheduling" / "oracle.py",
    ROOT / "tests" / "scheduling" / "test_conflicts.py",
    ROOT / "tests" / "scheduling" / "test_sweep_against_oracle.py",
    ROOT / "bench" / "bench_conflicts.py",
    Path(__file__),
]


def run(*command: str | Path) -> subprocess.CompletedProcess[str]:
    """Run a tool from the test environment at the repository's root, capturing what it says."""
    return subprocess.run([str(part) for part in command], cwd=ROOT, capture_output=True, text=True, timeout=300)


def tool(name: str) -> Path:
    """A console script installed beside the interpreter running the tests."""
    path = BIN / name
    if not path.exists():
        pytest.fail(f"{name} is not installed in {BIN}: run `make install`")
    return path


def test_the_conflict_engine_type_checks():
    # imported modules outside the engine are read for their types but answer for themselves
    result = run(tool("mypy"), "--follow-imports=silent", *ENGINE_FILES)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout


def test_mypy_is_configured_for_every_pure_package():
    configured = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["mypy"]["files"]

    assert sorted(configured) == sorted(f"app/{package}" for package in PURE_PACKAGES)


def test_the_pure_packages_type_check():
    # no files named: mypy checks what [tool.mypy] lists, with its per-module strictness
    result = run(tool("mypy"))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success" in result.stdout


@pytest.mark.parametrize("path", OWN_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_the_conflict_engine_files_are_formatted(path):
    result = run(tool("ruff"), "format", "--check", "--diff", path)

    assert result.returncode == 0, result.stdout + result.stderr
