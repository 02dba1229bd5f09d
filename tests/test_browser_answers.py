"""The question the hub exists for, asked on a 390 px phone of the site built from the hub's own
sources: a parent types the name they know into the finder and reads the answer, with its
source one tap away. Without JavaScript, the same cards, A to Z."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from hub_builder.pipeline import build
from tests.conftest import ROOT, build_options, static_server

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
]


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("answers")
    build(build_options(ROOT / "sources", tmp))
    with static_server(tmp / "site") as base:
        yield base


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": PHONE, "height": SCREEN})
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.mark.parametrize(("typed", "anchor", "answer"), ASKED)
def test_a_parent_types_a_name_and_reads_the_answer_on_the_first_screens(
    phone: Page, real_site: str, typed: str, anchor: str, answer: str
) -> None:
    phone.goto(real_site)
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


def test_a_name_the_hub_does_not_hold_says_so_and_where_to_ask(phone: Page, real_site: str) -> None:
    phone.goto(real_site)
    phone.get_by_label("Find your qualification").fill("Underwater basket weaving")
    expect(phone.locator("[data-finder-status]")).to_have_text(
        "No qualification on the hub matches “Underwater basket weaving”. Try another name, "
        "or ask the school or college that entered the student."
    )
    assert phone.locator(".hub-card:visible").count() == 0


def test_a_name_in_the_address_opens_on_its_answer(phone: Page, real_site: str) -> None:
    phone.goto(real_site + "?q=BTEC+Nationals")
    expect(phone.get_by_label("Find your qualification")).to_have_value("BTEC Nationals")
    expect(phone.locator("#results-pearson-btec-nationals")).to_be_visible()
    assert phone.locator(".hub-card:visible").count() == 1


def test_without_javascript_every_card_is_listed_a_to_z(browser: Browser, real_site: str) -> None:
    context = browser.new_context(
        viewport={"width": PHONE, "height": SCREEN}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto(real_site)
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
    browser: Browser, real_site: str, scheme: str
) -> None:
    context = browser.new_context(viewport={"width": PHONE, "height": SCREEN}, color_scheme=scheme)
    try:
        page = context.new_page()
        page.goto(real_site)
        page.get_by_label("Find your qualification").fill("BTEC Nationals")
        page.locator("#results-pearson-btec-nationals").get_by_text("Why we say this").click()
        violations = Axe().run(page, options={"runOnly": ["wcag2a", "wcag2aa", "wcag22aa"]})
        assert violations.violations_count == 0, violations.generate_report()
    finally:
        context.close()


def test_year_at_a_glance_shows_last_years_beside_each_missing_date(
    browser: Browser, real_site: str
) -> None:
    context = browser.new_context(viewport={"width": PHONE, "height": SCREEN})
    try:
        page = context.new_page()
        page.goto(real_site + "dates/this-year/")
        expect(page.get_by_role("heading", level=1)).to_contain_text("2026 to 2027 at a glance")
        ncfe = page.get_by_role("region", name="NCFE: 2026 to 2027")
        row = ncfe.get_by_role("row").filter(has_text="Term-time checkpoint 1 opens")
        expect(row).to_contain_text("Not on the hub yet")
        expect(row).to_contain_text("In 2025 to 2026: 8 December 2025")
    finally:
        context.close()
