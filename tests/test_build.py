"""The whole pipeline with the real mkdocs build, checked in the built HTML."""

import dataclasses
import gc
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from hub_builder.errors import SourceProblems
from hub_builder.pipeline import BuildReport, build
from hub_builder.scale import collecting, kept_from_gc_scans
from tests.conftest import FIXTURE_HUB, FIXTURES, build_options


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


def ids_in(path: Path) -> set[str]:
    parser = _Ids()
    parser.feed(path.read_text("utf-8"))
    return parser.ids


def test_report_counts(built_fixture_hub: tuple[Path, BuildReport]) -> None:
    _, report = built_fixture_hub
    assert (report.organisations, report.dates) == (1, 7)
    assert report.warnings == ()
    assert report.pages >= 10


def test_organisation_page_shows_dates_in_govuk_style(
    built_fixture_hub: tuple[Path, BuildReport],
) -> None:
    site, _ = built_fixture_hub
    html = (site / "organisations" / "example-awarding-body" / "index.html").read_text("utf-8")
    assert "<title>Example Awarding Body - VTQ Hub</title>" in html
    assert "7 December 2026 to 29 January 2027" in html
    assert "30 June 2027, 11:59pm UK time" in html
    assert "RN9999" in html
    assert 'href="mailto:results@example.org"' in html
    assert 'href="tel:01234567890"' in html


def test_anchors_are_stable(built_fixture_hub: tuple[Path, BuildReport]) -> None:
    site, _ = built_fixture_hub
    org_ids = ids_in(site / "organisations" / "example-awarding-body" / "index.html")
    assert {
        "checkpoint-1-2026-27",
        "claims-deadline-2027",
        "group-example-nationals",
        "guidance-results-guide",
        "contact-out-of-term",
    } <= org_ids
    dates_ids = ids_in(site / "dates" / "index.html")
    assert {
        "example-awarding-body-claims-deadline-2027",
        "national-level-3-results-day-2027",
        "june-2027",
    } <= dates_ids


def test_dates_page_links_reach_real_anchors(built_fixture_hub: tuple[Path, BuildReport]) -> None:
    site, _ = built_fixture_hub
    html = (site / "dates" / "index.html").read_text("utf-8")
    assert 'href="../organisations/example-awarding-body/#claims-deadline-2027"' in html


def test_home_page_shows_next_results_days_and_dates(
    built_fixture_hub: tuple[Path, BuildReport],
) -> None:
    site, _ = built_fixture_hub
    html = (site / "index.html").read_text("utf-8")
    assert "Thursday 12 August 2027" in html
    assert "Term-time checkpoint 1" in html
    assert "The next key dates after 23 November 2026" in html


def test_schemas_are_published(built_fixture_hub: tuple[Path, BuildReport]) -> None:
    site, _ = built_fixture_hub
    schema = json.loads((site / "schema" / "organisation.schema.json").read_text("utf-8"))
    assert schema["title"] == "VTQ Hub awarding organisation"
    assert (site / "schema" / "national.schema.json").is_file()


def test_search_index_is_built_by_pagefind_from_page_content_only(
    built_fixture_hub: tuple[Path, BuildReport],
) -> None:
    site, _ = built_fixture_hub
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert list((site / "pagefind" / "index").glob("*.pf_index"))
    assert not (site / "search" / "search_index.json").exists()  # lunr is off
    org = (site / "organisations" / "example-awarding-body" / "index.html").read_text("utf-8")
    assert org.count("data-pagefind-body") == 1
    assert 'data-pagefind-meta="type:Awarding organisation"' in org
    month = (site / "dates" / "2027-08" / "index.html").read_text("utf-8")
    assert "data-pagefind-body" not in month


def test_hand_written_pages_are_merged(built_fixture_hub: tuple[Path, BuildReport]) -> None:
    site, _ = built_fixture_hub
    for page in ("guides/families", "guides/exams-officers", "glossary", "accessibility"):
        assert (site / page / "index.html").is_file(), page


def test_a_failed_build_writes_nothing_and_keeps_the_old_site(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    options = build_options(sources, tmp_path)
    build(options)
    before = (options.out / "index.html").read_bytes()
    shutil.copy(
        FIXTURES / "invalid" / "unknown-kind.yaml", sources / "organisations" / "unknown-kind.yaml"
    )
    with pytest.raises(SourceProblems) as raised:
        build(options)
    assert [p.field for p in raised.value.problems] == ["key_dates[0].kind"]
    assert (options.out / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "sources", "work"]


def test_same_sources_give_identical_pages(
    tmp_path: Path, built_fixture_hub: tuple[Path, BuildReport]
) -> None:
    first, _ = built_fixture_hub
    build(build_options(FIXTURE_HUB, tmp_path))
    for page in (
        "index.html",
        "dates/index.html",
        "organisations/example-awarding-body/index.html",
    ):
        assert (tmp_path / "site" / page).read_bytes() == (first / page).read_bytes(), page


def test_a_rebuild_from_the_caches_is_byte_identical_to_a_fresh_build(tmp_path: Path) -> None:
    """After one date's title changes, a build in the work folder of the last one (whose
    pages the HTML policy finds in its cache) writes exactly the files a fresh build does."""
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    cached = build_options(sources, tmp_path / "cached")
    build(cached)
    source = sources / "organisations" / "example-awarding-body.yaml"
    source.write_text(source.read_text("utf-8").replace("Final claims", "Last claims"), "utf-8")
    build(cached)
    assert len(list((cached.work / "secured").iterdir())) > 10
    fresh = build_options(sources, tmp_path / "fresh")
    build(fresh)

    def files(site: Path) -> dict[str, bytes]:
        return {
            p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()
        }

    assert files(cached.out) == files(fresh.out)


def test_an_unchanged_rebuild_keeps_the_site_and_a_change_rebuilds(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    options = build_options(sources, tmp_path)
    first = build(options)
    page = options.out / "organisations" / "example-awarding-body" / "index.html"
    second = build(options)
    assert (first.reused, second.reused) == (False, True)
    assert (second.pages, second.dates) == (first.pages, first.dates)
    source = sources / "organisations" / "example-awarding-body.yaml"
    source.write_text(source.read_text("utf-8").replace("Final claims", "Last claims"), "utf-8")
    third = build(options)
    assert not third.reused
    assert "Last claims deadline" in page.read_text("utf-8")
    forced = build(dataclasses.replace(options, force=True))
    assert not forced.reused


def test_on_a_large_hubs_path_the_collector_waits_for_the_model_then_leaves_it_unscanned() -> None:
    assert gc.isenabled()
    with kept_from_gc_scans(large=True) as keep:
        assert not gc.isenabled(), "no collection while the sources are read and modelled"
        with collecting():
            assert gc.isenabled(), "but while feeds, untrusted, are read"
            assert gc.get_freeze_count() > 0, "(not scanning what was read before)"
        assert not gc.isenabled()
        keep()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    assert gc.isenabled() and gc.get_freeze_count() == 0
    gc.disable()
    try:
        with kept_from_gc_scans(large=True) as keep:
            keep()
            assert not gc.isenabled(), "a collector turned off stays off"
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_on_the_plain_path_the_collector_runs_as_python_runs_it() -> None:
    with kept_from_gc_scans(large=False) as keep:
        assert gc.isenabled()
        with collecting():
            assert gc.isenabled() and gc.get_freeze_count() == 0
        keep()
        assert gc.isenabled() and gc.get_freeze_count() == 0
