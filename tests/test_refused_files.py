"""Nothing outside the checkout is ever read: every file the build or ``validate`` reads is a
regular file reached without a link, or it is refused unread, by name, and never quoted.

A pull request can commit a symbolic link anywhere: a feed's snapshot, its metadata, a
folder of snapshots, a Register snapshot, the link report, the history, a hand-written page,
a theme file, mkdocs.yml itself. Each case plants one link to a private file, CSV-shaped so
that it would parse as a feed, and checks that ``validate`` and ``build`` both refuse it,
naming the path in the checkout and printing and publishing no byte of the target.
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from hub_builder.calendar import LONDON
from hub_builder.errors import HubError, RefusedFile, SourceProblems
from hub_builder.feeds import snapshots
from hub_builder.files import files_below, read_inside
from hub_builder.pipeline import BuildOptions, build, validate_paths, validation_paths
from tests import feed_server as fs
from tests.conftest import ROOT, build_options
from tests.test_cli import vtq_hub

ORG = "example-awarding-body"
MARKER = "PRIVATE-7c1e-first-line"
FETCHED = datetime(2026, 11, 20, 6, 0, tzinfo=LONDON)
FEEDS = (
    "feeds:\n"
    "  - id: calendar\n"
    "    url: https://example.org/calendar.ics\n"
    "    format: ics\n"
    "  - id: upload\n"
    "    url: https://example.org/key-dates.csv\n"
    "    format: ofqual-csv\n"
    "    source_url: https://example.org/key-dates\n"
)


def private_file(tmp: Path) -> Path:
    """A file outside the checkout that would parse as an Ofqual CSV, its first line secret."""
    secret = tmp / "private" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text(
        f"Event,QualificationType,AOQualificationGroup,StartDate,EndDate,AdditionalDescription\n"
        f"{MARKER},Technical Qualification,Example Nationals,2026-10-01,2026-10-01,\n",
        "utf-8",
    )
    return secret


def checkout(tmp: Path) -> Path:
    """A checkout of its own: the fixture hub with two fetched feeds, the project's config,
    hand-written pages and theme; its sources folder."""
    sources = fs.sources_with_feeds(tmp, FEEDS)
    snapshots.write_good(
        sources,
        ORG,
        "calendar",
        "ics",
        (fs.FEEDS / "calendar.ics").read_bytes(),
        snapshots.SnapshotMeta("https://example.org/calendar.ics", "ics", FETCHED, FETCHED),
    )
    csv = (fs.FEEDS / "key-dates.csv").read_bytes()
    meta = snapshots.SnapshotMeta("https://example.org/key-dates.csv", "ofqual-csv", FETCHED)
    snapshots.write_good(sources, ORG, "upload", "csv", csv, meta)
    for name in ("register", "reports"):
        (sources / name).mkdir()
    (sources / "register" / f"{ORG}.json").write_text("{}", "utf-8")
    (sources / "link-report.json").write_text('{"links": []}', "utf-8")
    (sources / "link-allowlist.yaml").write_text("[]\n", "utf-8")
    shutil.copy(ROOT / "mkdocs.yml", tmp / "mkdocs.yml")
    shutil.copytree(ROOT / "site_content", tmp / "site_content")
    shutil.copytree(ROOT / "overrides", tmp / "overrides")
    return sources


def options(sources: Path, tmp: Path) -> BuildOptions:
    return replace(
        build_options(sources, tmp),
        config=tmp / "mkdocs.yml",
        content=tmp / "site_content",
        theme=tmp / "overrides",
    )


def link(place: Path, target: Path) -> None:
    if place.is_dir():
        shutil.rmtree(place)
    else:
        place.unlink(missing_ok=True)
    place.symlink_to(target)


# Every file of the sources a build or validate reads, and a folder of them.
IN_SOURCES = (
    f"snapshots/{ORG}/calendar.ics",
    f"snapshots/{ORG}/upload.csv",
    f"snapshots/{ORG}/calendar.meta.json",
    f"snapshots/{ORG}",
    f"register/{ORG}.json",
    "link-report.json",
    "link-allowlist.yaml",
    "history.json",
    "redirects.yaml",
    "national.yaml",
    f"organisations/{ORG}.yaml",
)


@pytest.mark.parametrize("where", IN_SOURCES)
def test_a_link_in_the_sources_is_refused_by_validate_and_build_unread(
    tmp_path: Path, where: str
) -> None:
    sources = checkout(tmp_path)
    secret = private_file(tmp_path)
    link(sources / where, secret if "." in Path(where).name else secret.parent)

    checked = vtq_hub("validate", "--sources", str(sources))
    assert checked.returncode == 1
    assert f"{where}:1:1: it is a symbolic link" in checked.stderr
    built = vtq_hub("build", "--sources", str(sources), "--out", str(tmp_path / "site"))
    assert built.returncode == 1
    assert f"{where}:1:1: it is a symbolic link" in built.stderr
    for said in (checked.stdout, checked.stderr, built.stdout, built.stderr):
        assert MARKER not in said and "private" not in said and "secret" not in said
    assert not (tmp_path / "site").exists()


def test_validate_of_one_file_refuses_a_link_beside_it(tmp_path: Path) -> None:
    """A pull request's check validates the files it changed: a link it added among the
    snapshots fails that check too."""
    sources = checkout(tmp_path)
    link(sources / "snapshots" / ORG / "upload.csv", private_file(tmp_path))
    problems = validate_paths([sources / "organisations" / f"{ORG}.yaml"])
    [refused] = [p for p in problems if p.is_error]
    assert refused.path.endswith(f"snapshots/{ORG}/upload.csv")
    assert refused.message.startswith("it is a symbolic link; the hub reads only regular files")


def test_a_pipe_in_the_sources_is_refused_without_waiting_on_it(tmp_path: Path) -> None:
    """A FIFO would hold a read for ever: it is refused from its type, never opened to read."""
    sources = checkout(tmp_path)
    fifo = sources / "snapshots" / ORG / "calendar.ics"
    fifo.unlink()
    os.mkfifo(fifo)
    finished = threading.Event()

    def check() -> None:
        validate_paths(validation_paths(sources))
        finished.set()

    worker = threading.Thread(target=check, daemon=True)
    worker.start()
    worker.join(timeout=60)  # a guard against a hung run, not a timing: it returns at once
    assert finished.is_set()
    problems = validate_paths(validation_paths(sources))
    assert any(
        p.message.startswith("it is not a regular file (a device, pipe or socket)")
        for p in problems
    )


@pytest.mark.parametrize(
    "where", ("mkdocs.yml", "site_content/index.md", "overrides/assets/hub.css")
)
def test_a_link_among_the_pages_theme_or_config_is_refused_by_the_build(
    tmp_path: Path, where: str
) -> None:
    sources = checkout(tmp_path)
    link(tmp_path / where, private_file(tmp_path))
    with pytest.raises(HubError) as caught:
        build(options(sources, tmp_path))
    said = str(caught.value)
    assert Path(where).name in said and "symbolic link" in said
    assert MARKER not in said and "secret" not in said
    assert not (tmp_path / "site").exists()


def test_nothing_is_refused_in_a_checkout_without_links(tmp_path: Path) -> None:
    """The cases above fail for their link alone: the same checkout builds."""
    sources = checkout(tmp_path)
    assert not [p for p in validate_paths(validation_paths(sources)) if p.is_error]
    report = build(options(sources, tmp_path))
    assert report.pages > 0


def test_read_inside_refuses_each_way_out(tmp_path: Path) -> None:
    root = tmp_path / "root"
    (root / "folder").mkdir(parents=True)
    (root / "folder" / "file.txt").write_text("inside", "utf-8")
    secret = private_file(tmp_path)
    (root / "linked.txt").symlink_to(secret)
    (root / "linked-folder").symlink_to(secret.parent)
    assert read_inside(root, root / "folder" / "file.txt", 100) == b"inside"
    cases = {
        root / "linked.txt": "it is a symbolic link",
        root / "linked-folder" / "secret.csv": "a folder on its way is a symbolic link",
        root / ".." / "private" / "secret.csv": "it leads outside root/",
        root / "folder": "it is a folder",
        root / "folder" / "file.txt": "it is 6 bytes; the limit is 2",
    }
    for path, reason in cases.items():
        with pytest.raises(RefusedFile) as caught:
            read_inside(root, path, 2 if path.name == "file.txt" else 100)
        assert caught.value.reason.startswith(reason)
        assert MARKER not in str(caught.value)
    found, refused = files_below(root)
    assert found == [root / "folder" / "file.txt"]
    assert sorted(Path(r.path).name for r in refused) == ["linked-folder", "linked.txt"]


def test_a_source_problem_never_carries_a_targets_bytes(tmp_path: Path) -> None:
    """A committed feed file (``path:``) linked out is refused where it is, and ``validate``
    says so at the feed's declaration too."""
    sources = fs.sources_with_feeds(
        tmp_path,
        "feeds:\n  - id: ofqual\n    path: ../ofqual/eab.csv\n    format: ofqual-csv\n"
        "    source_url: https://example.org/key-dates\n",
    )
    (sources / "ofqual").mkdir()
    link(sources / "ofqual" / "eab.csv", private_file(tmp_path))
    with pytest.raises(SourceProblems) as caught:
        build(build_options(sources, tmp_path))
    built = [p.format() for p in caught.value.problems]
    assert any("ofqual/eab.csv:1:1: it is a symbolic link" in m for m in built)
    checked = [p.format() for p in validate_paths([sources / "organisations" / f"{ORG}.yaml"])]
    assert any(
        "feeds[0].path: '../ofqual/eab.csv' is refused: it is a symbolic" in m for m in checked
    )
    assert not any(MARKER in m or "secret" in m for m in [*built, *checked])
