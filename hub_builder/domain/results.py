"""When results come out: the summer series, the national results days, and each
qualification group's answer, from the evidence its file gives.

Every rule takes its facts from the sources, never from code:

- a summer series is named by its year; the **coming summer** is the summer of the academic
  year today falls in (23 November 2026 → Summer 2027);
- a series' **results days** are the national calendar's results days in its academic year,
  each for its levels (``["3"]``: A level and Level 3; ``["1/2", "2"]``: GCSE and Level 2);
- a group's **answer** follows its evidence (``QualificationGroup.results``):
  ``results-day`` gives one line per results day its levels share, with that day in the last
  ``PAST_SUMMERS`` summers and the coming one (``None`` until a source gives it);
  ``own-timing`` gives the organisation's own timing in its words (graded and on-demand
  exams, never a national day); with no evidence the answer is ``not-found``. A level alone
  never decides it.

    answers = Answers(hub)
    answer = answers.answer(hub.organisation("pearson"), group)
    answer.timing, [line.title for line in answer.lines]
    # ('results-day', ['A level and Level 3 results day'])
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from hub_builder.calendar import academic_year_of
from hub_builder.model import (
    TIMELY_RESULTS_LEVELS,
    Evidence,
    Hub,
    KeyDate,
    Organisation,
    QualificationGroup,
    ResultsDay,
)

CHECKPOINT_MONTH = 5  # the checkpoint comes before the main exam season begins in May
PAST_SUMMERS = 3  # results days shown beside an answer: 2024, 2025 and 2026 for summer 2027
OWN_DATES = 3  # an organisation's own results dates shown with an answer, newest first
NOT_FOUND = "not-found"


@dataclass(frozen=True)
class Series:
    """A summer exam series: ``Summer 2027`` is in academic year ``2026-27``."""

    year: int
    completed: bool

    @property
    def label(self) -> str:
        return f"Summer {self.year}"

    @property
    def academic_year(self) -> str:
        return f"{self.year - 1}-{self.year % 100:02d}"

    @property
    def checkpoint_by(self) -> date:
        return date(self.year, CHECKPOINT_MONTH, 1)

    def holds(self, key_date: KeyDate) -> bool:
        """A date belongs to the series its ``series`` names, or, with none named, to the
        summer of its academic year."""
        if key_date.series:
            return key_date.series.strip().casefold() == self.label.casefold()
        return key_date.academic_year == self.academic_year


def coming_summer(today: date) -> Series:
    """The summer series of the academic year ``today`` is in.

    >>> coming_summer(date(2026, 11, 23)).label, coming_summer(date(2026, 8, 31)).label
    ('Summer 2027', 'Summer 2026')
    """
    return Series(int(academic_year_of(today)[:4]) + 1, completed=False)


def results_days_in(days: Iterable[ResultsDay], series: Series) -> tuple[ResultsDay, ...]:
    return tuple(
        sorted(
            (d for d in days if academic_year_of(d.date) == series.academic_year),
            key=lambda d: (d.date, d.id),
        )
    )


LevelSets = tuple[tuple[str, ...], ...]


def level_sets(days: Iterable[ResultsDay]) -> LevelSets:
    """The sets of levels the national calendar's results days cover, like ``("3",)`` and
    ``("1/2", "2")``: each set shares a results day."""
    return tuple(sorted({tuple(sorted(day.levels)) for day in days}))


def split_by_day(levels: Sequence[str], scope: LevelSets) -> list[tuple[str, ...]]:
    """Levels grouped by the results day they share; levels no day covers, together last.

    >>> split_by_day(["2", "3"], (("1/2", "2"), ("3",)))
    [('2',), ('3',)]
    """
    by_day = [tuple(level for level in levels if level in shared) for shared in scope]
    split = [shared for shared in by_day if shared]
    unmatched = tuple(level for level in levels if not any(level in s for s in split))
    return [*split, *([unmatched] if unmatched else [])]


def results_day_for(levels: Sequence[str], days: Sequence[ResultsDay]) -> ResultsDay | None:
    """The results day for these levels (they share one: see :func:`split_by_day`)."""
    return min(
        (d for d in days if set(d.levels).intersection(levels)),
        key=lambda d: (d.date, d.id),
        default=None,
    )


# The answer for one qualification group ------------------------------------------------------


@dataclass(frozen=True)
class DayLine:
    """The results day for some of a group's levels: its name, the day in the last summers
    (oldest first) and in the coming one (``None`` until a source gives it)."""

    levels: tuple[str, ...]
    title: str
    past: tuple[ResultsDay, ...]
    coming: ResultsDay | None

    @property
    def last(self) -> ResultsDay | None:
        return self.past[-1] if self.past else None


@dataclass(frozen=True)
class Answer:
    """When a group's results come out: ``timing`` (``results-day``, ``own-timing`` or
    ``not-found``), a line per results day for ``results-day``, the evidence strongest
    first, and the organisation's own results-to-learners dates for the group."""

    organisation: Organisation
    group: QualificationGroup
    timing: str
    lines: tuple[DayLine, ...]
    own_dates: tuple[KeyDate, ...]  # newest first
    coming: Series

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        return self.group.results.evidence if self.group.results else ()

    @property
    def own_timing(self) -> str:
        return self.group.results.own_timing if self.group.results else ""

    @property
    def anchor(self) -> str:
        return f"{self.organisation.id}-{self.group.id}"

    @property
    def sort_name(self) -> str:
        """The name the A to Z files it under: without a leading level, which families do
        not say ("Level 1/2 V Cert Technical Awards" is a V Cert)."""
        name = self.group.name
        while (shorter := _LEADING_LEVEL.sub("", name, count=1)) != name and shorter:
            name = shorter  # a name may give two levels before its own
        return name

    @property
    def names(self) -> tuple[str, ...]:
        """Every name a family may look it up by: the group's, its other names, and its
        organisation's."""
        org = self.organisation
        return (self.group.name, *self.group.also_known_as, org.name, org.short_name)


