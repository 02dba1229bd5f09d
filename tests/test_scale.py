"""What keeps the hub's pages within what a phone can open as the hub grows: months in
parts, a status page with one row per organisation, a families guide that stops listing
every qualification. (The figures are measured by
benchmarks/run, never asserted here.)"""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from datetime import date, time

import pytest

from hub_builder import processes
from hub_builder.errors import OutputProblems
from hub_builder.render import RENDERERS, Rendering, explorer, pages, render
from hub_builder.render.output import Output
from hub_builder.render.pages import date_rows, explorer_outputs, render_pages
from hub_builder.status.report import status_report
from tests.conftest import fixture_hub


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
    outputs = explorer_outputs(hub, slices)
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
    monkeypatch.setattr(pages, "ANSWERS_ON_GUIDE", 1)
    big = pages.guide_answers(hub)
    assert big["answer_count"] == len(every["answers"])  # type: ignore[arg-type]
    assert [o.id for o in big["answer_organisations"]] == ["example-awarding-body"]  # type: ignore[attr-defined]
    guide = next(
        o for o in render_pages(hub, status_report(hub)) if o.path == "guides/families.md"
    ).content.decode()
    assert "too many for one page" in guide
    assert "organisations/example-awarding-body/#when-results-come-out" in guide


def test_two_processes_render_exactly_what_one_does() -> None:
    hub = fixture_hub()
    rendering = Rendering(hub, status_report(hub))
    assert render(rendering, in_parallel_from=0) == render(rendering, in_parallel_from=10**9)


def test_a_problem_found_while_the_child_renders_is_raised_as_in_one_process() -> None:
    """Calendars are rendered here while the child renders the pages: a UK time the clocks
    skip is an OutputProblems naming the source record, as when one process renders."""
    hub = fixture_hub()
    org = hub.organisations[0]
    skipped = replace(org.key_dates[0], start=date(2027, 3, 28), end=None, time=time(1, 30))
    broken = replace(hub, organisations=(replace(org, key_dates=(skipped, *org.key_dates[1:])),))
    for in_parallel_from in (0, 10**9):
        with pytest.raises(OutputProblems) as raised:
            render(Rendering(broken, status_report(broken)), in_parallel_from=in_parallel_from)
        (problem,) = raised.value.problems
        assert f"key date {skipped.id}: 01:30 on 2027-03-28 does not exist" in problem


def test_a_problem_found_in_the_child_is_raised_here_as_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(_: Rendering) -> list[Output]:
        raise OutputProblems(["organisations/x.yaml: key date y: cannot be shown"])

    monkeypatch.setitem(RENDERERS, "pages", refuse)  # the child is forked with it
    hub = fixture_hub()
    with pytest.raises(OutputProblems) as raised:
        render(Rendering(hub, status_report(hub)), in_parallel_from=0)
    assert raised.value.problems == ("organisations/x.yaml: key date y: cannot be shown",)


def test_with_another_thread_running_nothing_is_forked() -> None:
    """A fork would copy this thread only, and any lock the other one held."""
    alone = processes.can_fork()  # other tests may have left a thread of their own
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not processes.can_fork()
        hub = fixture_hub()
        rendering = Rendering(hub, status_report(hub))
        assert render(rendering, in_parallel_from=0) == render(rendering, in_parallel_from=10**9)
    finally:
        release.set()
        other.join()
    assert processes.can_fork() == alone
