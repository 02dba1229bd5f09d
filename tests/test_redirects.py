"""sources/redirects.yaml: old organisation addresses that still work."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from hub_builder.check.redirects import redirect_problems
from hub_builder.load.strict_yaml import load
from hub_builder.model import Redirect
from hub_builder.normalise import redirects
from hub_builder.pipeline import BuildReport
from hub_builder.render.redirects import redirect_outputs

CURRENT = {"example-awarding-body", "other-body"}


def problems_in(text: str) -> list[str]:
    document = load(text.encode(), "sources/redirects.yaml")
    return [p.format() for p in redirect_problems(document, CURRENT)]


def test_a_good_file_gives_sorted_redirects() -> None:
    document = load(
        b"redirects:\n  - from: zed\n    to: other-body\n"
        b"  - from: example-body\n    to: example-awarding-body\n",
        "sources/redirects.yaml",
    )
    assert redirect_problems(document, CURRENT) == []
    assert redirects(document) == (
        Redirect("example-body", "example-awarding-body"),
        Redirect("zed", "other-body"),
    )


def test_every_problem_is_reported_with_its_place() -> None:
    text = (
        "redirects:\n"
        "  - from: Old Name\n"  # line 2
        "    to: example-awarding-body\n"
        "  - from: other-body\n"  # line 4: a current id
        "    to: example-awarding-body\n"
        "  - from: gone\n"
        "    to: nowhere\n"  # line 7: no such organisation
        "  - from: gone\n"  # line 8: twice
        "    to: other-body\n"
        "  - from: x\n"  # line 10: a key missing
    )
    assert problems_in(text) == [
        "sources/redirects.yaml:2:11: redirects[0].from: expected an organisation id like "
        "city-and-guilds, got 'Old Name'",
        "sources/redirects.yaml:4:11: redirects[1].from: other-body is a current organisation; "
        "only old ids can redirect",
        "sources/redirects.yaml:7:9: redirects[2].to: no organisation has the id nowhere; "
        "add sources/organisations/nowhere.yaml",
        "sources/redirects.yaml:8:11: redirects[3].from: gone is listed twice; keep one",
        "sources/redirects.yaml:10:5: redirects[4]: expected exactly two keys: from (the old id) "
        "and to",
    ]


def test_no_file_means_no_redirects() -> None:
    assert redirect_problems(None, CURRENT) == [] and redirects(None) == ()


def test_the_page_refreshes_links_and_names_its_canonical() -> None:
    [output] = redirect_outputs([Redirect("example-body", "example-awarding-body")])
    html = output.content.decode()
    assert output.path == "organisations/example-body/index.html"
    assert (
        '<noscript><meta http-equiv="refresh" content="0; url=../example-awarding-body/">'
        "</noscript>" in html
    )
    assert '<script src="../../assets/moved.js"></script>' in html
    assert '<link rel="canonical" href="../example-awarding-body/">' in html
    assert '<a href="../example-awarding-body/">' in html


@pytest.mark.browser
def test_the_old_address_lands_on_the_new_page(
    page: Page, served_site: str, built_fixture_hub: tuple[Path, BuildReport]
) -> None:
    site, _ = built_fixture_hub
    assert (site / "organisations" / "example-body" / "index.html").is_file()
    page.goto(served_site + "organisations/example-body/")
    page.wait_for_url("**/organisations/example-awarding-body/")
    assert page.title() == "Example Awarding Body - VTQ Hub"


@pytest.mark.browser
def test_a_bookmarked_date_on_the_old_address_keeps_its_anchor(
    page: Page, served_site: str
) -> None:
    page.goto(served_site + "organisations/example-body/#claims-deadline-2027")
    page.wait_for_url("**/organisations/example-awarding-body/#claims-deadline-2027")
    assert page.locator("#claims-deadline-2027").is_visible()


@pytest.mark.browser
def test_without_javascript_the_old_address_still_refreshes(
    browser: Browser, served_site: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(served_site + "organisations/example-body/")
        page.wait_for_url("**/organisations/example-awarding-body/")
        assert page.title() == "Example Awarding Body - VTQ Hub"
    finally:
        context.close()
