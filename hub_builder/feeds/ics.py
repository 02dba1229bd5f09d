"""iCalendar (RFC 5545) feeds → :class:`FeedEntry` records, with ``icalendar`` and
``recurring-ical-events``.

    parse_ics(Path("calendar.ics").read_bytes(), "calendar.ics", ParseContext(date.today()))

- Each VEVENT is an entry; a recurring one (RRULE, RDATE, moved instances) becomes one entry
  per occurrence inside ``ParseContext.window``, at most ``MAX_OCCURRENCES`` each, its UID
  suffixed with the occurrence's date so ids stay stable. Events outside the window are left
  out. Rules repeating more often than daily, and rules past ``MAX_SERIES``, are reported and
  left out, which bounds the work whatever the feed says.
- All-day events (``VALUE=DATE``) have an exclusive DTEND: 7 to 8 December is one day.
- Times with a TZID or in UTC are converted to UK time; floating times are read in the
  calendar's ``X-WR-TIMEZONE`` when it has one, else as UK time. ``X-WR-TIMEZONE`` calendars
  (Google's) are first made standard by ``x-wr-timezone``, as recurring-ical-events does.
- SUMMARY is the title, DESCRIPTION the description, URL the link (https only), CATEGORIES
  may name a kind, STATUS (TENTATIVE, CONFIRMED, CANCELLED) the status.
Events without a SUMMARY or a readable DTSTART are reported and skipped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub_builder.calendar import LONDON
from hub_builder.feeds.entries import (
    MAX_DESCRIPTION,
    MAX_ENTRIES,
    MAX_OCCURRENCES,
    MAX_TITLE,
    FeedEntry,
    NotText,
    ParseContext,
    ParsedFeed,
    https_link,
    kind_from,
    line_of,
    plain_text,
    problem,
    status_from,
    unreadable,
    utf8_text,
)
from hub_builder.problems import Problem

SERIES_PROPERTIES = ("RRULE", "RDATE", "RECURRENCE-ID")
SUB_DAILY = frozenset({"HOURLY", "MINUTELY", "SECONDLY"})
MAX_SERIES = 100

if TYPE_CHECKING:
    import icalendar


def parse_ics(content: bytes, source: str, context: ParseContext) -> ParsedFeed:
    import icalendar  # imported on first use: a build without feeds never needs it

    try:
        text = utf8_text(content)
    except NotText as exc:
        return unreadable(source, f"{exc}; the feed must be UTF-8", exc.line)
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        quoted = re.search(r"'([^']+)'", str(exc))
        line = line_of(text, quoted.group(1)) if quoted else 1
        return unreadable(source, f"not a valid iCalendar file: {_first_line(exc)}", line)
    if not isinstance(calendar, icalendar.Calendar):
        return unreadable(source, "not an iCalendar file: it has no VCALENDAR")
    problems = list(_component_problems(calendar, text, source))
    floating_zone = _floating_zone(calendar)
    series = {str(c.get("UID", "")) for c in calendar.walk("VEVENT") if _in_series(c)}
    entries: list[FeedEntry] = []
    occurrences: Counter[str] = Counter()
    for event in _events_in_window(calendar, context, problems, source, text):
        uid = str(event.get("UID", ""))
        occurrences[uid] += 1
        if occurrences[uid] > MAX_OCCURRENCES:
            if occurrences[uid] == MAX_OCCURRENCES + 1:
                problems.append(
                    _limit(source, text, uid, "occurrences of one event", MAX_OCCURRENCES)
                )
            continue
        if len(entries) == MAX_ENTRIES:
            problems.append(_limit(source, text, "", "entries in one feed", MAX_ENTRIES))
            break
        entry = _entry(event, uid in series, floating_zone, text, source, problems)
        if entry is not None:
            entries.append(entry)
    return ParsedFeed(tuple(entries), tuple(problems))


def _events_in_window(
    calendar: icalendar.Calendar,
    context: ParseContext,
    problems: list[Problem],
    source: str,
    text: str,
) -> list[Any]:
    """Every occurrence inside the window, in start order. Series that repeat more often
    than daily, and series past ``MAX_SERIES``, are left out first (and reported), so the
    expansion is bounded: at most ``MAX_SERIES`` series over the window's days."""
    _drop_unbounded_series(calendar, problems, source, text)
    import recurring_ical_events

    first, last = context.window
    try:
        query = recurring_ical_events.of(
            calendar, keep_recurrence_attributes=True, skip_bad_series=True
        )
        events = query.between(first, last + timedelta(days=1))
    except (ValueError, TypeError, recurring_ical_events.InvalidCalendar) as exc:
        problems.append(problem(source, 1, "", f"could not expand the events: {exc}"))
        return []
    return sorted(events, key=lambda event: (_day(event.start), str(event.get("UID", ""))))


