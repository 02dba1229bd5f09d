"""A date moves between two builds: the history records it, calendars keep their UIDs and
raise SEQUENCE, /changes/ and /changes.xml say so, the date's row says "changed on"."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

import feedparser
import pytest
from icalendar import Calendar, Event

from hub_builder.calendar import LONDON
from hub_builder.domain.identity import clashes_of
from hub_builder.errors import SourceProblems
from hub_builder.model import Change, RecordedChange
from hub_builder.normalise.history import (
    EMPTY,
    History,
    annotate,
    parse_history,
    read_history,
)
from hub_builder.pipeline import build
from hub_builder.repo.changes import record_changes
from tests.conftest import (
    BUILT_AT,
    FIXTURE_HUB,
    ROOT,
    build_options,
    fixture_hub,
    static_server,
)
from tests.test_cli import vtq_hub

ORG = "example-awarding-body"
MOVED_ON = datetime(2026, 11, 25, 7, 0, tzinfo=LONDON)
CLAIMS_UID = f"{ORG}-claims-deadline-2027@vtq-hub"


@dataclass(frozen=True)
class TwoBuilds:
    sources: Path
    before: Path  # site built before the move
    after: Path  # site built after the move was recorded


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> TwoBuilds:
    tmp = tmp_path_factory.mktemp("two-builds")
    sources = tmp / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    history = sources / "history.json"

    record_changes(sources, history, BUILT_AT)  # the baseline: no changes
    build(build_options(sources, tmp / "first"))
    shutil.move(tmp / "first" / "site", tmp / "before")

    org_file = sources / "organisations" / f"{ORG}.yaml"
    text = org_file.read_text("utf-8")
    text = text.replace("start: 2027-06-30", "start: 2027-07-02")
    text = text.replace(
        "https://example.org/guides/results", "https://example.org/guides/results-2027"
    )
    org_file.write_text(text, "utf-8")
    result = vtq_hub("record-changes", "--sources", str(sources))  # today's date, by the CLI
    assert result.returncode == 0, result.stderr
    # Re-date the change to a fixed day, as if recorded then, so the test does not hang on today.
    data = json.loads(history.read_text("utf-8"))
    for change in data["changes"]:
        change["on"] = MOVED_ON.date().isoformat()
        change["at"] = MOVED_ON.isoformat()
    history.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", "utf-8")

    before_build = tree_digest(sources)
    options = build_options(sources, tmp / "second")
    build(replace(options, clock=lambda: MOVED_ON))
    assert tree_digest(sources) == before_build, "a build must not write the sources"
    shutil.move(tmp / "second" / "site", tmp / "after")
    return TwoBuilds(sources, tmp / "before", tmp / "after")


def events(path: Path) -> dict[str, Event]:
    calendar = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def ics_files(site: Path) -> list[Path]:
    return sorted((site / "calendars").rglob("*.ics"), key=str)


def test_record_changes_prints_what_it_recorded(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    first = vtq_hub("record-changes", "--sources", str(sources))
    assert first.returncode == 0, first.stderr
    assert "Recorded 0 changes" in first.stderr
    org_file = sources / "organisations" / f"{ORG}.yaml"
    org_file.write_text(org_file.read_text("utf-8").replace("2027-06-30", "2027-07-01"), "utf-8")
    second = vtq_hub("record-changes", "--sources", str(sources))
    assert second.returncode == 0, second.stderr
    assert (
        "moved: example-awarding-body/claims-deadline-2027: 2027-06-30T23:59 -> 2027-07-01T23:59"
        in second.stdout
    )
    assert "Recorded 1 change in" in second.stderr


def test_the_history_records_the_move_and_the_guidance_link(two_builds: TwoBuilds) -> None:
    history = read_history(two_builds.sources / "history.json")
    assert [(r.on, r.change.kind, r.change.record_id) for r in history.changes] == [
        (MOVED_ON.date(), "moved", "claims-deadline-2027"),
        (MOVED_ON.date(), "guidance-changed", "results-guide"),
    ]
    assert history.state is not None
    assert history.state.dates[(ORG, "claims-deadline-2027")].start == date(2027, 7, 2)


def test_every_calendar_parses_and_keeps_its_uids(two_builds: TwoBuilds) -> None:
    before_files = [p.relative_to(two_builds.before) for p in ics_files(two_builds.before)]
    after_files = [p.relative_to(two_builds.after) for p in ics_files(two_builds.after)]
    assert before_files == after_files
    # all, national, one organisation, its two qualification groups with and without the
    # national dates, 15 kinds
    assert len(after_files) == 2 + 1 + 2 * 2 + 15
    for relative in after_files:
        assert (
            events(two_builds.before / relative).keys()
            == events(two_builds.after / relative).keys()
        )
    assert len(events(two_builds.after / "calendars" / "all.ics")) == 7


def test_sequence_rises_when_a_date_moves(two_builds: TwoBuilds) -> None:
    for relative in ("all.ics", f"organisations/{ORG}.ics", "kinds/claims.ics"):
        before = events(two_builds.before / "calendars" / relative)[CLAIMS_UID]
        after = events(two_builds.after / "calendars" / relative)[CLAIMS_UID]
        assert (before["SEQUENCE"], after["SEQUENCE"]) == (0, 1), relative
        assert before.decoded("DTSTART") == datetime(2027, 6, 30, 23, 59, tzinfo=LONDON)
        assert after.decoded("DTSTART") == datetime(2027, 7, 2, 23, 59, tzinfo=LONDON)
        assert "Changed on 25 November 2026 (was 30 June 2027, 11:59pm UK time)" in str(
            after["DESCRIPTION"]
        )
    others = events(two_builds.after / "calendars" / "all.ics")
    assert {e["SEQUENCE"] for uid, e in others.items() if uid != CLAIMS_UID} == {0}


def test_events_are_all_day_with_exclusive_end_or_timed_in_london(two_builds: TwoBuilds) -> None:
    path = two_builds.after / "calendars" / f"organisations/{ORG}.ics"
    calendar = Calendar.from_ical(path.read_bytes())
    assert str(calendar["X-WR-CALNAME"]) == "VTQ Hub: Example Awarding Body"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    checkpoint = events(path)[f"{ORG}-checkpoint-1-2026-27@vtq-hub"]
    assert checkpoint.decoded("DTSTART") == date(2026, 12, 7)
    assert checkpoint.decoded("DTEND") == date(2027, 1, 30)  # last day 29 January, exclusive
    claims = events(path)[CLAIMS_UID]
    assert claims["DTSTART"].params["TZID"] == "Europe/London"
    assert claims["STATUS"] == "TENTATIVE"
    assert str(claims["URL"]) == "https://example.org/claims"
    assert "Source: https://example.org/claims" in str(claims["DESCRIPTION"])
    assert claims.decoded("DTSTAMP").timestamp() == MOVED_ON.timestamp()


def test_following_the_atom_feed_shows_the_move(two_builds: TwoBuilds) -> None:
    with static_server(two_builds.after) as base:
        feed = feedparser.parse(base + "changes.xml")
    assert feed.get("status") == 200
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "VTQ Hub: what changed"
    titles = [e.title for e in feed.entries]
    assert "Example Awarding Body: Final claims deadline moved" in titles
    moved = next(e for e in feed.entries if e.title.endswith("moved"))
    assert moved.summary == (
        "Moved from 30 June 2027, 11:59pm UK time to 2 July 2027, 11:59pm UK time."
    )
    assert moved.link == f"{base}organisations/{ORG}/#claims-deadline-2027"
    assert moved.updated_parsed[:3] == (2026, 11, 25)
    assert len({e.id for e in feed.entries}) == len(feed.entries) == 2


def test_an_empty_history_gives_a_valid_empty_feed(two_builds: TwoBuilds) -> None:
    with static_server(two_builds.before) as base:
        feed = feedparser.parse(base + "changes.xml")
    assert (feed.bozo, feed.entries) == (0, [])


def test_the_changes_page_and_the_date_row_say_what_changed(two_builds: TwoBuilds) -> None:
    changes = (two_builds.after / "changes" / "index.html").read_text("utf-8")
    assert 'id="changes-2026-11-25"' in changes
    assert "Moved from 30 June 2027, 11:59pm UK time to 2 July 2027, 11:59pm UK time." in changes
    assert "Guidance link changed from https://example.org/guides/results to" in changes
    assert f'href="../organisations/{ORG}/#claims-deadline-2027"' in changes
    org_page = (two_builds.after / "organisations" / ORG / "index.html").read_text("utf-8")
    assert "Changed on 25 November 2026 (was 30 June 2027, 11:59pm UK time)" in org_page
    dates_page = (two_builds.after / "dates" / "index.html").read_text("utf-8")
    assert "Changed on 25 November 2026 (was 30 June 2027, 11:59pm UK time)" in dates_page
    before = (two_builds.before / "changes" / "index.html").read_text("utf-8")
    assert "No changes recorded yet." in before


def test_a_broken_history_file_is_a_problem_with_its_place() -> None:
    with pytest.raises(SourceProblems) as broken_json:
        parse_history('{"changes": [}', "sources/history.json")
    assert broken_json.value.problems[0].format().startswith("sources/history.json:1:14: ")
    with pytest.raises(SourceProblems) as wrong_shape:
        parse_history('{"changes": [{"on": "soon"}], "state": {}}', "sources/history.json")
    fields = {p.field for p in wrong_shape.value.problems}
    assert {"changes[0]", "changes[0].on", "state"} <= fields


def test_no_history_file_means_no_changes(tmp_path: Path) -> None:
    assert read_history(tmp_path / "history.json") == EMPTY


def test_a_guidance_change_is_not_pinned_on_a_date_with_the_same_id() -> None:
    hub = fixture_hub()
    day = date(2026, 11, 25)
    same_id = Change(
        "guidance-changed", ORG, "claims-deadline-2027", "Guide", "https://a.example/x", ""
    )
    moved = Change(
        "moved",
        ORG,
        "claims-deadline-2027",
        "Final claims deadline",
        "2027-06-29",
        "2027-06-30T23:59",
    )
    annotated = annotate(
        hub, History((RecordedChange(day, same_id), RecordedChange(day, moved)), None)
    )
    claims = next(
        d for d in annotated.organisation(ORG).key_dates if d.id == "claims-deadline-2027"
    )
    assert [c.change.kind for c in claims.changes] == ["moved"]
    assert claims.sequence == 1
    assert len(annotated.changes) == 2


def test_a_date_given_a_new_id_keeps_its_calendar_event_and_tells_no_reader(
    tmp_path: Path,
) -> None:
    """A maintainer renames a date's id: the history says `renamed`, the calendars keep the
    event under its first UID (no delete and re-add for subscribers), the feed and /changes/
    say nothing, and the API gives both ids."""
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    record_changes(sources, sources / "history.json", BUILT_AT)
    org_file = sources / "organisations" / f"{ORG}.yaml"
    text = org_file.read_text("utf-8")
    org_file.write_text(text.replace("id: claims-deadline-2027", "id: final-claims-2027"), "utf-8")
    [renamed] = record_changes(sources, sources / "history.json", MOVED_ON)
    assert (renamed.kind, renamed.before, renamed.after) == (
        "renamed",
        "claims-deadline-2027",
        "final-claims-2027",
    )

    build(build_options(sources, tmp_path))
    site = tmp_path / "site"
    assert CLAIMS_UID in events(site / "calendars" / "all.ics")
    assert f"{ORG}-final-claims-2027@vtq-hub" not in events(site / "calendars" / "all.ics")
    with static_server(site) as base:
        assert feedparser.parse(base + "changes.xml").entries == []
    assert "No changes recorded yet." in (site / "changes" / "index.html").read_text("utf-8")
    detail = json.loads((site / "api" / "v1" / "organisations" / f"{ORG}.json").read_bytes())
    claims = next(d for d in detail["key_dates"] if d["id"] == "final-claims-2027")
    assert (claims["uid"], claims["calendar_uid"]) == (
        f"{ORG}-final-claims-2027",
        f"{ORG}-claims-deadline-2027",
    )
    org_page = (site / "organisations" / ORG / "index.html").read_text("utf-8")
    assert 'id="final-claims-2027"' in org_page


def test_a_new_date_may_not_take_the_id_a_renamed_date_had(tmp_path: Path) -> None:
    hub = fixture_hub()
    claims = next(d for d in hub.organisation(ORG).key_dates if d.id == "claims-deadline-2027")
    renamed = Change(
        "renamed", ORG, "final-claims-2027", claims.title, claims.id, "final-claims-2027"
    )
    moved = replace(claims, id="final-claims-2027")
    org = hub.organisation(ORG)
    hub = replace(hub, organisations=(replace(org, key_dates=(*org.key_dates, moved)),))
    annotated = annotate(hub, History((RecordedChange(date(2026, 11, 25), renamed),), None))
    [clash] = clashes_of(annotated)
    assert clash.key_date.id == "final-claims-2027"
    assert f"its calendar UID {CLAIMS_UID} is also the UID of" in clash.reason


def test_record_changes_check_fails_naming_what_is_not_recorded(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    record_changes(sources, sources / "history.json", BUILT_AT)
    recorded = (sources / "history.json").read_bytes()
    up_to_date = vtq_hub("record-changes", "--check", "--sources", str(sources))
    assert up_to_date.returncode == 0, up_to_date.stderr
    assert "is up to date with the sources" in up_to_date.stderr

    org_file = sources / "organisations" / f"{ORG}.yaml"
    org_file.write_text(org_file.read_text("utf-8").replace("2027-06-30", "2027-07-01"), "utf-8")
    stale = vtq_hub("record-changes", "--check", "--sources", str(sources))
    assert stale.returncode == 1
    assert (
        "not recorded: moved: example-awarding-body/claims-deadline-2027: "
        "2027-06-30T23:59 -> 2027-07-01T23:59"
    ) in stale.stderr
    assert (
        f"{sources / 'history.json'} is not up to date: 1 change to the sources is not "
        "recorded. Run `.venv/bin/vtq-hub record-changes` and commit"
    ) in stale.stderr
    assert (sources / "history.json").read_bytes() == recorded, "--check writes nothing"


def test_the_feed_is_newest_first_by_moment_and_as_new_as_its_newest_entry(
    tmp_path: Path,
) -> None:
    """Two changes on one day, the later first; the feed's `updated` is the later one's
    moment, whatever the build's clock, so a daily rebuild leaves the feed as it was."""
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    history = sources / "history.json"
    record_changes(sources, history, BUILT_AT)
    org_file = sources / "organisations" / f"{ORG}.yaml"
    org_file.write_text(org_file.read_text("utf-8").replace("2027-06-30", "2027-07-01"), "utf-8")
    record_changes(sources, history, MOVED_ON.replace(hour=7))
    text = org_file.read_text("utf-8")
    org_file.write_text(
        text.replace("https://example.org/guides/results", "https://example.org/g"), "utf-8"
    )
    record_changes(sources, history, MOVED_ON.replace(hour=9))

    feeds = []
    for hour in (10, 23):
        options = build_options(sources, tmp_path / str(hour))
        build(replace(options, clock=lambda hour=hour: MOVED_ON.replace(hour=hour)))
        feeds.append((tmp_path / str(hour) / "site" / "changes.xml").read_bytes())
    assert feeds[0] == feeds[1], "the feed does not change with the build's clock"
    feed = feedparser.parse(feeds[0])
    assert [e.title.rsplit(" ", 2)[-2:] for e in feed.entries] == [
        ["link", "changed"],
        ["deadline", "moved"],
    ]
    assert feed.feed.updated == MOVED_ON.replace(hour=9).isoformat()


def test_the_hubs_own_history_is_up_to_date_with_its_sources() -> None:
    """What `vtq-hub record-changes --check` runs in every pull request: a change to the
    sources that is not recorded in sources/history.json fails here first."""
    sources = ROOT / "sources"
    assert record_changes(sources, sources / "history.json", BUILT_AT, write=False) == ()


def test_an_address_that_only_loses_its_tracking_is_not_a_change(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    org_file = sources / "organisations" / f"{ORG}.yaml"
    text = org_file.read_text("utf-8")
    tracked = "https://example.org/guides/results?utm_source=newsletter"
    org_file.write_text(text.replace("https://example.org/guides/results", tracked), "utf-8")
    record_changes(sources, sources / "history.json", BUILT_AT)
    org_file.write_text(text, "utf-8")
    assert record_changes(sources, sources / "history.json", MOVED_ON) == ()
