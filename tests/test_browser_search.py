"""Search in a real browser over the real Pagefind index of the fixture hub."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import BuildReport

pytestmark = pytest.mark.browser

ORGANISATION = "Example Awarding Body"


def results_for(page: Page, served_site: str, query: str) -> list[str]:
    page.goto(served_site + "search/")
    page.get_by_label("Search for an awarding organisation, qualification or date").fill(query)
    page.keyboard.press("Enter")
    expect(page.locator(".hub-search__status")).to_contain_text("result")
    return page.locator(".hub-search__title").all_inner_texts()


@pytest.mark.parametrize(
    "query",
    ["EAB", "RN9999", "Example Awarding Body", "Example Nationals", "Example Tech Awards"],
    ids=["acronym", "recognition number", "name", "group", "other group"],
)
def test_organisation_comes_first(page: Page, served_site: str, query: str) -> None:
    titles = results_for(page, served_site, query)
    assert titles and titles[0] == ORGANISATION, titles


def test_a_date_title_finds_the_page_that_lists_it(page: Page, served_site: str) -> None:
    titles = results_for(page, served_site, "final claims deadline")
    assert titles[0] == ORGANISATION, titles
    assert (
        page.locator(".hub-search__result .hub-search__title a")
        .first.get_attribute("href")
        .endswith("/organisations/example-awarding-body/")
    )


def test_results_day_finds_what_a_family_needs_before_the_status_page(
    page: Page, served_site: str
) -> None:
    """A family's words: the organisation's answer (when its results come out) and its
    results dates, each with its date, and the glossary (what results day is) come before
    the status page, which is written for exams officers and awarding organisations."""
    titles = results_for(page, served_site, "results day")
    status = titles.index("Status of results delivery")
    assert titles.index(ORGANISATION) < status and titles.index("Glossary") < status, titles
    places = page.locator(".hub-search__result").nth(titles.index(ORGANISATION))
    expect(places.locator(".hub-search__places a").first).to_have_text("Example Nationals")
    expect(
        places.locator(".hub-search__places a", has_text=re.compile(r"^Key date: \d+ \w+ 20\d\d"))
    ).not_to_have_count(0)


def test_search_from_the_header_keeps_the_query_in_the_address(
    page: Page, served_site: str
) -> None:
    page.goto(served_site + "guides/families/")
    page.get_by_label("Search VTQ Hub").fill("EAB")
    page.keyboard.press("Enter")
    expect(page.locator(".hub-search__title").first).to_have_text(ORGANISATION)
    assert page.url.endswith("/search/?q=EAB")


def test_nothing_found_says_what_to_try(page: Page, served_site: str) -> None:
    page.goto(served_site + "search/?q=zzqqxx")
    expect(page.locator(".hub-search__status")).to_contain_text("Nothing found for “zzqqxx”")


def test_from_files_search_says_it_cannot_run_and_offers_the_lists(
    page: Page, built_fixture_hub: tuple[Path, BuildReport]
) -> None:
    site, _ = built_fixture_hub
    page.goto((site / "search" / "index.html").as_uri() + "?q=EAB")
    notice = page.locator(".hub-search__unavailable")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("opened from files")
    expect(notice.get_by_role("link", name="awarding organisations A to Z")).to_be_visible()


def test_without_javascript_search_says_it_needs_it(browser: Browser, served_site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served_site + "search/?q=EAB")
        expect(page.locator(".hub-search__unavailable")).to_contain_text("Search needs JavaScript")
    finally:
        context.close()
