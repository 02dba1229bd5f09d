"""The question the hub exists for, asked on a 390 px phone of the site built from the hub's own
sources: a parent types the name they know into the finder and reads the answer, with its
source one tap away. Without JavaScript, the same cards, A to Z."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

PHONE, SCREEN = 390, 800
LEVEL_3 = "A level and Level 3 results day"
LEVEL_2 = "GCSE and Level 2 results day"

# What a family types, the card that must answer and what its answer line says.
ASKED = [
    ("BTEC Nationals", "pearson-btec-nationals", LEVEL_3),
    ("Level 3 BTEC", "pearson-btec-nationals", LEVEL_3),
    ("btec tech award", "pearson-btec-tech-awards-2022", LEVEL_2),
    ("T Level", "ncfe-t-level-technical-qualifications", LEVEL_3),
    ("T Level", "pearson-pearson-t-level-tqs", LEVEL_3),
    ("T Level", "city-and-guilds-t-level-technical-qualifications", LEVEL_3),
    ("Cambridge Technicals", "ocr-cambridge-technicals", LEVEL_3),
    ("Cambridge Nationals", "ocr-cambridge-nationals", LEVEL_2),
    ("Cambridge Advanced Nationals", "ocr-cambridge-advanced-nationals", LEVEL_3),
    ("V Cert", "ncfe-technical-awards-ks4", LEVEL_2),
    ("Trinity", "trinity-music-graded-exams", "Within two weeks of a face-to-face exam"),
    ("ABRSM", "abrsm-graded-music-exams", "Usually within a week of a practical exam"),
    ("AAT", "aat-accounting-qualifications", "Normally within 24 hours"),
    ("MTB", "mtb-instrumental-grades", "A marksheet within two to three weeks of the exam"),
    # Asked as a question: its own words set aside.
    ("When do BTEC Nationals results come out?", "pearson-btec-nationals", LEVEL_3),
    ("my son did a level 3 btec", "pearson-btec-nationals", LEVEL_3),
    ("when is results day for v certs", "ncfe-technical-awards-ks4", LEVEL_2),
]


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": PHONE, "height": SCREEN})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize(("typed", "anchor", "answer"), ASKED)
def test_a_parent_types_a_name_and_reads_the_answer_on_the_first_screens(
    phone: Page, served_real_hub: str, typed: str, anchor: str, answer: str
) -> None:
    phone.goto(served_real_hub)
    finder = phone.get_by_label("Find your qualification")
    box = finder.bounding_box()
    assert box is not None and box["y"] + box["height"] <= SCREEN, "the finder is on screen one"

    finder.fill(typed)
    card = phone.locator(f"#results-{anchor}")
    expect(card).to_be_visible()
    expect(phone.locator("[data-finder-status]")).to_contain_text(
        re.compile(f"^[0-9]+ qualifications? match(es)? “{re.escape(typed)}”")
    )
    expect(card.locator(".hub-card__answer")).to_contain_text(answer)
    top = card.bounding_box()
    assert top is not None and top["y"] < 2 * SCREEN, f"{anchor} within two screens: {top}"

    card.get_by_text("Why we say this").click()
    source = card.locator(".hub-card__why a.hub-source").first
    expect(source).to_be_visible()
    assert (source.get_attribute("href") or "").startswith("https://")
    assert "cannot say" not in card.inner_text()


def test_a_name_the_hub_does_not_hold_says_so_and_where_to_ask(
    phone: Page, served_real_hub: str
) -> None:
    phone.goto(served_real_hub)
    phone.get_by_label("Find your qualification").fill("Underwater basket weaving")
    expect(phone.locator("[data-finder-status]")).to_have_text(
        "No qualification on the hub matches “Underwater basket weaving”. Try another name, "
        "or ask the school or college that entered the student."
    )
    assert phone.locator(".hub-card:visible").count() == 0


def test_a_name_the_hub_holds_in_part_shows_the_nearest_and_says_so(
    phone: Page, served_real_hub: str
) -> None:
    """No card is called "grade 5 piano"; the graded exams name "grade", so they are shown,
    and the status says they match only some of its words."""
    phone.goto(served_real_hub)
    phone.get_by_label("Find your qualification").fill("grade 5 piano")
    expect(phone.locator("[data-finder-status]")).to_have_text(
        re.compile(
            "^No qualification on the hub matches every word of “grade 5 piano”. "
            "These [0-9]+ match some of them.$"
        )
    )
    expect(phone.locator("#results-abrsm-graded-music-exams")).to_be_visible()
    expect(phone.locator("#results-trinity-music-graded-exams")).to_be_visible()
    expect(phone.locator("#results-pearson-btec-nationals")).to_be_hidden()


@pytest.mark.parametrize("typed", ["a level results", "GCSE"])
def test_a_level_or_gcse_gives_the_results_days_then_says_the_hub_does_not_hold_them(
    phone: Page, served_real_hub: str, typed: str
) -> None:
    """The answer first (the latest results days the national calendar gives, as the table
    below says them), then why no card is shown."""
    phone.goto(served_real_hub)
    phone.get_by_label("Find your qualification").fill(typed)
    status = phone.locator("[data-finder-status]")
    expect(status).to_contain_text("A levels and GCSEs themselves are not on the hub")
    said = re.match(
        r"Summer (20[0-9][0-9]): A level and Level 3 results day (?:was|is) ([0-9]+ [A-Z][a-z]+ "
        r"20[0-9][0-9]); GCSE and Level 2 results day (?:was|is) ([0-9]+ [A-Z][a-z]+ "
        r"20[0-9][0-9])\. (?:Summer 20[0-9][0-9]: not on the hub yet\. )?A levels and GCSEs "
        r"themselves are not on the hub: it covers vocational and technical qualifications\.$",
        status.inner_text(),
    )
    assert said, status.inner_text()
    year, level_3, level_2 = said.groups()
    row = phone.locator(".hub-results-years tr", has_text=f"Summer {year}")
    expect(row).to_contain_text(level_3)
    expect(row).to_contain_text(level_2)
    assert phone.locator(".hub-card:visible").count() == 0


def test_a_name_in_the_address_opens_on_its_answer(phone: Page, served_real_hub: str) -> None:
    phone.goto(served_real_hub + "?q=BTEC+Nationals")
    expect(phone.get_by_label("Find your qualification")).to_have_value("BTEC Nationals")
    expect(phone.locator("#results-pearson-btec-nationals")).to_be_visible()
    assert phone.locator(".hub-card:visible").count() == 1


def test_without_javascript_every_card_is_listed_a_to_z(
    browser: Browser, served_real_hub: str
) -> None:
    context = browser.new_context(
        viewport={"width": PHONE, "height": SCREEN}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(served_real_hub)
        expect(page.get_by_label("Find your qualification")).to_be_hidden()
        letters = page.get_by_role("navigation", name="Qualifications A to Z")
        expect(letters).to_be_visible()
        box = letters.bounding_box()
        assert box is not None and box["y"] < 2 * SCREEN, "the A to Z within two screens"
        for _, anchor, answer in ASKED:
            card = page.locator(f"#results-{anchor}")
            expect(card).to_be_visible()
            expect(card.locator(".hub-card__answer")).to_contain_text(answer)
        letters.get_by_role("link", name="B", exact=True).click()
        assert page.url.endswith("#results-pearson-btec-firsts")
        expect(page.locator("#results-pearson-btec-firsts")).to_be_in_viewport()
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_home_page_with_an_answer_open_passes_axe(
    browser: Browser, served_real_hub: str, scheme: str
) -> None:
    context = browser.new_context(viewport={"width": PHONE, "height": SCREEN}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(served_real_hub)
        page.get_by_label("Find your qualification").fill("BTEC Nationals")
        page.locator("#results-pearson-btec-nationals").get_by_text("Why we say this").click()
        violations = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag22aa"]})
        assert violations.violations_count == 0, violations.generate_report()
    finally:
        context.close()


def test_year_at_a_glance_shows_last_years_beside_each_missing_date(
    browser: Browser, served_real_hub: str
) -> None:
    context = browser.new_context(viewport={"width": PHONE, "height": SCREEN})
    try:
        page = context.new_page()
        page.goto(served_real_hub + "dates/this-year/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("2026 to 2027 at a glance")
        ncfe = page.get_by_role("region", name="NCFE: 2026 to 2027")
        row = ncfe.get_by_role("row").filter(has_text="Term-time checkpoint 1 opens")
        expect(row).to_contain_text("Not on the hub yet")
        expect(row).to_contain_text("In 2025 to 2026: 8 December 2025")
    finally:
        context.close()


# What is next, first: search and /dates/ on the hub's own sources ------------------------

DESKTOP = 1366

# A query a family or an exams officer types, and what must come first.
QUERIES = [
    ("t level results", "answer", "T Level technical qualifications from NCFE"),
    ("results day 2027", "answer", "Results days"),
    ("when do btec results come out", "answer", "BTEC Firsts from Pearson (BTEC)"),
    ("btec nationals", "answer", "BTEC Nationals from Pearson (BTEC)"),
    ("my son did a level 3 btec", "answer", "BTEC Nationals from Pearson (BTEC)"),
    ("v cert", "answer", "Level 1/2 V Cert Technical Awards from NCFE"),
    ("NCFE", "page", "NCFE"),
    ("RN5156", "page", "NCFE"),
]


@pytest.mark.parametrize(("query", "where", "first"), QUERIES)
def test_search_puts_the_answer_first(
    browser: Browser, served_real_hub: str, query: str, where: str, first: str
) -> None:
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    try:
        page = context.new_page()
        page.goto(served_real_hub + "search/?q=" + query.replace(" ", "+"))
        expect(page.locator(".hub-search__status")).to_contain_text("result")
        if where == "answer":
            answers = page.locator(".hub-search__answers")
            expect(answers).to_be_visible()
            expect(answers.locator(".hub-search__answer").first.locator("a")).to_have_text(first)
            box = answers.bounding_box()
            results = page.locator(".hub-search__results").bounding_box()
            assert box and results and box["y"] < results["y"], "answers above the pages"
        else:
            expect(page.locator(".hub-search__title").first).to_have_text(first)
    finally:
        context.close()


def test_a_date_that_has_passed_is_marked_and_comes_after_those_to_come(
    browser: Browser, served_real_hub: str
) -> None:
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    try:
        page = context.new_page()
        page.goto(served_real_hub + "search/?q=resit")
        expect(page.locator(".hub-search__status")).to_contain_text("result")
        places = page.locator(".hub-search__place a").all_inner_texts()
        dated = [p for p in places if p.startswith("Key date")]
        assert dated and all(p.startswith("Key date, passed: ") for p in dated), dated
        passed_pages = page.locator(".hub-search__result[data-passed]")
        assert passed_pages.count() >= 1
        order = page.locator(".hub-search__result").evaluate_all(
            "items => items.map(li => li.hasAttribute('data-passed'))"
        )
        assert order == sorted(order), "pages with only passed dates come last"
    finally:
        context.close()


def test_the_phone_headers_search_opens_a_field_ready_for_typing(
    phone: Page, served_real_hub: str
) -> None:
    phone.goto(served_real_hub)
    phone.get_by_role("navigation", name="Header").get_by_role("button", name="Search").click()
    phone.wait_for_url(re.compile(r"/search/"))
    field = phone.get_by_label("Search for an awarding organisation, qualification or date")
    expect(field).to_be_focused()


def test_a_reloaded_filter_shows_its_dates_on_the_first_phone_screen(
    phone: Page, served_real_hub: str
) -> None:
    phone.goto(served_real_hub + "dates/?ao=ocr,pearson")
    status = phone.locator(".hub-explorer__status")
    expect(status).to_contain_text("upcoming key dates found")
    first_row = phone.locator(".hub-explorer__results tbody tr").first
    box = first_row.bounding_box()
    assert box is not None and box["y"] < SCREEN, f"the first date within the first screen: {box}"
    expect(phone.locator(".hub-filters__now")).to_have_text("OCR, Pearson; upcoming")
    expect(phone.locator("#hub-ao-choice summary")).to_have_text(
        "Awarding organisations: OCR, Pearson"
    )


def test_escape_closes_a_list_and_the_phone_menu(phone: Page, served_real_hub: str) -> None:
    phone.goto(served_real_hub + "dates/")
    choice = phone.locator("#hub-kind-choice")
    choice.locator("summary").click()
    expect(choice).to_have_attribute("open", "")
    choice.get_by_role("checkbox").first.focus()
    phone.keyboard.press("Escape")
    expect(choice).not_to_have_attribute("open", "")
    expect(choice.locator("summary")).to_be_focused()

    phone.locator("label.md-header__button[for='__drawer']").click()
    drawer = phone.locator("#__drawer")
    expect(drawer).to_be_checked()
    phone.keyboard.press("Escape")
    expect(drawer).not_to_be_checked()


def test_the_keyboard_reaches_show_dates_without_walking_every_option(
    browser: Browser, served_real_hub: str
) -> None:
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    try:
        page = context.new_page()
        page.goto(served_real_hub + "dates/")
        page.get_by_label("Words in the date, organisation or qualification").focus()
        presses = 0
        while page.evaluate("document.activeElement.textContent.trim()") != "Show dates":
            assert presses < 9, f"no Show dates after {presses} presses of Tab"
            page.keyboard.press("Tab")
            presses += 1
    finally:
        context.close()


def test_when_a_chosen_organisation_has_no_dates_the_list_says_so(
    browser: Browser, served_real_hub: str
) -> None:
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900})
    try:
        page = context.new_page()
        page.goto(served_real_hub + "dates/?ao=abrsm,pearson")
        status = page.locator(".hub-explorer__status")
        expect(status).to_contain_text("ABRSM has no upcoming key dates on the hub yet.")
        page.goto(served_real_hub + "dates/?ao=abrsm")
        expect(page.locator(".hub-explorer__status")).to_contain_text(
            "ABRSM has no upcoming key dates on the hub yet."
        )
        expect(page.locator(".hub-explorer__results")).to_be_hidden()
    finally:
        context.close()


def test_a_letter_of_the_a_to_z_brings_its_card_with_javascript_on(
    phone: Page, served_real_hub: str
) -> None:
    """The home page opens on the featured cards; a letter pointing at another card shows
    every card and goes to it."""
    phone.goto(served_real_hub)
    card = phone.locator("#results-pearson-btec-firsts")
    expect(card).to_be_hidden()
    phone.get_by_role("navigation", name="Qualifications A to Z").get_by_role(
        "link", name="B", exact=True
    ).click()
    expect(card).to_be_visible()
    expect(card).to_be_in_viewport()
