"""The hub's pages as ``Output`` records; nothing here writes to disk.

Input: a :class:`model.Hub`. Output: a list of ``Output(path, content)``, paths relative to
the docs folder mkdocs reads (``organisations/ncfe.md`` becomes ``/organisations/ncfe/``).
Pages are Markdown whose tables are HTML rendered by Jinja2 with autoescape on, so text from
sources is always escaped. Links inside that HTML are relative to the page (``root``), so
the site works under any path.

    >>> outputs = render_pages(hub, status)          # doctest: +SKIP
    >>> [o.path for o in outputs][:2]                # doctest: +SKIP
    ['index.md', 'dates/index.md']
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from urllib.parse import quote, urlencode

import jinja2
from markupsafe import Markup

from hub_builder.calendar import academic_year_of
from hub_builder.domain.results import Answer, answers, coming_summer, featured
from hub_builder.domain.years import organisation_year, year_at_a_glance
from hub_builder.formatting import FILTERS, domain, govuk_date
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
from hub_builder.render.date_rows import DateRow, date_row, source
from hub_builder.render.output import Output, fragment_marker
from hub_builder.status.report import StatusReport, StatusRow
from hub_builder.status.watch import PageRecord

NEXT_DATES_ON_HOME = 8


@dataclass(frozen=True)
class OrganisationRow:
    org: Organisation
    date_count: int  # published dates, every year
    current_count: int  # published dates this academic year and later
    expected_count: int  # dates expected this academic year from standing rules


def render_pages(hub: Hub, status: StatusReport) -> Iterator[Output]:
    """Every generated page and the explorer's files, in a fixed order, one at a time."""
    rows = date_rows(hub)
    slices = explorer.month_slices(rows)
    current_year = academic_year_of(hub.today)
    yield page("index.md", "home.md.j2", **home_context(hub, rows, current_year))
    yield page(
        "dates/index.md",
        "dates.md.j2",
        root="../",
        organisation_count=sum(1 for o in hub.organisations if o.key_dates),
        current_year=current_year,
        current_year_count=sum(
            1
            for o in hub.organisations
            for d in o.published_dates
            if d.academic_year >= current_year
        ),
        missing_count=sum(y.missing for y in year_at_a_glance(hub, current_year)),
        site_url=hub.site_url,
        calendar_kinds=[
            (kind, label)
            for kind, label in sorted(KIND_LABELS.items())
            if any(d.kind == kind for d in hub.all_dates)
        ],
        **dates_context(hub, rows, slices),
    )
    yield from explorer_outputs(hub, slices)
    yield page(
        "organisations/index.md",
        "organisations.md.j2",
        root="../",
        current_year=current_year,
        rows=[
            OrganisationRow(
                o,
                len(o.published_dates),
                sum(1 for d in o.published_dates if d.academic_year >= current_year),
                sum(1 for d in o.expected_dates if d.academic_year == current_year),
            )
            for o in hub.organisations
        ],
    )
    for o in hub.organisations:
        yield organisation_page(hub, o, current_year, status.row(o.id))
    yield page("status/index.md", "status.md.j2", root="../", report=status)
    years = year_at_a_glance(hub, current_year)
    yield page(
        "dates/this-year.md",
        "dates-this-year.md.j2",
        root="../../",
        today=hub.today,
        current_year=current_year,
        years=years,
        each_in_full=sum(len(y.entries) for y in years) <= explorer.FULL_LIST_LIMIT,
    )
    yield page(
        "guides/families.md", "guides-families.md.j2", root="../../", **families_context(hub)
    )
    yield search_answers(hub)


@dataclass(frozen=True)
class ResultsYear:
    series: str
    days: tuple[ResultsDay | None, ...]  # one per column of results_titles


def families_context(hub: Hub) -> dict[str, object]:
    """The guide for families: the results days by summer, and an answer for every group."""
    return {**results_years(hub), **guide_answers(hub)}


