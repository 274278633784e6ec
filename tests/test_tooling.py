"""The linters a newcomer runs pass on the conflict engine: mypy, and ruff's formatting.

`make lint` checks the whole tree; these hold the files of the conflict engine (and its tests
and benchmark) to it on every test run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
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


@pytest.mark.parametrize("path", OWN_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_the_conflict_engine_files_are_formatted(path):
    result = run(tool("ruff"), "format", "--check", "--diff", path)

    assert result.returncode == 0, result.stdout + result.stderr
