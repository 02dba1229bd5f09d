"""iCalendar (RFC 5545) feeds → :class:`FeedEntry` records, with ``icalendar`` and
``recurring-ical-events``.

    parse_ics(Path("calendar.ics").read_bytes(), "calendar.ics", ParseContext(date.today()))

Every event is read on its own, so one event the hub cannot read is reported at its line
(``BEGIN:VEVENT``) with its UID and skipped, and the rest of the calendar goes on:

- An event needs one readable DTSTART; its DTEND (or DURATION) must not end before it starts,
  and must be a date when DTSTART is a date (RFC 5545 3.8.2.2). Events without a SUMMARY are
  skipped too, each reported once however often it repeats.
- A repeating event (RRULE, RDATE, moved instances sharing its UID) becomes one entry per
  occurrence inside ``ParseContext.window``, at most ``MAX_OCCURRENCES`` each, its UID
  suffixed with the occurrence's date so ids stay stable. Expansion is bounded by
  construction: a rule that repeats more often than daily (FREQ=HOURLY and finer, or more
  than one BYHOUR, BYMINUTE or BYSECOND) is refused; so is a COUNT above ``MAX_COUNT``, an
  INTERVAL below 1, an unknown FREQ, and more than ``MAX_SERIES`` repeating events; a daily
  or weekly rule that starts long before the window is started again just before it, so
  1900 costs no more than last year. Occurrences outside the window are left out; a single
  event is kept whenever it falls in the hub's years (2000 to 2100).
- Two different events with one UID are both kept (the second's UID gets a suffix) and
  reported; events without a UID are each their own event.
- All-day events (``VALUE=DATE``) have an exclusive DTEND: 7 to 8 December is one day.
- Times are UK time: a TZID or UTC time is converted; a floating time is read in the
  calendar's ``X-WR-TIMEZONE`` (an unknown one is reported, and UK time used). A UK time that
  does not exist (the clocks go forward) is read as RFC 5545 3.3.5 says, an hour on, with a
  warning; a time in the hour the clocks go back means its first occurrence, and an exact
  moment that is the second occurrence, which a UK time cannot say, is refused.
- SUMMARY is the title and DESCRIPTION the description, both plain text; URL the link (https
  only); CATEGORIES may name a kind; STATUS (TENTATIVE, CONFIRMED, CANCELLED) the status.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from hub_builder.calendar import LONDON, outside_hub_years
from hub_builder.feeds.entries import (
    MAX_ENTRIES,
    MAX_OCCURRENCES,
    MAX_TITLE,
    FeedEntry,
    NotText,
    ParseContext,
    ParsedFeed,
    cut_note,
    description_and_cut,
    https_link,
    kind_from,
    line_of,
    plain_text,
    problem,
    status_from,
    unknown_status,
    unreadable,
    utf8_text,
)
from hub_builder.feeds.recurrence import MAX_CANDIDATES, MAX_FEED_CANDIDATES, candidates_examined
from hub_builder.problems import Problem

if TYPE_CHECKING:
    import icalendar

SERIES_PROPERTIES = ("RRULE", "RDATE", "RECURRENCE-ID")
FREQUENCIES = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 0, "YEARLY": 0}  # days a step, when fixed
SUB_DAILY = ("BYHOUR", "BYMINUTE", "BYSECOND")
MAX_SERIES = 100
MAX_COUNT = 1_000
MAX_RDATES = 1_000
DAILY_AT_MOST = "only events that repeat daily or less often are read"


class Refused(ValueError):
    """An event the hub cannot read; the message says why, the field where."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass
