"""The Content-Security-Policy in a real Chromium: the site works under it, and it bites.

The built fixture hub is served on 127.0.0.1; every page is opened, search is used and the
colour palette switched, while every ``securitypolicyviolation`` event, console error and
request is recorded. A copy with a script slipped in after the build shows the policy
blocking it, so a quiet listener means a quiet page, not a deaf listener.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from hub_builder.pipeline import BuildReport, build
from tests.conftest import FIXTURE_HUB, build_options, static_server
from tests.hostile import corpus, example, organisation_file, problems_of, with_values

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@contextmanager
def browser_page(browser: Browser, base: str) -> Iterator[tuple[Page, list[str], list[str]]]:
    """A page that records console errors, violations and requests to anywhere but ``base``."""
    context = browser.new_context()
    try:
        page = context.new_page()
        errors: list[str] = []
        foreign: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if is_error(m) else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: None if r.url.startswith(base) else foreign.append(r.url))
        page.add_init_script(RECORD_VIOLATIONS)
        yield page, errors, foreign
    finally:
        context.close()


def search_titles(page: Page, base: str, query: str) -> list[str]:
    """Search with the hub's search page (Pagefind); the titles of the results."""
    page.goto(f"{base}search/?q={query}")
    expect(page.locator(".hub-search__status")).to_contain_text("result", timeout=15_000)
    page.wait_for_load_state("networkidle")
    titles: list[str] = page.locator(".hub-search__title").all_inner_texts()
    return titles


def is_error(message: Any) -> bool:
    """A console error, but not the browser's own guess at /favicon.ico for the redirect
    pages of old addresses, which name no icon."""
    return bool(
        message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico")
    )


def violations(page: Page) -> list[str]:
    found: list[str] = page.evaluate("window.__violations")
    return found


def test_every_page_loads_and_search_works_with_no_violation(
    browser: Browser, built_fixture_hub: tuple[Path, BuildReport]
) -> None:
    site, _ = built_fixture_hub
    paths = sorted(
        p.relative_to(site).as_posix().removesuffix("index.html") for p in site.rglob("*.html")
    )
    with static_server(site) as base, browser_page(browser, base) as (page, errors, foreign):
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


PAGEFIND_EXCERPTS = """async (query) => {
  const pagefind = await import("/pagefind/pagefind.js");
  await pagefind.init();
  const found = await pagefind.search(query);
  const data = await Promise.all(found.results.map((result) => result.data()));
  return data.map((page) => page.excerpt);
}"""


def test_search_shows_hostile_names_as_text(browser: Browser, tmp_path: Path) -> None:
    """Search results are built in the browser from the index: a classic place for markup
    in a name to come alive. Every text attack the validator accepts as a name is given to
    an organisation; searching finds them all as text, Pagefind's excerpts escape them (only
    its own <mark> is markup), nothing runs and nothing is blocked."""
    sources = tmp_path / "hub"
    shutil.copytree(FIXTURE_HUB, sources)
    names = []
    for index, attack in enumerate(corpus("text")):
        data = example()
        name = f"{attack} Hostile{index}".strip()
        described = (("key_dates", "*", "description"), ("key_dates", "*", "quote", "statement"))
        with_values(data, (("name",), *described), name)
        org_id = f"hostile-{index:02d}"
        content = organisation_file(org_id, data)
        if not problems_of(org_id, content):
            names.append(name)
            (sources / "organisations" / f"{org_id}.yaml").write_bytes(content)
    build(build_options(sources, tmp_path))
    with static_server(tmp_path / "site") as base, browser_page(browser, base) as (page, errors, _):
        for name in names[:8]:
            search_titles(page, base, name.split()[-1])
            expect(page.locator(".hub-search__title").filter(has_text=name)).to_have_count(1)
        excerpts: list[str] = page.evaluate(PAGEFIND_EXCERPTS, "Hostile")
        assert len(excerpts) >= len(names)
        markup = {tag for e in excerpts for tag in re.findall(r"<[^>]*>", e)}
        assert markup <= {"<mark>", "</mark>"}
        assert page.locator(".hub-search__result").locator("img, svg, script, iframe").count() == 0
        assert page.title() != "ran"
        assert violations(page) == []
    assert errors == []
    assert len(names) > 45


def test_the_policy_blocks_a_script_slipped_in_after_the_build(
    browser: Browser, built_fixture_hub: tuple[Path, BuildReport], tmp_path: Path
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
    with static_server(tampered) as base, browser_page(browser, base) as (page, _, _):
        page.goto(base)
        page.wait_for_load_state("networkidle")
        assert page.title() != "ran"
        assert sorted(v.split()[0] for v in violations(page)) == [
            "script-src-attr",
            "script-src-elem",
        ]
