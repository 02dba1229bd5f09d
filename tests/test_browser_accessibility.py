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


def test_palette_toggle_switches_scheme_and_stays_clean(page: Page, served_site: str) -> None:
    page.clock.set_fixed_time(BUILT_AT)
    page.emulate_media(color_scheme="light")
    page.goto(served_site + "organisations/example-awarding-body/")
    page.get_by_title("Switch to dark mode").click()
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    assert violations(page) == ""