class _Event:
    """One event of the calendar: its master component (and moved instances) and its line."""

    uid: str
    line: int
    components: list[Any] = field(default_factory=list)

    @property
    def master(self) -> Any:
        return self.components[0]

    @property
    def recurring(self) -> bool:
        return any(name in c for c in self.components for name in SERIES_PROPERTIES)

    @property
    def label(self) -> str:
        return f"the event {self.uid}" if self.uid else f"the event at line {self.line}"


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
    problems: list[Problem] = []
    floating_zone = _floating_zone(calendar, source, problems)
    events = _events(calendar, text, source, problems)
    entries: list[FeedEntry] = []
    work = _Work()
    for event in events:
        if event.recurring and work.stopped:
            continue
        if event.recurring and (limit := work.next_series()):
            problems.append(problem(source, event.line, "RRULE", context.left_out(limit)))
            continue
        try:
            found = _read_event(event, calendar, floating_zone, context, work, problems, source)
        except _FeedSpent:
            work.stopped = (
                f"its repeating events need more than {MAX_FEED_CANDIDATES:,} candidate days "
                "to work out"
            )
            problems.append(problem(source, event.line, "RRULE", context.left_out(work.stopped)))
            continue
        except Refused as exc:
            message = context.skipped(f"{event.label}: {exc}")
            problems.append(problem(source, event.line, exc.field, message))
            continue
        room = MAX_ENTRIES - len(entries)
        if len(found) > room:
            message = context.left_out(f"more than {MAX_ENTRIES:,} entries in one feed")
            problems.append(problem(source, event.line, "", message))
            entries += found[:room]
            break
        entries += found
    return ParsedFeed(tuple(entries), tuple(problems))


# --- the events, one by one ---------------------------------------------------------------


def _events(
    calendar: icalendar.Calendar, text: str, source: str, problems: list[Problem]
) -> list[_Event]:
    """The calendar's events in file order, moved instances under their event. Two events
    sharing a UID are kept apart (and reported); events without a UID are each their own."""
    lines = [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "BEGIN:VEVENT"]
    components = list(calendar.walk("VEVENT"))
    events: list[_Event] = []
    masters: dict[str, _Event] = {}
    for index, component in enumerate(components):
        line = lines[index] if index < len(lines) else 1
        uid = str(component.get("UID", "")).strip()
        if uid and "RECURRENCE-ID" in component and uid in masters:
            masters[uid].components.append(component)
            continue
        if uid and uid in masters:
            first = masters[uid]
            message = (
                f"two different events share the UID {uid} (lines {first.line} and {line}); "
                "both are kept, but give each its own UID so calendar apps keep both"
            )
            problems.append(problem(source, line, "UID", message, warning=True))
            events.append(_Event(f"{uid}-{line}", line, [component]))
            continue
        event = _Event(uid, line, [component])
        events.append(event)
        if uid:
            masters[uid] = event
    return events


def _read_event(
    event: _Event,
    calendar: icalendar.Calendar,
    floating_zone: ZoneInfo,
    context: ParseContext,
    work: _Work,
    problems: list[Problem],
    source: str,
) -> list[FeedEntry]:
    """The event's entries inside the window; Refused when it cannot be read at all."""
    _check_properties(event)
    occurrences = _occurrences(event, calendar, context, work)
    title = plain_text(str(event.master.get("SUMMARY", "")), MAX_TITLE)
    if occurrences and not title:
        raise Refused("SUMMARY", "it has no SUMMARY")
    entries = []
    for number, occurrence in enumerate(occurrences, 1):
        if number > MAX_OCCURRENCES:
            message = context.left_out(
                f"{event.label} happens more than {MAX_OCCURRENCES:,} times inside the window"
            )
            problems.append(problem(source, event.line, "RRULE", message))
            break
        try:
            entry = _entry(occurrence, event, title, floating_zone, problems, source)
        except Refused as exc:
            message = context.skipped(f"{event.label}: {exc}")
            problems.append(problem(source, event.line, exc.field, message))
            continue
        entries.append(entry)
    return entries


