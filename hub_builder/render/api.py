"""The JSON API under ``/api/v1/``: the whole model as sorted, deterministic JSON, each
shape with a published JSON Schema beside it in ``/api/v1/schema/``.

==================================  ====================================================
path                                holds
==================================  ====================================================
api/v1/index.json                   every endpoint: its address, schema and human page
api/v1/openapi.json                 the same as an OpenAPI 3.1 document (:mod:`openapi`)
api/index.md                        the site's "Data and API" page, made from that document
api/v1/organisations.json           every organisation: facts, groups, date counts
api/v1/organisations/<id>.json      one organisation: groups, key dates, guidance, contacts
api/v1/dates.json                   every key date, national ones included, in date order
api/v1/national.json                the national calendar: results days, dates, rules
api/v1/changes.json                 the recorded changes, newest first
api/v1/feeds.json                   each declared feed: ok or stale, since when, and why
api/v1/status.json                  the status page's findings (:mod:`status_views`)
api/v1/build.json                   built at, source revision, each source's freshness
api/v1/schema/<name>.schema.json    the JSON Schema of each shape
==================================  ====================================================

Every file has one envelope: ``api_version`` (1), ``generated_at`` (the build's clock),
``url`` (the address of the matching page for people, ``null`` when the site's address is
not configured) and, for a list, ``total``. Each schema's ``$id`` is its published address
(from ``site_url``; without it, schemas have no ``$id`` and are found by their path), and
schemas refer to each other by relative ``$ref``, which resolves against it.

Dates are ``YYYY-MM-DD``, times ``HH:MM`` UK time (Europe/London), ``end`` is the last day
(inclusive, ``null`` for one day). Between two builds of the same sources, only
``generated_at`` changes, with ``build.json``'s clock and ages; on another day
``status.json`` changes too (it is worked out for the day).

    >>> [o.path for o in render(hub)][0]                               # doctest: +SKIP
    'api/v1/build.json'
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from hub_builder.calendar import academic_year_of
from hub_builder.domain.identity import calendar_uid
from hub_builder.domain.results import Answer, Answers
from hub_builder.domain.years import EARLIER_YEARS, OrganisationYear, organisation_year
from hub_builder.load.schemas import schema_text
from hub_builder.model import (
    Contact,
    Guidance,
    Hub,
    KeyDate,
    NationalCalendar,
    Organisation,
    Page,
    QualificationGroup,
    Quotation,
    RecordedChange,
    ResultsDay,
    ResultsTiming,
    StandingRule,
)
from hub_builder.render import openapi
from hub_builder.render.feed_health import feeds_json
from hub_builder.render.output import Output
from hub_builder.render.pages import page
from hub_builder.render.records import groups_of, organisation_name
from hub_builder.render.status_views import rule_json, status_json
from hub_builder.status.report import StatusReport

API = "api/v1"
API_VERSION = 1


@dataclass(frozen=True)
class Endpoint:
    """One file of the API: its path under /api/v1/ (``{id}`` for one per organisation),
    its schema, the page for people that shows the same, what it holds, and the list
    ``total`` counts."""

    path: str
    schema: str
    page: str | None
    summary: str
    items: str | None = None


ENDPOINTS = (
    Endpoint("index.json", "index.schema.json", "api/", "Every endpoint of the API.", "endpoints"),
    Endpoint(
        "organisations.json",
        "organisations.schema.json",
        "organisations/",
        "Every awarding organisation on the hub, with its qualification groups.",
        "organisations",
    ),
    Endpoint(
        "organisations/{id}.json",
        "organisation-detail.schema.json",
        "organisations/{id}/",
        "One awarding organisation: its groups, key dates, standing rules, guidance and contacts.",
    ),
    Endpoint(
        "dates.json",
        "dates.schema.json",
        "dates/",
        "Every key date, national ones included, in date order.",
        "dates",
    ),
    Endpoint(
        "national.json",
        "national-calendar.schema.json",
        "dates/",
        "The national calendar: results days, UCAS deadlines and Ofqual's rules.",
    ),
    Endpoint(
        "changes.json",
        "changes.schema.json",
        "changes/",
        "Recorded changes, newest first.",
        "changes",
    ),
    Endpoint(
        "feeds.json",
        "feeds.schema.json",
        "status/",
        "Each feed an awarding organisation declares: working or stale, and why.",
        "feeds",
    ),
    Endpoint(
        "status.json",
        "status.schema.json",
        "status/",
        "Whether results delivery is on track, organisation by organisation.",
        "organisations",
    ),
    Endpoint(
        "build.json",
        "build.schema.json",
        None,
        "When the site was built, from which sources, and how fresh each source is.",
    ),
)
SCHEMA_FILES = (*sorted({e.schema for e in ENDPOINTS}), "defs.schema.json")

Json = dict[str, Any]


def render(hub: Hub, status: StatusReport) -> Iterator[Output]:
    by_path = {e.path: e for e in ENDPOINTS}
    described = openapi.document(hub, ENDPOINTS, API_VERSION)

    def output(path: str, data: Json, **names: str) -> Output:
        return json_output(
            f"{API}/{path.format(**names)}", envelope(hub, by_path[path], data, names)
        )

    yield output("build.json", build_json(hub))
    yield output("changes.json", {"changes": [change_json(c) for c in hub.changes]})
    # The envelope counts the dates; their JSON is made one at a time as it is written.
    dates = envelope(hub, by_path["dates.json"], {"dates": hub.all_dates}, {})
    yield json_list_output(
        f"{API}/dates.json", dates, "dates", (hub_date_json(hub, d) for d in hub.all_dates)
    )
    yield output("feeds.json", feeds_json(hub))
    yield output("index.json", index_json(hub))
    yield output("national.json", national_json(hub.national))
    yield output("organisations.json", organisations_json(hub))
    found = Answers(hub)
    year = academic_year_of(hub.today)
    for o in hub.organisations:
        yield output("organisations/{id}.json", organisation_json(o, found, year), id=o.id)
    yield Output(
        f"{API}/status.json",
        status_json(status, hub.built_at, page_url(hub, "status/")).encode(),
    )
    yield json_output(f"{API}/openapi.json", described)
    yield page(
        "api/index.md",
        "api.md.j2",
        root="../",
        openapi=described,
        schema_files={f"/{e.path}": e.schema for e in ENDPOINTS},
    )
    for name in SCHEMA_FILES:
        path = f"{API}/schema/{name}"
        yield Output(path, published_schema(f"api/{name}", hub, path))


def envelope(hub: Hub, endpoint: Endpoint, data: Json, names: dict[str, str]) -> Json:
    wrapped: Json = {
        **data,
        "api_version": API_VERSION,
        "generated_at": hub.built_at.isoformat(),
        "url": page_url(hub, endpoint.page.format(**names)) if endpoint.page else None,
    }
    if endpoint.items:
        wrapped["total"] = len(data[endpoint.items])
    return wrapped


def page_url(hub: Hub, page: str) -> str | None:
    """A page's absolute address, or ``None`` when the site's address is not configured."""
    return f"{hub.site_url}{page}" if hub.site_url else None


def index_json(hub: Hub) -> Json:
    def address(path: str) -> str:
        return f"{hub.site_url}{API}/{path}" if hub.site_url else path

    return {
        "endpoints": [
            {
                "path": f"/{API}/{e.path}",
                "url": address(e.path),
                "schema": address(f"schema/{e.schema}"),
                "page": page_url(hub, e.page) if e.page else None,
                "summary": e.summary,
            }
            for e in ENDPOINTS
        ],
        "openapi": address("openapi.json"),
    }


def published_schema(name: str, hub: Hub, path: str) -> bytes:
    """A packaged schema as published: with ``$id``, its own address, when the site's is
    known (placed after ``$schema``), so ``$ref``s resolve against the site."""
    text = schema_text(name)
    if not hub.site_url:
        return text.encode()
    data = json.loads(text)
    identified = {"$schema": data.pop("$schema"), "$id": f"{hub.site_url}{path}", **data}
    return (json.dumps(identified, indent=2, ensure_ascii=False) + "\n").encode()


def json_output(path: str, data: Json) -> Output:
    return Output(path, (json_text(data) + "\n").encode("utf-8"))


def json_text(data: object) -> str:
    return json.dumps(data, sort_keys=True, indent=2, ensure_ascii=False)


def json_list_output(path: str, data: Json, key: str, entries: Iterable[Json]) -> Output:
    """What :func:`json_output` writes for ``data`` with ``entries`` as its ``key``, one
    entry encoded at a time into the file's bytes: neither the whole list's tree nor a
    second copy of its text is ever held (at hub scale, the 100,000 dates of dates.json took
    450 MB so)."""
    marker = "\0entries\0"
    before, after = json_text({**data, key: marker}).split(json.dumps(marker), 1)
    file = io.BytesIO()
    file.write(before.encode("utf-8"))
    separator = b"[\n    "
    for entry in entries:
        # An entry two levels in: every line of its text indented by four more spaces (a
        # line break inside a JSON string is written \n, so each one here starts a line).
        file.write(separator + json_text(entry).replace("\n", "\n    ").encode("utf-8"))
        separator = b",\n    "
    file.write(b"[]" if separator == b"[\n    " else b"\n  ]")
    file.write(after.encode("utf-8") + b"\n")
    return Output(path, file.getvalue())


def build_json(hub: Hub) -> Json:
    return {
        "built_at": hub.built_at.isoformat(),
        "source_revision": hub.source_revision,
        "counts": {
            "organisations": len(hub.organisations),
            "key_dates": len(hub.all_dates),
            "changes": len(hub.changes),
        },
        "national": freshness(hub, hub.national.compiled_on, None),
        "organisations": [
            {"id": o.id, "name": o.name, **freshness(hub, o.compiled_on, o.confirmed_on)}
            for o in hub.organisations
        ],
    }


def freshness(hub: Hub, compiled_on: date, confirmed_on: date | None) -> Json:
    return {
        "compiled_on": compiled_on.isoformat(),
        "days_since_compiled": (hub.today - compiled_on).days,
        "confirmed_on": iso(confirmed_on),
    }


def organisations_json(hub: Hub) -> Json:
    return {
        "organisations": [
            {
                **organisation_facts(o),
                "key_date_count": len(o.key_dates),
                "qualification_groups": [
                    {"id": g.id, "name": g.name, "qualification_type": g.qualification_type}
                    for g in o.qualification_groups
                ],
                "url": f"organisations/{o.id}.json",
            }
            for o in hub.organisations
        ]
    }


def organisation_facts(org: Organisation) -> Json:
    return {
        "id": org.id,
        "name": org.name,
        "acronym": org.acronym,
        "recognition_number": org.recognition_number,
        "recognition_number_source": org.recognition_number_source,
        "website": org.website,
        "source_url": org.source_url,
        "compiled_on": org.compiled_on.isoformat(),
        "confirmed_on": iso(org.confirmed_on),
    }


def organisation_json(org: Organisation, found: Answers, academic_year: str) -> Json:
    return {
        **organisation_facts(org),
        "maintainers": list(org.maintainers),
        "qualification_groups": [group_json(g) for g in org.qualification_groups],
        "answers": [answer_json(found.answer(org, g)) for g in org.qualification_groups],
        "this_year": year_json(organisation_year(org, academic_year)),
        "key_dates": [key_date_json(d, [g.id for g in org.groups_for(d)]) for d in org.key_dates],
        "standing_rules": [standing_rule_json(r) for r in org.standing_rules],
        "guidance": [guidance_json(g) for g in org.guidance],
        "contacts": [contact_json(c) for c in org.contacts],
        "pages": [page_json(p) for p in org.pages],
    }


def answer_json(answer: Answer) -> Json:
    """When a group's results come out, as its page and the home page say it."""
    return {
        "group_id": answer.group.id,
        "timing": answer.timing,
        "own_timing": answer.own_timing,
        "results_days": [
            {
                "levels": list(line.levels),
                "title": line.title,
                "past": [results_day_ref(d) for d in line.past],
                "coming": results_day_ref(line.coming) if line.coming else None,
            }
            for line in answer.lines
        ],
        "own_dates": [d.uid for d in answer.own_dates],
    }