def _drop_unbounded_series(
    calendar: icalendar.Calendar, problems: list[Problem], source: str, text: str
) -> None:
    series = 0
    for component in list(calendar.subcomponents):
        rule = component.get("RRULE") if component.name == "VEVENT" else None
        if rule is None:
            continue
        uid = str(component.get("UID", ""))
        frequency = str((rule.get("FREQ") or [""])[0]).upper()
        series += 1
        if frequency in SUB_DAILY or series > MAX_SERIES:
            calendar.subcomponents.remove(component)
            message = (
                f"repeats {frequency.lower()}; only events that repeat daily or less often "
                "are read, so it is left out"
                if frequency in SUB_DAILY
                else f"more than {MAX_SERIES} repeating events; the rest are left out"
            )
            problems.append(problem(source, line_of(text, f"UID:{uid}"), "RRULE", message))


def _entry(
    event: Any,
    recurring: bool,
    floating_zone: ZoneInfo,
    text: str,
    source: str,
    problems: list[Problem],
) -> FeedEntry | None:
    uid = str(event.get("UID", ""))
    line = line_of(text, f"UID:{uid}") if uid else 1
    title = plain_text(str(event.get("SUMMARY", "")), MAX_TITLE)
    if not title:
        problems.append(problem(source, line, "SUMMARY", "the event has no SUMMARY; skipped"))
        return None
    start_day, start_time = _local(event.start, floating_zone)
    end_day = _last_day(event.start, event.end, floating_zone)
    categories = [str(c) for c in _categories(event)]
    return FeedEntry(
        uid=f"{uid}-{start_day.isoformat()}" if recurring and uid else uid,
        title=title,
        start=start_day,
        end=end_day if end_day > start_day else None,
        time=start_time,
        description=plain_text(str(event.get("DESCRIPTION", "")), MAX_DESCRIPTION),
        link=https_link(str(event.get("URL", ""))),
        kind=kind_from(categories),
        status=status_from(str(event.get("STATUS", ""))),
        line=line,
    )


def _local(value: date, floating_zone: ZoneInfo) -> tuple[date, time | None]:
    """The UK day and time of an iCalendar DATE or DATE-TIME."""
    if not isinstance(value, datetime):
        return value, None
    moment = value if value.tzinfo else value.replace(tzinfo=floating_zone)
    local = moment.astimezone(LONDON)
    return local.date(), local.time().replace(second=0, microsecond=0)


def _last_day(start: date, end: date, floating_zone: ZoneInfo) -> date:
    """The inclusive last day: DTEND is exclusive for dates, and midnight ends the day before."""
    if not isinstance(end, datetime):
        return end - timedelta(days=1) if end > start else start
    day, moment = _local(end, floating_zone)
    start_day, _ = _local(start, floating_zone)
    if moment == time(0, 0) and day > start_day:
        return day - timedelta(days=1)
    return day


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _categories(event: Any) -> Iterator[str]:
    values = event.get("CATEGORIES")
    for value in values if isinstance(values, list) else [values] if values else []:
        yield from (str(category) for category in getattr(value, "cats", [value]))


def _in_series(component: Any) -> bool:
    return any(name in component for name in SERIES_PROPERTIES)


def _floating_zone(calendar: icalendar.Calendar) -> ZoneInfo:
    name = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    try:
        return ZoneInfo(name) if name else LONDON
    except (ZoneInfoNotFoundError, ValueError):
        return LONDON


def _component_problems(calendar: icalendar.Calendar, text: str, source: str) -> Iterator[Problem]:
    """Properties icalendar could not read (a broken DTSTART, say), where it says so."""
    for component in calendar.walk():
        for name, message in getattr(component, "errors", ()):
            uid = str(component.get("UID", ""))
            line = line_of(text, f"UID:{uid}") if uid else line_of(text, f"{name}")
            yield problem(source, line, str(name), str(message))


def _limit(source: str, text: str, uid: str, what: str, limit: int) -> Problem:
    line = line_of(text, f"UID:{uid}") if uid else 1
    return problem(source, line, "", f"more than {limit:,} {what}; the rest are left out")


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