def _check_properties(event: _Event) -> None:
    """What makes an event unreadable before it is expanded."""
    for component in event.components:
        for name, message in getattr(component, "errors", ()):
            raise Refused(str(name), f"{name} cannot be read ({_first_line(message)})")
        start = component.get("DTSTART")
        if start is None:
            raise Refused("DTSTART", "it has no DTSTART")
        if isinstance(start, list):
            raise Refused("DTSTART", "it has more than one DTSTART")
        if isinstance(component.get("RRULE"), list):
            raise Refused("RRULE", "it has more than one RRULE")
    master = event.master
    start = master.decoded("DTSTART")
    end = master.decoded("DTEND") if "DTEND" in master else None
    if end is not None:
        if isinstance(start, datetime) != isinstance(end, datetime):
            mixed = "DTEND is a date and time where DTSTART is a date, or the other way round"
            raise Refused("DTEND", f"{mixed}; RFC 5545 asks for the same kind")
        if _moment(end) < _moment(start):
            raise Refused("DTEND", "it ends before it starts")
    rule = master.get("RRULE")
    if rule is not None:
        _check_rule(rule)
    rdates = master.get("RDATE")
    count = sum(
        len(r.dts) for r in (rdates if isinstance(rdates, list) else [rdates] if rdates else [])
    )
    if count > MAX_RDATES:
        raise Refused("RDATE", f"it lists {count:,} dates; at most {MAX_RDATES:,} are read")


def _check_rule(rule: Any) -> None:
    frequency = str((rule.get("FREQ") or [""])[0]).upper()
    if frequency in ("HOURLY", "MINUTELY", "SECONDLY"):
        raise Refused("RRULE", f"it repeats {frequency.lower()}; {DAILY_AT_MOST}")
    if frequency not in FREQUENCIES:
        raise Refused("RRULE", f"unknown FREQ '{frequency}'")
    for part in SUB_DAILY:
        if len(rule.get(part, [])) > 1:
            raise Refused("RRULE", f"{part} gives it more than one time a day; {DAILY_AT_MOST}")
    intervals = rule.get("INTERVAL") or []
    if intervals and int(intervals[0]) < 1:  # a step of nothing: the repeats would never end
        raise Refused("RRULE", f"INTERVAL={intervals[0]}; it must be 1 or more")
    counts = rule.get("COUNT") or []
    if counts and int(counts[0]) > MAX_COUNT:
        raise Refused("RRULE", f"COUNT={counts[0]}; at most {MAX_COUNT:,} repeats are read")


def _occurrences(
    event: _Event, calendar: icalendar.Calendar, context: ParseContext, work: _Work
) -> list[Any]:
    """The event itself, or a repeating event's occurrences inside the window, in start
    order; each of its rules first bounded in work (:func:`_bounded`)."""
    first, last = context.window
    if not event.recurring:
        return [event.master]
    import recurring_ical_events

    series = _series_calendar(event, calendar, first)
    for component in series.walk("VEVENT"):
        _bounded(component, last, work)
    try:
        found = recurring_ical_events.of(series, keep_recurrence_attributes=True).between(
            first, last + timedelta(days=1)
        )
    except Exception as exc:  # a library on untrusted input: the event, not the feed, is lost
        raise Refused("RRULE", f"its repeats cannot be worked out ({_first_line(exc)})") from exc
    inside = [e for e in found if first <= _day(e.start) <= last]  # not just overlapping it
    return sorted(inside, key=lambda e: _moment(e.start))


@dataclass
class _Work:
    """What the feed's repeating events may still take: how many of them are read, and the
    candidate days they may examine between them; ``stopped`` says why no more are read."""

    series: int = 0
    left: int = MAX_FEED_CANDIDATES
    stopped: str = ""

    def next_series(self) -> str:
        """Count one more repeating event: "" to read it, else why not (said once)."""
        self.series += 1
        if self.series > MAX_SERIES:
            self.stopped = f"more than {MAX_SERIES} repeating events"
        return self.stopped


class _FeedSpent(Exception):
    """The feed's repeating events have examined all the candidate days a feed may."""