def results_day_ref(day: ResultsDay) -> Json:
    return {"id": day.id, "date": day.date.isoformat(), "series": day.series}


def year_json(year: OrganisationYear) -> Json:
    """The academic year at a glance: each date published, expected or not on the hub yet,
    with the same date in the two years before (past dates, never a prediction)."""
    return {
        "academic_year": year.academic_year,
        "entries": [
            {
                "key": e.key,
                "title": e.title,
                "kind": e.kind,
                "on_the_hub": e.state,
                "dates": [d.uid for d in (*e.this_year, *e.expected)],
                "earlier": [
                    {
                        "academic_year": d.academic_year,
                        "uid": d.uid,
                        "start": d.start.isoformat(),
                        "end": iso(d.end),
                    }
                    for d in e.earlier[:EARLIER_YEARS]
                ],
            }
            for e in year.entries
        ],
    }


def standing_rule_json(rule: StandingRule) -> Json:
    return {
        "id": rule.id,
        "title": rule.title,
        "kind": rule.kind,
        "every_year": {"start": month_day(rule.start), "end": month_day(rule.end)},
        "time": rule.time.strftime("%H:%M") if rule.time else None,
        "applies_to": list(rule.applies_to),
        "wording": rule.wording,
        "description": rule.description,
        "source_url": rule.source_url,
    }


