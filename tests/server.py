"""A real `marquee serve` process for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    base: str  # http://127.0.0.1:PORT
    port: int
    process: subprocess.Popen
    log: Path

    def rss_bytes(self) -> int:
        """The resident memory of the server process (one worker: uvicorn serves in it)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS in /proc")


@contextmanager
def running_process(
    database_url: str, workers: int = 1, *, env: dict[str, str | None] | None = None, base_url: str | None = "same"
) -> Iterator[Server]:
    """Start `marquee serve` on a free port against `database_url`.

    `base_url="same"` sets MARQUEE_BASE_URL to the server's own address; None leaves it unset
    (the server derives it); `env` adds variables (None removes one)."""
    port = free_port()
    environment = {**os.environ, "MARQUEE_DATABASE_URL": database_url}
    environment.pop("MARQUEE_BASE_URL", None)
    if base_url == "same":
        environment["MARQUEE_BASE_URL"] = f"http://127.0.0.1:{port}"
    elif base_url is not None:
        environment["MARQUEE_BASE_URL"] = base_url
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    # the log goes to a file: a pipe nobody reads fills up and stalls the server
    log = tempfile.NamedTemporaryFile(prefix="marquee-serve-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=REPO,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"marquee serve did not start:\n{Path(log.name).read_text()}")
            time.sleep(0.1)
        yield Server(base, port, process, Path(log.name))
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        Path(log.name).unlink(missing_ok=True)


@contextmanager
def running_server(database_url: str, workers: int = 1) -> Iterator[str]:
    """Start `marquee serve` on a free port against `database_url`; yield its base URL."""
    with running_process(database_url, workers) as server:
        yield server.base
