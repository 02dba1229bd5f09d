"""The work a repeat rule takes to expand, counted before it is expanded, and bounded.

dateutil (which ``recurring_ical_events`` expands every RRULE with) finds each next
occurrence by examining candidate days one period at a time (a day, a week, a month or a
year, as the rule's FREQ says) until one matches, and gives up only at the year 9999. A rule
that can never match, like ``FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30``, or one that matches only
before the window, has it examine three million days for nothing: seconds of CPU an event.

:func:`candidates_examined` runs dateutil's own search over the rule, counting each candidate
day it examines, and stops it once ``budget`` days have been examined: it returns how many
days the search takes to pass ``stop`` (or to end by UNTIL or COUNT), or None when the
budget is spent first. The count is exact and the same on every machine, so the tests
assert it, not a time. The search is dateutil's own, not a copy: its ``rrule._iter`` runs
with its period sets (``_iterinfo``) replaced by a subclass that counts them. The
dependency is pinned, and ``tests/test_recurrence.py`` fails if dateutil changes this.

    rule = rrulestr("FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30", dtstart=datetime(2026, 12, 1))
    candidates_examined(rule, stop=datetime(2029, 9, 1), budget=20_000)   # None: never
"""

from __future__ import annotations

import types
from datetime import datetime
from typing import Any

from dateutil import rrule as dateutil_rrule

# A repeating event may examine this many candidate days to find its occurrences in the
# window (three academic years) and the first one after it; a feed all its events together.
# A daily or weekly rule started just before the window (as ics.py starts one) examines
# about 1,500; a yearly one from 2000 about 11,300 (a year of days each year). At about
# 1.2 µs a day (measured: 1,000,000 days in 1.18 s on this project's machine), a rule
# spent at its budget costs about 25 ms and a feed at its budget about 0.25 s.
MAX_CANDIDATES = 20_000
MAX_FEED_CANDIDATES = 200_000


class _Spent(Exception):
    """The budget of candidate days ran out before the search passed its stop."""


class _Tally:
    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.examined = 0


class _CountingPeriods(dateutil_rrule._iterinfo):  # type: ignore[misc]
    """dateutil's period sets, each counted as it is handed to the search."""

    def __init__(self, rule: Any) -> None:
        super().__init__(rule)
        self.tally: _Tally = rule.hub_tally

    def _counted(self, found: tuple[Any, int, int]) -> tuple[Any, int, int]:
        _, first, last = found
        self.tally.examined += last - first
        if self.tally.examined > self.tally.budget:
            raise _Spent
        return found

    def ydayset(self, year: int, month: int, day: int) -> tuple[Any, int, int]:
        return self._counted(super().ydayset(year, month, day))

    def mdayset(self, year: int, month: int, day: int) -> tuple[Any, int, int]:
        return self._counted(super().mdayset(year, month, day))

    def wdayset(self, year: int, month: int, day: int) -> tuple[Any, int, int]:
        return self._counted(super().wdayset(year, month, day))

    def ddayset(self, year: int, month: int, day: int) -> tuple[Any, int, int]:
        return self._counted(super().ddayset(year, month, day))


# dateutil's own search, run with the counting period sets in place of its own.
_counted_search = types.FunctionType(
    dateutil_rrule.rrule._iter.__code__,
    {**vars(dateutil_rrule), "_iterinfo": _CountingPeriods},
    "_counted_search",
)


def candidates_examined(rule: dateutil_rrule.rrule, stop: datetime, budget: int) -> int | None:
    """How many candidate days dateutil examines to pass ``stop`` with ``rule`` (or to come
    to its end), or None when that takes more than ``budget``."""
    tally = _Tally(budget)
    rule.hub_tally = tally  # read by the counting period sets the search makes
    try:
        for occurrence in _counted_search(rule):
            if occurrence > stop:
                break
    except _Spent:
        return None
    return tally.examined
