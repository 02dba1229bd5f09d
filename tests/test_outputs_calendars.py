"""Calendars: what would be wrong is a build error naming the source record, and the direct
writer of a large hub's path gives the icalendar library's own bytes for every event, head
and file."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from hub_builder.calendar import LONDON
from hub_builder.domain.identity import event_uid
from hub_builder.errors import OutputProblems
from hub_builder.load.sources import read_documents, source_paths
from hub_builder.model import Hub, KeyDate
from hub_builder.normalise import normalise
from hub_builder.render import calendars, ics_direct
from tests.conftest import FIXTURE_HUB, ROOT, fixture_hub
from tests.test_cli import vtq_hub

ORG = "example-awarding-body"


def with_claims(hub: Hub, **fields: object) -> Hub:
    org = hub.organisation(ORG)
    dates = tuple(
        replace(d, **fields) if d.id == "claims-deadline-2027" else d  # type: ignore[arg-type]
        for d in org.key_dates
    )
    return replace(hub, organisations=(replace(org, key_dates=dates),))


def test_a_uk_time_the_clocks_skip_is_a_build_error() -> None:
    """A guard only: validation refuses such a time first, and feeds read it an hour on."""
    hub = with_claims(fixture_hub(), start=date(2027, 3, 28), time=time(1, 30))
    with pytest.raises(OutputProblems) as raised:
        list(calendars.render(hub))
    (problem,) = raised.value.problems
    assert problem.startswith(
        f"tests/fixtures/hub/organisations/{ORG}.yaml: key date claims-deadline-2027: "
        "01:30 on 2027-03-28 does not exist in UK time"
    )
    assert "choose another time" in problem


def test_a_uk_time_the_clocks_repeat_means_its_first_occurrence() -> None:
    """1:30am on 31 October 2027 happens twice; as RFC 5545 3.3.5 reads it, the first (BST)."""
    hub = with_claims(fixture_hub(), start=date(2027, 10, 31), time=time(1, 30))
    (claims,) = (
        e
        for o in calendars.render(hub)
        if o.path == "calendars/all.ics"
        for e in Calendar.from_ical(o.content).walk("VEVENT")
        if "claims-deadline-2027" in str(e["UID"])
    )
    start = claims.decoded("DTSTART")
    assert start.utcoffset() == timedelta(hours=1) and start.hour == 1


def test_a_time_just_after_the_change_is_fine() -> None:
    hub = with_claims(fixture_hub(), start=date(2027, 3, 28), time=time(2, 0))
    (claims,) = (
        e
        for e in Calendar.from_ical(next(calendars.render(hub)).content).walk("VEVENT")
        if str(e["UID"]).startswith(f"{ORG}-claims")
    )
    assert claims.decoded("DTSTART").utcoffset().total_seconds() == 3600


def test_two_records_with_one_uid_are_a_build_error_naming_both() -> None:
    hub = fixture_hub()
    org = hub.organisation(ORG)
    clash = replace(
        org,
        id="example-awarding",
        name="Example Awarding",
        source_path="organisations/example-awarding.yaml",
        key_dates=(
            replace(
                org.key_dates[0], organisation_id="example-awarding", id="body-claims-deadline-2027"
            ),
        ),
    )
    with pytest.raises(OutputProblems) as raised:
        list(calendars.render(replace(hub, organisations=(org, clash))))
    (problem,) = raised.value.problems
    assert "example-awarding-body-claims-deadline-2027@vtq-hub" in problem
    assert "organisations/example-awarding.yaml: key date body-claims-deadline-2027" in problem
    assert f"organisations/{ORG}.yaml: key date claims-deadline-2027" in problem


def test_a_timed_date_with_an_end_runs_to_the_end_of_its_last_day() -> None:
    hub = with_claims(fixture_hub(), end=date(2027, 7, 2))
    all_ics = Calendar.from_ical(next(calendars.render(hub)).content)
    claims = next(e for e in all_ics.walk("VEVENT") if str(e["UID"]).startswith(f"{ORG}-claims"))
    assert claims.decoded("DTEND").isoformat() == "2027-07-03T00:00:00+01:00"


def test_a_cancelled_date_says_so() -> None:
    hub = with_claims(fixture_hub(), status="cancelled")
    all_ics = Calendar.from_ical(next(calendars.render(hub)).content)
    claims = next(e for e in all_ics.walk("VEVENT") if str(e["UID"]).startswith(f"{ORG}-claims"))
    assert (claims["STATUS"], str(claims["SUMMARY"])) == (
        "CANCELLED",
        "Cancelled: EAB: Final claims deadline",
    )


def test_each_kind_has_a_calendar_even_when_empty() -> None:
    paths = {o.path for o in calendars.render(fixture_hub())}
    assert "calendars/kinds/results-day.ics" in paths
    assert "calendars/kinds/resits.ics" in paths
    resits = next(o for o in calendars.render(fixture_hub()) if o.path.endswith("resits.ics"))
    parsed = Calendar.from_ical(resits.content)
    assert (str(parsed["X-WR-CALNAME"]), parsed.walk("VEVENT")) == ("VTQ Hub: Resits", [])


def test_the_build_command_names_the_record_and_writes_nothing(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    org_file = sources / "organisations" / f"{ORG}.yaml"
    text = org_file.read_text("utf-8").replace("start: 2027-06-30", "start: 2027-03-28")
    org_file.write_text(text.replace('time: "23:59"', 'time: "01:30"'), "utf-8")
    result = vtq_hub("build", "--sources", str(sources), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert (
        f"organisations/{ORG}.yaml:51:11: key_dates[1].time: 01:30 on 2027-03-28 does not exist "
        "in UK time (the clocks go forward an hour at 1am); choose another time, like 02:30"
    ) in result.stderr, "refused at its line, before anything is rendered"
    assert "Nothing was written." in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# The direct writer against the icalendar library -------------------------------------------


def reference_event(hub: Hub, key_date: KeyDate) -> bytes:
    """The same event as the plain path builds it, written by the icalendar library."""
    written: bytes = calendars.event(hub, key_date).to_ical()
    return written


HOSTILE_TEXT = [
    "Back\\slash; semi, comma",
    "Line one\nline two\r\nline three\rfour",
    "Ünïcödé café \u2013 résumé \u201cquotes\u201d " * 4,
    "x" * 73 + "\\;" + "y" * 80,
    "é" * 120,
    "\\N and \\n written out",
    "😀 emoji across a fold " * 6,
    "\\" * 200,  # an escape's backslash at every place a line could end
    "^" * 200,
    "a\\" * 120,
    "ab^" * 80,
]


def hubs_to_compare() -> list[Hub]:
    real = normalise(
        read_documents(source_paths(ROOT / "sources")), datetime(2026, 11, 28, 9, tzinfo=LONDON)
    )
    fixture = fixture_hub()
    org = fixture.organisation(ORG)
    hostile = [
        replace(d, id=f"{d.id}-{n}", title=text, description=text * 2)
        for n, text in enumerate(HOSTILE_TEXT)
        for d in org.key_dates[:1]
    ]
    odd = replace(fixture, organisations=(replace(org, key_dates=(*org.key_dates, *hostile)),))
    return [real, fixture, odd]


def test_the_direct_writer_gives_icalendars_bytes_for_every_event() -> None:
    compared = 0
    for hub in hubs_to_compare():
        stamp = f"{hub.built_at.astimezone(UTC):%Y%m%dT%H%M%SZ}"
        for key_date in hub.all_dates:
            assert ics_direct.event_text(hub, key_date, stamp) == reference_event(hub, key_date), (
                key_date.uid
            )
            compared += 1
    assert compared > 80


def reference_head(name: str) -> bytes:
    """A calendar's own properties built and written by the icalendar library."""
    cal = Calendar()
    cal.add("prodid", calendars.PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", f"{name}, from the VTQ Hub. Times are UK time.")
    cal.add("x-wr-timezone", "Europe/London")
    cal.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", calendars.REFRESH)
    written: bytes = cal.to_ical()
    return written.removesuffix(b"END:VCALENDAR\r\n")


def calendar_name(content: bytes) -> bytes:
    """The calendar's name as a file gives it (X-WR-CALNAME, unfolded)."""
    return content.split(b"X-WR-CALNAME:")[1].split(b"\r\nREFRESH")[0].replace(b"\r\n ", b"")


def test_the_direct_writer_gives_icalendars_bytes_for_every_calendar_head() -> None:
    names = [
        *(calendar_name(o.content) for hub in hubs_to_compare() for o in calendars.render(hub)),
        *(text.replace("\r", " ").replace("\n", " ").encode() for text in HOSTILE_TEXT),
        b'Quotes " and : colons; semis, commas',
    ]
    assert len(names) > 100
    for name in names:
        text = name.decode()
        assert ics_direct.calendar_head(text) == reference_head(text), text


@pytest.mark.parametrize("name", ["Two\nlines", "Carriage\rreturn"])
def test_a_calendar_name_with_a_line_break_is_refused(name: str) -> None:
    with pytest.raises(OutputProblems, match="line break"):
        ics_direct.calendar_head(name)
    with pytest.raises(OutputProblems, match="line break"):
        calendars.checked_name(name)


@pytest.mark.parametrize("large", [False, True])
def test_every_calendar_gives_each_event_whole_as_the_writer_writes_it_alone(large: bool) -> None:
    """On either path, each event of every file is the event's own text, and the file is
    what ``calendar_file`` makes of those texts (on a large hub's path, all.ics is written
    first and every other calendar takes its events from it)."""
    calendars_compared = 0
    for hub in hubs_to_compare():
        stamp = f"{hub.built_at.astimezone(UTC):%Y%m%dT%H%M%SZ}"
        texts = {event_uid(d): ics_direct.event_text(hub, d, stamp) for d in hub.all_dates}
        timezone = calendars.london_timezone().to_ical()
        for output in calendars.render(hub, large):
            before, *rest = output.content.split(b"BEGIN:VEVENT\r\n")
            events = [b"BEGIN:VEVENT\r\n" + part for part in rest]
            if events:
                events[-1] = events[-1].removesuffix(ics_direct.CALENDAR_END)
            uids = [uid_of(event) for event in events]
            assert events == [texts[uid] for uid in uids], output.path
            expected = ics_direct.calendar_file(
                calendar_name(before).decode(), timezone, [texts[uid] for uid in uids]
            )
            assert output.content == expected, output.path
            calendars_compared += 1
    assert calendars_compared > 30


def test_the_direct_writer_writes_every_calendar_as_icalendar_does_byte_for_byte() -> None:
    """The large hub's path writes each calendar file directly; the plain path, with the
    icalendar library. The same files, path for path and byte for byte."""
    compared = 0
    for hub in hubs_to_compare():
        plain = list(calendars.render(hub))
        assert list(calendars.render(hub, large=True)) == plain
        assert plain[0].content.count(b"BEGIN:VEVENT") == len(hub.all_dates)
        compared += len(plain)
    assert compared > 100


def test_each_calendar_is_the_file_icalendar_writes_for_the_whole_calendar() -> None:
    """The plain path has icalendar write each event once and joins them: the same file as
    icalendar writes for the calendar with its time zone and events as components."""
    hub = fixture_hub()
    events = {d.uid: calendars.event(hub, d) for d in hub.all_dates}
    written = list(zip(calendars.calendars_of(hub), calendars.render(hub), strict=True))
    for (path, name, chosen), output in written:
        whole = calendars.calendar(name)
        whole.add_component(calendars.london_timezone())
        for key_date in chosen:
            whole.add_component(events[key_date.uid])
        assert (output.path, output.content) == (path, whole.to_ical())
    assert len(written) > 15


def uid_of(event: bytes) -> str:
    unfolded = event.replace(b"\r\n ", b"")
    return unfolded.split(b"\r\nUID:")[1].split(b"\r\n")[0].decode()


@pytest.mark.parametrize("count", [0, 1, 3])
def test_a_calendar_written_with_spans_is_the_same_file_and_each_span_is_its_event(
    count: int,
) -> None:
    events = [
        (f"uid-{n}", f"BEGIN:VEVENT\r\nUID:uid-{n}\r\nEND:VEVENT\r\n".encode())
        for n in range(count)
    ]
    timezone = calendars.london_timezone().to_ical()
    written, spans = ics_direct.calendar_with_spans("A name", timezone, events)
    assert written == ics_direct.calendar_file("A name", timezone, [text for _, text in events])
    assert {uid: written[start:end] for uid, (start, end) in spans.items()} == dict(events)
