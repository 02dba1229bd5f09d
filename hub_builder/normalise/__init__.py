"""Stage 4, normalise: turn validated source documents into the typed :class:`model.Hub`.

Input: documents that passed :mod:`hub_builder.check` (so types and references are known
good) and the build's clock. Output: one frozen ``Hub`` with every collection sorted:
organisations by name, dates by start, end, organisation and id; optional text fields become
``""``. Each standing rule becomes an expected date for the academic year of the build's day
and the next (:mod:`standing_rules`), unless a key date names the rule for that year.
Pure: no I/O. Normalising the same documents twice gives equal hubs.

The raw documents stop here: the model keeps each file's places (:class:`problems.Places`,
where each field is written), so later stages place a problem without the file's data;
``redirects`` turns the redirects file into :class:`model.Redirect` records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date, datetime, time
from typing import Any

from hub_builder.calendar import academic_year_of
from hub_builder.load.sources import is_national
from hub_builder.load.strict_yaml import Document
from hub_builder.model import (
    NATIONAL_ID,
    Contact,
    Evidence,
    Guidance,
    Hub,
    KeyDate,
    NationalCalendar,
    Organisation,
    Page,
    QualificationGroup,
    Quotation,
    Redirect,
    ResultsDay,
    ResultsTiming,
    Rule,
    StandingRule,
    date_order,
)
from hub_builder.normalise.standing_rules import expected_dates

SeenOn = Mapping[str, date | None]  # the date each cited page shows, by address


def normalise(documents: Iterable[Document], built_at: datetime) -> Hub:
    national: NationalCalendar | None = None
    organisations = []
    for document in documents:
        if is_national(document.path):
            national = replace(national_calendar(document.data), places=document.places)
        else:
            org = organisation(document.data, document.path, built_at.date())
            organisations.append(replace(org, places=document.places))
    if national is None:
        national = NationalCalendar((), (), (), built_at.date())
    organisations.sort(key=lambda o: (o.name.casefold(), o.id))
    return Hub(tuple(organisations), national, built_at)


def redirects(document: Document | None) -> tuple[Redirect, ...]:
    """The redirects of a redirects file without problems, sorted by old id."""
    data = document.data if document is not None else None
    if not isinstance(data, dict) or not isinstance(data.get("redirects"), list):
        return ()
    found = (Redirect(e["from"], e["to"]) for e in data["redirects"])
    return tuple(sorted(found, key=lambda r: r.old))


def organisation(data: dict[str, Any], source_path: str, today: date) -> Organisation:
    org_id = data["id"]
    rules = tuple(standing_rule(r) for r in data.get("standing_rules", ()))
    cited = pages(data)
    seen_on = {page.url: page.seen_on for page in cited}
    own_dates = [key_date(org_id, d, seen_on) for d in data.get("key_dates", ())]
    owner = data.get("acronym") or data["name"]
    expected = expected_dates(owner, org_id, rules, seen_on, own_dates, today)
    return Organisation(
        id=org_id,
        name=data["name"],
        acronym=data.get("acronym", ""),
        recognition_number=data.get("recognition_number", ""),
        recognition_number_source=data.get("recognition_number_source", ""),
        website=data.get("website", ""),
        source_url=data["source_url"],
        maintainers=tuple(data.get("maintainers", ())),
        confirmed_on=_date(data.get("confirmed_on")),
        compiled_on=date.fromisoformat(data["compiled_on"]),
        qualification_groups=tuple(
            sorted(
                (qualification_group(g, seen_on) for g in data.get("qualification_groups", ())),
                key=lambda g: (g.name.casefold(), g.id),
            )
        ),
        key_dates=tuple(sorted([*own_dates, *expected], key=date_order)),
        guidance=tuple(
            sorted(
                (guidance(g) for g in data.get("guidance", ())),
                key=lambda g: (g.title.casefold(), g.id),
            )
        ),
        contacts=tuple(
            sorted((contact(c) for c in data.get("contacts", ())), key=lambda c: (c.role, c.id))
        ),
        source_path=source_path,
        pages=cited,
        standing_rules=tuple(sorted(rules, key=lambda r: (r.start, r.id))),
    )


def qualification_group(data: dict[str, Any], seen_on: SeenOn) -> QualificationGroup:
    return QualificationGroup(
        id=data["id"],
        name=data["name"],
        qualification_type=data["qualification_type"],
        levels=tuple(data.get("levels", ())),
        qualification_numbers=tuple(sorted(data.get("qualification_numbers", ()))),
        description=data.get("description", ""),
        source_url=data["source_url"],
        also_known_as=tuple(data.get("also_known_as", ())),
        results=results_timing(data.get("results"), seen_on),
        quote=quote(data.get("quote"), data["source_url"], seen_on),
    )


def results_timing(data: dict[str, Any] | None, seen_on: SeenOn) -> ResultsTiming | None:
    """The group's results timing and its evidence, strongest first."""
    if not data:
        return None
    evidence = (
        Evidence(
            says=item["says"],
            quotation=quotation(item, seen_on),
            by=item.get("by", "organisation"),
            years=tuple(sorted(item.get("years", ()))),
        )
        for item in data["evidence"]
    )
    return ResultsTiming(
        timing=data["timing"],
        evidence=tuple(sorted(evidence, key=lambda e: e.strength)),
        own_timing=data.get("own_timing", ""),
    )