def results_years(hub: Hub) -> dict[str, object]:
    """The national results days by summer, one column a results day's name, the coming
    summer's row there (empty) until a source gives its days."""
    days = hub.national.results_days
    titles = sorted({(min(d.levels), d.title) for d in days}, reverse=True)
    next_series = coming_summer(hub.today)
    series = sorted(
        {d.series for d in days} | {next_series.label},
        key=lambda name: max((d.date for d in days if d.series == name), default=date.max),
    )
    years = [
        ResultsYear(
            name,
            tuple(
                next((d for d in days if d.series == name and d.title == title), None)
                for _, title in titles
            ),
        )
        for name in series
    ]
    next_confirmed = any(d.series == next_series.label for d in days)
    return {
        "results_titles": [title for _, title in titles],
        "results_years": years,
        "results_said": _results_said(years, hub.today, next_series.label, next_confirmed),
        "next_series": next_series.label,
        "next_confirmed": next_confirmed,
    }


def _results_said(
    years: list[ResultsYear], today: date, next_series: str, next_confirmed: bool
) -> str:
    """The latest results days on the hub in a sentence, and the coming summer's if they are
    not: "Summer 2026: A level and Level 3 results day was 13 August 2026; … Summer 2027:
    not on the hub yet." What the finder says to a reader asking for A levels or GCSEs."""
    known = [year for year in years if any(year.days)]
    if not known:
        return ""
    latest = known[-1]
    days = "; ".join(
        f"{day.title} {'was' if day.date < today else 'is'} {govuk_date(day.date)}"
        for day in latest.days
        if day is not None
    )
    said = f"{latest.series}: {days}."
    if not next_confirmed and latest.series != next_series:
        said += f" {next_series}: not on the hub yet."
    return said


ANSWERS_ON_ONE_PAGE = 150  # beyond this, a page gives the featured answers and an A to Z


def guide_answers(hub: Hub) -> dict[str, object]:
    """Every qualification's answer, A to Z, while there are few enough for one page (the
    featured ones marked, which the home page's finder shows first); on a big hub, the
    featured ones and each organisation with groups, linked to its own page's answers."""
    count = sum(len(org.qualification_groups) for org in hub.organisations)
    chosen = featured(hub, hub.national.featured)
    marked = [a.anchor for a in chosen]
    if count <= ANSWERS_ON_ONE_PAGE:
        every = answers(hub, hub.organisations)
        return {
            "answers": every,
            "answer_count": count,
            "featured": marked,
            "answer_organisations": [],
        }
    return {
        "answers": chosen,
        "answer_count": count,
        "featured": marked,
        "answer_organisations": [org for org in hub.organisations if org.qualification_groups],
    }


def dates_context(
    hub: Hub, rows: Sequence[DateRow], slices: Sequence[explorer.MonthSlice]
) -> dict[str, object]:
    """/dates/: the months of this academic year and later in full when they are few enough,
    else the months' pages; and the explorer's form."""
    year_start = f"{academic_year_of(hub.today)[:4]}-09"
    listed = [s for s in slices if s.key >= year_start]
    return {
        "today": hub.today,
        "slices": slices,
        "listed_slices": listed,
        "full_list": sum(s.count for s in listed) <= explorer.FULL_LIST_LIMIT,
        "date_count": f"{len(rows):,}",
        "first_upcoming": explorer.first_upcoming(listed, hub.today),
        "explorer_organisations": hub.organisations,
        "kinds": sorted({(row.date.kind, row.date.kind_label) for row in rows}),
        "qualification_types": explorer.qualification_types(hub),
    }


def explorer_outputs(hub: Hub, slices: Sequence[explorer.MonthSlice]) -> Iterator[Output]:
    """The explorer's JSON slices and the plain month pages: one per month, or, for a month
    with more dates than a phone should lay out at once, one per part of it
    (``dates/2025-10/``, ``dates/2025-10/2/``…)."""
    yield from explorer.explorer_files(hub, slices)
    yield from (
        page(
            part.path,
            "dates-month.md.j2",
            root=part.root,
            month=month,
            part=part,
            parts=parts,
            previous=slices[i - 1] if i else None,
            next=slices[i + 1] if i + 1 < len(slices) else None,
        )
        for i, month in enumerate(slices)
        for parts in [explorer.month_parts(month)]
        for part in parts
    )


