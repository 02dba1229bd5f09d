"""The key-dates explorer's data, in slices, and the month pages of ``/dates/``.

Input: the hub and its date rows (as :func:`pages.date_rows` makes them, in date order).
Output: ``Output`` records for the JSON files; :func:`pages.render_pages` adds the month
pages. Nothing here writes to disk.

    dates/explorer/index.json       what the filters offer: organisations, kinds,
                                    qualification types and groups, and one entry per month
                                    with its slice file and how many dates it holds; and
                                    ``gaps``: this academic year's dates not on the hub yet,
                                    each with the same date in the years before
    dates/explorer/<yyyy-mm>.json   every date that starts in that month, as rows of the
                                    fields named in ``index.json``'s ``fields``
    dates/<yyyy-mm>.md              the same month as a plain page: works without
                                    JavaScript, prints on A4, and is the no-JavaScript way
                                    through the list when the hub is too big for one page

The explorer (``overrides/assets/explorer.js``) reads ``index.json`` first (a few KB) and
then only the month slices a filter needs, newest needed first, so a hub of 100,000 dates
never loads in one piece. Months are in date order; ``when`` is the date already written in
GOV.UK style, so the browser never formats a date itself, only counts days.

    >>> [o.path for o in explorer_files(hub, month_slices(rows))][:2]  # doctest: +SKIP
    ['dates/explorer/index.json', 'dates/explorer/2026-12.json']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Any

from hub_builder.calendar import academic_year_of
from hub_builder.domain.years import year_at_a_glance
from hub_builder.formatting import academic_year_label, govuk_month, govuk_range, when
from hub_builder.model import (
    KIND_LABELS,
    NATIONAL_ID,
    NATIONAL_NAME,
    STATUS_LABELS,
    Hub,
    KeyDate,
    Organisation,
    QualificationGroup,
)
from hub_builder.render.date_rows import DateRow
from hub_builder.render.output import Output

EXPLORER_DIR = "dates/explorer"

# What one row of a month slice holds, in order (the explorer reads them by these names).
FIELDS = (
    "uid",
    "title",
    "organisation",  # index into index.json's organisations
    "kind",
    "start",
    "end",
    "when",
    "status",
    "groups",  # indexes into index.json's groups
    "url",  # the date's own page and anchor, relative to the site root
    "source",
    "description",
)
SCHEMA_VERSION = 1

# Above this many dates /dates/ lists the months instead of every row, and a month's page is
# split into parts of this many: benchmarks/run at hub scale measured 2.42 MB for 2,000 rows
# (a row, with its labels for phones, costs ~1.2 KB of HTML), so 1,500 rows stay under 2 MB,
# the most a phone should be asked to lay out at once.
FULL_LIST_LIMIT = 1500


@dataclass(frozen=True)
class MonthSlice:
    key: str  # "2026-12"
    label: str  # "December 2026"
    rows: tuple[DateRow, ...]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def until(self) -> str:
        """The last day any of the month's dates runs to: ``upcoming`` skips months before it."""
        return max(row.end_iso for row in self.rows)

    @property
    def anchor(self) -> str:
        """The month's heading id on /dates/: ``december-2026``."""
        return self.label.lower().replace(" ", "-")


@dataclass(frozen=True)
class MonthPart:
    """One page of a month's plain list: the whole month, or part ``number`` of ``total``."""

    key: str  # the month's key
    number: int
    total: int
    rows: tuple[DateRow, ...]

    @property
    def path(self) -> str:
        return f"dates/{self.key}.md" if self.number == 1 else f"dates/{self.key}/{self.number}.md"

    @property
    def root(self) -> str:
        return "../../" if self.number == 1 else "../../../"

    @property
    def href(self) -> str:
        """The part's address, relative to the root."""
        return f"dates/{self.key}/" if self.number == 1 else f"dates/{self.key}/{self.number}/"

    @property
    def span(self) -> str:
        """``'1 to 9 October 2025'``: the days its dates start on."""
        return govuk_range(self.rows[0].date.start, self.rows[-1].date.start)


def month_parts(month: MonthSlice, limit: int | None = None) -> list[MonthPart]:
    """The month's rows in pages of at most ``limit`` rows (by default
    ``FULL_LIST_LIMIT``, about 1.7 MB of HTML)."""
    limit = limit or FULL_LIST_LIMIT
    chunks = [month.rows[i : i + limit] for i in range(0, len(month.rows), limit)]
    return [MonthPart(month.key, n, len(chunks), rows) for n, rows in enumerate(chunks, 1)]


def first_upcoming(slices: Sequence[MonthSlice], today: date) -> MonthSlice | None:
    """The first month holding a date that has not ended by ``today``."""
    return next((s for s in slices if any(r.date.last_day >= today for r in s.rows)), None)


def qualification_types(hub: Hub) -> list[str]:
    return sorted({g.qualification_type for g in groups(hub)})


