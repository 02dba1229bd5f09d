"""vtq-hub serve: a real server on 127.0.0.1 that rebuilds when a source changes."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import FIXTURE_HUB, ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def fetch(url: str, contains: str, timeout: float = 180) -> str:
    """The page once it holds ``contains``: asked again until it does, for as long as a build
    takes on a loaded machine (a generous guard: it returns as soon as the page is there)."""
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                last = response.read().decode("utf-8")
            if contains in last:
                return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} never contained {contains!r}")


def test_serve_rebuilds_when_a_source_changes(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "hub_builder",
            "serve",
            "--quiet",
            "--port",
            str(port),
            "--sources",
            str(sources),
            "--out",
            str(tmp_path / "site"),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/organisations/example-awarding-body/"
        fetch(url, "Final claims deadline")
        source = sources / "organisations" / "example-awarding-body.yaml"
        source.write_text(
            source.read_text("utf-8").replace("Final claims deadline", "Last claims deadline"),
            "utf-8",
        )
        fetch(url, "Last claims deadline")
    finally:
        server.terminate()
        server.wait(timeout=10)
