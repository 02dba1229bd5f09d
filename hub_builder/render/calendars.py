"""iCalendar (RFC 5545) subscriptions under ``/calendars/``, built with ``icalendar``.

==================================  ====================================================
path                                holds
==================================  ====================================================
calendars/all.ics                   every key date, national ones included
calendars/national.ics              the national calendar's dates
calendars/organisations/<id>.ics    one organisation's dates
calendars/groups/<id>/<group>.ics   one qualification group's dates (those that name it, and
                                    the organisation's dates for all its groups), with the
                                    national calendar's results days and deadlines
calendars/kinds/<kind>.ics          every date of one kind (all results days, all
                                    checkpoints…); one file for every kind, even empty
==================================  ====================================================

Each date is one VEVENT whose UID is ``<organisation id>-<date id>@vtq-hub`` (the date's
``uid``, as on /dates/), the same in every file, so a calendar app updates an event rather
than adding a second one. A date without a time is an all-day event whose DTEND is the day
after its last day (exclusive, as RFC 5545 says). A date with a time is a timed event in
Europe/London: a deadline (one moment) has a DTSTART and no DTEND (RFC 5545 3.6.1; an
event's DTEND must be later than its start); a timed date with an end runs to the end of
its last day. The VTIMEZONE is written as the IANA rules are, two yearly RRULEs (last
Sunday of March, 01:00 UTC; last Sunday of October, 01:00 UTC), which every client reads;
lists of change dates (RDATE) are misread by some. SEQUENCE counts the date's moves and
cancellations, recorded or not yet recorded (:attr:`model.KeyDate.sequence`), so it rises
in any build after a date moves (two moves built without recording in between share one
number until they are recorded); DTSTAMP is the build's clock. The description
ends with the source link.

A date the calendar cannot express (a UK time that does not exist, as the clocks go
forward) and two dates with one UID are :class:`errors.OutputProblems`, each naming the
source record; validation refuses both first, so a valid hub never meets them. A time in the
hour the clocks go back means its first occurrence, as RFC 5545 says.

    >>> [o.path for o in render(hub)][0]                               # doctest: +SKIP
    'calendars/all.ics'
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from hub_builder.calendar import LONDON_ID
from hub_builder.domain.identity import clashes_of, event_uid, source_record
from hub_builder.errors import OutputProblems
from hub_builder.formatting import change_note
from hub_builder.model import (
    KIND_LABELS,
    NATIONAL_ID,
    NATIONAL_NAME,
    Hub,
    KeyDate,
    Organisation,
    date_order,
)
from hub_builder.render.output import Output
from hub_builder.render.records import groups_of

if TYPE_CHECKING:  # icalendar is imported when calendars are made, not by every command
    from icalendar import Timezone

PRODID = "-//VTQ Hub//Key dates//EN"
CALENDAR_END = b"END:VCALENDAR\r\n"
REFRESH = "P1D"  # how often a subscribed calendar app should fetch the file again
EVENT_STATUS = {
    "provisional": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "changed": "CONFIRMED",
    "cancelled": "CANCELLED",
    "inferred": "TENTATIVE",  # worked out from a general statement: never confirmed
    "expected": "TENTATIVE",
}


def render(hub: Hub) -> Iterator[Output]:
    check(hub)
    dates = hub.all_dates
    timezone = london_timezone().to_ical()
    # Each event is serialised once, into all.ics; every other file takes its events from
    # there, so that no second copy of them is held (at 500,000 dates, 290 MB).
    stamp = f"{hub.built_at.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    everything, spans = calendar_with_spans(
        "VTQ Hub: all key dates", timezone, ((d.uid, event_text(hub, d, stamp)) for d in dates)
    )
    yield Output("calendars/all.ics", everything)
    events = memoryview(everything)

    def calendar_output(path: str, name: str, chosen: Iterable[KeyDate]) -> Output:
        texts = [events[start:end] for start, end in (spans[d.uid] for d in chosen)]
        return Output(path, calendar_file(name, timezone, texts))

    national = [d for d in dates if d.organisation_id == NATIONAL_ID]

    yield calendar_output("calendars/national.ics", f"VTQ Hub: {NATIONAL_NAME.lower()}", national)
    for o in hub.organisations:
        yield calendar_output(
            f"calendars/organisations/{o.id}.ics", f"VTQ Hub: {o.name}", o.key_dates
        )
    for o in hub.organisations:
        for group_id, group_dates in dates_by_group(o).items():
            yield calendar_output(
                group_calendar_path(o.id, group_id),
                f"VTQ Hub: {o.group(group_id).name} ({o.short_name})",
                sorted([*national, *group_dates], key=date_order),
            )
    for kind, label in sorted(KIND_LABELS.items()):
        yield calendar_output(
            f"calendars/kinds/{kind}.ics", f"VTQ Hub: {label}", [d for d in dates if d.kind == kind]
        )


def dates_by_group(org: Organisation) -> dict[str, list[KeyDate]]:
    """Each group's dates (those naming it, and those for all groups), in one pass."""
    found: dict[str, list[KeyDate]] = {g.id: [] for g in org.qualification_groups}
    for key_date in org.key_dates:
        for group_id in key_date.applies_to or found:
            found[group_id].append(key_date)
    return found


