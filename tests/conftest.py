"""Shared fixtures: paths to the fixture hub, a fixed clock, one real build of it, that
build served over HTTP on 127.0.0.1, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir
from playwright.sync_api import Browser, Page, sync_playwright

from hub_builder.calendar import LONDON
from hub_builder.load.sources import read_documents, source_paths
from hub_builder.model import Hub
from hub_builder.normalise import normalise
from hub_builder.pipeline import BuildOptions, BuildReport, build

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FIXTURE_HUB = FIXTURES / "hub"
BUILT_AT = datetime(2026, 11, 23, 9, 30, tzinfo=LONDON)

# Hypothesis keeps the examples it found and its caches in a folder of this run's own, not
# in the checkout (a failing example worth keeping is written as a test). Set here, before
# any test module is read: Hypothesis writes some of its caches as the tests are collected.
_HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="vtq-hub-tests-hypothesis-")
set_hypothesis_home_dir(_HYPOTHESIS_HOME)
atexit.register(shutil.rmtree, _HYPOTHESIS_HOME, ignore_errors=True)

# Every run draws the same examples (seeded from each test), so a test fails for a reason
# in the code, never for the luck of a draw; derandomised, Hypothesis keeps no database
# either, in CI or anywhere. To hunt for new examples, run pytest with
# --hypothesis-profile=explore (random draws, no deadline; nothing kept).
settings.register_profile(
    "vtq-hub", derandomize=True, database=None, deadline=None, print_blob=True
)
settings.register_profile("explore", derandomize=False, database=None, deadline=None)
settings.load_profile("vtq-hub")


@pytest.fixture(scope="session", autouse=True)
def checkout_left_alone() -> Iterator[None]:
    """Every test writes under its own temporary folder: the checkout's build folders and
    sources are the same after the run as before it."""
    before = checkout_state()
    yield
    assert checkout_state() == before, "a test wrote into .hub-build/, site/ or sources/"


def checkout_state() -> dict[str, tuple[int, int]]:
    """Every file under the folders tests must not touch, with its size and change time."""
    return {
        str(path): (path.stat().st_size, path.stat().st_mtime_ns)
        for folder in (".hub-build", "site", "sources")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.is_file()
    }


def fixed_clock() -> datetime:
    return BUILT_AT


def build_options(sources: Path, tmp: Path) -> BuildOptions:
    """Options for a build of ``sources`` into ``tmp/site`` with the project's config."""
    return BuildOptions(
        sources=sources,
        out=tmp / "site",
        config=ROOT / "mkdocs.yml",
        content=ROOT / "site_content",
        work=tmp / "work",
        clock=fixed_clock,
    )


@pytest.fixture(scope="session")
def built_fixture_hub(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The fixture hub, built once by the real pipeline and the real mkdocs."""
    tmp = tmp_path_factory.mktemp("fixture-build")
    report = build(build_options(FIXTURE_HUB, tmp))
    return tmp / "site", report


PUBLISHED_AT = "https://example.github.io/vtq-hub/"
REPOSITORY = "https://github.com/example/vtq-hub"
REPORT_EMAIL = "hub-team@example.org"


@pytest.fixture(scope="session")
def built_published_hub(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The fixture hub built as the publish workflow builds it: with the site's address
    (a GitHub Pages project site, under /vtq-hub/), its repository and the maintainers'
    address for reports."""
    tmp = tmp_path_factory.mktemp("published-build")
    options = replace(
        build_options(FIXTURE_HUB, tmp),
        site_url=PUBLISHED_AT,
        repo_url=REPOSITORY,
        report_email=REPORT_EMAIL,
    )
    report = build(options)
    return tmp / "site", report


@pytest.fixture(scope="session")
def served_under_sub_path(built_published_hub: tuple[Path, BuildReport]) -> Iterator[str]:
    """The published build served under /vtq-hub/, as GitHub Pages serves a project site."""
    site, _ = built_published_hub
    with static_server(site, "/vtq-hub/") as base:
        yield base


def fixture_hub() -> Hub:
    """The fixture hub as a model (no rendering), on the fixed clock."""
    return normalise(read_documents(source_paths(FIXTURE_HUB)), built_at=BUILT_AT)


@pytest.fixture(scope="session")
def served_site(built_fixture_hub: tuple[Path, BuildReport]) -> Iterator[str]:
    """The fixture hub's built site over real HTTP on 127.0.0.1; yields its base URL."""
    site, _ = built_fixture_hub
    with static_server(site) as base:
        yield base


@contextmanager
def static_server(folder: Path, prefix: str = "/") -> Iterator[str]:
    """A built site on a real HTTP server on 127.0.0.1, as a static host serves it: at the
    server's root, or under ``prefix`` ("/vtq-hub/"), as GitHub Pages serves a project
    site, where any other path is the site's 404 page."""
    handler = partial(_QuietHandler, directory=str(folder), prefix=prefix)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def real_hub_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built once from the hub's own sources, for the tests that only read it."""
    tmp = tmp_path_factory.mktemp("real-hub")
    build(build_options(ROOT / "sources", tmp))
    return tmp / "site"


@pytest.fixture(scope="session")
def served_real_hub(real_hub_site: Path) -> Iterator[str]:
    """That site, served on 127.0.0.1."""
    with static_server(real_hub_site) as base:
        yield base


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves the site as a static host does: the site's own 404.html for a missing page."""

    def __init__(self, *args: Any, prefix: str = "/", **kwargs: Any) -> None:
        self.prefix = prefix
        super().__init__(*args, **kwargs)

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "no such file")
        return super().translate_path("/" + path[len(self.prefix) :])

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code != 404 or not not_found.is_file():
            super().send_error(code, message, explain)
            return
        body = not_found.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in its own context (own clock, storage and colour scheme)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        yield context.new_page()
    finally:
        context.close()