def home_context(hub: Hub, rows: Sequence[DateRow], current_year: str) -> dict[str, object]:
    return {
        "root": "",
        "today": hub.today,
        "current_year": current_year,
        "rules": hub.national.rules,
        **results_years(hub),
        **guide_answers(hub),
        "next_rows": [row for row in rows if row.date.last_day >= hub.today][:NEXT_DATES_ON_HOME],
    }


SEARCH_ANSWERS = "search/answers.json"
RESULTS_DAY_NAMES = (
    "results day",
    "results days",
    "a level results day",
    "gcse results day",
    "level 3 results day",
    "level 2 results day",
)


def search_answers(hub: Hub) -> Output:
    """What search shows above its results when a query names a qualification or asks for
    results days: each qualification's answer in a line, as its card gives it (a few KB:
    the search page downloads it with its first query), and the national results days."""
    line = environment().get_template("_macros.j2").module.answer_line  # type: ignore[attr-defined]
    every = [
        {
            "kind": "qualification",
            "names": [name.casefold() for name in a.names],
            "name": a.group.name,
            "organisation": a.organisation.name,
            "answer": " ".join(Markup(line(a)).striptags().split()),
            "url": f"organisations/{a.organisation.id}/#results-{a.anchor}",
        }
        for a in answers(hub, hub.organisations)
    ]
    days = hub.national.results_days
    coming = coming_summer(hub.today).label
    said = []
    for _, title in sorted({(min(d.levels), d.title) for d in days}, reverse=True):
        same = sorted((d for d in days if d.title == title), key=lambda d: d.date)
        known = [f"{d.series}: {govuk_date(d.date)}" for d in same][-2:]
        if not any(d.series == coming for d in same):
            known.append(f"{coming}: not on the hub yet")
        said.append(f"{title}. " + "; ".join(known) + ".")
    days_answer = {
        "kind": "results-days",
        "names": list(RESULTS_DAY_NAMES),
        "name": "Results days",
        "organisation": "",
        "answer": " ".join(said),
        "url": "#results-days",
    }
    return Output(SEARCH_ANSWERS, explorer.json_bytes({"answers": [days_answer, *every]}))


def organisation_page(hub: Hub, org: Organisation, current_year: str, status: StatusRow) -> Output:
    rows = [organisation_date_row(org, d, hub.today) for d in org.key_dates]
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
        current_published=[r for r in current if not r.date.is_expected],
        current_expected=[r for r in current if r.date.is_expected],
        earlier_rows=earlier,
        repeated_group_descriptions=repeated_descriptions(org.qualification_groups),
        answers=answers(hub, [org]),
        year=organisation_year(org, current_year),
        today=hub.today,
        provenance=provenance(org, status),
        status=status,
        corrections=corrections(hub, org),
        site_url=hub.site_url,
    )


@dataclass(frozen=True)
class Corrections:
    """Where a reader reports a mistake on an organisation's page (by e-mail, needing no
    account, and on GitHub), and where the organisation keeps its entry right: each "" when
    the setting it comes from is not set."""

    email: str  # a prefilled mailto: to the maintainers' address
    report: str  # a prefilled "Report a wrong date" issue form
    guide: str  # CONTRIBUTING.md
    file: str  # the organisation's source file
    edit: str  # the same file in GitHub's editor, which opens a pull request


def corrections(hub: Hub, org: Organisation) -> Corrections | None:
    """``None`` when neither the maintainers' address nor the repository is set: no link
    is guessed."""
    if not hub.repository and not hub.report_email:
        return None
    page = f"{hub.site_url}organisations/{org.id}/" if hub.site_url else ""
    email = (
        report_mailto(hub.report_email, f"Wrong date: {org.name}", page) if hub.report_email else ""
    )
    if not hub.repository:
        return Corrections(email, "", "", "", "")
    repo, path = hub.repository, f"sources/organisations/{org.id}.yaml"
    fields = {"template": "wrong-date.yml", "title": f"Wrong date: {org.name}"}
    if page:
        fields["hub-page"] = page
    return Corrections(
        email=email,
        report=f"{repo}/issues/new?{urlencode(fields, quote_via=quote)}",
        guide=f"{repo}/blob/main/CONTRIBUTING.md",
        file=f"{repo}/blob/main/{path}",
        edit=f"{repo}/edit/main/{path}",
    )