def group_calendar_path(organisation_id: str, group_id: str) -> str:
    return f"calendars/groups/{organisation_id}/{group_id}.ics"


def check(hub: Hub) -> None:
    """Every problem that would make a calendar wrong, all at once."""
    clashes = clashes_of(hub)
    if clashes:
        raise OutputProblems([f"{source_record(hub, c.key_date)}: {c.reason}" for c in clashes])


def calendar_file(name: str, timezone: bytes, events: Iterable[bytes | memoryview]) -> bytes:
    """A whole VCALENDAR: its properties, then the time zone and the already serialised
    events, in the order icalendar itself writes components."""
    return b"".join([calendar_head(name), timezone, *events, CALENDAR_END])


def calendar_with_spans(
    name: str, timezone: bytes, events: Iterable[tuple[str, bytes]]
) -> tuple[bytes, dict[str, tuple[int, int]]]:
    """What :func:`calendar_file` makes of the ``(uid, text)`` events, written one at a time
    into the file's bytes, and where in them each event's text starts and ends."""
    file = io.BytesIO()
    file.write(calendar_head(name) + timezone)
    spans: dict[str, tuple[int, int]] = {}
    for uid, text in events:
        start = file.tell()
        file.write(text)
        spans[uid] = (start, file.tell())
    file.write(CALENDAR_END)
    return file.getvalue(), spans


def calendar_head(name: str) -> bytes:
    """The calendar's own properties, written directly as the icalendar library writes them
    (its order; the names of X- properties as they are, unescaped), which the tests check
    on every calendar of the hub and on hostile names. A name is one line of text (the
    schemas' ``shortText``); one with a line break, which would start a line of its own in
    the file, is refused."""
    if "\n" in name or "\r" in name:
        raise OutputProblems([f"a calendar's name has a line break in it: {name!r}"])
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALDESC:{name}, from the VTQ Hub. Times are UK time.",
        f"X-WR-CALNAME:{name}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
        f"X-WR-TIMEZONE:{LONDON_ID}",
    ]
    return "".join(fold(line) + "\r\n" for line in lines).encode()


