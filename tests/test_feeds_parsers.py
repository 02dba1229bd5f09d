"""Each feed format's parser on small named fixture files: bytes in, entries and problems out."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from hub_builder.feeds.entries import (
    MAX_OCCURRENCES,
    FeedEntry,
    ParseContext,
    ParsedFeed,
    entry_id,
)
from hub_builder.feeds.formats import FORMATS, parse
from hub_builder.feeds.ofqual_csv import parse_ofqual_csv, qualification_type
from hub_builder.pipeline import BuildReport
from tests.feed_server import FEEDS

CONTEXT = ParseContext(date(2026, 11, 23))


def parsed(name: str, format_name: str) -> ParsedFeed:
    return parse(format_name, (FEEDS / name).read_bytes(), name, CONTEXT)


def by_uid(feed: ParsedFeed) -> dict[str, FeedEntry]:
    return {entry.uid: entry for entry in feed.entries}


def messages(feed: ParsedFeed) -> list[str]:
    return [problem.format() for problem in feed.problems]


# --- iCalendar ------------------------------------------------------------------------------


def test_ics_all_day_events_have_an_exclusive_end() -> None:
    entries = by_uid(parsed("calendar.ics", "ics"))
    one_day = entries["registration-2026@example.org"]
    assert (one_day.start, one_day.end, one_day.time) == (date(2026, 10, 16), None, None)
    window = entries["assessment-window-jan-2027@example.org"]
    assert (window.start, window.end) == (date(2027, 1, 11), date(2027, 1, 22))


def test_ics_times_with_tzid_utc_and_floating_are_uk_time() -> None:
    entries = by_uid(parsed("calendar.ics", "ics"))
    assert (
        entries["entries-2027@example.org"].start,
        entries["entries-2027@example.org"].time,
    ) == (
        date(2027, 2, 21),
        time(18, 0),
    )
    claims = entries["claims-2027@example.org"]  # 22:59 UTC in summer is 11:59pm BST
    assert (claims.start, claims.time) == (date(2027, 6, 30), time(23, 59))
    floating = entries["results-to-centres-2027@example.org"]
    assert (floating.start, floating.time) == (date(2027, 8, 11), time(8, 0))


def test_ics_categories_status_summary_description_and_url_map_to_the_entry() -> None:
    entries = by_uid(parsed("calendar.ics", "ics"))
    assert entries["registration-2026@example.org"].kind == "registration"
    assert entries["assessment-window-jan-2027@example.org"].kind == "assessment-window"
    assert entries["results-to-centres-2027@example.org"].status == "provisional"
    assert entries["entries-2027@example.org"].description == "Make entries for the summer series."
    assert entries["registration-2026@example.org"].link == "https://example.org/registration"


def test_ics_recurring_events_become_one_entry_per_occurrence_with_stable_uids() -> None:
    feed = parsed("calendar.ics", "ics")
    reminders = [e for e in feed.entries if e.title == "Checkpoint reminder"]
    assert [(e.uid, e.start) for e in reminders] == [
        ("checkpoint-reminder@example.org-2026-12-07", date(2026, 12, 7)),
        ("checkpoint-reminder@example.org-2026-12-14", date(2026, 12, 14)),
    ]
    assert len(feed.entries) == 7 and feed.problems == ()


def test_ics_x_wr_timezone_sets_the_zone_of_utc_and_floating_times() -> None:
    entries = by_uid(parsed("x-wr-timezone.ics", "ics"))
    assert entries["utc-results@example.org"].time == time(8, 0)  # 07:00 UTC = 8am BST
    assert entries["floating-briefing@example.org"].time == time(9, 0)  # 10:00 Paris = 9am UK


def test_ics_an_endless_rule_is_cut_to_the_window_and_the_occurrence_limit() -> None:
    feed = parsed("recurring-unbounded.ics", "ics")
    assert len(feed.entries) == MAX_OCCURRENCES
    assert feed.entries[0].start == date(2025, 9, 1)  # the academic year before the build's
    assert messages(feed) == [
        "recurring-unbounded.ics:4:1: RRULE: the event daily@example.org happens more than 200 "
        "times inside the window; the rest are left out"
    ]


def test_ics_single_events_in_the_hubs_years_are_kept_and_bad_ones_reported() -> None:
    """A single event is kept whenever it is, within the hub's years (2019 included, as in
    every other format); only a repeating event is expanded inside the window."""
    feed = parsed("out-of-bounds.ics", "ics")
    assert [e.title for e in feed.entries] == ["Long past", "Inside the window"]
    assert messages(feed) == [
        "out-of-bounds.ics:4:1: RRULE: the event hourly@example.org: it repeats minutely; only "
        "events that repeat daily or less often are read; skipped",
        "out-of-bounds.ics:17:1: SUMMARY: the event kept@example.org: it has no SUMMARY; skipped",
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "malformed.ics",
            "malformed.ics:3:1: not a valid iCalendar file: Content line could not be parsed "
            "into parts: 'this is not a calendar': Invalid content line",
        ),
        (
            "invalid-utf8.ics",
            "invalid-utf8.ics:9:1: not UTF-8 text (byte 239 is b'\\xff'); the feed must be UTF-8",
        ),
    ],
)
def test_ics_unreadable_files_say_why_and_where(name: str, message: str) -> None:
    feed = parsed(name, "ics")
    assert feed.entries == ()
    assert messages(feed) == [message]
    assert feed.unreadable_reason == message.split(":1: ", 1)[1]


# --- RSS and Atom ---------------------------------------------------------------------------


def test_rss_event_dates_or_else_the_publication_day() -> None:
    entries = by_uid(parsed("news.rss", "rss"))
    window = entries["eab-entries-window-2027"]
    assert (window.start, window.end, window.kind) == (
        date(2027, 2, 1),
        date(2027, 2, 21),
        "entries",
    )
    assert window.description == "Make entries for the summer series."
    assert window.link == "https://example.org/entries"
    # 23:30 GMT on 13 August 2026 is 14 August in the UK (BST)
    assert entries["eab-results-notice-2026"].start == date(2026, 8, 14)


def test_atom_entries() -> None:
    entries = by_uid(parsed("news.atom", "atom"))
    certificates = entries["urn:example:eab:certificates-2027"]
    assert (certificates.start, certificates.kind) == (date(2027, 9, 20), "certificates")
    assert certificates.link == "https://example.org/certificates"
    assert entries["urn:example:eab:resits-2027"].start == date(2026, 11, 2)


def test_rss_parser_says_why_a_document_is_not_a_feed() -> None:
    feed = parse("rss", b"<html><body>Sign in", "login.html", CONTEXT)
    assert feed.entries == ()
    assert feed.unreadable_reason.startswith("not a readable RSS or Atom feed")


# --- JSON -----------------------------------------------------------------------------------


def test_json_in_the_hubs_shape() -> None:
    entries = by_uid(parsed("dates.json", "json"))
    results = entries["results-to-learners-2027"]
    assert (results.start, results.time, results.kind, results.groups) == (
        date(2027, 8, 12),
        time(8, 0),
        "results-to-learners",
        ("Example Nationals",),
    )
    assert results.link == "https://example.org/results"
    assert entries["post-results-2027"].end == date(2027, 9, 24)


def test_json_feed_with_and_without_the_key_date_extension() -> None:
    entries = by_uid(parsed("jsonfeed.json", "json"))
    checkpoint = entries["https://example.org/dates/checkpoint-2"]
    assert (checkpoint.start, checkpoint.end, checkpoint.kind, checkpoint.groups) == (
        date(2027, 3, 1),
        date(2027, 4, 30),
        "checkpoint",
        ("example-tech-awards",),
    )
    assert entries["https://example.org/news/resits"].start == date(2026, 11, 2)


def test_json_bad_items_are_reported_and_good_ones_kept() -> None:
    feed = parsed("dates-bad-items.json", "json")
    assert [(e.uid, e.status) for e in feed.entries] == [("good", "provisional")]
    assert messages(feed) == [
        "dates-bad-items.json:2:1: items[0].title: the item has no title; skipped",
        "dates-bad-items.json:3:1: items[1].start: '2027-02-30' is not a real date; check the "
        "day and month; skipped",
        "dates-bad-items.json:4:1: items[2].time: 'noon' is not a time written HH:MM, like 18:00; "
        "skipped",
    ]


# --- Ofqual's key-dates CSV -----------------------------------------------------------------


def test_ofqual_csv_rows_become_entries_with_their_groups() -> None:
    feed = parse_ofqual_csv((FEEDS / "key-dates.csv").read_bytes(), "key-dates.csv", CONTEXT)
    assert feed.problems == ()
    assert [(e.title, e.start, e.end, e.groups, e.line) for e in feed.entries][:2] == [
        ("Term-time checkpoint 1", date(2026, 12, 7), date(2027, 1, 29), ("Example Nationals",), 2),
        (
            "Term-time checkpoint 1",
            date(2026, 12, 7),
            date(2027, 1, 29),
            ("Example Tech Awards",),
            3,
        ),
    ]
    certificates = feed.entries[2]
    assert (certificates.end, certificates.link) == (None, "https://example.org/certificates")
    assert feed.entries[4].description == "Visits are booked by the centre, so plan ahead"


def test_ofqual_csv_accepts_the_2023_spelling() -> None:
    feed = parse_ofqual_csv(
        (FEEDS / "key-dates-2023.csv").read_bytes(), "key-dates-2023.csv", CONTEXT
    )
    assert feed.problems == ()
    assert len(feed.entries) == 2
    assert qualification_type("Vocationally related qualification") == (
        "Vocationally Related Qualification"
    )
    assert qualification_type("technical  qualification") == "Technical Qualification"
    assert qualification_type("Applied general qualifications") == ""


def test_ofqual_csv_reports_every_bad_row_as_file_row_column_message() -> None:
    feed = parse_ofqual_csv((FEEDS / "key-dates-bad-rows.csv").read_bytes(), "bad.csv", CONTEXT)
    assert [e.title for e in feed.entries] == ["Claims deadline"]
    assert messages(feed) == [
        "bad.csv:2:1: Event: is empty; fill it in; skipped",
        "bad.csv:3:1: QualificationType: 'Applied general qualifications' is not one of "
        "Ofqual's types: Applied General Qualification, Other General Qualification, "
        "Vocationally Related Qualification, Technical Qualification, Performing Arts Graded "
        "Qualification, Occupational Qualification, Other Vocational Qualification; skipped",
        "bad.csv:4:1: StartDate: '2027-02-30' is not a real date; check the day and month; skipped",
        "bad.csv:5:1: EndDate: '17/09/2027' is not a date written YYYY-MM-DD, like 2026-08-13; "
        "skipped",
        "bad.csv:6:1: EndDate: ends (2027-05-03) before it starts (2027-05-14); swap them or "
        "fix one; skipped",
    ]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "key-dates-missing-columns.csv",
            "key-dates-missing-columns.csv:1:1: AOQualificationGroup: the column is missing; "
            "the first row must be: Event, QualificationType, AOQualificationGroup, StartDate, "
            "EndDate, AdditionalDescription",
        ),
        (
            "key-dates-cp1252.csv",
            "key-dates-cp1252.csv:2:1: not UTF-8 text (byte 94 is b'\\x96'); save the CSV as UTF-8",
        ),
    ],
)
def test_ofqual_csv_unreadable_files(name: str, message: str) -> None:
    feed = parse_ofqual_csv((FEEDS / name).read_bytes(), name, CONTEXT)
    assert feed.entries == ()
    assert messages(feed)[0] == message


# --- shared ---------------------------------------------------------------------------------


def test_entry_ids_are_stable_slugs_within_64_characters() -> None:
    entry = FeedEntry(uid="Results-2027@Example.org", title="Results", start=date(2027, 8, 12))
    assert entry_id(entry) == "results-2027-example-org"
    assert entry_id(entry, "cal") == "cal-results-2027-example-org"
    no_uid = FeedEntry(uid="", title="Results day!", start=date(2027, 8, 12))
    assert entry_id(no_uid) == "results-day-2027-08-12"
    long = FeedEntry(uid="x" * 100, title="Results", start=date(2027, 8, 12))
    assert len(entry_id(long)) == 64
    assert entry_id(long) == entry_id(long) != entry_id(FeedEntry("x" * 99, "R", date(2027, 8, 12)))


@pytest.mark.parametrize("format_name", sorted(FORMATS))
def test_no_fixture_gives_a_traceback_in_any_format(format_name: str) -> None:
    for path in sorted(FEEDS.iterdir()):
        feed = parse(format_name, path.read_bytes(), path.name, CONTEXT)
        assert feed.entries or feed.problems, path.name


def test_the_hubs_own_ofqual_download_reads_back_without_a_problem(
    built_fixture_hub: tuple[Path, BuildReport],
) -> None:
    site, _ = built_fixture_hub
    download = site / "downloads" / "ofqual" / "example-awarding-body.csv"
    feed = parse_ofqual_csv(download.read_bytes(), "example-awarding-body.csv", CONTEXT)
    assert feed.problems == ()
    assert {(e.title, e.start) for e in feed.entries} >= {
        ("Term-time checkpoint 1", date(2026, 12, 7)),
        ("Example Nationals results day", date(2027, 8, 12)),
    }
