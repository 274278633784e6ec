"""Heavy renders made in a child process answer what the server process would have made."""

from __future__ import annotations

import os
import signal
from concurrent.futures.process import BrokenProcessPool

import pytest

from app.isolated import render_apart, run_isolated
from app.printing.workbook import render_programme_xlsx
from app.settings import get_settings
from tests.builders import festival_programme

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
