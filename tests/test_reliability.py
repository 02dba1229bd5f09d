"""Inputs and circumstances that once stopped, stalled or misled a build, each now bounded or
refused with its reason: a date in the year 9999, a repeat rule that never matches, two
builds at once, a strict umask, and feed text changed without a word.

Every bound here is a count the test asserts (candidate days examined, entries kept), never
a time: ``benchmarks/`` measures how long the same inputs take.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import stat
import subprocess
import sys
import time as clock
from datetime import date, datetime
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr

from hub_builder.calendar import LONDON
from hub_builder.errors import SourceProblems
from hub_builder.feeds.entries import MAX_DESCRIPTION, ParseContext
from hub_builder.feeds.formats import parse
from hub_builder.feeds.recurrence import (
    MAX_CANDIDATES,
    candidates_examined,
)
from hub_builder.files import held_lock
from hub_builder.pipeline import LOCK_FILE, build, validate_paths
from tests import feed_server as fs
from tests.conftest import FIXTURE_HUB, ROOT, build_options

ORG = "example-awarding-body"
CONTEXT = ParseContext(date(2026, 11, 28))


def wall(year: int, month: int, day: int) -> datetime:
    """A wall-clock day, as the rule search takes it (time zones make no difference)."""
    return datetime(year, month, day, tzinfo=LONDON).replace(tzinfo=None)


WINDOW_STOP = wall(2029, 9, 2)  # two days past the window of CONTEXT, as ics.py asks


def organisation_with(tmp: Path, old: str, new: str) -> Path:
    sources = tmp / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    path = sources / "organisations" / f"{ORG}.yaml"
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return sources


# --- 3. dates inside the hub's years, everywhere ---------------------------------------------


def test_a_date_in_the_year_9999_is_refused_by_validate_and_never_reaches_an_output(
    tmp_path: Path,
) -> None:
    """It passed validate, then stopped the build with OverflowError in the calendars."""
    sources = organisation_with(tmp_path, "start: 2027-06-30", "start: 9999-12-31")
    problems = validate_paths([sources / "organisations" / f"{ORG}.yaml"])
    [problem] = [p for p in problems if p.is_error]
    assert problem.message == (
        "9999-12-31 is outside the years the hub accepts (2000 to 2100); check the year"
    )
    with pytest.raises(SourceProblems):
        build(build_options(sources, tmp_path))


def test_the_last_day_the_hub_accepts_builds_every_output(tmp_path: Path) -> None:
    sources = organisation_with(tmp_path, "start: 2027-06-30", "start: 2100-12-31")
    report = build(build_options(sources, tmp_path))
    calendar = (tmp_path / "site" / "calendars" / "all.ics").read_text("utf-8")
    assert "DTSTART;TZID=Europe/London:21001231T235900" in calendar and report.dates > 0


@pytest.mark.parametrize(
    ("format_name", "content", "where"),
    [
        ("json", b'{"key_dates": [{"title": "Far", "start": "0001-01-01"}]}', "items[0].start"),
        ("json", b'{"key_dates": [{"title": "Far", "start": "9999-12-31"}]}', "items[0].start"),
        (
            "ofqual-csv",
            b"Event,QualificationType,AOQualificationGroup,StartDate,EndDate,"
            b"AdditionalDescription\nFar,Technical Qualification,G,1999-12-31,,\n",
            "StartDate",
        ),
        (
            "rss",
            b'<?xml version="1.0"?><rss version="2.0" '
            b'xmlns:ev="http://purl.org/rss/1.0/modules/event/"><channel><title>t</title>'
            b"<item><title>Far</title><ev:startdate>9999-12-31</ev:startdate></item>"
            b"</channel></rss>",
            "ev:startdate",
        ),
        (
            "ics",
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\n"
            b"UID:far\r\nDTSTAMP:20261101T000000Z\r\nSUMMARY:Far\r\n"
            b"DTSTART;VALUE=DATE:99991231\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "DTSTART",
        ),
    ],
    ids=["json year 1", "json year 9999", "ofqual csv 1999", "rss 9999", "ics 9999"],
)
def test_every_feed_format_refuses_a_date_outside_the_hubs_years_alike(
    format_name: str, content: bytes, where: str
) -> None:
    feed = parse(format_name, content, "feed", CONTEXT)
    assert feed.entries == ()
    [problem] = feed.problems
    assert problem.field == where
    assert "is outside the years the hub accepts (2000 to 2100); skipped" in problem.message


# --- 4. recurrence bounded in work -----------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "start", "examined"),
    [
        ("FREQ=DAILY", wall(2025, 8, 25), 1_471),
        ("FREQ=WEEKLY;BYDAY=MO", wall(2025, 8, 25), 1_477),
        ("FREQ=YEARLY;BYMONTH=6;BYDAY=-1FR", wall(2000, 6, 1), 11_323),
        ("FREQ=DAILY;COUNT=5", wall(2025, 8, 25), 6),
        ("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", wall(2026, 12, 1), None),
        ("FREQ=MONTHLY;BYMONTHDAY=1;BYSETPOS=2", wall(2020, 1, 1), None),
        ("FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=31", wall(2000, 1, 1), None),
    ],
)
def test_the_candidate_days_a_rule_examines_are_counted_and_capped(
    rule: str, start: datetime, examined: int | None
) -> None:
    """The count is dateutil's own search, stopped at the budget: a rule that can never
    match examines exactly the budget and no more (it used to examine three million days)."""
    found = candidates_examined(rrulestr(rule, dtstart=start), WINDOW_STOP, MAX_CANDIDATES)
    assert found == examined


# --- 5. one build at a time per work folder --------------------------------------------------


def cli(*args: str, umask: int | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "hub_builder", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=(lambda: os.umask(umask)) if umask is not None else None,  # noqa: PLW1509
    )


def line_from(stream: object, wanted: str, guard: float = 120.0) -> str:
    """The first line of ``stream`` holding ``wanted``; the guard only stops a hung test."""
    ends = clock.monotonic() + guard
    assert hasattr(stream, "readline") and hasattr(stream, "fileno")
    while clock.monotonic() < ends:
        ready, _, _ = select.select([stream], [], [], 1.0)
        if ready:
            line = stream.readline()
            if wanted in line or not line:
                return str(line)
    return ""


def test_a_second_build_waits_for_the_first_and_never_mixes_their_sites(tmp_path: Path) -> None:
    """Two builds into one --out shared .hub-build/ with no lock: in 2 of 6 rounds the site
    mixed both. Now the second waits, says so, and touches nothing while it waits."""
    out = tmp_path / "site"
    work = tmp_path / ".hub-build"
    with held_lock(work / LOCK_FILE):  # a first build, holding the work folder
        second = cli("build", "--sources", str(FIXTURE_HUB), "--out", str(out))
        said = line_from(second.stderr, "waiting")
        assert said.startswith(f"Another build is using {work}; waiting for it to finish")
        assert not out.exists() and not list(tmp_path.glob(".site.*"))
        assert second.poll() is None, "it waits while the first holds the lock"
    _, errors = second.communicate(timeout=600)
    assert second.returncode == 0, errors
    assert (out / "index.html").is_file()


def test_staging_folders_left_by_a_killed_build_are_removed_by_the_next(tmp_path: Path) -> None:
    for leftover in (".site.aside.k1ll3d", ".site.x9q2w8"):
        (tmp_path / leftover / "pages").mkdir(parents=True)
    build(build_options(FIXTURE_HUB, tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site")) == []


# --- 6. published files readable whatever the umask -----------------------------------------


def test_the_site_is_0644_and_0755_under_umask_077(tmp_path: Path) -> None:
    out = tmp_path / "site"
    built = cli("build", "--sources", str(FIXTURE_HUB), "--out", str(out), umask=0o077)
    _, errors = built.communicate(timeout=600)
    assert built.returncode == 0, errors
    modes = {(path.is_dir(), stat.S_IMODE(path.stat().st_mode)) for path in [out, *out.rglob("*")]}
    assert modes == {(True, 0o755), (False, 0o644)}


# --- 7. feed text kept, or marked ------------------------------------------------------------


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:t</id>
<updated>2027-03-01T09:00:00Z</updated>
<entry><id>urn:1</id><title type="text">Entries for grade A&lt;B&gt;C</title>
<summary type="text">grade A&lt;B&gt;C</summary><updated>2027-03-01T09:00:00Z</updated></entry>
<entry><id>urn:2</id><title type="html">Results &lt;b&gt;day&lt;/b&gt;</title>
<summary type="html">Bring &lt;script&gt;x()&lt;/script&gt;&lt;em&gt;ID&lt;/em&gt;</summary>
<updated>2027-08-12T09:00:00Z</updated></entry>
</feed>"""


