"""The Content-Security-Policy in a real Chromium: the site works under it, and it bites.

The built fixture hub is served on 127.0.0.1; every page is opened, search is used and the
colour palette switched, while every ``securitypolicyviolation`` event, console error and
request is recorded. A copy with a script slipped in after the build shows the policy
blocking it, so a quiet listener means a quiet page, not a deaf listener.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from hub_builder.pipeline import BuildReport, build
from tests.conftest import FIXTURE_HUB, build_options
from tests.hostile import example, organisation_file, with_values

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def served(site: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def browser_page(base: str) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A page that records console errors and requests to anywhere but ``base``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page()
            errors: list[str] = []
            foreign: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if is_error(m) else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: None if r.url.startswith(base) else foreign.append(r.url))
            page.add_init_script(RECORD_VIOLATIONS)
            yield page, errors, foreign
        finally:
            browser.close()


def search_titles(page: Any, base: str, query: str) -> list[str]:
    """Search with the hub's search page (Pagefind); the titles of the results."""
    page.goto(f"{base}search/?q={query}")
    page.wait_for_selector(".hub-search__title", timeout=15_000)
    titles: list[str] = page.locator(".hub-search__title").all_inner_texts()
    return titles


def is_error(message: Any) -> bool:
    """A console error, but not the browser's own guess at /favicon.ico for the redirect
    pages of old addresses, which name no icon."""
    return bool(
        message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico")
    )


def violations(page: Any) -> list[str]:
    found: list[str] = page.evaluate("window.__violations")
    return found


def test_every_page_loads_and_search_works_with_no_violation(
    built_fixture_hub: tuple[Path, BuildReport],
) -> None:
    site, _ = built_fixture_hub
    paths = sorted(
        p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html")
    )
    with served(site) as base, browser_page(base) as (page, errors, foreign):
        for path in paths:
            page.goto(base + path)
            page.wait_for_load_state("networkidle")
            assert violations(page) == [], path
        assert search_titles(page, base, "results")
        page.goto(base)
        page.locator("label[title='Switch to dark mode']").click()
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
        assert violations(page) == []
    assert len(paths) >= 10
    assert errors == []
    assert foreign == []


HOSTILE_NAMES = [
    "<img src=x onerror=document.title='ran'> Hostile One",
    "<svg onload=document.title='ran'></svg> Hostile Two",
    "<script>document.title='ran'</script> Hostile Three",
]


def test_search_shows_hostile_names_as_text(tmp_path: Path) -> None:
    """Search results are built in the browser from the index: a classic place for markup
    in a name to come alive. Here it stays text, and nothing runs or is blocked."""
    sources = tmp_path / "hub"
    shutil.copytree(FIXTURE_HUB, sources)
    for index, name in enumerate(HOSTILE_NAMES):
        data = example()
        with_values(data, (("name",), ("acronym",)), name)
        org_id = f"hostile-{index}"
        (sources / "organisations" / f"{org_id}.yaml").write_bytes(organisation_file(org_id, data))
    build(build_options(sources, tmp_path))
    with served(tmp_path / "site") as base, browser_page(base) as (page, errors, _):
        titles = search_titles(page, base, "Hostile")
        assert set(HOSTILE_NAMES) <= set(titles), titles
        results = page.locator(".hub-search__result")
        assert results.locator("img, svg, script").count() == 0
        assert page.title() != "ran"
        assert violations(page) == []
    assert errors == []


def test_the_policy_blocks_a_script_slipped_in_after_the_build(
    built_fixture_hub: tuple[Path, BuildReport], tmp_path: Path
) -> None:
    site, _ = built_fixture_hub
    tampered = tmp_path / "site"
    shutil.copytree(site, tampered)
    index = tampered / "index.html"
    index.write_text(
        index.read_text("utf-8").replace(
            "</body>",
            '<script>document.title = "ran"</script>'
            '<img src="assets/images/favicon.png" onload="document.title = \'ran\'"></body>',
        ),
        "utf-8",
    )
    with served(tampered) as base, browser_page(base) as (page, _, _):
        page.goto(base)
        page.wait_for_load_state("networkidle")
        assert page.title() != "ran"
        assert sorted(v.split()[0] for v in violations(page)) == [
            "script-src-attr",
            "script-src-elem",
        ]
