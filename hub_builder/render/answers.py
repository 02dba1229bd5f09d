"""When do a qualification's results come out? One answer per qualification group, from data.

For each group, and for each results day its levels share (Level 3; Level 1/2 and Level 2),
an :class:`AnswerLine` says which day applies and why:

- the group is used for progression (its organisation lists it so) at a level Ofqual's
  timely-results arrangements cover: results reach learners on or before that day;
- otherwise the hub cannot say a deadline applies, and the line says why (not listed as used
  for progression, or a level the arrangements do not cover).

Each line carries the last completed summer's results day (for context), the coming one
(``None`` until a source gives it: "not confirmed yet"), and the organisation's own dates
for results to learners in those two series, with their times where a source gives one, or,
when it has neither, its latest earlier one.
The organisation's own words on when results come out (``group.results``) go with it.

    >>> [a.group.name for a in answers(hub, hub.organisations)][:2]    # doctest: +SKIP
    ['BTEC Firsts', 'BTEC Nationals']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from hub_builder.model import (
    TIMELY_RESULTS_LEVELS,
    Hub,
    KeyDate,
    Organisation,
    QualificationGroup,
    ResultsDay,
)
from hub_builder.status.report import (
    LevelSets,
    Series,
    coming_summer,
    level_sets,
    results_day_for,
    results_days_in,
    split_by_day,
)

RESULTS_TO_LEARNERS = "results-to-learners"


@dataclass(frozen=True)
class AnswerLine:
    levels: tuple[str, ...]
    applies: bool  # Ofqual's arrangements apply: results on or before the day
    reason: str  # "" when they apply; otherwise why the hub cannot say so
    last_day: ResultsDay | None
    next_day: ResultsDay | None
    own_last: KeyDate | None  # the organisation's own results-to-learners date, last summer
    own_next: KeyDate | None  # and this summer
    own_earlier: KeyDate | None  # when it has neither: its latest such date on the hub


@dataclass(frozen=True)
class ResultsAnswer:
    organisation: Organisation
    group: QualificationGroup
    last_series: Series
    next_series: Series
    lines: tuple[AnswerLine, ...]

    @property
    def anchor(self) -> str:
        return f"{self.organisation.id}-{self.group.id}"


def answers(hub: Hub, organisations: Iterable[Organisation]) -> list[ResultsAnswer]:
    """An answer for every group of these organisations taken at Level 1/2, 2 or 3 (the
    levels of qualifications taken in school and college), by name then organisation."""
    summers = Summers(hub)
    found = [summers.answer(org, group) for org in organisations for group in answerable(org)]
    return sorted(found, key=lambda a: (a.group.name.casefold(), a.organisation.name.casefold()))


def answerable(org: Organisation) -> list[QualificationGroup]:
    """The organisation's groups that have an answer: those taken at a school or college
    level."""
    return [g for g in org.qualification_groups if TIMELY_RESULTS_LEVELS.intersection(g.levels)]


def featured(hub: Hub, keys: Sequence[tuple[str, str]]) -> list[ResultsAnswer]:
    """The answers the home page leads with, in the national calendar's order: only these
    are worked out, not every answer of the hub."""
    summers = Summers(hub)
    organisations = {org.id: org for org in hub.organisations}
    found = []
    for organisation_id, group_id in keys:
        org = organisations.get(organisation_id)
        group = next((g for g in answerable(org) if g.id == group_id), None) if org else None
        if org and group:
            found.append(summers.answer(org, group))
    return found


class Summers:
    """The last and the coming summer series with their results days, as the hub's national
    calendar has them, worked out once for all the answers of a page (and each
    organisation's results-to-learners dates, once for all its groups)."""

    def __init__(self, hub: Hub) -> None:
        self.next_series = coming_summer(hub.today)
        self.last_series = Series(self.next_series.year - 1, completed=True)
        days = hub.national.results_days
        self.last_days = results_days_in(days, self.last_series)
        self.next_days = results_days_in(days, self.next_series)
        self.scope = level_sets(days)
        self.results_dates: dict[str, list[KeyDate]] = {}

    def answer(self, org: Organisation, group: QualificationGroup) -> ResultsAnswer:
        """The group's answer: a line per results day its levels share."""
        if org.id not in self.results_dates:
            self.results_dates[org.id] = [
                d for d in org.published_dates if d.kind == RESULTS_TO_LEARNERS
            ]
        own = [d for d in self.results_dates[org.id] if d.applies_to_group(group.id)]
        lines = tuple(
            AnswerLine(
                levels=levels,
                applies=bool(set(levels) & set(group.timely_results_levels)),
                reason=reason(org, group, levels),
                last_day=results_day_for(levels, self.last_days),
                next_day=results_day_for(levels, self.next_days),
                own_last=latest_in(own, self.last_series),
                own_next=latest_in(own, self.next_series),
                own_earlier=latest_before(own, self.last_series),
            )
            for levels in lines_of(group, self.scope)
        )
        return ResultsAnswer(org, group, self.last_series, self.next_series, lines)


def lines_of(group: QualificationGroup, scope: LevelSets) -> list[tuple[str, ...]]:
    """The group's school and college levels split by the results day they share, whether or
    not a deadline applies to them: a family still wants to know which day is theirs."""
    return split_by_day([level for level in group.levels if level in TIMELY_RESULTS_LEVELS], scope)


def reason(org: Organisation, group: QualificationGroup, levels: Sequence[str]) -> str:
    if set(levels) & set(group.timely_results_levels):
        return ""
    if not group.progression:
        return (
            f"The hub has not found {group.name} in a list of {org.short_name}'s qualifications "
            "used for progression, so it cannot say that Ofqual's results deadline applies; "
            "the school or college that entered the student can say when results are due."
        )
    return "Ofqual's results deadline covers Level 3, Level 1/2 and Level 2 only."


def latest_in(dates: Sequence[KeyDate], series: Series) -> KeyDate | None:
    held = [d for d in dates if series.holds(d) and d.status != "cancelled"]
    return max(held, key=lambda d: (d.last_day, d.id), default=None)


def latest_before(dates: Sequence[KeyDate], series: Series) -> KeyDate | None:
    """The latest of these dates in a summer before ``series``: the pattern an earlier year
    shows when the organisation's own recent dates are not on the hub."""
    held = [d for d in dates if d.start.year < series.year and d.status != "cancelled"]
    return max(held, key=lambda d: (d.last_day, d.id), default=None)