def test_atom_and_rss_plain_text_is_kept_as_written_and_html_read_as_text() -> None:
    """ "grade A&lt;B&gt;C" in plain text became "grade A C"; now only text the feed says is
    HTML is read as HTML (and sanitised, as before)."""
    feed = parse("atom", ATOM, "news.atom", CONTEXT)
    first, second = feed.entries
    assert (first.title, first.description) == ("Entries for grade A<B>C", "grade A<B>C")
    assert (second.title, second.description) == ("Results day", "Bring ID")
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        b"<title>Level &lt;3&gt; entries</title><description>&lt;p&gt;See &lt;b&gt;notes"
        b"&lt;/b&gt;&lt;/p&gt;</description><pubDate>Mon, 01 Mar 2027 09:00:00 GMT</pubDate>"
        b"</item></channel></rss>"
    )
    [item] = parse("rss", rss, "news.rss", CONTEXT).entries
    assert (item.title, item.description) == ("Level <3> entries", "See notes")


def test_a_cut_description_ends_with_an_ellipsis_and_a_warning_names_the_entry() -> None:
    item = {"title": "Long one", "start": "2027-03-01", "description": "word " * 1_000}
    feed = parse("json", json.dumps({"key_dates": [item]}).encode(), "dates.json", CONTEXT)
    [entry] = feed.entries
    assert len(entry.description) <= MAX_DESCRIPTION and entry.description.endswith("…")
    [warning] = feed.problems
    assert not warning.is_error
    assert warning.message == (
        "'Long one': the description is longer than 2,000 characters; it is cut to 2,000, "
        "ending with …"
    )


