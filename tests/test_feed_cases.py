"""Each input that once broke the hub, pinned with the outcome it has now.

The files are in ``tests/fixtures/feed-cases/`` (copied from the cases that showed each
fault). Every case ends parsed correctly, or with the one bad entry skipped and reported at
its line with its UID, the rest of the feed kept. How long each takes and how much memory,
on this machine, is measured by ``benchmarks/feed_cases.py``, not asserted here.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from hub_builder.feeds.entries import MAX_ENTRIES, MAX_OCCURRENCES, ParseContext, ParsedFeed
from hub_builder.feeds.formats import parse
from hub_builder.feeds.recurrence import MAX_CANDIDATES, MAX_FEED_CANDIDATES
from tests.conftest import FIXTURES

CASES = FIXTURES / "feed-cases"
TODAY = date(2026, 11, 28)


def read(name: str) -> ParsedFeed:
    kind = {"ics": "ics", "json": "json", "xml": "rss"}[name.rsplit(".", 1)[1]]
    return parse(kind, (CASES / name).read_bytes(), name, ParseContext(TODAY))


def messages(feed: ParsedFeed) -> list[str]:
    return [p.format() for p in feed.problems]


def titles(feed: ParsedFeed) -> list[str]:
    return [e.title for e in feed.entries]


GOOD = ["Good 1", "Good 2", "Good 3", "Good 4", "Good 5"]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("one_event_no_dtstart.ics", "39:1: DTSTART: the event bad@x: it has no DTSTART; skipped"),
        (
            "one_event_two_dtstart.ics",
            "39:1: DTSTART: the event bad@x: it has more than one DTSTART; skipped",
        ),
        (
            "one_event_bad_rrule_freq.ics",
            "39:1: RRULE: the event bad@x: RRULE cannot be read (Expected frequency, got: "
            "FORTNIGHTLY); skipped",
        ),
        (
            "one_event_rrule_byday_spaces.ics",
            "39:1: RRULE: the event bad@x: RRULE cannot be read (Expected weekday "
            "abbreviation, got:  TU); skipped",
        ),
    ],
)
def test_one_bad_event_is_skipped_at_its_line_and_the_calendar_kept(
    name: str, message: str
) -> None:
    feed = read(name)
    assert titles(feed) == GOOD
    assert messages(feed) == [f"{name}:{message}"]


def test_an_event_outside_the_hubs_years_is_skipped_at_its_line() -> None:
    feed = read("year_9999.ics")
    assert titles(feed) == GOOD
    assert messages(feed) == [
        "year_9999.ics:4:1: DTSTART: the event y1: 9999-12-31 is outside the years the hub "
        "accepts (2000 to 2100); skipped",
        "year_9999.ics:10:1: DTSTART: the event y2: 0001-01-01 is outside the years the hub "
        "accepts (2000 to 2100); skipped",
    ]


def test_an_unknown_x_wr_timezone_is_reported_and_uk_time_used() -> None:
    feed = read("floating_xwr_bad.ics")
    [entry] = feed.entries
    assert (entry.start, entry.time) == (date(2027, 6, 15), time(9, 0))
    assert messages(feed) == [
        "floating_xwr_bad.ics:1:1: X-WR-TIMEZONE: warning: X-WR-TIMEZONE 'Not/AZone' is not a "
        "known time zone; times without a zone are read as UK time"
    ]


@pytest.mark.parametrize("name", ["dst_gap.ics", "dst_gap.json"])
def test_a_uk_time_the_clocks_skip_is_read_an_hour_on_with_a_warning(name: str) -> None:
    feed = read(name)
    [entry] = feed.entries
    assert (entry.start, entry.time) == (date(2027, 3, 28), time(2, 30))
    [warning] = feed.problems
    assert not warning.is_error
    assert "01:30 on 2027-03-28 does not exist in UK time (the clocks go forward); read as " \
        "02:30, as calendar apps read it" in warning.message  # fmt: skip


@pytest.mark.parametrize("name", ["dst_fold_floating.ics", "utc_fold.ics"])
def test_a_time_in_the_repeated_hour_is_its_first_occurrence(name: str) -> None:
    """Floating 01:30, and 00:30 UTC (01:30 BST), on the day the clocks go back."""
    [entry] = read(name).entries
    assert (entry.start, entry.time) == (date(2027, 10, 31), time(1, 30))


def test_the_second_occurrence_of_a_repeated_hour_is_refused() -> None:
    text = (CASES / "utc_fold.ics").read_text().replace("T003000Z", "T013000Z")
    feed = parse("ics", text.encode(), "utc_fold.ics", ParseContext(TODAY))
    assert feed.entries == ()
    assert messages(feed) == [
        "utc_fold.ics:4:1: DTSTART: the event utc@x: 01:30 on 2027-10-31 is the second time "
        "that hour happens in UK time (the clocks go back), which a UK time cannot say; skipped"
    ]


@pytest.mark.parametrize("name", ["daily_byminute_2.ics", "daily_bysecond.ics"])
def test_a_rule_that_repeats_within_a_day_is_refused_before_it_is_expanded(name: str) -> None:
    feed = read(name)
    assert titles(feed) == ([] if name == "daily_byminute_2.ics" else ["Good 0", "Good 1",
                            "Good 2", "Good 3", "Good 4"])  # fmt: skip
    [refused] = feed.problems
    assert refused.field == "RRULE" and "BYHOUR gives it more than one time a day" in (
        refused.message
    )


def test_daily_series_from_1900_are_expanded_from_the_window_and_capped() -> None:
    feed = read("series_1900.ics")
    assert len(feed.entries) == MAX_ENTRIES
    assert min(e.start for e in feed.entries) == date(2025, 9, 1)
    capped = [m for m in messages(feed) if f"more than {MAX_OCCURRENCES} times" in m]
    assert capped, "each series is cut at the occurrence limit, and says so"
    assert messages(feed)[-1].endswith(
        f"more than {MAX_ENTRIES:,} entries in one feed; the rest are left out"
    )


def test_events_without_uid_are_each_their_own() -> None:
    feed = read("no_uid_many.ics")
    assert len(feed.entries) == 250 and messages(feed) == []
    assert len({e.title for e in feed.entries}) == 250


def test_two_events_sharing_a_uid_are_both_kept_and_reported() -> None:
    feed = read("same_uid_distinct.ics")
    assert titles(feed) == ["First", "Second"]
    assert len({e.uid for e in feed.entries}) == 2
    [warning] = feed.problems
    assert not warning.is_error and "two different events share the UID dup@x" in warning.message


def test_all_day_edges_give_true_ranges_or_are_refused() -> None:
    feed = read("allday_exclusive_end.ics")
    ranges = {e.uid: (e.start, e.end) for e in feed.entries}
    day = date(2027, 12, 7)
    assert ranges == {
        "a1": (day, None),
        "a2": (day, date(2027, 12, 8)),
        "a3": (day, None),
        "a4": (day, None),
        "a5": (day, date(2027, 12, 9)),
        "a7": (day, None),
    }
    assert [p.field for p in feed.problems] == ["DTEND", "DTEND"]
    assert "a6" in messages(feed)[0] and "RFC 5545 asks for the same kind" in messages(feed)[0]
    assert "a8: it ends before it starts" in messages(feed)[1]


def test_json_items_are_refused_or_mapped_one_by_one_never_silently() -> None:
    feed = read("json_edge.json")
    assert {e.uid: (e.kind, e.groups) for e in feed.entries} == {
        "b": ("", ()),
        "c": ("", ("vtqs-for-progression",)),
    }
    assert [(p.field, p.is_error) for p in feed.problems] == [
        ("items[0].end", True),
        ("items[1].kind", False),
        ("items[2].applies_to", False),
        ("items[3].time", True),
        ("items[4].status", True),
        ("items[5].start", True),
    ]
    assert "unknown status 'postponed'" in messages(feed)[4]


def test_json_duplicate_keys_and_nan_are_refused_per_item() -> None:
    feed = read("json_nan_dupkey.json")
    assert feed.entries == ()
    assert [p.message for p in feed.problems] == [
        "the key 'title' is given twice; keep one; skipped",
        "NaN or Infinity is not allowed in JSON; write text; skipped",
    ]


def test_rss_event_dates_that_cannot_be_read_skip_the_item() -> None:
    feed = read("rss_ev_unreadable.xml")
    assert feed.entries == ()
    assert [p.field for p in feed.problems] == ["ev:startdate", "ev:startdate", "ev:enddate"]
    assert "'13/08/2027' is not written YYYY-MM-DD" in messages(feed)[0]


def test_plain_text_titles_keep_angle_brackets() -> None:
    body = (
        (CASES / "same_uid_distinct.ics")
        .read_text()
        .replace("SUMMARY:First", "SUMMARY:Entries close for <Level 3> units")
    )
    feed = parse("ics", body.encode(), "x.ics", ParseContext(TODAY))
    assert feed.entries[0].title == "Entries close for <Level 3> units"


def test_the_shrink_cases_parse_in_full() -> None:
    """year2 is year1's feed replaced by next year's shorter one: its entries are read in full;
    whether to take it is fetch's decision (``--accept``), tested in test_feeds_faults."""
    counts = [len(read(name).entries) for name in ("year1.ics", "year2.ics", "year2b.ics")]
    assert counts == [10, 4, 5]


