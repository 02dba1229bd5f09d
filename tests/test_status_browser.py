"""What an exams officer sees on /status/, in a real headless Chromium with axe-core."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

from hub_builder.pipeline import build
from tests.conftest import FIXTURES, build_options, static_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("status-browser")
    build(build_options(FIXTURES / "status" / "misses", tmp))
    with static_server(tmp / "site") as base:
        yield base.rstrip("/")


def test_status_page_shows_who_is_at_risk_and_why_first_and_passes_axe(
    site_url: str, page: Page
) -> None:
    page.goto(f"{site_url}/status/")
    summary = page.locator(".hub-status-summary").inner_text()
    assert summary.startswith("1 of 1 AOs at risk, 0 incomplete, 0 on track.")
    first_row = page.locator("table.hub-status-table tbody tr").first
    assert first_row.locator("td").first.inner_text() == "At risk"
    assert "results to learners 26 August 2027, after" in first_row.inner_text()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