def report_mailto(address: str, subject: str, page: str) -> str:
    """A mailto: link to the maintainers, its subject and body filled in (RFC 6068: spaces as
    %20), the body asking what a maintainer needs to check a report."""
    body = (
        f"Page: {page}\n\n" if page else ""
    ) + "What is wrong:\n\nWhat it should say, and the page where that is published:\n"
    return f"mailto:{address}?" + urlencode({"subject": subject, "body": body}, quote_via=quote)


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


@dataclass(frozen=True)
class CitedPage:
    url: str
    seen_on: date | None
    checked: str = ""  # what the page watcher last found, in words; "" when never checked


@dataclass(frozen=True)
class SourceNotes:
    """Where an organisation's entry comes from, as its page says it."""

    pages: tuple[CitedPage, ...]  # every page the entry cites, by address
    seen_on: dict[str, date | None]  # the same, by address, for the template to look up
    compiled: str  # "Compiled on … from N public pages seen between … and …."
    recognition_number: str  # where the RN comes from, and whether the Register agrees


def provenance(org: Organisation, status: StatusRow) -> SourceNotes:
    dated = {p.url: p.seen_on for p in org.pages}
    urls = sorted(cited_urls(org))
    watched = status.watch.pages
    pages = tuple(CitedPage(url, dated.get(url), checked_note(watched.get(url))) for url in urls)
    return SourceNotes(
        pages,
        {p.url: p.seen_on for p in pages},
        compiled_note(org.compiled_on, [p.seen_on for p in pages]),
        recognition_number_note(org, status),
    )


def checked_note(record: PageRecord | None) -> str:
    """What the watcher last found of a page, said only as far as its records go: "the same
    words" means the same as when it first read them, never as when the entry was compiled.

    ``'not found when checked on 30 November 2026'``, ``'its words changed on 30 November
    2026'``, ``'the same words when checked on 30 November 2026 as on 23 November 2026'``.
    """
    if record is None:
        return ""
    if record.state == "gone":
        return f"not found when checked on {govuk_date(record.checked_at.date())}"
    if record.state == "failing" and record.failing_since:
        return f"could not be read since {govuk_date(record.failing_since.date())}"
    if record.changed_at:
        return f"its words changed on {govuk_date(record.changed_at.date())}"
    checked, first = record.checked_at.date(), record.first_checked_at.date()
    if checked == first:
        return f"first checked on {govuk_date(first)}"
    return f"the same words when checked on {govuk_date(checked)} as on {govuk_date(first)}"


def cited_urls(org: Organisation) -> set[str]:
    """Every page the entry cites as the source of a fact."""
    return {
        org.source_url,
        *([org.recognition_number_source] if org.recognition_number_source else []),
        *(g.source_url for g in org.qualification_groups),
        *(d.source_url for d in org.key_dates),
        *(r.source_url for r in org.standing_rules),
        *(q.source_url for q in org.quotations),
        *(c.source_url for c in org.contacts),
    }


def compiled_note(compiled_on: date, seen: Sequence[date | None]) -> str:
    """``Compiled on 28 November 2026 from 12 public pages seen between 14 October 2025 and
    24 June 2026 (the date each page shows; 3 pages show no date).``"""
    dates = sorted(d for d in seen if d is not None)
    undated = len(seen) - len(dates)
    count = f"{len(seen)} public page{'s' if len(seen) != 1 else ''}"
    text = f"Compiled on {govuk_date(compiled_on)} from {count}"
    if dates and dates[0] == dates[-1]:
        text += f" seen as of {govuk_date(dates[0])} (the date the page shows"
    elif dates:
        text += (
            f" seen between {govuk_date(dates[0])} and {govuk_date(dates[-1])} "
            "(the date each page shows"
        )
    if dates:
        no_date = f"; {undated} show{'s' if undated == 1 else ''} no date" if undated else ""
        return f"{text}{no_date})."
    return f"{text}, none of which shows a date."


REGISTER_HOSTS = ("https://register.ofqual.gov.uk/", "https://register-api.ofqual.gov.uk/")


