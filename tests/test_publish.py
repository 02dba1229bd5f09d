"""The publish stage as a unit: the one writer, set-aside tables put back, the swap."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from hub_builder.errors import BuildError, OutputCollision
from hub_builder.load.site_address import SiteAddress
from hub_builder.publish import PublishPaths, publish, with_fragments
from hub_builder.publish.mkdocs import run_mkdocs
from hub_builder.publish.zensical import engine_settings
from hub_builder.render.output import Output, fragment_marker
from hub_builder.render.pages import set_aside


def paths(tmp_path: Path, content: Path | None = None) -> PublishPaths:
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: Test\ntheme:\n  name: material\n", "utf-8")
    return PublishPaths(
        config=config,
        content=content or tmp_path / "no-content",
        docs=tmp_path / "work" / "docs",
        out=tmp_path / "site",
    )


def last_good_site(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("the last good site", "utf-8")
    return out


@pytest.mark.parametrize(
    ("records", "message"),
    [
        (
            [Output("dates/index.md", b"# A\n"), Output("dates/index.md", b"# B\n")],
            "two outputs claim dates/index.html: dates/index.md (generated) and dates/index.md "
            "(generated); rename one",
        ),
        (
            [
                Output("organisations/ocr.md", b"# OCR\n"),
                Output("organisations/ocr/index.html", b"<p>moved</p>"),
            ],
            "two outputs claim organisations/ocr/index.html: organisations/ocr.md (generated) "
            "and organisations/ocr/index.html (generated); rename one",
        ),
        (
            [Output("guides/families.md", b"# Generated\n")],
            "two outputs claim guides/families/index.html: guides/families.md (site_content) "
            "and guides/families.md (generated); rename one",
        ),
        (
            [Output("pagefind/pagefind.js", b"// not the index")],
            "pagefind/pagefind.js (generated) would be in pagefind/, the search index's "
            "folder; rename it",
        ),
    ],
)
def test_two_claims_on_one_file_of_the_site_are_refused_and_the_site_is_kept(
    tmp_path: Path, records: list[Output], message: str
) -> None:
    content = tmp_path / "content"
    (content / "guides").mkdir(parents=True)
    (content / "guides" / "families.md").write_text("# Families\n", "utf-8")
    out = last_good_site(tmp_path)
    with pytest.raises(OutputCollision) as refused:
        publish(records, paths(tmp_path, content))
    assert str(refused.value) == message
    assert (out / "index.html").read_text("utf-8") == "the last good site"
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")]
    assert leftovers == [], "the folders set aside for the records are gone"


def test_a_file_where_another_output_needs_a_folder_is_refused_as_it_is_written(
    tmp_path: Path,
) -> None:
    out = last_good_site(tmp_path)
    records = [Output("downloads", b"a file"), Output("downloads/key-dates.csv", b"a,b\r\n")]
    with pytest.raises(OutputCollision, match=r"^downloads/key-dates.csv \(generated\) cannot be "):
        publish(records, paths(tmp_path))
    assert (out / "index.html").read_text("utf-8") == "the last good site"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_publish_builds_the_pages_puts_tables_back_and_swaps_the_site_in(tmp_path: Path) -> None:
    # As the HTML check writes a table: with the <tbody> a browser reads into it.
    table = (
        "<table><caption>Key dates</caption><tbody><tr><td>13 August 2026</td></tr></tbody></table>"
    )
    records = [
        Output("index.md", f"# Home\n\n{fragment_marker(0)}\n".encode(), (table,)),
        Output("api/v1/example.json", b'{"ok": true}\n'),
    ]
    out = last_good_site(tmp_path)
    report = publish(records, paths(tmp_path))
    home = (out / "index.html").read_text("utf-8")
    assert table in home and fragment_marker(0) not in home
    assert (out / "api" / "v1" / "example.json").read_bytes() == b'{"ok": true}\n'
    assert (out / "pagefind").is_dir(), "the search index is built over the new site"
    assert (report.pages, report.files) == (1, 2)
    assert [step for step, _ in report.steps] == [
        "lay out",
        "mkdocs",
        "files moved in",
        "tables put back",
        "HTML policy",
        "Pagefind",
    ]
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")]
    assert leftovers == [], (
        "the staging folder, the records set aside and the retired site are gone"
    )
    assert not (tmp_path / "work" / "docs" / "api").exists(), "the engine reads pages only"


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_record_that_would_replace_a_file_the_engine_wrote_is_refused(
    tmp_path: Path, engine: str
) -> None:
    out = last_good_site(tmp_path)
    records = [Output("index.md", b"# Home\n"), Output("sitemap.xml", b"<urlset/>")]
    with pytest.raises(OutputCollision, match=r"^sitemap.xml \(generated\) would replace a file"):
        publish(records, dataclasses.replace(paths(tmp_path), engine=engine))
    assert (out / "index.html").read_text("utf-8") == "the last good site"


def test_an_address_left_unset_by_an_override_is_unset_for_both_engines(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Test\nsite_url: https://example.github.io/vtq-hub/\ntheme:\n  name: material\n",
        "utf-8",
    )
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n", "utf-8")
    unset = SiteAddress(site_url="", repository="")
    run_mkdocs(config, docs, tmp_path / "site", unset)
    home = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert "example.github.io" not in home, "mkdocs.yml's address came back"
    assert "site_url" not in engine_settings(config, docs, tmp_path / "z", unset)
    chosen = SiteAddress(site_url="https://example.org/hub/", repository="")
    assert engine_settings(config, docs, tmp_path / "z", chosen)["site_url"] == chosen.site_url


def test_each_table_goes_back_once_and_a_lost_or_repeated_place_is_refused() -> None:
    tables = ("<table>0</table>", "<table>1</table>")
    page = f"<p>{fragment_marker(1)}</p><p>{fragment_marker(0)}</p>"
    assert with_fragments(page, tables, "a.md") == "<p><table>1</table></p><p><table>0</table></p>"
    for broken in (fragment_marker(0), page + fragment_marker(1)):
        with pytest.raises(BuildError, match=r"a\.md: the theme lost or repeated table 1"):
            with_fragments(broken, tables, "a.md")


def test_what_is_set_aside_comes_back_as_the_template_wrote_it_without_its_markers() -> None:
    page = (
        "# Title\n\n<ul>\n<!--hub:aside-->\n<li>one</li>\n<li><table><tr><td>1</td></tr>"
        "</table></li>\n<!--hub:/aside-->\n</ul>\n\n<ol>\n<!--hub:aside-->\n<!--hub:/aside-->\n"
        "</ol>\n\n<table><tr><td>2</td></tr></table>\n"
    )
    markdown, blocks = set_aside(page)
    assert markdown == (
        f"# Title\n\n<ul>\n{fragment_marker(0)}\n</ul>\n\n<ol>\n</ol>\n\n{fragment_marker(1)}\n"
    )
    assert len(blocks) == 2, "a table inside an aside goes with it"
    expected = page.replace("<!--hub:aside-->\n", "").replace("<!--hub:/aside-->\n", "")
    assert with_fragments(markdown, blocks, "page.md") == expected