def _bounded(component: Any, last: date, work: _Work) -> None:
    """Refused when the component's RRULE would examine more than ``MAX_CANDIDATES``
    candidate days to find its occurrences up to just past ``last`` (a rule that never or
    almost never matches); _FeedSpent when the feed's days run out first. The days a rule
    examines are taken from the feed's."""
    rule = component.get("RRULE")
    if rule is None:
        return
    start = _wall(component.decoded("DTSTART"))
    stop = datetime.combine(last, time(0)) + timedelta(days=2)  # as far as the expansion asks
    budget = min(MAX_CANDIDATES, work.left)
    try:
        examined = candidates_examined(_dateutil_rule(rule, start), stop, budget)
    except (ValueError, TypeError, OverflowError) as exc:
        raise Refused("RRULE", f"its repeats cannot be worked out ({_first_line(exc)})") from exc
    work.left -= budget if examined is None else examined
    if examined is None and budget < MAX_CANDIDATES:
        raise _FeedSpent
    if examined is None:
        raise Refused(
            "RRULE",
            f"its repeats were not found within {MAX_CANDIDATES:,} candidate days: "
            "a rule that never or almost never happens",
        )


def _dateutil_rule(rule: Any, start: datetime) -> Any:
    """The RRULE as dateutil reads it, from a wall-clock start (time zones make no
    difference to the days a rule examines)."""
    import icalendar
    from dateutil.rrule import rrulestr

    plain: Any = icalendar.vRecur(rule)
    until = plain.pop("UNTIL", None)
    read = rrulestr(plain.to_ical().decode(), dtstart=start)
    if until:
        last = until[0]
        read = read.replace(until=_wall(last) if isinstance(last, datetime) else
                            datetime.combine(last, time.max))  # fmt: skip
    return read