class Answers:
    """The answers of a page, with what they share worked out once: the coming summer, the
    national results days, and each organisation's results-to-learners dates."""

    def __init__(self, hub: Hub) -> None:
        self.coming = coming_summer(hub.today)
        self.days = hub.national.results_days
        self.scope = level_sets(self.days)
        self._results: dict[str, list[KeyDate]] = {}

    def answer(self, org: Organisation, group: QualificationGroup) -> Answer:
        timing = group.results.timing if group.results else NOT_FOUND
        lines = self.lines(group) if timing == "results-day" else ()
        return Answer(org, group, timing, lines, self.own_dates(org, group), self.coming)

    def lines(self, group: QualificationGroup) -> tuple[DayLine, ...]:
        covered = [level for level in group.levels if level in TIMELY_RESULTS_LEVELS]
        return tuple(
            line
            for levels in split_by_day(covered, self.scope)
            if (line := self.day_line(levels)) is not None
        )

    def day_line(self, levels: tuple[str, ...]) -> DayLine | None:
        """The line for these levels; None when no results day covers them."""
        days = sorted(
            (d for d in self.days if set(d.levels).intersection(levels)), key=lambda d: d.date
        )
        if not days:
            return None
        first = self.coming.year - PAST_SUMMERS
        past = tuple(d for d in days if first <= d.date.year < self.coming.year)
        coming = next((d for d in days if d.date.year == self.coming.year), None)
        return DayLine(levels, days[-1].title, past, coming)

    def own_dates(self, org: Organisation, group: QualificationGroup) -> tuple[KeyDate, ...]:
        if org.id not in self._results:
            self._results[org.id] = sorted(
                (
                    d
                    for d in org.published_dates
                    if d.kind == "results-to-learners" and d.status != "cancelled"
                ),
                key=lambda d: (d.last_day, d.id),
                reverse=True,
            )
        own = [d for d in self._results[org.id] if d.applies_to_group(group.id)]
        return tuple(own[:OWN_DATES])


def answers(hub: Hub, organisations: Iterable[Organisation]) -> list[Answer]:
    """An answer for every group of these organisations, by name then organisation."""
    found = Answers(hub)
    every = [
        found.answer(org, group) for org in organisations for group in org.qualification_groups
    ]
    return sorted(every, key=lambda a: (a.sort_name.casefold(), a.organisation.name.casefold()))


_LEADING_LEVEL = re.compile(r"^(?:entry level|level [0-9/]+)\s+(?:[\u2013-]\s+)?", re.IGNORECASE)


def featured(hub: Hub, keys: Sequence[tuple[str, str]]) -> list[Answer]:
    """The answers the national calendar names first (``featured_qualifications``), in its
    order: only these are worked out."""
    found = Answers(hub)
    organisations = {org.id: org for org in hub.organisations}
    chosen = []
    for organisation_id, group_id in keys:
        org = organisations.get(organisation_id)
        group = (
            next((g for g in org.qualification_groups if g.id == group_id), None) if org else None
        )
        if org and group:
            chosen.append(found.answer(org, group))
    return chosen