def london_timezone() -> Timezone:
    """Europe/London as its rules: British Summer Time from 01:00 GMT on the last Sunday of
    March, GMT again from 02:00 BST on the last Sunday of October (both 01:00 UTC); each
    DTSTART is the local time before the change. The same in every file."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = Timezone()
    zone.add("tzid", LONDON_ID)
    zone.add("x-lic-location", LONDON_ID)
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    # A VTIMEZONE's DTSTART is the local time of the change, with no zone (RFC 5545 3.6.5).
    summer.add("dtstart", datetime(1970, 3, 29, 1, 0))  # noqa: DTZ001
    summer.add("tzoffsetfrom", timedelta(0))
    summer.add("tzoffsetto", timedelta(hours=1))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("dtstart", datetime(1970, 10, 25, 2, 0))  # noqa: DTZ001
    winter.add("tzoffsetfrom", timedelta(hours=1))
    winter.add("tzoffsetto", timedelta(0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def event_text(hub: Hub, key_date: KeyDate, dtstamp: str) -> bytes:
    """One VEVENT, written directly: the bytes the icalendar library writes for the same
    event (property order, TEXT escaping, folding), at a small fraction of its cost; the
    tests compare the two on every event of the hub and of hostile text. ``dtstamp`` is the
    build clock as ``20261123T093000Z``, the same for every event."""
    lines = [
        "BEGIN:VEVENT",
        "SUMMARY:" + ical_text(summary(hub, key_date)),
        *timing(key_date),
        "DTSTAMP:" + dtstamp,
        "UID:" + event_uid(key_date),
        f"SEQUENCE:{key_date.sequence}",
        "CATEGORIES:" + ical_text(key_date.kind_label),
        "DESCRIPTION:" + ical_text(description(hub, key_date)),
        "STATUS:" + EVENT_STATUS[key_date.status],
        "TRANSP:TRANSPARENT",
        "URL:" + key_date.source_url,
        "END:VEVENT",
    ]
    return "".join(fold(line) + "\r\n" for line in lines).encode()


def timing(key_date: KeyDate) -> list[str]:
    """DTSTART and DTEND: all-day with an exclusive end; a timed deadline has no end; a timed
    date with an end runs to the end of its last day."""
    if key_date.time is None:
        end = key_date.last_day + timedelta(days=1)
        return [f"DTSTART;VALUE=DATE:{key_date.start:%Y%m%d}", f"DTEND;VALUE=DATE:{end:%Y%m%d}"]
    start = datetime.combine(key_date.start, key_date.time)
    lines = [f"DTSTART;TZID={LONDON_ID}:{start:%Y%m%dT%H%M%S}"]
    if key_date.end is not None:
        lines.append(f"DTEND;TZID={LONDON_ID}:{key_date.end + timedelta(days=1):%Y%m%d}T000000")
    return lines


def ical_text(text: str) -> str:
    """A TEXT value escaped as RFC 5545 3.3.11 says (and as icalendar writes it)."""
    return (
        text.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


FOLD_AT = 75  # octets; a line is split before the character that would reach it


def fold(line: str) -> str:
    """RFC 5545 3.1 folding as icalendar does it: lines of at most 74 octets, never splitting
    a character, and never leaving a backslash escape's ``\\`` at the end of a line."""
    if line.isascii():
        return fold_ascii(line)
    parts: list[str] = []
    current: list[str] = []
    count = 0
    for char in line:
        size = len(char.encode())
        if current and count + size >= FOLD_AT:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, count = [carried], len(carried.encode())
            else:
                parts.append("".join(current))
                current, count = [], 0
        current.append(char)
        count += size
    parts.append("".join(current))
    return "\r\n ".join(parts)


def fold_ascii(line: str) -> str:
    """:func:`fold` for a line of one-octet characters, a slice at a time: 74 characters to a
    line, 73 when the 74th is a ``\\`` or ``^``, which starts the next line instead."""
    parts = []
    start = 0
    while len(line) - start >= FOLD_AT:
        end = start + FOLD_AT - 1
        if line[end - 1] in "\\^":
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return "\r\n ".join(parts)


SUMMARY_PREFIX = {"cancelled": "Cancelled: ", "expected": "Expected: ", "inferred": "Inferred: "}


def summary(hub: Hub, key_date: KeyDate) -> str:
    """The event's title; a cancelled date says so, and so does an expected one (worked out
    from a standing rule, not published for its year)."""
    prefix = SUMMARY_PREFIX.get(key_date.status, "")
    if key_date.organisation_id == NATIONAL_ID:
        return f"{prefix}{key_date.title}"
    org = hub.organisation(key_date.organisation_id)
    return f"{prefix}{org.acronym or org.name}: {key_date.title}"


def description(hub: Hub, key_date: KeyDate) -> str:
    groups = groups_of(hub, key_date)
    lines = [
        f"{key_date.kind_label}. Status: {key_date.status}.",
        *([f"Qualifications: {', '.join(g.name for g in groups)}."] if groups else []),
        *([key_date.description] if key_date.description else []),
        *([change_note(key_date) + "."] if change_note(key_date) else []),
        f"Source: {key_date.source_url}",
    ]
    return "\n".join(lines)
