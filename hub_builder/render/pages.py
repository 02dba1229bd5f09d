"""The hub's pages as ``Output`` records; nothing here writes to disk.

Input: a :class:`model.Hub`. Output: a list of ``Output(path, content)``, paths relative to
the docs folder mkdocs reads (``organisations/ncfe.md`` becomes ``/organisations/ncfe/``).
Pages are Markdown whose tables are HTML rendered by Jinja2 with autoescape on, so text from
sources is always escaped. Links inside that HTML are relative to the page (``root``), so
the site works under any path.

    >>> outputs = render_pages(hub, status)          # doctest: +SKIP
    >>> [o.path for o in outputs][:2]
    ['index.md', 'dates/index.md']
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache

import jinja2
from markupsafe import Markup

from hub_builder.calendar import academic_year_of
from hub_builder.formatting import FILTERS
from hub_builder.model import (
    KIND_LABELS,
    NATIONAL_ID,
    NATIONAL_NAME,
    Hub,
    KeyDate,
    Organisation,
    QualificationGroup,
    ResultsDay,
)
from hub_builder.render import explorer
from hub_builder.render.output import Output, fragment_marker
from hub_builder.status.report import StatusReport, StatusRow

NEXT_DATES_ON_HOME = 8


@dataclass(frozen=True)
class DateRow:
    """A key date as a table row shows it."""

    date: KeyDate
    anchor: str
    start_iso: str
    end_iso: str
    organisation_name: str
    organisation_url: str
    groups: tuple[str, ...]
    search_title: bool = True  # false where the page already showed this title to search
    search_description: bool = True


@dataclass(frozen=True)
class OrganisationRow:
    org: Organisation
    date_count: int
    current_count: int


def render_pages(hub: Hub, status: StatusReport) -> list[Output]:
    """Every generated page, the explorer's files and the source schemas, in a fixed order."""
    rows = date_rows(hub)
    slices = explorer.month_slices(rows)
    current_year = academic_year_of(hub.today)
    return [
        page("index.md", "home.md.j2", **home_context(hub, rows, current_year)),
        page(
            "dates/index.md",
            "dates.md.j2",
            root="../",
            organisation_count=len(hub.organisations),
            current_year=current_year,
            current_year_count=sum(
                1 for o in hub.organisations for d in o.key_dates if d.academic_year >= current_year
            ),
            **dates_context(hub, rows, slices),
        ),
        *explorer_outputs(hub, slices),
        page(
            "organisations/index.md",
            "organisations.md.j2",
            root="../",
            current_year=current_year,
            rows=[
                OrganisationRow(
                    o,
                    len(o.key_dates),
                    sum(1 for d in o.key_dates if d.academic_year >= current_year),
                )
                for o in hub.organisations
            ],
        ),
        *(organisation_page(o, current_year, status.row(o.id)) for o in hub.organisations),
        page("status/index.md", "status.md.j2", root="../", report=status),
    ]


def dates_context(
    hub: Hub, rows: Sequence[DateRow], slices: Sequence[explorer.MonthSlice]
) -> dict[str, object]:
    """/dates/: every row when there are few enough, else the months; and the explorer's form."""
    return {
        "today": hub.today,
        "slices": slices,
        "full_list": len(rows) <= explorer.FULL_LIST_LIMIT,
        "date_count": f"{len(rows):,}",
        "first_upcoming": explorer.first_upcoming(slices, hub.today),
        "explorer_organisations": hub.organisations,
        "kinds": sorted({(row.date.kind, row.date.kind_label) for row in rows}),
        "qualification_types": explorer.qualification_types(hub),
    }


def explorer_outputs(hub: Hub, slices: Sequence[explorer.MonthSlice]) -> list[Output]:
    """The explorer's JSON slices and one plain page per month."""
    return [
        *explorer.explorer_files(hub, slices),
        *(
            page(
                f"dates/{month.key}.md",
                "dates-month.md.j2",
                root="../../",
                month=month,
                previous=slices[i - 1] if i else None,
                next=slices[i + 1] if i + 1 < len(slices) else None,
            )
            for i, month in enumerate(slices)
        ),
    ]


def home_context(hub: Hub, rows: Sequence[DateRow], current_year: str) -> dict[str, object]:
    results_days = hub.national.results_days
    upcoming = [day for day in results_days if day.date >= hub.today]
    return {
        "root": "",
        "today": hub.today,
        "current_year": current_year,
        "upcoming_results_days": upcoming[:2],
        "latest_results_days": latest_series(results_days),
        "rules": hub.national.rules,
        "next_rows": [row for row in rows if row.date.last_day >= hub.today][:NEXT_DATES_ON_HOME],
    }


