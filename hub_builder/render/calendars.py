"""iCalendar (RFC 5545) subscriptions under ``/calendars/``, written by ``icalendar``.

==================================  ====================================================
path                                holds
==================================  ====================================================
calendars/all.ics                   every key date, national ones included
calendars/national.ics              the national calendar's dates
calendars/organisations/<id>.ics    one organisation's dates
calendars/groups/<id>/<group>.ics   one qualification group's dates (those that name it, and
                                    the organisation's dates for all its groups), with the
                                    national calendar's results days and deadlines
calendars/own/<id>/<group>.ics      the same group's dates without the national calendar's:
                                    what a centre subscribes to beside other groups and the
                                    national calendar, so no date comes twice
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
forward) and two dates with one UID (:mod:`hub_builder.domain.identity`) are
:class:`errors.OutputProblems`, each naming the source record; validation refuses both
first, so a valid hub never meets them. A time in the hour the clocks go back means its
first occurrence, as RFC 5545 says.

Each event is written once and every calendar that holds it takes it from there. On a large
hub's path (:mod:`hub_builder.scale`) the same bytes are written directly instead
(:mod:`ics_direct`: at 100,000 dates, icalendar would take minutes).

    >>> [o.path for o in render(hub)][0]                               # doctest: +SKIP
    'calendars/all.ics'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from hub_builder.calendar import LONDON, LONDON_ID
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
    from icalendar import Calendar, Event, Timezone

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
# Writes one calendar, its name and its dates, as bytes (the first call is all.ics).
Writer = Callable[[str, Iterable[KeyDate]], bytes]


def render(hub: Hub, large: bool = False) -> Iterator[Output]:
    """Every calendar file; on a large hub's path written directly (:mod:`ics_direct`)."""
    check(hub)
    if large:
        from hub_builder.render import ics_direct

        write = ics_direct.writer(hub)
    else:
        write = writer(hub)
    for path, name, chosen in calendars_of(hub):
        yield Output(path, write(name, chosen))


def calendars_of(hub: Hub) -> Iterator[tuple[str, str, Iterable[KeyDate]]]:
    """Each calendar's path, name and dates, ``calendars/all.ics`` (every date) first."""
    dates = hub.all_dates
    national = [d for d in dates if d.organisation_id == NATIONAL_ID]
    yield "calendars/all.ics", checked_name("VTQ Hub: all key dates"), dates
    yield "calendars/national.ics", checked_name(f"VTQ Hub: {NATIONAL_NAME.lower()}"), national
    for o in hub.organisations:
        path = f"calendars/organisations/{o.id}.ics"
        yield path, checked_name(f"VTQ Hub: {o.name}"), o.key_dates
    for o in hub.organisations:
        for group_id, group_dates in dates_by_group(o).items():
            yield (
                group_calendar_path(o.id, group_id),
                checked_name(f"VTQ Hub: {o.group(group_id).name} ({o.short_name})"),
                sorted([*national, *group_dates], key=date_order),
            )
            yield (
                own_calendar_path(o.id, group_id),
                checked_name(f"VTQ Hub: {o.group(group_id).name} ({o.short_name}), its own dates"),
                group_dates,
            )
    for kind, label in sorted(KIND_LABELS.items()):
        name = checked_name(f"VTQ Hub: {label}")
        yield f"calendars/kinds/{kind}.ics", name, [d for d in dates if d.kind == kind]


def checked_name(name: str) -> str:
    """A calendar's name, which is one line of text (the schemas' ``shortText``); one with a
    line break, which would start a line of its own in the file, is refused."""
    if "\n" in name or "\r" in name:
        raise OutputProblems([f"a calendar's name has a line break in it: {name!r}"])
    return name


def dates_by_group(org: Organisation) -> dict[str, list[KeyDate]]:
    """Each group's dates (those naming it, and those for all groups), in one pass."""
    found: dict[str, list[KeyDate]] = {g.id: [] for g in org.qualification_groups}
    for key_date in org.key_dates:
        for group_id in key_date.applies_to or found:
            found[group_id].append(key_date)
    return found


def group_calendar_path(organisation_id: str, group_id: str) -> str:
    return f"calendars/groups/{organisation_id}/{group_id}.ics"


def own_calendar_path(organisation_id: str, group_id: str) -> str:
    return f"calendars/own/{organisation_id}/{group_id}.ics"


def check(hub: Hub) -> None:
    """Every problem that would make a calendar wrong, all at once."""
    clashes = clashes_of(hub)
    if clashes:
        raise OutputProblems([f"{source_record(hub, c.key_date)}: {c.reason}" for c in clashes])


def writer(hub: Hub) -> Writer:
    """Calendars written by the icalendar library: each event written once, each file its
    calendar's own properties, the time zone and its events, in the order icalendar writes
    a calendar's components (:func:`calendar`)."""
    timezone = london_timezone().to_ical()
    events = {d.uid: event(hub, d).to_ical() for d in hub.all_dates}

    def write(name: str, chosen: Iterable[KeyDate]) -> bytes:
        head = calendar(name).to_ical().removesuffix(CALENDAR_END)
        return b"".join([head, timezone, *(events[d.uid] for d in chosen), CALENDAR_END])

    return write


def calendar(name: str) -> Calendar:
    """A calendar's own properties, with no components."""
    from icalendar import Calendar

    made = Calendar()
    made.add("prodid", PRODID)
    made.add("version", "2.0")
    made.add("calscale", "GREGORIAN")
    made.add("method", "PUBLISH")
    made.add("x-wr-calname", name)
    made.add("x-wr-caldesc", f"{name}, from the VTQ Hub. Times are UK time.")
    made.add("x-wr-timezone", LONDON_ID)
    made.add("refresh-interval", timedelta(days=1), parameters={"VALUE": "DURATION"})
    made.add("x-published-ttl", REFRESH)
    return made


def event(hub: Hub, key_date: KeyDate) -> Event:
    """One date's VEVENT. DTSTAMP is the build's clock."""
    from icalendar import Event

    item = Event()
    item.add("uid", event_uid(key_date))
    item.add("dtstamp", hub.built_at.astimezone(UTC))
    item.add("sequence", key_date.sequence)
    item.add("summary", summary(hub, key_date))
    if key_date.time is None:
        item.add("dtstart", key_date.start)
        item.add("dtend", key_date.last_day + timedelta(days=1))
    else:
        item.add("dtstart", datetime.combine(key_date.start, key_date.time, tzinfo=LONDON))
        if key_date.end is not None:
            end = datetime.combine(key_date.end + timedelta(days=1), time(0), LONDON)
            item.add("dtend", end)
    item.add("status", EVENT_STATUS[key_date.status])
    item.add("transp", "TRANSPARENT")
    item.add("categories", [key_date.kind_label])
    item.add("description", description(hub, key_date))
    item.add("url", key_date.source_url)
    return item


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
