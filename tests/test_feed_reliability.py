"""Feeds and source files that must not stop, stall or mislead the hub: a genuine shrink is
taken when told, a quiet day changes no file, a broken snapshot is a clean problem, a file
outside the rules is refused without being read, and validate agrees with build on every
fixture hub."""

from __future__ import annotations

import os
import shutil
import stat
from datetime import datetime
from pathlib import Path

import pytest

from hub_builder.calendar import LONDON
from hub_builder.errors import OutputProblems, SourceProblems
from hub_builder.feeds import snapshots
from hub_builder.pipeline import build, validate_paths, validation_paths
from hub_builder.remote import feeds as refresh
from hub_builder.remote.http import HttpClient, Policy
from tests import feed_server as fs
from tests.conftest import FIXTURE_HUB, FIXTURES, build_options
from tests.test_cli import vtq_hub

FIRST = datetime(2026, 11, 20, 6, 0, tzinfo=LONDON)
LATER = datetime(2026, 11, 27, 6, 0, tzinfo=LONDON)
ORG = "example-awarding-body"
# Generous: every answer here comes at once, so no timeout is met on a loaded machine.
LOOPBACK = Policy(allow_loopback=True, read_timeout=10.0, deadline=30.0, retries=0)
CASES = FIXTURES / "feed-cases"


def calendar_sources(tmp_path: Path, server: fs.FeedServer, name: str) -> Path:
    url = server.route("/calendar.ics", fs.body((CASES / name).read_bytes(), "text/calendar"))
    return fs.sources_with_feeds(
        tmp_path, f"feeds:\n  - id: calendar\n    url: {url}\n    format: ics\n"
    )


def fetch(sources: Path, when: datetime, accept: tuple[str, ...] = ()) -> refresh.FetchOutcome:
    specs = refresh.fetchable_feeds(sources)
    [outcome] = refresh.refresh_all(specs, HttpClient(LOOPBACK), lambda: when, accept=accept)
    return outcome


def test_a_genuine_shrink_is_suspect_until_accepted(tmp_path: Path) -> None:
    with fs.FeedServer() as server:
        sources = calendar_sources(tmp_path, server, "year1.ics")
        assert fetch(sources, FIRST).result == "ok"
        server.route("/calendar.ics", fs.body((CASES / "year2.ics").read_bytes(), "text/calendar"))
        refused = fetch(sources, LATER)
        assert refused.result == "stale"
        assert refused.reason.endswith(f"run vtq-hub fetch --accept {ORG}/calendar")
        taken = fetch(sources, LATER, accept=(f"{ORG}/calendar",))
        assert (taken.result, taken.entries) == ("ok", 4)
    meta = snapshots.read_meta(sources, ORG, "calendar")
    assert meta is not None and (meta.entries, meta.error) == (4, "")


def test_accept_must_name_a_declared_feed(tmp_path: Path) -> None:
    result = vtq_hub("fetch", "--sources", str(FIXTURE_HUB), "--accept", "nobody/calendar")
    assert result.returncode == 2
    assert "--accept names no feed with a url: nobody/calendar" in result.stderr


def test_a_quiet_day_changes_no_file(tmp_path: Path) -> None:
    with fs.FeedServer() as server:
        sources = calendar_sources(tmp_path, server, "year1.ics")
        assert fetch(sources, FIRST).result == "ok"
        folder = sources / "snapshots" / ORG
        before = {p.name: p.read_bytes() for p in folder.iterdir()}
        assert fetch(sources, LATER).result == "not-modified"
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@pytest.mark.parametrize("entries", ['"24"', "null", "-1"])
def test_a_broken_snapshot_is_a_clean_problem_not_a_traceback(tmp_path: Path, entries: str) -> None:
    with fs.FeedServer() as server:
        sources = calendar_sources(tmp_path, server, "year1.ics")
        assert fetch(sources, FIRST).result == "ok"
        meta = snapshots.meta_path(sources, ORG, "calendar")
        text = meta.read_text("utf-8")
        meta.write_text(text.replace('"entries": 10', f'"entries": {entries}'), "utf-8")
        report = build(build_options(sources, tmp_path))  # the build goes on: one feed is out
        page = (tmp_path / "site" / "organisations" / ORG / "index.html").read_text("utf-8")
        assert "calendar.meta.json is not valid snapshot metadata" in page
        assert report.organisations == 1
        assert fetch(sources, LATER).result == "ok", "the next fetch replaces it"


def test_a_yml_file_is_refused_not_passed_over(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    organisations = sources / "organisations"
    (organisations / f"{ORG}.yaml").rename(organisations / "another-body.yml")
    problems = validate_paths(validation_paths(sources))
    [refused] = [p for p in problems if p.path.endswith("another-body.yml")]
    assert refused.is_error
    assert refused.message == (
        "this file is not read: source files are named <id>.yaml; rename it to another-body.yaml"
    )


def test_a_link_out_of_the_sources_is_refused_without_naming_its_target(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    secret = tmp_path / "secret.yaml"
    secret.write_text("the first line of a private file\n", "utf-8")
    (sources / "organisations" / "linked.yaml").symlink_to(secret)
    result = vtq_hub("validate", "--sources", str(sources))
    assert result.returncode == 1
    assert "linked.yaml:1:1: it is a symbolic link; the hub reads only regular files" in (
        result.stderr
    )
    assert "private file" not in result.stderr and "secret" not in result.stderr


def test_the_site_is_readable_by_a_web_server(tmp_path: Path) -> None:
    build(build_options(FIXTURE_HUB, tmp_path))
    site = tmp_path / "site"
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert all(os.access(p, os.R_OK) for p in site.rglob("*"))
    modes = {stat.S_IMODE(p.stat().st_mode) & 0o004 for p in site.rglob("*")}
    assert modes == {0o004}, "every file and folder is readable by others"


def test_two_organisations_whose_date_uids_meet_are_refused_by_validate_too(
    tmp_path: Path,
) -> None:
    """``example-awarding-body`` + ``claims-2027`` and ``example-awarding`` +
    ``body-claims-2027`` are one calendar UID: validate says so, as the build would."""
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    organisations = sources / "organisations"
    original = (organisations / f"{ORG}.yaml").read_text("utf-8")
    (organisations / f"{ORG}.yaml").write_text(
        original.replace("id: claims-deadline-2027", "id: claims-2027"), "utf-8"
    )
    (organisations / "example-awarding.yaml").write_text(
        original.replace(f"id: {ORG}", "id: example-awarding")
        .replace("recognition_number: RN9999\n", "")
        .replace("id: claims-deadline-2027", "id: body-claims-2027"),
        "utf-8",
    )
    problems = [p for p in validate_paths(validation_paths(sources)) if p.is_error]
    assert [(Path(p.path).name, p.field) for p in problems] == [(f"{ORG}.yaml", "key_dates[1].id")]
    assert "its calendar UID example-awarding-body-claims-2027@vtq-hub is also the UID of" in (
        problems[0].message
    )
    with pytest.raises(OutputProblems):
        build(build_options(sources, tmp_path))


FIXTURE_HUBS = sorted(
    p.parent for p in FIXTURES.rglob("national.yaml") if (p.parent / "organisations").is_dir()
)


@pytest.mark.parametrize("sources", FIXTURE_HUBS, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_validate_and_build_agree_on_every_fixture_hub(sources: Path, tmp_path: Path) -> None:
    errors = [p for p in validate_paths(validation_paths(sources)) if p.is_error]
    try:
        build(build_options(sources, tmp_path))
        built = True
    except (SourceProblems, OutputProblems):
        built = False
    assert built == (not errors), [p.format() for p in errors]
