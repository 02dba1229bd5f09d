"""The same hub built by both site engines: mkdocs with mkdocs-material, and Zensical.

The pages, site_content/ and overrides/ are the same for both, and the hub's own work after
the engine (tables put back, HTML policy and CSP, link attributes, Pagefind, the swap) runs
on either output. Here both builds of the fixture hub are compared page by page, and the
Zensical site is walked in Chromium as the mkdocs-material one is: axe-core light and dark,
the phone menu, the key-dates explorer and search.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from hub_builder.pipeline import build
from tests.conftest import (
    BUILT_AT,
    FIXTURE_HUB,
    BuildReport,
    build_options,
    static_server,
)
from tests.html_safety import pages_without_their_policy_first

CONTENT = re.compile(r'<div id="hub-content"[^>]*>(.*?)<footer', re.DOTALL)


@pytest.fixture(scope="session")
def built_zensical_hub(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    tmp = tmp_path_factory.mktemp("zensical-build")
    report = build(replace(build_options(FIXTURE_HUB, tmp), engine="zensical"))
    return tmp / "site", report


@pytest.fixture(scope="module")
def zensical_site(built_zensical_hub: tuple[Path, BuildReport]) -> Iterator[str]:
    site, _ = built_zensical_hub
    with static_server(site) as base:
        yield base


def pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def page_text(path: Path) -> str:
    """The words of the page's own content, without the theme's chrome around it."""
    found = CONTENT.search(path.read_text("utf-8"))
    assert found, path
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", found.group(1), flags=re.DOTALL)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = text.replace("¶", " ")
    return " ".join(text.split())


def test_both_engines_give_the_same_pages_and_files(
    built_fixture_hub: tuple[Path, BuildReport], built_zensical_hub: tuple[Path, BuildReport]
) -> None:
    material, _ = built_fixture_hub
    zensical, report = built_zensical_hub
    assert pages(material) == pages(zensical)
    outside_theme = {
        p.relative_to(material).as_posix()
        for p in material.rglob("*")
        if p.is_file() and not p.relative_to(material).as_posix().startswith("assets/")
    }
    assert outside_theme <= {
        p.relative_to(zensical).as_posix() for p in zensical.rglob("*") if p.is_file()
    }
    assert not (zensical / "search.json").exists(), "search is Pagefind's on both"
    assert report.pages > 10


def test_every_page_says_the_same_on_both_engines(
    built_fixture_hub: tuple[Path, BuildReport], built_zensical_hub: tuple[Path, BuildReport]
) -> None:
    material, _ = built_fixture_hub
    zensical, _ = built_zensical_hub
    compared = 0
    for name in sorted(pages(material)):
        page = (material / name).read_text("utf-8")
        if 'http-equiv="refresh"' in page or 'id="hub-content"' not in page:
            continue
        assert page_text(material / name) == page_text(zensical / name), name
        compared += 1
    assert compared > 10


def test_the_zensical_site_is_secured_as_the_other_is(
    built_zensical_hub: tuple[Path, BuildReport],
) -> None:
    site, _ = built_zensical_hub
    assert pages_without_their_policy_first(site) == []
    assert (site / "pagefind" / "pagefind.js").is_file()


# In the browser -----------------------------------------------------------------------------

PAGE_TYPES = {
    "home": "",
    "dates": "dates/",
    "organisation": "organisations/example-awarding-body/",
    "status": "status/",
    "guide": "guides/families/",
    "search results": "search/?q=results+day",
    "not found": "no-such-page/",
}


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_axe_finds_no_violations_on_zensical(
    page: Page, zensical_site: str, path: str, scheme: str
) -> None:
    page.clock.set_fixed_time(BUILT_AT)
    page.emulate_media(color_scheme=scheme)
    page.goto(zensical_site + path)
    page.wait_for_load_state("networkidle")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.browser
def test_on_zensical_the_phone_menu_explorer_and_search_work(
    browser: Browser, zensical_site: str
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    try:
        page.clock.set_fixed_time(BUILT_AT)
        page.goto(zensical_site + "status/")
        page.locator(".md-header label[for='__drawer']").click()
        expect(page.locator(".md-sidebar--primary").get_by_role("link").first).to_be_visible()
        page.goto(zensical_site + "dates/")
        expect(page.locator(".hub-explorer__status")).to_contain_text("upcoming key dates found")
        row = page.locator(".hub-explorer__results tr.hub-date").first
        assert row.evaluate("r => getComputedStyle(r).display") == "block", "a card"
        page.goto(zensical_site + "search/?q=EAB")
        expect(page.locator(".hub-search__title").first).to_have_text("Example Awarding Body")
    finally:
        context.close()


@pytest.mark.browser
def test_on_zensical_a_keyboard_reaches_an_organisation_and_its_sources(
    page: Page, zensical_site: str
) -> None:
    page.goto(zensical_site + "organisations/")
    link = page.get_by_role("link", name="Example Awarding Body").first
    for _ in range(60):
        page.keyboard.press("Tab")
        if link.evaluate("a => a === document.activeElement"):
            break
    else:
        raise AssertionError("the organisation's link was never reached by Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/organisations/example-awarding-body/$"))
    expect(page.get_by_role("link", name=re.compile("^Source")).first).to_be_attached()


@pytest.mark.browser
def test_zensical_serves_under_a_sub_path_with_its_not_found_page_styled(
    tmp_path: Path, page: Page
) -> None:
    options = replace(
        build_options(FIXTURE_HUB, tmp_path),
        engine="zensical",
        site_url="https://example.github.io/vtq-hub/",
        repo_url="https://github.com/example/vtq-hub",
    )
    build(options)
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://example.github.io/vtq-hub/">' in home
    report = re.search(
        r'Report a mistake on this page:\s*<a href="([^"]*)"[^>]*>on GitHub</a>', home
    )
    assert report, "the footer's Report a mistake, as on the other engine"
    address = html.unescape(report.group(1))
    assert address.startswith("https://github.com/example/vtq-hub/issues/new?")
    assert "template=wrong-date.yml" in address
    with static_server(tmp_path / "site", "/vtq-hub/") as base:
        response = page.goto(base + "no/such/page/")
        assert response is not None and response.status == 404
        sheets = page.evaluate("[...document.styleSheets].filter(s => s.cssRules.length).length")
        assert sheets >= 2, "the theme's stylesheets did not load under /vtq-hub/"
        page.get_by_role("link", name="Key dates").first.click()
        expect(page).to_have_url(base + "dates/")
