"""What keeps the hub's pages within what a phone can open as the hub grows: months in
parts, a status page with one row per organisation, a families guide that stops listing
every qualification; and a large hub's path (hub_builder.scale), which gives what the plain
path gives, and which the real hub never takes. (The figures are measured by benchmarks/run,
never asserted here.)"""

from __future__ import annotations

import gc
import json
import multiprocessing
import os
import re
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest

import hub_builder.check as check_module
import hub_builder.render as render_module
from hub_builder import scale
from hub_builder.errors import BuildError, OutputProblems
from hub_builder.load.sources import source_paths
from hub_builder.load.strict_yaml import Document
from hub_builder.model import Hub
from hub_builder.pipeline import build
from hub_builder.publish import html_policy
from hub_builder.render import RENDERERS, Rendering, explorer, pages, render, render_into
from hub_builder.render.output import Output
from hub_builder.render.pages import date_rows, explorer_outputs, render_pages
from hub_builder.status.report import status_report
from tests.conftest import FIXTURE_HUB, ROOT, build_options, fixture_hub


def test_a_big_month_is_split_into_parts_each_linking_the_others() -> None:
    hub = fixture_hub()
    org = hub.organisations[0]
    many = tuple(
        replace(org.key_dates[0], id=f"many-{n}", start=org.key_dates[0].start) for n in range(7)
    )
    hub = replace(hub, organisations=(replace(org, key_dates=(*org.key_dates, *many)),))
    month = next(m for m in explorer.month_slices(date_rows(hub)) if m.count >= 8)
    parts = explorer.month_parts(month, limit=3)
    assert [p.number for p in parts] == list(range(1, len(parts) + 1))
    assert sum(len(p.rows) for p in parts) == month.count
    assert all(len(p.rows) <= 3 for p in parts)
    assert parts[0].path == f"dates/{month.key}.md" and parts[0].href == f"dates/{month.key}/"
    assert parts[1].path == f"dates/{month.key}/2.md" and parts[1].root == "../../../"
    assert [p.rows[0].date.start for p in parts] == sorted(p.rows[0].date.start for p in parts)


def test_a_small_month_is_one_page() -> None:
    hub = fixture_hub()
    slices = explorer.month_slices(date_rows(hub))
    outputs = list(explorer_outputs(hub, slices))
    written = {o.path: o.content.decode() for o in outputs if o.path.endswith(".md")}
    assert {f"dates/{s.key}.md" for s in slices} <= set(written)
    assert not [p for p in written if re.search(r"dates/\d{4}-\d{2}/\d+\.md$", p)], "no parts"


def test_the_status_page_has_one_row_per_organisation_whatever_its_groups() -> None:
    hub = fixture_hub()
    org = hub.organisations[0]
    groups = tuple(
        replace(org.qualification_groups[0], id=f"group-{n}", name=f"Group {n}") for n in range(40)
    )
    grown = replace(
        hub,
        organisations=(replace(org, qualification_groups=(*org.qualification_groups, *groups)),),
    )
    for each in (hub, grown):
        page = next(
            o for o in render_pages(each, status_report(each)) if o.path == "status/index.md"
        )
        text = page.content.decode() + "".join(page.fragments)
        assert "Group 7" not in text, "groups are on the organisation's page, not /status/"
        body_rows = text.count("<tr")
        assert body_rows <= 3 * (len(each.organisations) + 1), body_rows


