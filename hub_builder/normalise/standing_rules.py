"""Expected dates from standing rules: what an organisation says happens every year.

OCR says its estimated completion date declaration "must be completed between 1 March and
30 April"; it gives no year because the rule holds every year. For the academic year the
build's day falls in, and the next, each rule becomes a key date with status ``expected``
and the id ``<rule id>-<academic year>``, whose description quotes the rule and says that the
date for that year is not on the hub yet. A key date of the organisation's own that names
the rule (``standing_rule``) for an academic year replaces the expected date of that year.

    >>> rule = StandingRule("ecd-declaration", "Estimated completion date declaration",
    ...     "checkpoint", (3, 1), (4, 30), None, (), "between 1 March and 30 April", "",
    ...     "https://www.ocr.org.uk/")
    >>> [(d.id, d.start, d.end) for d in expected_dates(
    ...     "OCR", "ocr", [rule], {}, [], date(2026, 11, 28))]  # doctest: +NORMALIZE_WHITESPACE
    [('ecd-declaration-2026-27', datetime.date(2027, 3, 1), datetime.date(2027, 4, 30)),
     ('ecd-declaration-2027-28', datetime.date(2028, 3, 1), datetime.date(2028, 4, 30))]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from hub_builder.calendar import academic_year_of
from hub_builder.formatting import quoted_from
from hub_builder.model import KeyDate, StandingRule, academic_year_label

YEARS_AHEAD = 2  # the build day's academic year and the next


def academic_years_from(today: date, count: int = YEARS_AHEAD) -> list[str]:
    first = int(academic_year_of(today)[:4])
    return [f"{year}-{(year + 1) % 100:02d}" for year in range(first, first + count)]


def expected_dates(
    owner: str,
    organisation_id: str,
    rules: Iterable[StandingRule],
    seen_on: Mapping[str, date | None],
    published: Sequence[KeyDate],
    today: date,
) -> list[KeyDate]:
    """Each rule's expected date in this academic year and the next, except where a
    published date names the rule for that year. ``owner`` is the name the note uses
    ("OCR"); ``seen_on`` gives the date each cited page shows, by address."""
    covered = {(d.standing_rule, d.academic_year) for d in published if d.standing_rule}
    return [
        expected_date(owner, organisation_id, rule, year, seen_on.get(rule.source_url))
        for rule in rules
        for year in academic_years_from(today)
        if (rule.id, year) not in covered
    ]


def expected_date(
    owner: str, organisation_id: str, rule: StandingRule, year: str, seen_on: date | None
) -> KeyDate:
    start, end = rule.days_in(year)
    note = (
        f"Expected from {owner}'s yearly rule {quoted_from(seen_on)}: "
        f"{closed_quote(rule.wording)} {owner}'s own date for {academic_year_label(year)} is "
        "not on the hub yet."
    )
    return KeyDate(
        organisation_id=organisation_id,
        id=f"{rule.id}-{year}",
        title=rule.title,
        kind=rule.kind,
        start=start,
        end=end,
        time=rule.time,
        series="",
        academic_year=year,
        applies_to=rule.applies_to,
        status="expected",
        description=f"{note} {rule.description}".strip(),
        source_url=rule.source_url,
        confirmed_on=None,
        standing_rule=rule.id,
    )


def closed_quote(words: str) -> str:
    """Quoted words ending a sentence, with one full stop: “… 30 April.”"""
    return f"“{words}”" if words.rstrip().endswith((".", "!", "?")) else f"“{words}”."