def recognition_number_note(org: Organisation, status: StatusRow) -> str:
    register = status.register
    if register is not None and register.recognition_number_confirmed:
        return f"confirmed on Ofqual's Register on {govuk_date(register.checked_on)}"
    source = org.recognition_number_source
    if source.startswith(REGISTER_HOSTS):
        return "from Ofqual's Register"
    if source:
        return f"from {domain(source)}; not yet confirmed on Ofqual's Register"
    return "not yet confirmed: no public page the hub holds shows it, nor Ofqual's Register"


def date_rows(hub: Hub) -> list[DateRow]:
    by_id = {o.id: o for o in hub.organisations}
    return [hub_date_row(by_id.get(d.organisation_id), d, hub.today) for d in hub.all_dates]


def hub_date_row(org: Organisation | None, key_date: KeyDate, today: date) -> DateRow:
    if org is None:
        return _row(key_date, key_date.uid, NATIONAL_NAME, "", (), today)
    return _row(
        key_date,
        key_date.uid,
        org.name,
        f"organisations/{org.id}/#{key_date.id}",
        tuple(g.name for g in org.groups_for(key_date)),
        today,
    )


def organisation_date_row(org: Organisation, key_date: KeyDate, today: date) -> DateRow:
    groups = tuple(g.name for g in org.groups_for(key_date))
    return _row(key_date, key_date.id, org.name, "", groups, today)


def _row(
    key_date: KeyDate, anchor: str, name: str, url: str, groups: tuple[str, ...], today: date
) -> DateRow:
    assert key_date.organisation_id == NATIONAL_ID or name
    return DateRow(
        key_date,
        anchor,
        key_date.start.isoformat(),
        key_date.last_day.isoformat(),
        name,
        url,
        groups,
        expected_passed=key_date.is_expected and key_date.last_day < today,
    )


def page(path: str, template: str, **context: object) -> Output:
    markdown, fragments = set_aside(environment().get_template(template).render(**context))
    return Output(path, markdown.encode("utf-8"), fragments)


# What mkdocs need not read: every HTML table, and the lines a template puts between
# "<!--hub:aside-->" and "<!--hub:/aside-->" (each on its own line, never nested): long
# lists of plain HTML that Markdown would pass through unchanged after parsing every tag.
_SET_ASIDE = re.compile(
    r"<table\b.*?</table>|<!--hub:aside-->\n(?:(?P<lines>.*?)\n)?<!--hub:/aside-->\n",
    re.DOTALL,
)


def set_aside(markdown: str) -> tuple[str, tuple[str, ...]]:
    """The page with each block mkdocs need not read replaced by a numbered placeholder,
    and the blocks; an aside's own markers are dropped, so the page reads as before."""
    blocks: list[str] = []

    def placeholder(match: re.Match[str]) -> str:
        if match.group(0).startswith("<table"):
            blocks.append(match.group(0))
            return fragment_marker(len(blocks) - 1)
        if match.group("lines") is None:
            return ""
        blocks.append(match.group("lines"))
        return fragment_marker(len(blocks) - 1) + "\n"

    return _SET_ASIDE.sub(placeholder, markdown), tuple(blocks)


def first_letters(answers: Sequence[Answer]) -> list[tuple[str, Answer]]:
    """Each letter the answers' names start with, and the first answer under it (the answers
    are in A to Z order): an A to Z index of them."""
    found: dict[str, Answer] = {}
    for answer in answers:
        letter = answer.sort_name[:1].upper()
        found.setdefault(letter if letter.isalpha() else "#", answer)
    return list(found.items())


def yaml_text(value: str) -> Markup:
    """Text for a front-matter value: HTML-escaped (the theme prints it raw), then quoted."""
    return Markup(json.dumps(html.escape(value), ensure_ascii=False))


def breakable(address: str) -> Markup:
    """An address that a narrow screen wraps after a slash, never inside a word."""
    return Markup("/<wbr>").join(Markup.escape(part) for part in address.split("/"))


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
    env.filters["first_letters"] = first_letters
    env.filters["breakable"] = breakable
    env.globals.update(date_row=date_row, source=source)
    return env
