"""Days and times as the hub counts them: UK time, academic years, ISO "when" text.

Every date on the hub is a Europe/London day; every time is UK wall-clock time. An academic
year runs from 1 September to 31 August and is written ``2025-26``.

    >>> academic_year_of(date(2026, 8, 13)), academic_year_of(date(2026, 9, 1))
    ('2025-26', '2026-27')
    >>> when_text(date(2026, 8, 13), None, time(8, 0))
    '2026-08-13T08:00'
    >>> parse_when('2026-03-01/2026-04-30')
    (datetime.date(2026, 3, 1), datetime.date(2026, 4, 30), None)
    >>> exists_in_london(datetime(2026, 3, 29, 1, 30))    # the clocks went forward
    False
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

LONDON_ID = "Europe/London"
LONDON = ZoneInfo(LONDON_ID)
# The years the hub accepts a date in, from every source: an organisation file, the national
# calendar, and every feed format alike. Far enough either side for any real key date; near
# enough that no output (a calendar's exclusive end, a time in UTC) can pass the year 9999.
FIRST_YEAR, LAST_YEAR = 2000, 2100


def london_now() -> datetime:
    """Now in UK time, to the second: the clock a command gives the build."""
    return datetime.now(LONDON).replace(microsecond=0)


def parse_date(value: Any) -> date | None:
    """``"2026-08-13"`` → a date; None for anything that is not a real calendar date."""
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        return None


def outside_hub_years(day: date) -> str:
    """Why the hub refuses ``day`` (``""`` when it takes it): one rule for every source.

    >>> outside_hub_years(date(9999, 12, 31))
    '9999-12-31 is outside the years the hub accepts (2000 to 2100)'
    """
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return ""
    return f"{day.isoformat()} is outside the years the hub accepts ({FIRST_YEAR} to {LAST_YEAR})"


def academic_year_of(day: date) -> str:
    """The academic year (1 September to 31 August) a day falls in, written like 2025-26."""
    first = day.year if day.month >= 9 else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def when_text(start: date, end: date | None, at: time | None) -> str:
    """``2024-07-05``, ``2024-07-05/2024-07-08`` (an inclusive range), ``2024-07-05T23:59``."""
    text = start.isoformat()
    if at is not None:
        text += f"T{at:%H:%M}"
    if end is not None and end != start:
        text += f"/{end.isoformat()}"
    return text


def parse_when(text: str) -> tuple[date, date | None, time | None]:
    """The inverse of :func:`when_text`."""
    first, _, end = text.partition("/")
    day, _, at = first.partition("T")
    return (
        date.fromisoformat(day),
        date.fromisoformat(end) if end else None,
        time.fromisoformat(at) if at else None,
    )


def exists_in_london(local: datetime) -> bool:
    """False for a wall-clock time in the hour skipped when the clocks go forward. A time in
    the hour repeated when they go back exists (twice): like RFC 5545 (3.3.5) and Python's
    ``fold=0``, the hub means its first occurrence."""
    round_trip = local.replace(tzinfo=LONDON).astimezone(UTC).astimezone(LONDON)
    return round_trip.replace(tzinfo=None) == local
