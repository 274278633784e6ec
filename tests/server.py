"""A real `marquee serve` process for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(database_url: str, workers: int = 1):
    """Start `marquee serve` on a free port against `database_url`; yield its base URL."""
    port = free_port()
    env = {**os.environ, "MARQUEE_DATABASE_URL": database_url,
           "MARQUEE_BASE_URL": f"http://127.0.0.1:{port}"}
    # the log goes to a file: a pipe nobody reads fills up and stalls the server
    log = tempfile.NamedTemporaryFile(prefix="marquee-serve-", suffix=".log", delete=False)
    process = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port), "--workers", str(workers)],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
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
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        Path(log.name).unlink(missing_ok=True)