def month_day(value: tuple[int, int] | None) -> str | None:
    return f"{value[0]:02d}-{value[1]:02d}" if value else None


def page_json(page: Page) -> Json:
    return {"url": page.url, "seen_on": iso(page.seen_on)}


def quotation_json(quotation: Quotation | None) -> Json | None:
    if quotation is None:
        return None
    return {
        "statement": quotation.statement,
        "source_url": quotation.source_url,
        "seen_on": iso(quotation.seen_on),
    }


def group_json(group: QualificationGroup) -> Json:
    return {
        "id": group.id,
        "name": group.name,
        "qualification_type": group.qualification_type,
        "levels": list(group.levels),
        "progression": group.on_results_day,
        "qualification_numbers": list(group.qualification_numbers),
        "description": group.description,
        "quote": quotation_json(group.quote),
        "also_known_as": list(group.also_known_as),
        "results": results_json(group.results),
        "source_url": group.source_url,
    }


def results_json(results: ResultsTiming | None) -> Json | None:
    """When the group's results come out, and the evidence, strongest first."""
    if results is None:
        return None
    return {
        "timing": results.timing,
        "own_timing": results.own_timing,
        "evidence": [
            {
                "says": e.says,
                "by": e.by,
                "years": list(e.years),
                **(quotation_json(e.quotation) or {}),
            }
            for e in results.evidence
        ],
    }


