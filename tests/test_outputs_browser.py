"""A person makes a "my centre" calendar in real headless Chromium and gets the right file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from icalendar import Calendar

from hub_builder.pipeline import BuildReport

playwright_api = pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser

ORG = "example-awarding-body"
ORG_NAME = "Example Awarding Body"


@pytest.fixture(scope="module")
def browser_page(
    served_site: str, browser: playwright_api.Browser
) -> Iterator[tuple[str, playwright_api.Page]]:
    """One page, kept across this module's steps, on the shared browser and server."""
    context = browser.new_context(accept_downloads=True)
    try:
        yield served_site, context.new_page()
    finally:
        context.close()


def download_calendar(page: playwright_api.Page, tmp_path: Path) -> Calendar:
    with page.expect_download() as info:
        page.get_by_role("button", name="Download my calendar (.ics)").click()
    download = info.value
    assert download.suggested_filename == "vtq-hub-my-centre.ics"
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    return Calendar.from_ical(target.read_bytes())


def uids(calendar: Calendar) -> set[str]:
    return {str(e["UID"]) for e in calendar.walk("VEVENT")}


def test_a_centre_picks_its_dates_and_downloads_one_calendar(
    browser_page: tuple[str, playwright_api.Page],
    tmp_path: Path,
    built_fixture_hub: tuple[Path, BuildReport],
) -> None:
    base, page = browser_page
    fetched: list[str] = []
    page.on("request", lambda request: fetched.append(urlsplit(request.url).path))
    page.goto(base + "dates/")
    page.locator("#my-centre").wait_for(state="visible")
    page.wait_for_load_state("networkidle")
    heavy = {"/api/v1/dates.json", "/api/v1/organisations.json", "/calendars/all.ics"}
    assert heavy.isdisjoint(fetched), "the page loaded every date before anyone asked"
    page.get_by_role("button", name="Choose your centre's dates").click()
    page.get_by_role("group", name="Awarding organisations").get_by_label(
        "Example Awarding Body"
    ).check()
    kinds = page.get_by_role("group", name="Types of date")
    kinds.get_by_label("Claims").check()
    # Keyboard: back to the box before (kinds are in id order) and tick it with the space bar.
    kinds.get_by_label("Claims").focus()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.value") == "checkpoint"
    page.keyboard.press("Space")
    assert page.locator(".hub-my-calendar__count").inner_text() == "2 dates match your choice."
    assert heavy <= set(fetched)

    query = parse_qs(urlsplit(page.url).query)
    assert query["cal-ao"] == [ORG]
    assert query["cal-kind"] == ["checkpoint", "claims"]

    calendar = download_calendar(page, tmp_path)
    expected = {f"{ORG}-claims-deadline-2027@vtq-hub", f"{ORG}-checkpoint-1-2026-27@vtq-hub"}
    assert uids(calendar) == expected
    assert str(calendar["X-WR-CALNAME"]) == "VTQ Hub: my centre"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]

    site, _ = built_fixture_hub
    server_events = {
        str(e["UID"]): e.to_ical()
        for e in Calendar.from_ical((site / "calendars" / "all.ics").read_bytes()).walk("VEVENT")
    }
    for event in calendar.walk("VEVENT"):
        assert event.to_ical() == server_events[str(event["UID"])]

    # The link reproduces the choice in a fresh page.
    link = page.locator(".hub-my-calendar__link").get_attribute("href")
    assert link is not None
    page.goto(link)
    page.locator("#my-centre").wait_for(state="visible")
    assert page.get_by_role("group", name="Types of date").get_by_label("Claims").is_checked()
    assert uids(download_calendar(page, tmp_path)) == expected


def test_a_qualification_choice_keeps_national_dates(
    browser_page: tuple[str, playwright_api.Page], tmp_path: Path
) -> None:
    base, page = browser_page
    page.goto(base + "dates/?cal-group=example-awarding-body/example-tech-awards")
    page.locator("#my-centre").wait_for(state="visible")
    assert page.get_by_label("EAB: Example Tech Awards").is_checked()
    assert uids(download_calendar(page, tmp_path)) == {
        f"{ORG}-checkpoint-1-2026-27@vtq-hub",
        "national-example-ucas-deadline-2027@vtq-hub",
        "national-level-3-results-day-2027@vtq-hub",
        "national-level-2-results-day-2027@vtq-hub",
    }


def test_subscribe_links_become_webcal_links(browser_page: tuple[str, playwright_api.Page]) -> None:
    base, page = browser_page
    page.goto(base + f"organisations/{ORG}/")
    host = urlsplit(base).netloc
    subscribe = page.locator("a[data-webcal]").first
    assert subscribe.get_attribute("href") == f"webcal://{host}/calendars/organisations/{ORG}.ics"
    download = page.get_by_role("link", name=f"Download {ORG_NAME} key dates (.ics)")
    assert download.get_attribute("href") == f"../../calendars/organisations/{ORG}.ics"


def test_the_calendar_section_passes_axe(browser_page: tuple[str, playwright_api.Page]) -> None:
    from axe_playwright_python.sync_playwright import Axe

    base, page = browser_page
    page.goto(base + "dates/?cal-kind=claims")
    page.locator("#my-centre").wait_for(state="visible")
    page.locator("details.hub-subscribe__kinds summary").click()
    results = Axe().run(
        page, context="#calendar", options={"runOnly": ["wcag2a", "wcag2aa", "wcag22aa"]}
    )
    assert results.violations_count == 0, results.generate_report()


def offered_calendars(page: playwright_api.Page) -> dict[str, set[str]]:
    """Each subscription the centre form offers, by its address, with the UIDs it holds."""
    links = page.locator(".hub-my-calendar__subscriptions a[href^='webcal:']")
    found = {}
    for href in links.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        address = "http://" + href.removeprefix("webcal://")
        found[urlsplit(address).path] = uids(Calendar.from_ical(page.request.get(address).body()))
    return found


@pytest.mark.parametrize(
    ("query", "offered"),
    [
        (
            "cal-group=example-awarding-body/example-nationals"
            "&cal-group=example-awarding-body/example-tech-awards",
            # the two share the organisation's checkpoint: its calendar stands for both
            ["/calendars/national.ics", "/calendars/organisations/example-awarding-body.ics"],
        ),
        (
            "cal-group=example-awarding-body/example-nationals",
            [
                "/calendars/national.ics",
                "/calendars/own/example-awarding-body/example-nationals.ics",
            ],
        ),
        (
            "cal-ao=example-awarding-body&cal-group=example-awarding-body/example-nationals",
            ["/calendars/organisations/example-awarding-body.ics"],
        ),
    ],
    ids=[
        "two qualifications that share a date",
        "one qualification",
        "an organisation and one of its qualifications",
    ],
)
def test_a_centres_subscriptions_never_hold_one_date_twice(
    browser_page: tuple[str, playwright_api.Page], query: str, offered: list[str]
) -> None:
    base, page = browser_page
    page.goto(base + "dates/?" + query)
    page.locator("#my-centre").wait_for(state="visible")  # opened by the link's choice
    page.locator(".hub-my-calendar__subscriptions li").first.wait_for()
    calendars = offered_calendars(page)
    assert sorted(calendars) == offered
    every = [uid for held in calendars.values() for uid in held]
    assert len(every) == len(set(every)), "no date in two of the calendars offered"
