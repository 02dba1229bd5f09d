"""CSV downloads under ``/downloads/``, made to open cleanly in a spreadsheet.

==================================  ====================================================
path                                holds
==================================  ====================================================
downloads/key-dates.csv             every key date, national ones included, one a row
downloads/ofqual/<id>.csv           one organisation's dates of the current academic year in the
                                    columns of Ofqual's "VTQ Information Hub: Key Dates"
                                    upload, one row per qualification group a date applies
                                    to: the dates it published, cancelled ones left out
                                    (the format has no status), provisional ones marked
downloads/this-year.csv             this academic year at a glance: every organisation's dates
                                    of the year, published, expected or not on the hub yet,
                                    with the same date in the two years before
==================================  ====================================================

The choices, for Excel as much as for code: UTF-8 with a byte-order mark (so Excel reads
accents and dashes right), ``\\r\\n`` line ends, minimal quoting, dates ``YYYY-MM-DD``, times
``HH:MM`` UK time, ``end`` the last day inclusive (equal to ``start`` for a single day).

Spreadsheet formula injection is neutralised: a text cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading apostrophe (``'=SUM(…)``), so a
spreadsheet shows it as text and never runs it. A reader that wants the exact source text
drops one leading apostrophe before those characters.

A cell holding a control character (other than tab and newline) would break the file for
some readers: that is an :class:`errors.OutputProblems` naming the source record.

    >>> [o.path for o in render(hub)]                                  # doctest: +SKIP
    ['downloads/key-dates.csv', 'downloads/ofqual/example-awarding-body.csv']
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence

from hub_builder.calendar import academic_year_of
from hub_builder.domain.identity import source_record
from hub_builder.domain.years import OrganisationYear, year_at_a_glance
from hub_builder.errors import OutputProblems
from hub_builder.formatting import govuk_time
from hub_builder.model import OFQUAL_CSV_COLUMNS, Hub, KeyDate, Organisation
from hub_builder.render.output import Output
from hub_builder.render.records import groups_of, organisation_name

KEY_DATES_COLUMNS = (
    "uid",
    "organisation_id",
    "organisation",
    "title",
    "kind",
    "qualification_groups",
    "qualification_types",
    "start",
    "end",
    "time",
    "status",
    "series",
    "academic_year",
    "description",
    "source_url",
)
THIS_YEAR_COLUMNS = (
    "organisation_id",
    "organisation",
    "academic_year",
    "title",
    "kind",
    "on_the_hub",
    "start",
    "end",
    "uid",
    "last_year",
    "last_year_start",
    "last_year_end",
    "year_before",
    "year_before_start",
    "year_before_end",
    "source_url",
)
ON_THE_HUB = {"published": "published", "expected": "expected", "not-on-hub": "not on the hub yet"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BREAKING = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
LIST_SEPARATOR = "; "

Row = tuple[str, ...]


def render(hub: Hub) -> Iterator[Output]:
    problems = [
        f"{source_record(hub, d)}: a control character in its text cannot go into a CSV file"
        for d in hub.all_dates
        if any(BREAKING.search(cell) for cell in date_texts(hub, d))
    ]
    if problems:
        raise OutputProblems(problems)
    yield csv_output("downloads/key-dates.csv", KEY_DATES_COLUMNS, key_date_rows(hub))
    academic_year = academic_year_of(hub.today)
    for o in hub.organisations:
        rows = ofqual_rows(o, academic_year)
        yield csv_output(f"downloads/ofqual/{o.id}.csv", OFQUAL_CSV_COLUMNS, rows)
    year = year_at_a_glance(hub, academic_year)
    yield csv_output("downloads/this-year.csv", THIS_YEAR_COLUMNS, this_year_rows(year))


def date_texts(hub: Hub, key_date: KeyDate) -> list[str]:
    return [
        key_date.title,
        key_date.description,
        key_date.series,
        key_date.source_url,
        *(g.name for g in groups_of(hub, key_date)),
    ]


def key_date_rows(hub: Hub) -> Iterator[Row]:
    for d in hub.all_dates:
        groups = groups_of(hub, d)
        yield (
            d.uid,
            d.organisation_id,
            organisation_name(hub, d),
            d.title,
            d.kind,
            LIST_SEPARATOR.join(g.name for g in groups),
            LIST_SEPARATOR.join(sorted({g.qualification_type for g in groups})),
            d.start.isoformat(),
            d.last_day.isoformat(),
            d.time.strftime("%H:%M") if d.time else "",
            d.status,
            d.series,
            d.academic_year,
            d.description,
            d.source_url,
        )


def this_year_rows(years: Iterable[OrganisationYear]) -> Iterator[Row]:
    """A row a date of the year (each of its days, when it has more than one this year); a
    date not on the hub yet has no start and end, and its earlier years beside it."""
    for year in years:
        org = year.organisation
        for entry in year.entries:
            earlier = [cell for d in entry.earlier[:2] for cell in (
                d.academic_year, d.start.isoformat(), d.last_day.isoformat())]  # fmt: skip
            earlier += [""] * (6 - len(earlier))
            for d in (*entry.this_year, *entry.expected) or (None,):
                yield (
                    org.id,
                    org.name,
                    year.academic_year,
                    entry.title,
                    entry.kind,
                    ON_THE_HUB[entry.state],
                    d.start.isoformat() if d else "",
                    d.last_day.isoformat() if d else "",
                    d.uid if d else "",
                    *earlier,
                    (d or entry.shown).source_url,
                )


def ofqual_rows(org: Organisation, academic_year: str) -> Iterator[Row]:
    """Ofqual's columns: one row per group a date applies to (as Ofqual asks), for the
    academic year Ofqual collects ("the current, full academic year", its guide to the data
    submission process, 1 May 2026). Only the dates the organisation gave: not an expected
    date (the hub's, from a yearly rule) nor an inferred one (the hub's reading of a general
    statement); and not a cancelled one, which the format has no way to say."""
    for d in org.published_dates:
        if d.academic_year != academic_year or d.status in ("cancelled", "inferred"):
            continue
        for group in org.groups_for(d) or (None,):
            yield (
                d.title,
                group.qualification_type if group else "",
                group.name if group else "",
                d.start.isoformat(),
                d.last_day.isoformat(),
                additional_description(d),
            )


def additional_description(key_date: KeyDate) -> str:
    """The date's status when it may still change, its time, description and source, as
    free text."""
    parts = []
    if key_date.status == "provisional":
        parts.append("Provisional: the date may change.")
    if key_date.time is not None:
        parts.append(f"Time: {govuk_time(key_date.time)} UK time.")
    if key_date.description:
        parts.append(key_date.description)
    parts.append(key_date.source_url)
    return " ".join(parts)


def csv_output(path: str, header: Sequence[str], rows: Iterable[Row]) -> Output:
    """UTF-8 with a byte-order mark, encoded as it is written: the text is never held as
    well as its bytes (at over scale, key-dates.csv is 190 MB)."""
    file = io.BytesIO()
    with io.TextIOWrapper(file, encoding="utf-8-sig", newline="", write_through=True) as text:
        writer = csv.writer(text, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows(tuple(safe_cell(cell) for cell in row) for row in rows)
        text.flush()
        return Output(path, file.getvalue())


def safe_cell(text: str) -> str:
    """Text a spreadsheet shows as text: a would-be formula gets a leading apostrophe."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text
