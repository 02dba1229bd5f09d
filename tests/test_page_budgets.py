"""Budgets a phone can afford, held on the site built from the hub's own sources: the first
HTML of the pages people open most, gzipped as GitHub Pages sends it, and the scripts each
kind of page loads. Budgets, not timings: benchmarks/lighthouse.py measures the speed.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

# Kilobytes of gzipped HTML (the hub's pages at about 35 organisations and 80 dates weighed
# 11 to 18 KB on 7 December 2026): room to grow, not to carry every date since 2022 again.
HTML_BUDGETS_KB = {
    "index.html": 24,
    "dates/index.html": 16,
    "organisations/pearson/index.html": 20,
    "organisations/index.html": 8,
}

# The scripts each kind of page loads, beyond the theme's own bundle: none it does not use.
SCRIPTS = {
    "index.html": ["hub.js"],
    "dates/index.html": ["hub.js", "explorer.js", "my-calendar.js"],
    "organisations/pearson/index.html": ["hub.js", "my-calendar.js"],
    "search/index.html": ["hub.js", "search.js"],
    "glossary/index.html": ["hub.js"],
    "status/index.html": ["hub.js"],
}


@pytest.mark.parametrize(("page", "budget"), HTML_BUDGETS_KB.items())
def test_the_first_html_of_a_page_fits_its_budget(
    real_hub_site: Path, page: str, budget: int
) -> None:
    size = len(gzip.compress((real_hub_site / page).read_bytes(), compresslevel=6)) / 1024
    assert size <= budget, f"{page}: {size:.1f} KB gzipped, over its {budget} KB"


@pytest.mark.parametrize(("page", "scripts"), SCRIPTS.items())
def test_a_page_loads_only_the_scripts_it_uses(
    real_hub_site: Path, page: str, scripts: list[str]
) -> None:
    html = (real_hub_site / page).read_text("utf-8")
    loaded = [
        Path(src).name
        for src in re.findall(r'<script src="([^"]+)"', html)
        if "/javascripts/" not in src  # the theme's bundle
    ]
    assert loaded == scripts


def test_the_logo_has_its_size_so_nothing_moves_while_it_loads(real_hub_site: Path) -> None:
    html = (real_hub_site / "index.html").read_text("utf-8")
    assert re.search(r'<img src="assets/logo\.svg" alt="" width="24" height="24">', html)
