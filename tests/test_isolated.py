"""Heavy renders made in a child process answer what the server process would have made."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import httpx
import pytest

from app.isolated import render_apart, run_isolated
from app.printing.workbook import render_programme_xlsx
from app.settings import get_settings
from tests.builders import festival_programme
from tests.server import REPO, running_process

pytestmark = pytest.mark.slow  # starts a Python process


@pytest.fixture
def render_processes(monkeypatch):
    def use(processes: int) -> None:
        monkeypatch.setenv("MARQUEE_RENDER_PROCESSES", str(processes))
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


def _which_process(programme) -> int:
    return os.getpid()


def _refuse(programme) -> bytes:
    raise OSError("cannot load library 'libpango-1.0-0'")


def test_a_render_apart_is_the_same_render_made_in_another_process(render_processes):
    render_processes(1)
    programme = festival_programme()
    assert render_apart(render_programme_xlsx, programme) == render_programme_xlsx(programme)
    assert render_apart(_which_process, programme) != os.getpid()


def test_its_exception_is_raised_in_the_server_process(render_processes):
    render_processes(1)
    with pytest.raises(OSError, match="libpango"):
        render_apart(_refuse, festival_programme())


def _die(programme) -> bytes:
    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel does to a process out of memory
    return b""


def test_a_render_process_that_dies_fails_that_render_only(render_processes):
    render_processes(1)
    with pytest.raises(BrokenProcessPool):
        render_apart(_die, festival_programme())
    assert render_apart(_which_process, festival_programme()) != os.getpid()


def test_no_render_processes_makes_it_here(render_processes):
    render_processes(0)
    assert render_apart(_which_process, festival_programme()) == os.getpid()
    assert run_isolated(os.getpid) == os.getpid()


def _children_of(pid: int) -> dict[int, str]:
    """The live processes whose parent is `pid`, with their command lines (from /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue  # gone meanwhile
            state, ppid = stat.rsplit(")", 1)[1].split()[:2]
            if int(ppid) == pid and state != "Z":
                found[int(entry.name)] = cmdline
    return found


def _alive(pid: int) -> bool:
    """Running, not a zombie (the children are handed to whoever reaps orphans here, maybe nobody)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_render_processes_exit_when_the_server_is_killed(tmp_path):
    """A SIGKILLed (or crashed) `marquee serve` leaves no render child, nor multiprocessing's
    resource tracker, behind (each ~72 MB, and benchmarks left a dozen)."""
    database = f"sqlite:///{tmp_path}/marquee.db"
    env = {**os.environ, "MARQUEE_DATABASE_URL": database}
    for command in (["db", "upgrade"], ["load", "sample_programme"], ["publish", "wiesbaden-2021"]):
        subprocess.run([sys.executable, "-m", "app", *command], cwd=REPO, env=env, check=True, capture_output=True)
    with running_process(database, env={"MARQUEE_RENDER_PROCESSES": "1"}) as server:
        answer = httpx.get(f"{server.base}/festivals/wiesbaden-2021/programme.xlsx", timeout=120)
        assert answer.status_code == 200
        deadline = time.monotonic() + 30
        children = _children_of(server.process.pid)
        # the next render child (started once the first exits) and the resource tracker
        while not (
            any("resource_tracker" in c for c in children.values())
            and any("resource_tracker" not in c for c in children.values())
        ):
            assert time.monotonic() < deadline, children
            time.sleep(0.2)
            children = _children_of(server.process.pid)
        server.process.kill()
        server.process.wait()
        deadline = time.monotonic() + 5
        while any(map(_alive, children)) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = {pid: command for pid, command in children.items() if _alive(pid)}
        for pid in left:  # not to leave them to the next test run either
            os.kill(pid, signal.SIGKILL)
        assert not left
