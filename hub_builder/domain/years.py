"""An academic year's dates beside the years before: what an exams officer plans from.

For each organisation, every date of the academic year is an entry: published on the hub,
expected from a standing rule, or **not on the hub yet**, the last when the organisation
had the same date (:attr:`model.KeyDate.yearly_key`) in one of the ``EARLIER_YEARS`` academic
years before and none for this year. Each entry carries those earlier years' dates, newest
first: they are said as past ("in 2025 to 2026 it was 23 February 2026"), never as a
prediction. Entries are in the order of the academic year (1 September onwards).

    year = organisation_year(hub.organisation("ncfe"), "2026-27")
    [(e.title, e.state) for e in year.entries][:1]
    # [('Term-time checkpoint 1 opens', 'not-on-hub')]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from hub_builder.model import Hub, KeyDate, Organisation, title_without_year

EARLIER_YEARS = 2
STATES = ("published", "expected", "not-on-hub")


@dataclass(frozen=True)
class YearEntry:
    """One date of the year: this year's published dates with its name, the ones expected
    from a standing rule, and the same date in the years before, newest first."""

    key: str
    title: str
    kind: str
    this_year: tuple[KeyDate, ...]
    expected: tuple[KeyDate, ...]
    earlier: tuple[KeyDate, ...]

    @property
    def state(self) -> str:
        """``published``, ``expected`` or ``not-on-hub`` (:data:`STATES`)."""
        if self.this_year:
            return "published"
        return "expected" if self.expected else "not-on-hub"

    @property
    def shown(self) -> KeyDate:
        """The date that stands for the entry: this year's, else the expected one, else the
        latest earlier one."""
        return (*self.this_year, *self.expected, *self.earlier)[0]


@dataclass(frozen=True)
class OrganisationYear:
    organisation: Organisation
    academic_year: str
    entries: tuple[YearEntry, ...]

    @property
    def published(self) -> int:
        return sum(1 for e in self.entries if e.state == "published")

    @property
    def expected(self) -> int:
        return sum(1 for e in self.entries if e.state == "expected")

    @property
    def missing(self) -> int:
        """Dates not on the hub for this year yet, that it had in the years before."""
        return sum(1 for e in self.entries if e.state == "not-on-hub")


def organisation_year(org: Organisation, academic_year: str) -> OrganisationYear:
    """The organisation's dates of ``academic_year`` (``2026-27``), and those of the years
    before that are not on the hub for it yet."""
    earlier_years = previous_years(academic_year, EARLIER_YEARS)
    keys: dict[str, list[KeyDate]] = {}
    for key_date in org.key_dates:
        # An earlier year stands beside this one by what was published, never by what a
        # rule expected.
        earlier = key_date.academic_year in earlier_years and not key_date.is_expected
        if key_date.academic_year == academic_year or earlier:
            keys.setdefault(key_date.yearly_key, []).append(key_date)
    entries = [entry(key, dates, academic_year) for key, dates in keys.items()]
    entries.sort(key=lambda e: (day_of_year(e.shown.start), e.title.casefold(), e.key))
    return OrganisationYear(org, academic_year, tuple(entries))


def entry(key: str, dates: Sequence[KeyDate], academic_year: str) -> YearEntry:
    """The entry of one yearly key, from its dates (at least one) of this year and the
    published ones of the years before."""
    this_year = [d for d in dates if d.academic_year == academic_year]
    earlier = sorted(
        (d for d in dates if d.academic_year != academic_year),
        key=lambda d: (d.start, d.id),
        reverse=True,
    )
    published = tuple(d for d in this_year if not d.is_expected)
    expected = tuple(d for d in this_year if d.is_expected)
    named = (*published, *expected, *earlier)[0]
    # Named as this year's date is, else without the year of the date it is named after.
    title = named.title if published else title_without_year(named.title)
    return YearEntry(key, title, named.kind, published, expected, tuple(earlier))


def year_at_a_glance(hub: Hub, academic_year: str) -> tuple[OrganisationYear, ...]:
    """Every organisation's year, in the hub's order (by name)."""
    return tuple(organisation_year(org, academic_year) for org in hub.organisations)


def previous_years(academic_year: str, count: int) -> tuple[str, ...]:
    """The ``count`` academic years before this one, latest first.

    >>> previous_years("2026-27", 2)
    ('2025-26', '2024-25')
    """
    first = int(academic_year[:4])
    return tuple(
        f"{year}-{(year + 1) % 100:02d}" for year in range(first - 1, first - 1 - count, -1)
    )


def day_of_year(day: date) -> int:
    """How far into its academic year (from 1 September) a day falls: 0 for 1 September."""
    start = date(day.year if day.month >= 9 else day.year - 1, 9, 1)
    return (day - start).days