def test_a_feed_of_rules_that_never_match_costs_a_bounded_count_and_keeps_the_rest() -> None:
    """100 such events (15 KB, feed-cases/never_matching.ics) ran past 420 s. Each now
    examines at most MAX_CANDIDATES days and the feed at most MAX_FEED_CANDIDATES: ten are
    refused, the rest left out unexpanded, and the one ordinary event is kept."""
    feed = read("never_matching.ics")
    assert [e.title for e in feed.entries] == ["Entries close"]
    refused = [p for p in feed.problems if "candidate days: a rule that never" in p.message]
    assert len(refused) == MAX_FEED_CANDIDATES // MAX_CANDIDATES
    [spent] = [p for p in feed.problems if "repeating events need more than" in p.message]
    assert spent.message == (
        "its repeating events need more than 200,000 candidate days to work out; "
        "the rest are left out"
    )
    assert len(feed.problems) == len(refused) + 1


def test_an_entity_of_a_billion_laughs_is_never_expanded() -> None:
    assert titles(read("billion_laughs.xml")) == ["&lol9;"]


def test_every_case_file_is_covered_here() -> None:
    covered = {p.name for p in CASES.iterdir()}
    source = Path(__file__).read_text("utf-8")
    assert sorted(name for name in covered if name not in source) == []
