"""What an organisation page gives the search index: each date title and description once;
what Pagefind reads."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from hub_builder.pipeline import BuildReport
from hub_builder.publish import search_index
from hub_builder.render.output import fragment_marker
from hub_builder.render.pages import organisation_page
from hub_builder.status.report import status_report
from tests.conftest import fixture_hub

IGNORED = " data-pagefind-ignore>"


def test_a_repeated_title_or_description_is_searched_where_it_first_appears() -> None:
    hub = fixture_hub()
    [org] = hub.organisations
    first = org.key_dates[-1]
    again = replace(first, id=f"{first.id}-again", description="Check the guidance.")
    once_more = replace(first, id=f"{first.id}-once-more", description="Check the guidance.")
    org = replace(org, key_dates=(*org.key_dates, again, once_more))
    hub = replace(hub, organisations=(org,))

    output = organisation_page(hub, org, "2026-27", status_report(hub).row(org.id))
    html = "".join(output.fragments)

    title = f">{first.title}</span>"
    assert html.count(title) == 3
    assert html.count(f"<span{IGNORED}{first.title}</span>") == 2
    description = ">Check the guidance.</span>"
    assert html.count(description) == 2
    assert html.count(f'<span class="hub-date__description"{IGNORED}Check the guidance.') == 1
    # Column heads and "Source" links are never searched; they repeat on every row. The
    # results-deadline tables are left out whole (the status page's business, not search's),
    # and so is the year at a glance (its dates are searched in the rows below it).
    searched_tables = html.count('<table class="hub-dates">') + html.count("hub-groups")
    assert searched_tables == 3
    assert html.count('<table class="hub-dates hub-year" data-pagefind-ignore>') == 1
    assert html.count("<thead data-pagefind-ignore>") == searched_tables + 1
    assert html.count('<table class="hub-status-table">') == 2
    page = output.content.decode()
    assert page.count('<details class="hub-for-aos" id="for-awarding-organisations" '
                      "data-pagefind-ignore>") == 1  # fmt: skip
    aos = page.index('<details class="hub-for-aos"')
    status_tables = [
        fragment_marker(index)
        for index, block in enumerate(output.fragments)
        if block.startswith('<table class="hub-status-table">')
    ]
    assert len(status_tables) == 2
    assert all(aos < page.index(m) < page.index("</details>", aos) for m in status_tables)
    assert html.count('class="hub-source"') == html.count("data-pagefind-ignore>Source")


def test_pagefind_reads_only_the_marked_pages_and_builds_the_same_index(
    built_fixture_hub: tuple[Path, BuildReport], tmp_path: Path
) -> None:
    site, _ = built_fixture_hub
    every, marked = tmp_path / "every", tmp_path / "marked"
    for copy in (every, marked):
        shutil.copytree(site, copy, ignore=shutil.ignore_patterns("pagefind"))
    pages = {p.relative_to(every).as_posix() for p in every.rglob("*.html")}
    flag, glob = search_index.searched_pages_glob(marked)
    named = set(glob.strip("{}").split(","))
    assert flag == "--glob" and "index.html" in named and named < pages
    assert any(page.startswith("dates/20") for page in pages - named), "month pages left out"
    with search_index.indexing(marked):
        pass
    subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(every), "--output-subdir", "pagefind",
         "--exclude-selectors", search_index.EXCLUDED, "--force-language", "en", "--silent"],
        check=True, capture_output=True,
    )  # fmt: skip

    def files(index: Path) -> dict[str, bytes]:
        return {
            p.relative_to(index).as_posix(): p.read_bytes() for p in index.rglob("*") if p.is_file()
        }

    assert files(marked / "pagefind") == files(every / "pagefind")
    # the build indexed its pages while the HTML policy rewrote them: the same index
    assert files(site / "pagefind") == files(every / "pagefind")


def test_an_error_while_pagefind_runs_stops_it_and_leaves_no_index(
    built_fixture_hub: tuple[Path, BuildReport], tmp_path: Path
) -> None:
    site = tmp_path / "site"
    shutil.copytree(built_fixture_hub[0], site, ignore=shutil.ignore_patterns("pagefind"))
    with pytest.raises(RuntimeError), search_index.indexing(site):
        raise RuntimeError("a page was refused")
    assert not (site / "pagefind").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["site"], "no bundle left beside the site"


def test_a_page_is_marked_for_search_by_the_attribute_not_by_the_words(tmp_path: Path) -> None:
    marked, mentioned = tmp_path / "marked.html", tmp_path / "mentioned.html"
    marked.write_text('<main><div class="md-content" data-pagefind-body>x</div></main>')
    mentioned.write_text("<p>Write &lt;div data-pagefind-body&gt; or data-pagefind-body</p>")
    assert search_index.is_marked(marked) and not search_index.is_marked(mentioned)
