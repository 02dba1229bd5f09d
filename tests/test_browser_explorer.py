"""The key-dates explorer in a real browser: filters, the address, the visitor's clock."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from hub_builder.calendar import LONDON
from tests.conftest import BUILT_AT

pytestmark = pytest.mark.browser

UPCOMING_AT_BUILD = [
    "Term-time checkpoint 1",
    "Example UCAS deadline",
    "Final claims deadline",
    "Example Nationals results day",
    "Example Level 3 results day",
    "Example Level 2 results day",
]


def open_dates(page: Page, served_site: str, query: str = "", now: datetime = BUILT_AT) -> None:
    page.clock.set_fixed_time(now)
    page.goto(served_site + "dates/" + query)
    expect(page.locator("[data-hub-explorer]")).not_to_have_attribute("aria-busy", "true")
    expect(page.locator(".hub-explorer__status")).to_contain_text(re.compile("found|match"))


def shown_titles(page: Page) -> list[str]:
    return page.locator(".hub-dates--explorer tbody tr").evaluate_all(
        "rows => rows.map(r => r.querySelector('th').childNodes[1].textContent.trim())"
    )


def test_upcoming_only_by_default_counted_from_the_browser_clock(
    page: Page, served_site: str
) -> None:
    open_dates(page, served_site)
    assert shown_titles(page) == UPCOMING_AT_BUILD
    expect(page.get_by_label("Upcoming dates only")).to_be_checked()
    first = page.locator(".hub-dates--explorer tbody tr").first
    expect(first.locator(".hub-countdown")).to_have_text("in 14 days")


def test_a_later_clock_hides_what_has_passed_and_marks_today(page: Page, served_site: str) -> None:
    open_dates(page, served_site, now=datetime(2027, 8, 12, 8, 0, tzinfo=LONDON))
    assert shown_titles(page) == UPCOMING_AT_BUILD[3:]
    today = page.locator("tr.hub-date--today")
    expect(today).to_have_count(2)
    expect(today.first.locator(".hub-countdown")).to_have_text("today")
    expect(page.locator(".hub-dates--explorer caption")).to_contain_text("today is 12 August 2027")


def test_past_dates_are_one_click_away(page: Page, served_site: str) -> None:
    open_dates(page, served_site)
    page.get_by_label("Upcoming dates only").uncheck()
    expect(page.locator(".hub-explorer__status")).to_have_text("7 key dates found.")
    assert shown_titles(page)[0] == "Example Nationals results day 2025"
    assert "upcoming=0" in page.url


def test_filters_narrow_the_list_and_the_address_round_trips(page: Page, served_site: str) -> None:
    open_dates(page, served_site)
    page.locator("#hub-ao-choice summary").click()
    page.get_by_label("Example Awarding Body (EAB)").check()
    expect(page.locator(".hub-explorer__status")).to_have_text("3 upcoming key dates found.")
    page.locator("#hub-kind-choice summary").click()
    finder = page.get_by_role("form", name="Find key dates")
    finder.get_by_role("checkbox", name="Checkpoint").check()
    finder.get_by_role("checkbox", name="Claims").check()
    expect(page.locator(".hub-explorer__status")).to_have_text("2 upcoming key dates found.")
    assert shown_titles(page) == ["Term-time checkpoint 1", "Final claims deadline"]
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"ao": ["example-awarding-body"], "kind": ["checkpoint,claims"]}

    bookmark = page.url
    page.goto("about:blank")
    page.goto(bookmark)
    expect(page.locator(".hub-explorer__status")).to_have_text("2 upcoming key dates found.")
    # The lists stay closed; their headings say what is chosen.
    expect(page.locator("#hub-ao-choice")).not_to_have_attribute("open", "")
    expect(page.locator("#hub-ao-choice summary")).to_have_text("Awarding organisations: EAB")
    expect(page.locator("#hub-kind-choice summary")).to_have_text(
        "Types of date: Checkpoint, Claims"
    )
    for value in ("example-awarding-body", "checkpoint", "claims"):
        expect(page.locator(f"#explorer input[value='{value}']")).to_be_checked()
    assert shown_titles(page) == ["Term-time checkpoint 1", "Final claims deadline"]


def test_words_type_group_and_month(page: Page, served_site: str) -> None:
    open_dates(page, served_site, "?upcoming=0")
    page.get_by_label("Qualification type").select_option("Vocationally Related Qualification")
    expect(page.locator(".hub-explorer__status")).to_have_text("1 key date found.")
    assert shown_titles(page) == ["Term-time checkpoint 1"]
    page.get_by_label("Qualification type").select_option("")
    page.get_by_label("Qualification group").fill("nationals")
    expect(page.locator(".hub-explorer__status")).to_have_text("4 key dates found.")
    page.get_by_label("Month").select_option("2027-08")
    expect(page.locator(".hub-explorer__status")).to_have_text("1 key date found.")
    assert parse_qs(urlsplit(page.url).query) == {
        "group": ["nationals"],
        "month": ["2027-08"],
        "upcoming": ["0"],
    }
    page.get_by_label("Qualification group").fill("")
    page.get_by_label("Month").select_option("")
    page.get_by_label("Words in the date, organisation or qualification").fill("ucas")
    expect(page.locator(".hub-explorer__status")).to_have_text("1 key date found.")
    assert shown_titles(page) == ["Example UCAS deadline"]
    assert parse_qs(urlsplit(page.url).query) == {"q": ["ucas"], "upcoming": ["0"]}


def test_nothing_upcoming_says_past_dates_are_hidden(page: Page, served_site: str) -> None:
    open_dates(page, served_site, "?month=2025-08")
    expect(page.locator(".hub-explorer__status")).to_contain_text(
        "untick “Upcoming dates only” to include them"
    )


def test_the_explorer_works_by_keyboard(page: Page, served_site: str) -> None:
    open_dates(page, served_site)
    words = page.get_by_label("Words in the date, organisation or qualification")
    for _ in range(40):
        page.keyboard.press("Tab")
        if words.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the explorer's words field")
    page.keyboard.type("results")
    expect(page.locator(".hub-explorer__status")).to_have_text("3 upcoming key dates found.")
    page.keyboard.press("Tab")  # to "Awarding organisations"
    page.keyboard.press("Enter")  # opens it
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the first organisation
    expect(page.locator(".hub-explorer__status")).to_have_text("1 upcoming key date found.")
    assert "ao=example-awarding-body" in page.url


def test_without_javascript_the_full_list_is_there(browser: Browser, served_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served_site + "dates/")
        expect(page.locator("[data-hub-explorer]")).to_be_hidden()
        # This academic year's dates and later; the earlier year's on its month's page.
        expect(page.locator(".hub-full-list tr.hub-date")).to_have_count(6)
        expect(page.get_by_role("link", name="jump to December 2026")).to_be_visible()
        page.get_by_role("link", name="August 2025").click()
        expect(page.locator("tr.hub-date")).to_have_count(1)
    finally:
        context.close()


def test_a_link_to_one_date_shows_it(page: Page, served_site: str) -> None:
    page.clock.set_fixed_time(BUILT_AT)
    page.goto(served_site + "dates/#example-awarding-body-results-to-learners-2025")
    expect(page.locator("#example-awarding-body-results-to-learners-2025")).to_be_visible()
    expect(page.get_by_label("Month")).to_have_value("2025-08")