def _wall(value: date) -> datetime:
    """A DATE or DATE-TIME as a wall-clock datetime, its zone dropped."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime.combine(value, time(0))


def _series_calendar(event: _Event, calendar: icalendar.Calendar, first: date) -> Any:
    """A calendar of just this event (with the time zones it may use), its start moved on to
    just before the window when a daily or weekly rule begins long before it."""
    import icalendar

    series = icalendar.Calendar()
    for name in ("VERSION", "PRODID", "X-WR-TIMEZONE"):
        if name in calendar:
            series.add(name, calendar[name])
    for component in calendar.subcomponents:
        if component.name == "VTIMEZONE":
            series.add_component(component)
    for component in event.components:
        series.add_component(_started_near(component, first))
    return series


def _started_near(component: Any, first: date) -> Any:
    rule = component.get("RRULE")
    if rule is None or rule.get("COUNT") or "RECURRENCE-ID" in component:
        return component
    step = FREQUENCIES[str(rule["FREQ"][0]).upper()] * int((rule.get("INTERVAL") or [1])[0])
    start = component.decoded("DTSTART")
    lead = (first - _day(start)).days - 7
    if not step or lead < step:
        return component
    moved = component.copy()
    for sub in component.subcomponents:
        moved.add_component(sub)
    shift = timedelta(days=lead - lead % step)
    moved.pop("DTSTART")
    moved.add("DTSTART", start + shift)
    if "DTEND" in component:
        try:
            end = component.decoded("DTEND") + shift
        except OverflowError:  # it lasts into the year 9999, and moved on, past it
            raise Refused("DTEND", "it ends too far in the future for its repeats") from None
        moved.pop("DTEND")
        moved.add("DTEND", end)
    return moved


# --- one occurrence → one entry -------------------------------------------------------------


def _entry(
    occurrence: Any,
    event: _Event,
    title: str,
    floating_zone: ZoneInfo,
    problems: list[Problem],
    source: str,
) -> FeedEntry:
    # The start first: an end worked out from a start in the year 9999 would overflow.
    if outside := outside_hub_years(_day(occurrence.start)):
        raise Refused("DTSTART", outside)
    if outside := outside_hub_years(_day(occurrence.end)):
        raise Refused("DTEND", outside)
    start_day, start_time = _uk(occurrence.start, floating_zone, event, problems, source)
    end_day = _last_day(occurrence.start, occurrence.end, floating_zone)
    description, cut = description_and_cut(str(occurrence.get("DESCRIPTION", "")))
    if cut:
        problems.append(problem(source, event.line, "DESCRIPTION", cut_note(title), warning=True))
    categories = [str(c) for c in _categories(occurrence)]
    status = status_from(str(occurrence.get("STATUS", "")))
    if status is None:
        raise Refused("STATUS", unknown_status(str(occurrence.get("STATUS"))))
    return FeedEntry(
        uid=f"{event.uid}-{start_day.isoformat()}" if event.recurring and event.uid else event.uid,
        title=title,
        start=start_day,
        end=end_day if end_day > start_day else None,
        time=start_time,
        description=description,
        link=https_link(str(occurrence.get("URL", ""))),
        kind=kind_from(categories),
        status=status,
        line=event.line,
    )


def _uk(
    value: date, floating_zone: ZoneInfo, event: _Event, problems: list[Problem], source: str
) -> tuple[date, time | None]:
    """The UK day and time of an iCalendar DATE or DATE-TIME (see the module's docstring)."""
    if not isinstance(value, datetime):
        return value, None
    given = value if value.tzinfo else value.replace(tzinfo=floating_zone, fold=0)
    local = given.astimezone(UTC).astimezone(LONDON)
    if local.fold:
        raise Refused(
            "DTSTART",
            f"{local:%H:%M} on {local.date().isoformat()} is the second time that hour happens "
            "in UK time (the clocks go back), which a UK time cannot say",
        )
    wall = given.replace(tzinfo=None)
    if given.tzinfo is LONDON or given.utcoffset() == wall.replace(tzinfo=LONDON).utcoffset():
        moved = (local.date(), local.time()) != (wall.date(), wall.time())
        if moved and _in_gap(wall):
            message = (
                f"{event.label}: {wall:%H:%M} on {wall.date().isoformat()} does not exist in UK "
                f"time (the clocks go forward); read as {local:%H:%M}, as calendar apps read it"
            )
            problems.append(problem(source, event.line, "DTSTART", message, warning=True))
    return local.date(), local.time().replace(second=0, microsecond=0, tzinfo=None)


def _in_gap(wall: datetime) -> bool:
    round_trip = wall.replace(tzinfo=LONDON).astimezone(UTC).astimezone(LONDON)
    return round_trip.replace(tzinfo=None) != wall


def _last_day(start: date, end: date, floating_zone: ZoneInfo) -> date:
    """The inclusive last day: DTEND is exclusive for dates, and midnight ends the day before."""
    if not isinstance(end, datetime):
        return end - timedelta(days=1) if end > start else start
    local = (end if end.tzinfo else end.replace(tzinfo=floating_zone)).astimezone(LONDON)
    start_day = _day(start if not isinstance(start, datetime) else _as_uk(start, floating_zone))
    if local.time() == time(0, 0) and local.date() > start_day:
        return local.date() - timedelta(days=1)
    return local.date()


def _as_uk(value: datetime, floating_zone: ZoneInfo) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=floating_zone)).astimezone(LONDON)


def _moment(value: date) -> datetime:
    """Any DATE or DATE-TIME as a comparable moment (a date at its midnight, UTC)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.combine(value, time(0), UTC)


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _categories(event: Any) -> Iterator[str]:
    values = event.get("CATEGORIES")
    for value in values if isinstance(values, list) else [values] if values else []:
        yield from (str(category) for category in getattr(value, "cats", [value]))


def _floating_zone(calendar: icalendar.Calendar, source: str, problems: list[Problem]) -> ZoneInfo:
    name = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    if not name:
        return LONDON
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        calendar.pop("X-WR-TIMEZONE")
        message = (
            f"X-WR-TIMEZONE '{name}' is not a known time zone; "
            "times without a zone are read as UK time"
        )
        problems.append(problem(source, 1, "X-WR-TIMEZONE", message, warning=True))
        return LONDON


def _first_line(exc: object) -> str:
    text = str(exc)
    return text.splitlines()[0][:200] if text else type(exc).__name__