def test_on_a_big_hub_the_families_guide_gives_featured_answers_and_an_a_to_z(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    hub = fixture_hub()
    every = pages.guide_answers(hub)
    assert every["answer_organisations"] == [] and every["answers"]
    monkeypatch.setattr(pages, "ANSWERS_ON_ONE_PAGE", 1)
    big = pages.guide_answers(hub)
    assert big["answer_count"] == len(every["answers"])  # type: ignore[arg-type]
    assert [o.id for o in big["answer_organisations"]] == ["example-awarding-body"]  # type: ignore[attr-defined]
    rendered = {o.path: o.content.decode() for o in render_pages(hub, status_report(hub))}
    for page in ("guides/families.md", "index.md"):
        assert "too many for one page" in rendered[page], page
        assert "organisations/example-awarding-body/#when-results-come-out" in rendered[page]
    organisation = rendered["organisations/example-awarding-body.md"]
    assert "## When results come out" in organisation, "the anchor the A to Z links to"


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fork even where an earlier test left a thread running (a browser test's server, idle
    and holding no lock this code takes): these tests are about what the child does."""
    monkeypatch.setattr(scale, "can_fork", lambda: True)


def a_rendering(hub: Hub | None = None, large: bool = False) -> Rendering:
    hub = hub or fixture_hub()
    return Rendering(hub, status_report(hub), large=large)


class Folder:
    """A writer for render_into: each record as a file under ``root`` (its set-aside tables
    beside it), with the process that wrote it."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, output: Output) -> str:
        target = self.root / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(output.content)
        target.with_name(f"{target.name}.tables").write_text(json.dumps(output.fragments), "utf-8")
        target.with_name(f"{target.name}.pid").write_text(str(os.getpid()), "utf-8")
        return output.path

    def records(self, paths: list[str]) -> list[Output]:
        def read(path: str) -> Output:
            target = self.root / path
            tables = json.loads(target.with_name(f"{target.name}.tables").read_text("utf-8"))
            return Output(path, target.read_bytes(), tuple(tables))

        return [read(path) for path in paths]

    def writer_of(self, path: str) -> int:
        return int((self.root / f"{path}.pid").read_text("utf-8"))


def written(tmp_path: Path, rendering: Rendering, large: bool) -> list[Output]:
    folder = Folder(tmp_path / f"written-{large}")
    return folder.records(render_into(replace(rendering, large=large), folder.write))


@pytest.mark.usefixtures("forking")
def test_the_pages_are_rendered_and_written_by_another_process(tmp_path: Path) -> None:
    folder, rendering = Folder(tmp_path), a_rendering(large=True)
    paths = render_into(rendering, folder.write)
    in_the_child = {o.path for o in RENDERERS["pages"](rendering)}
    (child,) = {folder.writer_of(p) for p in in_the_child}
    assert child != os.getpid()
    assert {folder.writer_of(p) for p in paths if p not in in_the_child} == {os.getpid()}


@pytest.mark.usefixtures("forking")
def test_two_processes_write_exactly_what_one_process_renders(tmp_path: Path) -> None:
    rendering = a_rendering()
    expected = render(rendering)
    assert any(o.fragments for o in expected), "tables set aside are written too"
    assert written(tmp_path, rendering, True) == expected
    assert written(tmp_path, rendering, False) == expected


@pytest.mark.usefixtures("forking")
def test_a_site_built_on_the_large_hubs_path_is_the_same_site_byte_for_byte(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The whole large path on the fixture hub: source files checked by a forked child,
    pages and their set-aside tables written by another, data files and calendars written
    directly by the build, the engine, tables put back, the HTML check in spawned processes,
    Pagefind; against the plain path."""
    alone = build(build_options(FIXTURE_HUB, tmp_path / "one"))
    taken: list[str] = []

    def noting(name: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def noted(*args: Any) -> Any:
            taken.append(name)
            return real(*args)

        return noted

    for module, name in [
        (check_module, "read_and_check"),
        (render_module, "written_by_two_processes"),
        (html_policy, "secure_files"),
    ]:
        monkeypatch.setattr(module, name, noting(name, getattr(module, name)))
    shared = build(replace(build_options(FIXTURE_HUB, tmp_path / "two"), scale="large"))
    assert taken == ["read_and_check", "written_by_two_processes", "secure_files"]
    assert (shared.pages, shared.files) == (alone.pages, alone.files)

    def files(site: Path) -> dict[str, tuple[int, bytes]]:
        return {
            p.relative_to(site).as_posix(): (p.stat().st_mode, p.read_bytes())
            for p in sorted(site.rglob("*"))
            if p.is_file()
        }

    one, two = files(tmp_path / "one" / "site"), files(tmp_path / "two" / "site")
    assert len(one) > 100 and one == two


@pytest.mark.usefixtures("forking")
def test_a_problem_found_while_the_child_renders_is_raised_as_in_one_process(
    tmp_path: Path,
) -> None:
    """Calendars are rendered here while the child renders the pages: a UK time the clocks
    skip is an OutputProblems naming the source record, as when one process renders."""
    hub = fixture_hub()
    org = hub.organisations[0]
    skipped = replace(org.key_dates[0], start=date(2027, 3, 28), end=None, time=time(1, 30))
    broken = replace(hub, organisations=(replace(org, key_dates=(skipped, *org.key_dates[1:])),))
    for large in (True, False):
        with pytest.raises(OutputProblems) as raised:
            written(tmp_path, a_rendering(broken), large)
        (problem,) = raised.value.problems
        assert f"key date {skipped.id}: 01:30 on 2027-03-28 does not exist" in problem


@pytest.mark.usefixtures("forking")
def test_a_problem_found_in_the_child_is_raised_here_as_itself(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The pages come first: when both processes meet a problem, theirs is raised, as one
    process rendering in order would."""
    problem = "organisations/x.yaml: key date y: cannot be shown"

    def refuse(_: Rendering) -> list[Output]:
        raise OutputProblems([problem])

    def fail(_: Rendering) -> list[Output]:
        raise OutputProblems(["a later renderer's problem"])

    monkeypatch.setitem(RENDERERS, "pages", refuse)  # the child is forked with it
    for later in (RENDERERS["csv"], fail):
        monkeypatch.setitem(RENDERERS, "csv", later)
        for large in (True, False):
            with pytest.raises(OutputProblems) as raised:
                written(tmp_path, a_rendering(), large)
            assert raised.value.problems == (problem,)
            assert str(raised.value) == f"the outputs cannot be built from these sources: {problem}"


@pytest.mark.usefixtures("forking")
def test_a_child_that_dies_is_a_build_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(RENDERERS, "pages", lambda _: os._exit(3))  # as if killed, out of memory
    with pytest.raises(BuildError, match="the process rendering the pages stopped"):
        written(tmp_path, a_rendering(), True)


def test_with_another_thread_running_nothing_is_forked(tmp_path: Path) -> None:
    """A fork would copy this thread only, and any lock the other one held."""
    folder = Folder(tmp_path)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not scale.can_fork()
        paths = render_into(a_rendering(large=True), folder.write)
        assert {folder.writer_of(p) for p in paths} == {os.getpid()}
    finally:
        release.set()
        other.join()


def source_files_good_and_bad() -> list[Path]:
    return sorted([*FIXTURE_HUB.rglob("*.yaml"), *(ROOT / "tests/fixtures/invalid").glob("*")])


@pytest.mark.usefixtures("forking")
def test_source_files_checked_in_two_processes_give_the_same_documents_and_problems() -> None:
    paths = source_files_good_and_bad()
    one = check_module.read_and_check(paths, large=False)
    two = check_module.read_and_check(paths, large=True)
    assert len(one[0]) == len(paths) > 10 and len(one[1]) > 10
    assert two == one


@pytest.mark.usefixtures("forking")
def test_every_other_source_file_is_read_by_another_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def read_here(path: Path) -> Document:
        return Document(f"{os.getpid()}", None)

    monkeypatch.setattr(check_module, "read_document", read_here)  # the child is forked with it
    documents, _ = check_module.read_and_check(source_files_good_and_bad()[:5], large=True)
    readers = [document.path for document in documents]
    assert readers[0::2] == [str(os.getpid())] * 3
    assert len(set(readers[1::2])) == 1 and readers[1] != str(os.getpid())


@pytest.mark.usefixtures("forking")
def test_a_child_that_dies_while_checking_is_a_build_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parent = os.getpid()

    def read_or_die(path: Path) -> Document:
        if os.getpid() != parent:
            os._exit(9)
        return Document(str(path), None)

    monkeypatch.setattr(check_module, "read_document", read_or_die)
    with pytest.raises(BuildError, match="checking half the source files stopped"):
        check_module.read_and_check(source_files_good_and_bad()[:4], large=True)


def test_the_real_hub_takes_the_plain_path_with_no_fork_spawn_or_collector_frozen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The real hub's sources are below a large hub's size, and a real build of them forks
    nothing, starts no process of Python's own and leaves the garbage collector as Python
    runs it (the site engine and Pagefind are programs it runs, not forks of it)."""
    sources = ROOT / "sources"
    assert not scale.is_large(scale.size_of(source_paths(sources)))
    done: list[str] = []

    def refuse(what: str) -> Callable[..., Any]:
        def refused(*args: object, **kwargs: object) -> None:
            done.append(what)
            raise AssertionError(f"the real hub's build {what}")

        return refused

    monkeypatch.setattr(os, "fork", refuse("forked"))
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse("started a process"))
    monkeypatch.setattr(ProcessPoolExecutor, "__init__", refuse("made a pool of processes"))
    monkeypatch.setattr(gc, "freeze", refuse("froze the garbage collector"))
    monkeypatch.setattr(gc, "disable", refuse("turned the garbage collector off"))
    report = build(build_options(sources, tmp_path))
    assert done == [], "even where a caller would have caught the error"
    assert report.organisations > 30 and report.dates > 50
    assert (tmp_path / "site" / "calendars" / "all.ics").read_bytes().count(b"BEGIN:VEVENT") == (
        report.dates
    )


def test_on_a_big_hub_the_year_at_a_glance_links_each_organisations_year(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Too many dates for one page: the year at a glance gives each organisation's counts,
    linked to the same table on its own page, and the spreadsheet holds them all."""
    hub = fixture_hub()

    def whole(o: Output) -> str:
        return o.content.decode() + "".join(o.fragments)

    every = {o.path: whole(o) for o in render_pages(hub, status_report(hub))}
    assert "hub-year" in every["dates/this-year.md"]
    monkeypatch.setattr(pages.explorer, "FULL_LIST_LIMIT", 1)
    big = {o.path: whole(o) for o in render_pages(hub, status_report(hub))}
    page = big["dates/this-year.md"]
    assert "hub-year" not in page and "too many dates for one page" in page
    assert 'href="../../organisations/example-awarding-body/#2026-to-2027-at-a-glance"' in page
    organisation = big["organisations/example-awarding-body.md"]
    assert "### 2026 to 2027 at a glance" in organisation, "the anchor the link names"
