"""Structure-aware fuzzing of calendar feeds: events with random repeat rules, time zones,
and times in the hours the clocks change. Whatever the feed, parsing gives entries and
problems, never a traceback; every entry's UK time exists; every problem has its place; and
what is read stays inside the window and the limits."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hub_builder.calendar import exists_in_london
from hub_builder.feeds.entries import MAX_ENTRIES, ParseContext
from hub_builder.feeds.ics import parse_ics

TODAY = date(2026, 11, 28)
FIRST, LAST = ParseContext(TODAY).window

FREQS = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY", "MINUTELY", "SECONDLY", "FORTNIGHTLY"]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU", " TU", "XX"]
CLOCK_DAYS = ["20270328", "20271031", "20260329", "20261025", "20270615", "19000101", "99991231"]
ZONES = [
    ";TZID=Europe/London",
    ";TZID=America/New_York",
    ";TZID=Nowhere/Land",
    "",
]


@st.composite
def rrule(draw: st.DrawFn) -> str:
    parts = [f"FREQ={draw(st.sampled_from(FREQS))}"]
    if draw(st.booleans()):
        parts.append(f"INTERVAL={draw(st.integers(0, 400))}")
    if draw(st.booleans()):
        parts.append(f"COUNT={draw(st.integers(0, 5000))}")
    elif draw(st.booleans()):
        parts.append(f"UNTIL={draw(st.sampled_from(CLOCK_DAYS))}T000000Z")
    for part, values in (("BYHOUR", range(24)), ("BYMINUTE", range(60)), ("BYSECOND", range(60))):
        if draw(st.integers(0, 4)) == 0:
            chosen = draw(st.lists(st.sampled_from(list(values)), min_size=1, max_size=30))
            parts.append(f"{part}={','.join(map(str, chosen))}")
    if draw(st.booleans()):
        parts.append(f"BYDAY={','.join(draw(st.lists(st.sampled_from(DAYS), min_size=1)))}")
    return ";".join(parts)


@st.composite
def event(draw: st.DrawFn, index: int) -> str:
    day = draw(st.sampled_from(CLOCK_DAYS))
    lines = ["BEGIN:VEVENT"]
    if draw(st.integers(0, 5)):
        lines.append(f"UID:{draw(st.sampled_from(['a', 'b', str(index)]))}@fuzz")
    if draw(st.integers(0, 8)):
        lines.append(f"SUMMARY:Event {index} <Level {index}>")
    for _ in range(draw(st.sampled_from([1, 1, 1, 0, 2]))):
        if draw(st.booleans()):
            lines.append(f"DTSTART;VALUE=DATE:{day}")
        else:
            hour, minute = draw(st.sampled_from([0, 1, 2, 9, 23])), draw(st.sampled_from([0, 30]))
            clock = f"{hour:02d}{minute:02d}00"
            utc = "Z" if draw(st.integers(0, 3)) == 0 else ""
            zone = "" if utc else draw(st.sampled_from(ZONES))
            lines.append(f"DTSTART{zone}:{day}T{clock}{utc}")
    if draw(st.booleans()):
        lines.append(f"DTEND;VALUE=DATE:{draw(st.sampled_from(CLOCK_DAYS))}")
    if draw(st.booleans()):
        lines.append(f"RRULE:{draw(rrule())}")
    if draw(st.integers(0, 5)) == 0:
        lines.append(f"RECURRENCE-ID;VALUE=DATE:{day}")
    lines.append("END:VEVENT")
    return "\r\n".join(lines)


@st.composite
def calendar(draw: st.DrawFn) -> bytes:
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//fuzz//EN"]
    if draw(st.integers(0, 4)) == 0:
        head.append(f"X-WR-TIMEZONE:{draw(st.sampled_from(['Europe/London', 'Not/AZone']))}")
    events = [draw(event(i)) for i in range(draw(st.integers(1, 6)))]
    return "\r\n".join([*head, *events, "END:VCALENDAR", ""]).encode()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendar())
def test_any_calendar_gives_entries_and_problems_within_bounds(content: bytes) -> None:
    feed = parse_ics(content, "fuzz.ics", ParseContext(TODAY))
    assert len(feed.entries) <= MAX_ENTRIES
    for entry in feed.entries:
        assert FIRST <= entry.start <= LAST
        assert entry.end is None or entry.end > entry.start
        assert entry.time is None or exists_in_london(datetime.combine(entry.start, entry.time))
        assert entry.time is None or entry.time.second == 0
        assert isinstance(entry.time, time | None)
    for problem in feed.problems:
        assert problem.line >= 1 and problem.message
        assert "Traceback" not in problem.message


def test_a_repeating_event_that_lasts_into_the_year_9999_is_skipped_with_its_reason() -> None:
    """Found by the fuzzer above: moved on to the window, its end would pass the year 9999."""
    content = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fuzz//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:long@fuzz\r\nDTSTART;VALUE=DATE:19000101\r\nDTEND;VALUE=DATE:99991231\r\n"
        b"RRULE:FREQ=DAILY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    feed = parse_ics(content, "long.ics", ParseContext(TODAY))
    assert feed.entries == ()
    (problem,) = feed.problems
    assert (problem.line, problem.field) == (4, "DTEND")
    assert problem.message.endswith("it ends too far in the future for its repeats; skipped")


@pytest.mark.parametrize("frequency", ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"])
def test_a_rule_that_steps_by_nothing_is_skipped_with_its_reason(frequency: str) -> None:
    """Found by the fuzz test above: with INTERVAL=0 the repeats never ended, and the
    build waited while its memory grew."""
    content = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//fuzz//EN\r\nBEGIN:VEVENT\r\n"
        b"UID:never@fuzz\r\nSUMMARY:Never ends\r\nDTSTART;VALUE=DATE:20261025\r\n"
        + f"RRULE:FREQ={frequency};INTERVAL=0\r\n".encode()
        + b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    feed = parse_ics(content, "never.ics", ParseContext(TODAY))
    assert feed.entries == ()
    (problem,) = feed.problems
    assert (problem.line, problem.field) == (4, "RRULE")
    assert problem.message.endswith("INTERVAL=0; it must be 1 or more; skipped")
