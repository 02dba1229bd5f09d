"""The calendars of a large hub's path (:mod:`hub_builder.scale`), written directly: the
bytes the icalendar library writes for the same calendars (:mod:`calendars`), at a small
fraction of its cost, tested byte for byte against it on every calendar of the real hub,
the fixture hub and hostile text.

Each event is written once, into ``calendars/all.ics``, which every other calendar takes its
events from (by their spans in its bytes, never copied), so that no second copy of them is
held: at 500,000 dates that would be 290 MB.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from hub_builder.calendar import LONDON_ID
from hub_builder.domain.identity import event_uid
from hub_builder.model import Hub, KeyDate
from hub_builder.render.calendars import (
    CALENDAR_END,
    EVENT_STATUS,
    PRODID,
    REFRESH,
    Writer,
    checked_name,
    description,
    london_timezone,
    summary,
)


def writer(hub: Hub) -> Writer:
    """Calendars written directly; the first written must be all.ics, which holds every
    event (as :func:`calendars.calendars_of` gives them)."""
    timezone = london_timezone().to_ical()
    stamp = f"{hub.built_at.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    spans: dict[str, tuple[int, int]] = {}
    events: list[memoryview] = []  # all.ics, once written

    def write(name: str, chosen: Iterable[KeyDate]) -> bytes:
        if not events:
            everything, found = calendar_with_spans(
                name, timezone, ((d.uid, event_text(hub, d, stamp)) for d in chosen)
            )
            spans.update(found)
            events.append(memoryview(everything))
            return everything
        texts = [events[0][start:end] for start, end in (spans[d.uid] for d in chosen)]
        return calendar_file(name, timezone, texts)

    return write


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
    on every calendar of the hub and on hostile names. A name with a line break is refused
    (:func:`calendars.checked_name`)."""
    checked_name(name)
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