def key_date(organisation_id: str, data: dict[str, Any], seen_on: SeenOn) -> KeyDate:
    start = date.fromisoformat(data["start"])
    return KeyDate(
        organisation_id=organisation_id,
        id=data["id"],
        title=data["title"],
        kind=data["kind"],
        start=start,
        end=_end(start, data.get("end")),
        time=time.fromisoformat(data["time"]) if data.get("time") else None,
        series=data.get("series", ""),
        academic_year=data.get("academic_year") or academic_year_of(start),
        applies_to=tuple(data.get("applies_to", ())),
        status=data["status"],
        description=data.get("description", ""),
        source_url=data["source_url"],
        confirmed_on=_date(data.get("confirmed_on")),
        standing_rule=data.get("standing_rule", ""),
        inferred_from=quotation(data["inferred_from"], seen_on)
        if "inferred_from" in data
        else None,
        quote=quote(data.get("quote"), data["source_url"], seen_on),
        yearly=data.get("yearly", ""),
    )


def quotation(data: dict[str, Any], seen_on: SeenOn) -> Quotation:
    """The quoted words, their page, and the date that page shows."""
    return Quotation(data["statement"], data["source_url"], seen_on.get(data["source_url"]))


def quote(data: dict[str, Any] | None, record_url: str, seen_on: SeenOn) -> Quotation | None:
    """The words behind a description: from the record's own page unless another is named."""
    if not data:
        return None
    return quotation({"source_url": record_url, **data}, seen_on)


def pages(data: dict[str, Any]) -> tuple[Page, ...]:
    return tuple(
        sorted(
            (Page(p["url"], _date(p.get("seen_on"))) for p in data.get("pages", ())),
            key=lambda p: p.url,
        )
    )


def standing_rule(data: dict[str, Any]) -> StandingRule:
    every_year = data["every_year"]
    return StandingRule(
        id=data["id"],
        title=data["title"],
        kind=data["kind"],
        start=_month_day(every_year["start"]),
        end=_month_day(every_year["end"]) if every_year.get("end") else None,
        time=time.fromisoformat(data["time"]) if data.get("time") else None,
        applies_to=tuple(data.get("applies_to", ())),
        wording=data["wording"],
        description=data.get("description", ""),
        source_url=data["source_url"],
    )


def guidance(data: dict[str, Any]) -> Guidance:
    return Guidance(
        id=data["id"],
        title=data["title"],
        url=data["url"],
        audience=tuple(data["audience"]),
        topic=data["topic"],
        summary=data.get("summary", ""),
    )


def contact(data: dict[str, Any]) -> Contact:
    return Contact(
        id=data["id"],
        role=data["role"],
        label=data.get("label", ""),
        email=data.get("email", ""),
        phone=data.get("phone", ""),
        url=data.get("url", ""),
        hours=data.get("hours", ""),
        source_url=data["source_url"],
    )


def national_calendar(data: dict[str, Any]) -> NationalCalendar:
    results_days = tuple(
        sorted((results_day(d) for d in data["results_days"]), key=lambda r: (r.date, r.id))
    )
    dates = [key_date(NATIONAL_ID, d, {}) for d in data["dates"]]
    dates += [results_day_date(r) for r in results_days]
    rules = tuple(sorted((rule(r) for r in data["rules"]), key=lambda r: (r.published_on, r.id)))
    return NationalCalendar(
        results_days,
        tuple(sorted(dates, key=date_order)),
        rules,
        date.fromisoformat(data["compiled_on"]),
        pages(data),
        tuple((f["organisation"], f["group"]) for f in data.get("featured_qualifications", ())),
    )


def results_day(data: dict[str, Any]) -> ResultsDay:
    return ResultsDay(
        id=data["id"],
        title=data["title"],
        date=date.fromisoformat(data["date"]),
        levels=tuple(data["levels"]),
        series=data["series"],
        description=data.get("description", ""),
        source_url=data["source_url"],
    )


def results_day_date(day: ResultsDay) -> KeyDate:
    """A results day as a key date, so lists and calendars show it with the rest."""
    return KeyDate(
        organisation_id=NATIONAL_ID,
        id=day.id,
        title=day.title,
        kind="results-day",
        start=day.date,
        end=None,
        time=None,
        series=day.series,
        academic_year=academic_year_of(day.date),
        applies_to=(),
        status="confirmed",
        description=day.description,
        source_url=day.source_url,
        confirmed_on=None,
    )


def rule(data: dict[str, Any]) -> Rule:
    return Rule(
        id=data["id"],
        title=data["title"],
        summary=data["summary"],
        published_on=date.fromisoformat(data["published_on"]),
        source_url=data["source_url"],
    )


def _month_day(value: str) -> tuple[int, int]:
    """``"03-01"`` → ``(3, 1)``."""
    month, day = value.split("-")
    return int(month), int(day)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _end(start: date, value: str | None) -> date | None:
    """An end equal to the start is a single day: stored as no end."""
    end = _date(value)
    return end if end and end != start else None
