"""A key date's rules, in one place for every reader of one: the organisation and national
files (:mod:`validate`), and the feeds that give dates (:mod:`hub_builder.feeds`).

The words and forms are the organisation schema's own (its ``$defs`` ``kind``, ``status``
and ``time`` in ``hub_builder/schema/organisation.schema.json``), so a feed's entry is held
to what a source file may say; a kind only the national calendar has (``results-day``) is
not an organisation's. The rules a schema cannot say are here, each with the one message
every reader gives: a day that is real and in the hub's years, an end not before its start.

    >>> list(date_rule_problems("2025-02-40", None))
    [('start', "'2025-02-40' is not a real date; check the day and month")]
    >>> list(date_rule_problems("2025-05-14", "2025-05-03"))
    [('end', 'ends (2025-05-03) before it starts (2025-05-14); swap them or fix one')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, time
from functools import cache
from typing import Any

from hub_builder.calendar import outside_hub_years, parse_date
from hub_builder.load import schemas


@cache
def definition(name: str) -> dict[str, Any]:
    """One of the organisation schema's ``$defs``: ``definition("kind")``."""
    found: dict[str, Any] = schemas.schema(schemas.ORGANISATION)["$defs"][name]
    return found


def organisation_kinds() -> tuple[str, ...]:
    """The kinds an organisation's date may have, as the schema lists them."""
    return tuple(definition("kind")["enum"])


def organisation_statuses() -> tuple[str, ...]:
    """The statuses a source file may give a date (``expected`` is the hub's own)."""
    return tuple(definition("status")["enum"])


def time_of(value: Any) -> time | None:
    """``"18:00"`` → a time; None for anything not written as the schema's ``time`` asks.

    >>> time_of("18:00"), time_of("6pm"), time_of("24:00")
    (datetime.time(18, 0), None, None)
    """
    if isinstance(value, str) and _time_pattern().fullmatch(value):
        return time.fromisoformat(value)
    return None


@cache
def _time_pattern() -> re.Pattern[str]:
    return re.compile(definition("time")["pattern"].removeprefix("^").removesuffix("$"))


def day_problem(value: str) -> tuple[date | None, str]:
    """A ``YYYY-MM-DD`` text as a day, and why it is refused (``""`` when it is not): not a
    real day, or outside the hub's years (:func:`calendar.outside_hub_years`)."""
    day = parse_date(value)
    if day is None:
        return None, f"'{value}' is not a real date; check the day and month"
    return day, outside_hub_years(day)


def order_problem(start: date, end: date | None) -> str:
    """Why a date's end is refused: it is before its start; ``""`` when it is not."""
    if end is None or end >= start:
        return ""
    return f"ends ({end.isoformat()}) before it starts ({start.isoformat()}); swap them or fix one"


def date_rule_problems(start: str, end: str | None) -> Iterator[tuple[str, str]]:
    """``(field, message)`` for each rule a date's ``start`` and ``end`` break, each given as
    ``YYYY-MM-DD`` text (``end`` None or ``""`` when there is none)."""
    days: dict[str, date | None] = {}
    for field, value in (("start", start), ("end", end)):
        if value:
            days[field], why = day_problem(value)
            if why:
                yield field, why
    first, last = days.get("start"), days.get("end")
    if first and last and (why := order_problem(first, last)):
        yield "end", why