def latest_series(results_days: Sequence[ResultsDay]) -> list[ResultsDay]:
    """The results days of the most recent series on the hub."""
    if not results_days:
        return []
    last = max(results_days, key=lambda day: day.date).series
    return [day for day in results_days if day.series == last]


def organisation_page(org: Organisation, current_year: str, status: StatusRow) -> Output:
    rows = [organisation_date_row(org, d) for d in org.key_dates]
    current = [r for r in rows if r.date.academic_year >= current_year]
    earlier = [r for r in rows if r.date.academic_year < current_year]
    current, earlier = searched_once(current, earlier)
    return page(
        f"organisations/{org.id}.md",
        "organisation.md.j2",
        root="../../",
        org=org,
        current_year=current_year,
        current_year_rows=current,
        earlier_rows=earlier,
        repeated_group_descriptions=repeated_descriptions(org.qualification_groups),
        sources=organisation_sources(org),
        status=status,
    )


def searched_once(current: list[DateRow], earlier: list[DateRow]) -> list[list[DateRow]]:
    """The two tables of an organisation page with each title and description searched
    where it first appears (in page order) and left out of the search index where it
    repeats."""
    rows = [*current, *earlier]
    marked = [
        replace(row, search_title=title, search_description=description)
        for row, title, description in zip(
            rows,
            first_times(r.date.title for r in rows),
            first_times(r.date.description for r in rows),
            strict=True,
        )
    ]
    return [marked[: len(current)], marked[len(current) :]]


def repeated_descriptions(groups: Sequence[QualificationGroup]) -> set[str]:
    """The ids of the groups whose description an earlier group already had."""
    firsts = first_times(g.description for g in groups)
    return {g.id for g, first in zip(groups, firsts, strict=True) if not first}


def first_times(texts: Iterable[str]) -> list[bool]:
    """For each text, whether it is the first time it appears."""
    seen: set[str] = set()
    first = []
    for text in texts:
        first.append(text not in seen)
        seen.add(text)
    return first


def organisation_sources(org: Organisation) -> list[str]:
    urls = {
        org.source_url,
        *(g.source_url for g in org.qualification_groups),
        *(d.source_url for d in org.key_dates),
        *(c.source_url for c in org.contacts),
    }
    return sorted(urls)


def date_rows(hub: Hub) -> list[DateRow]:
    by_id = {o.id: o for o in hub.organisations}
    return [hub_date_row(by_id.get(d.organisation_id), d) for d in hub.all_dates]


def hub_date_row(org: Organisation | None, key_date: KeyDate) -> DateRow:
    if org is None:
        return _row(key_date, key_date.uid, NATIONAL_NAME, "", ())
    return _row(
        key_date,
        key_date.uid,
        org.name,
        f"organisations/{org.id}/#{key_date.id}",
        tuple(g.name for g in org.groups_for(key_date)),
    )


def organisation_date_row(org: Organisation, key_date: KeyDate) -> DateRow:
    return _row(
        key_date, key_date.id, org.name, "", tuple(g.name for g in org.groups_for(key_date))
    )


def _row(key_date: KeyDate, anchor: str, name: str, url: str, groups: tuple[str, ...]) -> DateRow:
    assert key_date.organisation_id == NATIONAL_ID or name
    return DateRow(
        key_date,
        anchor,
        key_date.start.isoformat(),
        key_date.last_day.isoformat(),
        name,
        url,
        groups,
    )


def page(path: str, template: str, **context: object) -> Output:
    markdown, fragments = set_aside_tables(environment().get_template(template).render(**context))
    return Output(path, markdown.encode("utf-8"), fragments)


_TABLE = re.compile(r"<table\b.*?</table>", re.DOTALL)


def set_aside_tables(markdown: str) -> tuple[str, tuple[str, ...]]:
    """The page with each HTML table replaced by a numbered placeholder, and the tables."""
    tables: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        tables.append(match.group(0))
        return fragment_marker(len(tables) - 1)

    return _TABLE.sub(placeholder, markdown), tuple(tables)


def yaml_text(value: str) -> Markup:
    """Text for a front-matter value: HTML-escaped (the theme prints it raw), then quoted."""
    return Markup(json.dumps(html.escape(value), ensure_ascii=False))


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("hub_builder.render", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(FILTERS)
    env.filters["yaml_text"] = yaml_text
    env.globals["kind_labels"] = KIND_LABELS
    return env