BAD_CSV = (
    b"Event,QualificationType,AOQualificationGroup,StartDate,EndDate,AdditionalDescription\n"
    b"Entries close,Technical Qualification,Example Nationals,2027-02-30,,\n"
)


def test_a_committed_feeds_bad_entry_says_fix_it_and_a_fetched_ones_says_skipped(
    tmp_path: Path,
) -> None:
    """A committed feed's bad entry said "skipped" but failed validate and the build."""
    committed = parse("ofqual-csv", BAD_CSV, "eab.csv", ParseContext(CONTEXT.today, True))
    fetched = parse("ofqual-csv", BAD_CSV, "eab.csv", CONTEXT)
    assert committed.problems[0].message.endswith("; fix this entry")
    assert fetched.problems[0].message.endswith("; skipped")
    sources = fs.sources_with_feeds(
        tmp_path,
        "feeds:\n  - id: ofqual\n    path: ../ofqual/eab.csv\n    format: ofqual-csv\n"
        "    source_url: https://example.org/key-dates\n",
    )
    (sources / "ofqual").mkdir()
    (sources / "ofqual" / "eab.csv").write_bytes(BAD_CSV)
    problems = validate_paths([sources / "organisations" / f"{ORG}.yaml"])
    [error] = [p for p in problems if p.is_error]
    assert error.format().endswith(
        "eab.csv:2:1: StartDate: '2027-02-30' is not a real date; check the day and month; "
        "fix this entry"
    )
    with pytest.raises(SourceProblems) as caught:
        build(build_options(sources, tmp_path))
    assert error in caught.value.problems
