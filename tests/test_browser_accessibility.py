"""axe-core in Debian's Chromium: zero violations on every page type, light and dark.

Each page is loaded from the real build over HTTP, with the browser's clock set to the
build's day, scripts run (countdowns, explorer, search results), and then axe checks the
page as a visitor gets it: first as the browser's colour scheme gives it, then with
material's palette switched by its own toggle.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from tests.conftest import BUILT_AT

pytestmark = pytest.mark.browser

PAGE_TYPES = {
    "home": "",
    "dates": "dates/",
    "dates filtered": "dates/?ao=example-awarding-body&kind=checkpoint,claims&upcoming=0",
    "month": "dates/2027-08/",
    "organisations A to Z": "organisations/",
    "organisation": "organisations/example-awarding-body/",
    "guide": "guides/families/",
    "guides": "guides/",
    "glossary": "glossary/",
    "accessibility": "accessibility/",
    "search results": "search/?q=results+day",
    "not found": "no-such-page/",
}
SCHEMES = {"light": "default", "dark": "slate"}
AXE = Axe()


def violations(page: Page) -> str:
    results = AXE.run(page)
    return results.generate_report() if results.violations_count else ""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_axe_finds_no_violations(page: Page, served_site: str, path: str, scheme: str) -> None:
    page.clock.set_fixed_time(BUILT_AT)
    page.emulate_media(color_scheme="dark" if scheme == "dark" else "light")
    page.goto(served_site + path)
    page.wait_for_load_state("networkidle")
    assert page.locator("body").get_attribute("data-md-color-scheme") == SCHEMES[scheme]
    assert page.evaluate("document.documentElement.lang") == "en"
    assert violations(page) == "", f"{path} ({scheme})"


@pytest.mark.parametrize(
    "path", [*PAGE_TYPES.values(), "status/"], ids=[*PAGE_TYPES.keys(), "status"]
)
def test_at_320_pixels_nothing_scrolls_sideways_but_a_wide_table(
    page: Page, served_site: str, path: str
) -> None:
    """WCAG 2.2 reflow (1.4.10): the page fits 320 CSS pixels; a wide table scrolls in its
    own labelled region, which the keyboard can reach."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.clock.set_fixed_time(BUILT_AT)
    page.goto(served_site + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    spilling = page.evaluate(
        """[...document.querySelectorAll('.md-content table')]
        .filter(t => t.getBoundingClientRect().width > t.parentElement.clientWidth + 1)
        .filter(t => !t.parentElement.matches('.hub-table-scroll[role=region][tabindex="0"]'))
        .map(t => t.querySelector('caption')?.textContent || t.className)"""
    )
    assert spilling == [], path


def test_at_320_pixels_the_header_search_button_opens_the_search_page(
    page: Page, served_site: str
) -> None:
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(served_site + "organisations/")
    assert page.locator(".md-header__title").inner_text().strip().startswith("VTQ Hub")
    page.locator(".hub-header-search").get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/**")
    box = page.get_by_role("searchbox").first
    assert box.is_visible() and box.bounding_box()["width"] > 200


def test_palette_toggle_switches_scheme_and_stays_clean(page: Page, served_site: str) -> None:
    page.clock.set_fixed_time(BUILT_AT)
    page.emulate_media(color_scheme="light")
    page.goto(served_site + "organisations/example-awarding-body/")
    page.get_by_title("Switch to dark mode").click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert violations(page) == ""


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches ``selector``; its focus must show."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"no visible focus on {selector}"
            return
    pytest.fail(f"Tab never reached {selector}")


def test_keyboard_only_from_home_to_an_organisation_and_its_links(
    page: Page, served_site: str
) -> None:
    page.clock.set_fixed_time(BUILT_AT)
    page.goto(served_site)
    tab_to(page, ".md-skip")
    page.keyboard.press("Enter")
    assert page.url.endswith("#hub-content")
    tab_to(page, "a[href*='organisations/example-awarding-body/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisations/example-awarding-body/**")
    # A calendar link where the page offers one, else the source of the first date.
    tab_to(page, "a[href$='.ics'], a[href^='webcal:'], table.hub-dates a.hub-source")
    href = page.evaluate("document.activeElement.href")
    assert href.startswith(("https://", "webcal://", served_site))