def month_slices(rows: Iterable[DateRow]) -> list[MonthSlice]:
    """Rows grouped by the month they start in, in date order."""
    return [
        MonthSlice(key, govuk_month(group[0].date.start), tuple(group))
        for key, group in ((k, list(g)) for k, g in groupby(rows, key=lambda r: r.start_iso[:7]))
    ]


def explorer_files(hub: Hub, slices: Sequence[MonthSlice]) -> Iterator[Output]:
    """``index.json`` and one slice per month, one at a time."""
    positions = Positions.of(hub)
    yield Output(f"{EXPLORER_DIR}/index.json", json_bytes(explorer_index(hub, slices)))
    for s in slices:
        rows = slice_rows(positions, s)
        yield Output(f"{EXPLORER_DIR}/{s.key}.json", json_bytes({"month": s.key, "rows": rows}))


def explorer_index(hub: Hub, slices: Sequence[MonthSlice]) -> dict[str, Any]:
    """The explorer's first download: every filter's options, and the months."""
    return {
        "version": SCHEMA_VERSION,
        "built": hub.today.isoformat(),
        "fields": list(FIELDS),
        "organisations": organisation_entries(hub),
        "groups": [[g.name, g.qualification_type] for g in groups(hub)],
        "kinds": [[kind, label] for kind, label in KIND_LABELS.items()],
        "statuses": [[status, label] for status, label in STATUS_LABELS.items()],
        "months": [
            {
                "month": s.key,
                "label": s.label,
                "count": s.count,
                "until": s.until,
                "file": f"{s.key}.json",
            }
            for s in slices
        ],
        "gaps": gaps(hub, Positions.of(hub)),
    }


# What one row of ``gaps`` holds: the date the organisation had in earlier years and has not
# given for this one, and those earlier dates (``[academic year, when, url]``, newest first).
GAP_FIELDS = ("organisation", "title", "kind", "groups", "earlier")


def gaps(hub: Hub, positions: Positions) -> dict[str, Any]:
    """This academic year's dates not on the hub yet, as the year-at-a-glance page lists them:
    the explorer shows those its filters match, each beside the years before, said as past."""
    academic_year = academic_year_of(hub.today)
    rows = [
        [
            positions.organisations[year.organisation.id],
            entry.title,
            entry.kind,
            positions.group_positions(entry.earlier[0]),
            [
                [
                    academic_year_label(d.academic_year),
                    when(d),
                    f"organisations/{d.organisation_id}/#{d.id}",
                ]
                for d in entry.earlier[:2]
            ],
        ]
        for year in year_at_a_glance(hub, academic_year)
        for entry in year.entries
        if entry.state == "not-on-hub"
    ]
    return {
        "year": academic_year,
        "label": academic_year_label(academic_year),
        "fields": list(GAP_FIELDS),
        "rows": rows,
    }


def organisation_entries(hub: Hub) -> list[list[str]]:
    """``[id, name, acronym]`` for the national calendar (first) and every organisation."""
    return [
        [NATIONAL_ID, NATIONAL_NAME, ""],
        *([o.id, o.name, o.acronym] for o in hub.organisations),
    ]


def groups(hub: Hub) -> list[QualificationGroup]:
    """Every qualification group once, by organisation then group order."""
    return [g for o in hub.organisations for g in o.qualification_groups]


@dataclass(frozen=True)
class Positions:
    """Where each organisation and group sits in ``index.json``'s lists."""

    organisations: dict[str, int]
    groups: dict[tuple[str, str], int]
    by_id: dict[str, Organisation]

    @classmethod
    def of(cls, hub: Hub) -> Positions:
        return cls(
            organisations={o[0]: i for i, o in enumerate(organisation_entries(hub))},
            groups={
                (o.id, g.id): i
                for i, (o, g) in enumerate(
                    (o, g) for o in hub.organisations for g in o.qualification_groups
                )
            },
            by_id={o.id: o for o in hub.organisations},
        )

    def group_positions(self, key_date: KeyDate) -> list[int]:
        org = self.by_id.get(key_date.organisation_id)
        if org is None:
            return []
        return [self.groups[(org.id, g.id)] for g in org.groups_for(key_date)]


def slice_rows(positions: Positions, month: MonthSlice) -> list[list[Any]]:
    """One month's dates as rows of ``FIELDS``."""
    return [
        [
            row.anchor,
            row.date.title,
            positions.organisations[row.date.organisation_id],
            row.date.kind,
            row.start_iso,
            row.end_iso,
            when(row.date),
            row.date.status,
            positions.group_positions(row.date),
            row.organisation_url or f"dates/#{row.anchor}",
            row.date.source_url,
            row.date.description,
        ]
        for row in month.rows
    ]


def json_bytes(value: object) -> bytes:
    """Compact, sorted, deterministic JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
