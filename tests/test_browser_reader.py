"""What a parent does on a phone and an exams officer on a desktop, in Debian's Chromium.

Each journey runs on the fixture hub twice: built without a site address and served at the
server's root, and built as the publish workflow builds it (site address and repository
set) and served under /vtq-hub/, as GitHub Pages serves a project site. Phones are 320 and
390 CSS pixels wide, the desktop 1366; both colour schemes; JavaScript on and off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.conftest import (
    BUILT_AT,
    PUBLISHED_AT,
    REPORT_EMAIL,
    REPOSITORY,
    BuildReport,
)

pytestmark = pytest.mark.browser

PHONE, SMALL_PHONE, DESKTOP = 390, 320, 1366
ORG = "organisations/example-awarding-body/"
PAGE_TYPES = {
    "home": "",
    "dates": "dates/",
    "organisation": ORG,
    "status": "status/",
    "guide": "guides/families/",
    "search": "search/?q=EAB",
    "not found": "no-such-page/",
}


@pytest.fixture(params=["at the root", "under /vtq-hub/"])
def site(request: pytest.FixtureRequest) -> str:
    """The site's base address, once at a server's root and once under a sub-path."""
    if request.param == "at the root":
        return str(request.getfixturevalue("served_site"))
    return str(request.getfixturevalue("served_under_sub_path"))


@contextmanager
def page_at(browser: Browser, width: int, **options: object) -> Iterator[Page]:
    """A page in a browser context of its own, ``width`` pixels wide, closed afterwards."""
    context = browser.new_context(viewport={"width": width, "height": 800}, **options)  # type: ignore[arg-type]
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    with page_at(browser, PHONE, has_touch=True) as page:
        yield page


def no_sideways_scroll(page: Page) -> bool:
    return bool(page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"))


# The phone menu ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", PAGE_TYPES.values(), ids=PAGE_TYPES.keys())
def test_the_phone_menu_opens_on_every_page_type(phone: Page, site: str, path: str) -> None:
    phone.goto(site + path)
    phone.locator(".md-header label[for='__drawer']").click()
    drawer = phone.locator(".md-sidebar--primary")
    expect(drawer.get_by_role("link", name="Key dates").first).to_be_visible()
    # The drawer slides in: wait until it is wholly on the screen.
    phone.wait_for_function(
        "() => document.querySelector('.md-sidebar--primary').getBoundingClientRect().left >= 0"
    )
    box = drawer.bounding_box()
    assert box is not None and box["width"] > 200, box
    # The first link of the drawer's open panel that a finger reaches, tapped where it is.
    target = phone.evaluate(
        """() => [...document.querySelectorAll('.md-sidebar--primary a.md-nav__link')]
          .map(a => [a, a.getBoundingClientRect()])
          .filter(([a, r]) => r.width > 0 && r.top >= 0 && r.bottom <= innerHeight
            && a.contains(document.elementFromPoint(r.x + 5, r.y + r.height / 2))
            && a.href.split('#')[0] !== location.href.split('#')[0])
          .map(([a, r]) => ({href: a.href, x: r.x + 5, y: r.y + r.height / 2}))[0]"""
    )
    assert target, "no link in the open drawer can be reached"
    href = target["href"]
    phone.mouse.click(target["x"], target["y"])
    expect(phone).to_have_url(href)


# /dates/ is never empty, and prints compactly -----------------------------------------------


def test_dates_opens_on_the_latest_year_newest_first_when_nothing_is_upcoming(
    phone: Page, site: str
) -> None:
    phone.clock.set_fixed_time("2028-10-01T10:00:00+01:00")  # after every date on the hub
    phone.goto(site + "dates/")
    status = phone.locator(".hub-explorer__status")
    expect(status).to_contain_text("Nothing is coming up on the hub yet")
    expect(status).to_contain_text("2026 to 2027, the latest academic year on the hub, newest")
    starts = phone.locator(".hub-explorer__results tr.hub-date").evaluate_all(
        "rows => rows.map(r => r.dataset.start)"
    )
    assert starts and starts == sorted(starts, reverse=True), starts
    assert all("2026-09-01" <= s <= "2027-08-31" for s in starts), starts
    expect(phone.locator("#hub-upcoming")).not_to_be_checked()
    share = phone.locator("[data-share-link]").get_attribute("href")
    assert share == phone.evaluate("location.pathname"), "a shared link opens this same view"
    phone.locator(".hub-explorer__results tr.hub-date .hub-anchor").first.click()
    expect(phone).to_have_url(re.compile(r"/dates/#"))
    shown = phone.locator(".hub-explorer__results tr.hub-date")
    expect(shown).to_have_count(len(starts))  # a row's own link keeps the list
    phone.go_back()
    expect(shown).to_have_count(len(starts))


def test_upcoming_only_is_on_when_something_is_upcoming(phone: Page, site: str) -> None:
    phone.clock.set_fixed_time(BUILT_AT)
    phone.goto(site + "dates/")
    expect(phone.locator(".hub-explorer__status")).to_contain_text("upcoming key dates found")
    expect(phone.locator("#hub-upcoming")).to_be_checked()


def test_a_printed_list_is_compact_with_sources_listed_at_the_end(
    browser: Browser, site: str
) -> None:
    with page_at(browser, DESKTOP) as page:
        page.clock.set_fixed_time(BUILT_AT)
        page.goto(site + "dates/?upcoming=0")
        expect(page.locator(".hub-explorer__status")).to_contain_text("key dates found")
        rows = page.locator(".hub-explorer__results tr.hub-date")
        count = rows.count()
        assert count >= 6
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        notes = page.locator(".hub-print-notes li")
        assert notes.count() >= 1
        assert all(text.startswith("https://") for text in notes.all_inner_texts())
        page.emulate_media(media="print")
        expect(page.locator(".hub-print-header")).to_have_text(
            f"VTQ Hub: {site}dates/?upcoming=0 (printed on {BUILT_AT.day} "
            f"{BUILT_AT:%B} {BUILT_AT.year})"
        )
        expect(page.locator(".hub-filters")).to_be_hidden()
        expect(page.locator(".hub-countdown").first).to_be_hidden()
        source = page.locator(".hub-explorer__results a.hub-source").first
        assert source.get_attribute("data-note") == "1"
        assert re.fullmatch(r"[a-z0-9.-]+\.[a-z]+", source.get_attribute("data-domain") or "")
        after = source.evaluate("a => getComputedStyle(a, '::after').content")
        assert after == f'" [1] {source.get_attribute("data-domain")}"', after
        pdf = page.pdf(format="A4")
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages == 1, f"{count} dates printed on {pages} A4 pages"


# Dates as cards on a phone, and less noise --------------------------------------------------


@pytest.mark.parametrize("width", [SMALL_PHONE, PHONE])
@pytest.mark.parametrize("path", ["dates/", ORG], ids=["dates", "organisation"])
def test_on_a_phone_each_date_is_a_card_and_nothing_scrolls_sideways(
    browser: Browser, site: str, width: int, path: str
) -> None:
    with page_at(browser, width) as page:
        page.clock.set_fixed_time(BUILT_AT)
        # Measured once the key dates explorer has fetched and laid out its rows.
        page.goto(site + path, wait_until="networkidle")
        row = page.locator("table.hub-dates tr.hub-date").first
        expect(row).to_be_visible()
        assert row.evaluate("r => getComputedStyle(r).display") == "block"
        box = row.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, box
        label = row.locator("td[data-label='Status']").evaluate(
            "td => getComputedStyle(td, '::before').content"
        )
        assert "Status" in label
        assert no_sideways_scroll(page)


def test_on_a_desktop_dates_stay_a_table_and_a_wide_table_says_it_scrolls(
    browser: Browser, site: str
) -> None:
    with page_at(browser, DESKTOP) as page:
        page.goto(site + ORG)
        row = page.locator("table.hub-dates tr.hub-date").first
        assert row.evaluate("r => getComputedStyle(r).display") == "table-row"
        page.set_viewport_size({"width": PHONE, "height": 800})
        page.evaluate("window.dispatchEvent(new Event('resize'))")
        hint = page.locator(".hub-scroll-hint").first
        expect(hint).to_have_text("Scroll sideways to see every column.")


def test_past_dates_have_no_countdown_and_status_is_a_plain_word(page: Page, site: str) -> None:
    page.clock.set_fixed_time(BUILT_AT)
    page.goto(site + ORG)
    past = page.locator("tr.hub-date--past").first
    expect(past).to_be_visible()
    assert past.locator(".hub-countdown").count() == 0
    expect(page.locator("body")).not_to_contain_text(" ago")
    upcoming = page.locator("tr.hub-date:not(.hub-date--past) .hub-countdown").first
    expect(upcoming).to_contain_text("in ")
    status = page.locator(".hub-status").first
    assert status.evaluate("s => getComputedStyle(s).borderTopStyle") == "none"


def test_the_row_link_shows_on_focus_only(page: Page, site: str) -> None:
    page.goto(site + ORG)
    anchor = page.locator("tr.hub-date .hub-anchor").first
    assert anchor.evaluate("a => getComputedStyle(a).opacity") == "0"
    anchor.focus()
    assert anchor.evaluate("a => getComputedStyle(a).opacity") == "1"


def test_a_linked_date_row_sits_below_the_header_and_is_marked(page: Page, site: str) -> None:
    page.goto(site + ORG)
    row_id = page.locator("tr.hub-date").nth(2).get_attribute("id")
    page.goto(f"{site}{ORG}#{row_id}")
    row = page.locator(f"[id='{row_id}']")
    header = page.locator(".md-header").bounding_box()
    box = row.bounding_box()
    assert header is not None and box is not None
    assert box["y"] >= header["y"] + header["height"] - 1, (box, header)
    assert row.evaluate("r => getComputedStyle(r).outlineStyle") == "solid"


@pytest.mark.parametrize("width", [SMALL_PHONE, PHONE])
def test_the_site_name_fits_the_header_on_a_phone(browser: Browser, site: str, width: int) -> None:
    with page_at(browser, width) as page:
        page.goto(site)
        name = page.locator(".md-header__topic").first.locator(".md-ellipsis")
        expect(name).to_have_text("VTQ Hub")
        assert name.evaluate("e => e.scrollWidth <= e.clientWidth"), "the name is cut off"


# Search finds dates and sections ------------------------------------------------------------


def search(page: Page, site: str, query: str) -> None:
    page.goto(site + "search/?q=" + query.replace(" ", "+"))
    expect(page.locator(".hub-search__status")).not_to_have_text("Searching…")
    expect(page.locator(".hub-search__status")).not_to_be_empty()


def test_a_date_is_its_own_result_with_its_place_and_date(page: Page, site: str) -> None:
    search(page, site, "final claims deadline")
    place = page.locator(".hub-search__places a").first
    expect(place).to_have_text(re.compile(r"^Key date: 30 June 2027\b"))
    assert (place.get_attribute("href") or "").endswith(f"{ORG}#claims-deadline-2027")
    excerpt = page.locator(".hub-search__places .hub-search__excerpt").first
    expect(excerpt.locator("mark").first).to_have_text(re.compile("Final|claims|deadline"))
    place.click()
    expect(page).to_have_url(re.compile("#claims-deadline-2027$"))


def test_families_words_find_the_same_thing(page: Page, site: str) -> None:
    search(page, site, "results out")
    status = page.locator(".hub-search__status")
    expect(status).to_contain_text("also searched: “results day”")
    assert page.locator(".hub-search__title").count() > 0


def test_a_search_with_nothing_on_the_hub_says_so_plainly(page: Page, site: str) -> None:
    search(page, site, "resits")
    expect(page.locator(".hub-search__status")).to_have_text("No resit dates on the hub yet.")
    none = page.locator(".hub-search__none")
    expect(none).to_contain_text("find the organisation in the A to Z")
    expect(none.get_by_role("link", name="A to Z")).to_have_attribute(
        "href", re.compile(r"organisations/$")
    )


# Report a mistake, keep your entry right ----------------------------------------------------


def test_an_organisation_page_offers_report_a_mistake_and_keep_your_entry_right(
    page: Page, served_under_sub_path: str
) -> None:
    """Two routes for a mistake (an e-mail, which needs no account, and GitHub's form), the
    e-mail naming the page and the date the reader followed; "Keep your entry right" goes
    to one place, the guide for awarding organisations."""
    page.goto(served_under_sub_path + ORG + "#claims-deadline-2027")
    corrections = page.locator(".hub-corrections")
    github = corrections.get_by_role("link", name="on GitHub")
    href = github.get_attribute("href") or ""
    assert href.startswith(f"{REPOSITORY}/issues/new?template=wrong-date.yml"), href
    assert "hub-page=https%3A%2F%2Fexample.github.io%2Fvtq-hub%2Forganisations%2F" in href
    email = corrections.get_by_role("link", name="Report a mistake by e-mail")
    page.evaluate("document.addEventListener('click', e => e.preventDefault(), {once: true})")
    email.click()
    mailto = urlsplit(email.get_attribute("href") or "")
    fields = parse_qs(mailto.query)
    assert (mailto.scheme, mailto.path) == ("mailto", REPORT_EMAIL)
    assert fields["subject"] == ["Wrong date: Example Awarding Body"]
    assert fields["body"][0].startswith(
        f"Page: {served_under_sub_path}{ORG}#claims-deadline-2027\n\nWhat is wrong:"
    ), "the e-mail names the date the reader followed"

    corrections.get_by_role("link", name="See how this entry stands").click()
    details = page.locator("#for-awarding-organisations")
    assert details.evaluate("d => d.open")
    edit = details.get_by_role("link", name="Edit this entry on GitHub")
    expect(edit).to_have_attribute(
        "href", f"{REPOSITORY}/edit/main/sources/organisations/example-awarding-body.yaml"
    )
    footer = page.locator(".md-footer")
    keep = footer.get_by_role("link", name="Is this your organisation? Keep your entry right")
    assert (keep.get_attribute("href") or "").endswith("guides/awarding-organisations/")
    assert page.get_by_role("link", name=re.compile("Keep your entry right")).count() == 1
    accessibility = footer.locator("li", has_text="Report an accessibility problem")
    a11y_mail = urlsplit(
        accessibility.get_by_role("link", name="by e-mail").get_attribute("href") or ""
    )
    assert parse_qs(a11y_mail.query)["subject"] == ["Accessibility problem: Example Awarding Body"]
    a11y_form = accessibility.get_by_role("link", name="on GitHub").get_attribute("href") or ""
    assert a11y_form.startswith(f"{REPOSITORY}/issues/new?template=accessibility.yml")


def test_without_a_report_address_the_footer_says_so_and_where_to_go(
    page: Page, served_site: str
) -> None:
    page.goto(served_site + ORG)
    assert page.get_by_role("link", name=re.compile("Report")).count() == 0, "none guessed"
    expect(page.locator(".md-footer")).to_contain_text(
        "This copy of the hub has no address for reports yet: to report a wrong date, tell "
        "the awarding organisation"
    )
    expect(page.locator(".hub-corrections")).to_contain_text("Tell EAB: its contacts are below.")


# Calendars ----------------------------------------------------------------------------------


def test_every_calendar_shows_its_address_to_copy_and_google_and_outlook_links(
    browser: Browser, site: str
) -> None:
    with page_at(browser, DESKTOP) as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.goto(site + ORG)
        box = page.locator(".hub-calendar").first
        address = box.locator("[data-address]").inner_text()
        assert address == site + "calendars/organisations/example-awarding-body.ics", address
        google = box.get_by_role("link", name=re.compile("Add to Google Calendar"))
        assert "cid=webcal%3A%2F%2F" in (google.get_attribute("href") or "")
        outlook = box.get_by_role("link", name=re.compile("Add to Outlook"))
        assert "addfromweb?url=http" in (outlook.get_attribute("href") or "")
        box.get_by_role("button", name=re.compile("Copy")).click()
        assert page.evaluate("navigator.clipboard.readText()") == address
        page.locator(".hub-subscribe__groups summary").click()
        groups = page.locator(".hub-subscribe__groups .hub-calendar")
        assert groups.count() >= 1
        group_file = groups.first.get_attribute("data-calendar") or ""
        response = page.request.get(page.url.split("#")[0] + group_file)
        assert response.ok and b"BEGIN:VCALENDAR" in response.body()


def test_only_kinds_with_dates_are_offered(page: Page, site: str) -> None:
    page.goto(site + "dates/")
    offered = page.locator(".hub-subscribe__kinds li strong").all_text_contents()
    assert offered and "Checkpoint" in " ".join(offered)
    assert not [k for k in offered if k.startswith("Resit")], offered


def test_the_centre_form_offers_subscriptions_beside_a_one_off_download(
    page: Page, site: str
) -> None:
    page.goto(site + "dates/?cal-ao=example-awarding-body#my-centre")
    form = page.locator(".hub-my-calendar__fields")
    expect(form).to_be_visible()
    expect(form).to_contain_text("it will not change when a date changes")
    subscribe = form.locator(".hub-my-calendar__subscriptions a").first
    expect(subscribe).to_have_text("Subscribe to Example Awarding Body")
    assert (subscribe.get_attribute("href") or "").startswith("webcal://")


# The site's address: canonical links, previews, sitemap, robots.txt -------------------------


def test_a_published_page_has_canonical_and_preview_tags(
    page: Page, served_under_sub_path: str
) -> None:
    page.goto(served_under_sub_path + ORG)
    head = page.locator("head")
    canonical = f"{PUBLISHED_AT}{ORG}"
    expect(head.locator("link[rel=canonical]")).to_have_attribute("href", canonical)
    expect(head.locator("meta[property='og:url']")).to_have_attribute("content", canonical)
    expect(head.locator("meta[property='og:image']")).to_have_attribute(
        "content", f"{PUBLISHED_AT}assets/link-preview.png"
    )
    expect(head.locator("meta[property='og:title']")).to_have_attribute(
        "content", "Example Awarding Body"
    )
    response = page.request.get(served_under_sub_path + "assets/link-preview.png")
    assert response.ok and response.body()[:8] == b"\x89PNG\r\n\x1a\n"
    icon = page.request.get(served_under_sub_path + "assets/favicon.svg")
    assert icon.ok and b"<svg" in icon.body()


def test_the_sitemap_lists_every_page_and_robots_points_to_it(
    built_published_hub: tuple[Path, BuildReport],
) -> None:
    site, _ = built_published_hub
    sitemap = (site / "sitemap.xml").read_text("utf-8")
    listed = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    pages = {
        PUBLISHED_AT + str(p.parent.relative_to(site)).removeprefix(".") + "/"
        for p in site.rglob("index.html")
        if 'http-equiv="refresh"' not in p.read_text("utf-8")
        and 'name="robots" content="noindex"' not in p.read_text("utf-8")
    }
    pages = {p.replace("vtq-hub//", "vtq-hub/") for p in pages}
    assert pages <= listed, sorted(pages - listed)
    robots = (site / "robots.txt").read_text("utf-8")
    assert f"Sitemap: {PUBLISHED_AT}sitemap.xml" in robots


def test_under_a_sub_path_the_not_found_page_keeps_its_style_and_links(
    page: Page, served_under_sub_path: str
) -> None:
    response = page.goto(served_under_sub_path + "no/such/page/")
    assert response is not None and response.status == 404
    header = page.locator(".md-header")
    colour = header.evaluate("h => getComputedStyle(h).backgroundColor")
    assert colour == "rgb(44, 58, 140)", "the theme's stylesheet did not load"
    page.get_by_role("link", name="Key dates").first.click()
    expect(page).to_have_url(served_under_sub_path + "dates/")


def test_under_a_sub_path_search_and_the_explorer_work(
    page: Page, served_under_sub_path: str
) -> None:
    page.clock.set_fixed_time(BUILT_AT)
    page.goto(served_under_sub_path + "search/?q=EAB")
    expect(page.locator(".hub-search__title").first).to_have_text("Example Awarding Body")
    link = page.locator(".hub-search__title a").first.get_attribute("href") or ""
    assert link.startswith("/vtq-hub/"), link
    page.goto(served_under_sub_path + "dates/")
    expect(page.locator(".hub-explorer__results tr.hub-date").first).to_be_visible()


# Without JavaScript --------------------------------------------------------------------------


def test_without_javascript_dates_is_the_plain_list_and_calendars_still_show_addresses(
    browser: Browser, served_under_sub_path: str
) -> None:
    with page_at(browser, PHONE, java_script_enabled=False) as page:
        page.goto(served_under_sub_path + "dates/")
        expect(page.locator(".hub-explorer")).to_be_hidden()
        expect(page.locator(".hub-full-list tr.hub-date").first).to_be_visible()
        address = page.locator(".hub-calendar [data-address]").first
        expect(address).to_have_text(f"{PUBLISHED_AT}calendars/all.ics")
        expect(page.locator(".hub-calendar [data-copy]").first).to_be_hidden()
        assert no_sideways_scroll(page)


# Layout shift ---------------------------------------------------------------------------------

LAYOUT_SHIFT = """
window.__shift = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({type: 'layout-shift', buffered: true});
"""


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_dates_does_not_shift_as_the_explorer_takes_over(
    browser: Browser, served_site: str, width: int
) -> None:
    with page_at(browser, width) as page:
        page.clock.set_fixed_time(BUILT_AT)
        page.add_init_script(LAYOUT_SHIFT)
        page.goto(served_site + "dates/")
        expect(page.locator(".hub-explorer__results tr.hub-date").first).to_be_visible()
        page.wait_for_timeout(300)
        shift = page.evaluate("window.__shift")
        assert shift < 0.1, f"cumulative layout shift {shift:.3f} at {width} px"


# Contrast, notices included, in both schemes, on the hub's own data ---------------------------


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(
    "path",
    ["", "dates/", "dates/this-year/", "organisations/ocr/", "organisations/abrsm/", "status/"],
)
def test_notices_and_links_meet_contrast_in_both_schemes(
    page: Page, served_real_hub: str, path: str, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(served_real_hub + path)
    page.wait_for_load_state("networkidle")
    if path == "organisations/abrsm/":
        assert page.locator(".hub-notice a").count() > 0, "the page has a notice with a link"
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