def key_date_json(key_date: KeyDate, group_ids: list[str]) -> Json:
    return {
        "uid": key_date.uid,
        "calendar_uid": calendar_uid(key_date),
        "organisation_id": key_date.organisation_id,
        "id": key_date.id,
        "title": key_date.title,
        "kind": key_date.kind,
        "kind_label": key_date.kind_label,
        "start": key_date.start.isoformat(),
        "end": iso(key_date.end),
        "time": key_date.time.strftime("%H:%M") if key_date.time else None,
        "series": key_date.series,
        "academic_year": key_date.academic_year,
        "applies_to": list(key_date.applies_to),
        "qualification_groups": group_ids,
        "status": key_date.status,
        "description": key_date.description,
        "source_url": key_date.source_url,
        "confirmed_on": iso(key_date.confirmed_on),
        "sequence": key_date.sequence,
        "changes": [change_json(c) for c in key_date.changes],
        "standing_rule": key_date.standing_rule,
        "inferred_from": quotation_json(key_date.inferred_from),
        "quote": quotation_json(key_date.quote),
        "yearly_key": key_date.yearly_key,
    }


def hub_date_json(hub: Hub, key_date: KeyDate) -> Json:
    group_ids = [g.id for g in groups_of(hub, key_date)]
    return {**key_date_json(key_date, group_ids), "organisation": organisation_name(hub, key_date)}


def guidance_json(link: Guidance) -> Json:
    return {
        "id": link.id,
        "title": link.title,
        "url": link.url,
        "audience": list(link.audience),
        "topic": link.topic,
        "summary": link.summary,
    }


def contact_json(contact: Contact) -> Json:
    return {
        "id": contact.id,
        "role": contact.role,
        "label": contact.label,
        "email": contact.email,
        "phone": contact.phone,
        "url": contact.url,
        "hours": contact.hours,
        "source_url": contact.source_url,
    }


def national_json(national: NationalCalendar) -> Json:
    return {
        "compiled_on": national.compiled_on.isoformat(),
        "pages": [page_json(p) for p in national.pages],
        "results_days": [results_day_json(r) for r in national.results_days],
        "dates": [key_date_json(d, []) for d in national.dates],
        "rules": [rule_json(r) for r in national.rules],
    }


def results_day_json(day: ResultsDay) -> Json:
    return {
        "id": day.id,
        "title": day.title,
        "date": day.date.isoformat(),
        "levels": list(day.levels),
        "series": day.series,
        "description": day.description,
        "source_url": day.source_url,
    }


def change_json(recorded: RecordedChange) -> Json:
    change = recorded.change
    return {
        "on": recorded.on.isoformat(),
        "kind": change.kind,
        "organisation_id": change.organisation_id,
        "record_id": change.record_id,
        "title": change.title,
        "before": change.before,
        "after": change.after,
    }


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
