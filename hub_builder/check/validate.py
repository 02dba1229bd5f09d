"""Validate loaded source documents: JSON Schema first, then the rules a schema cannot say.

Input: :class:`strict_yaml.Document` objects. Output: a list of :class:`Problem`, sorted,
each with the file, line and column of the value at fault and a plain-English message that
says what was expected. Nothing here raises on bad input or touches the disk.

    >>> from hub_builder.load.strict_yaml import load
    >>> doc = load(b"id: ncfe\\n", "sources/organisations/ncfe.yaml")
    >>> for problem in validate_documents([doc]):
    ...     print(problem.format())
    sources/organisations/ncfe.yaml:1:1: compiled_on: required field is missing; add it
    sources/organisations/ncfe.yaml:1:1: name: required field is missing; add it
    sources/organisations/ncfe.yaml:1:1: source_url: required field is missing; add it
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import datetime
from functools import cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from hub_builder.calendar import (
    academic_year_of,
    exists_in_london,
    parse_date,
)
from hub_builder.check.evidence import evidence_problems
from hub_builder.check.key_dates import day_problem, order_problem, time_of
from hub_builder.check.pages import page_problems
from hub_builder.check.placeholders import placeholder_problems
from hub_builder.check.standing_rules import standing_rule_problems
from hub_builder.link_policy import tracking_parameters, web_address_problem
from hub_builder.load import schemas
from hub_builder.load.sources import is_national
from hub_builder.load.strict_yaml import Document, listed
from hub_builder.problems import FieldPath, Problem, Severity, sorted_problems

if TYPE_CHECKING:
    from jsonschema import ValidationError

# Fields the schema once had, and what is written instead.
RETIRED_FIELDS = {
    "progression": (
        "progression is no longer written: say which public pages show when the group's "
        "results come out, in results (timing and evidence; see CONTRIBUTING.md)"
    ),
}
RESULT_KINDS = frozenset({"results-to-centres", "results-to-learners", "certificates"})
_LISTS_WITH_IDS = (
    "qualification_groups",
    "key_dates",
    "standing_rules",
    "guidance",
    "contacts",
    "results_days",
    "dates",
    "rules",
    "feeds",
)


def schema_name(path: str) -> str:
    """Which schema a source file follows, from its name."""
    return schemas.NATIONAL if is_national(path) else schemas.ORGANISATION


def validate_documents(documents: Iterable[Document]) -> list[Problem]:
    """Every problem in ``documents``: loading, schema, semantic and cross-file."""
    documents = list(documents)
    problems = [problem for document in documents for problem in document_problems(document)]
    return with_cross_file_problems(documents, problems)


def document_problems(document: Document) -> list[Problem]:
    """Every problem in one file on its own: loading, schema, semantic, placeholders."""
    problems = list(document.problems)
    if document.data is not None:
        already = {p.field for p in document.problems}
        problems += [p for p in schema_problems(document) if p.field not in already]
        problems += semantic_problems(document)
        problems += placeholder_problems(document)
    return problems


def with_cross_file_problems(documents: list[Document], problems: list[Problem]) -> list[Problem]:
    """The files' own problems (in file order) and those between files, sorted."""
    return sorted_problems([*problems, *cross_file_problems(documents)])


# --- JSON Schema ---------------------------------------------------------------------------


def schema_problems(document: Document) -> list[Problem]:
    """Schema errors explained; where a value has the wrong type, only that is said."""
    name = schema_name(document.path)
    if schemas.is_valid(name, document.data):
        return []
    errors = list(schemas.validator(name).iter_errors(document.data))
    mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
    return [
        problem
        for error in errors
        if error.validator == "type" or tuple(error.absolute_path) not in mistyped
        for problem in _explain(document, error)
    ]


def _explain(document: Document, error: ValidationError) -> Iterator[Problem]:
    path: FieldPath = tuple(error.absolute_path)
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    value: Any = error.instance
    expected = schema.get("$comment")
    match error.validator:
        case "required":
            for name in schema["required"]:
                if isinstance(value, dict) and name not in value:
                    yield document.problem((*path, name), "required field is missing; add it")
        case "additionalProperties":
            known = sorted(schema.get("properties", {}))
            for name in sorted(set(value) - set(known)):
                message = RETIRED_FIELDS.get(name) or _unknown(f"field '{name}'", name, known)
                yield document.problem((*path, name), message, at_key=True)
        case "enum":
            options = [str(option) for option in schema["enum"]]
            yield document.problem(path, _unknown(f"value '{value}'", str(value), options))
        case "type":
            wanted = _TYPE_NAMES.get(str(schema["type"]), str(schema["type"]))
            hint = " (put it in quotes)" if schema["type"] == "string" else ""
            got = _describe(value, document.written.get(path))
            yield document.problem(path, f"expected {wanted}{hint}, got {got}")
        case "pattern" | "minLength" | "maxLength" | "anyOf" if expected:
            got = _describe(value, document.written.get(path))
            yield document.problem(path, f"expected {expected}, got {got}")
        case "uniqueItems":
            yield document.problem(path, "the list repeats an item; list each once")
        case "maxItems":
            yield document.problem(
                path, f"the list has {len(value):,} items; the limit is {schema['maxItems']:,}"
            )
        case "minItems":
            yield document.problem(path, f"the list needs at least {schema['minItems']} item")
        case _:
            yield document.problem(path, error.message)


_TYPE_NAMES = {
    "string": "text",
    "boolean": "true or false",
    "array": "a list",
    "object": "a group of fields",
    "integer": "a whole number",
}


def _describe(value: Any, written: str | None = None) -> str:
    """A value as the message shows it: a number as the file wrote it (0755, not 755)."""
    if written is not None:
        return f"the number {written}"
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true or false)"
    if isinstance(value, dict):
        return "a group of fields"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, int):
        return f"the number {value}"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _unknown(what: str, given: str, options: list[str]) -> str:
    close = difflib.get_close_matches(given, options, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown {what}{hint} Expected one of: {', '.join(options)}"


# --- Rules a schema cannot say -------------------------------------------------------------


def semantic_problems(document: Document) -> Iterator[Problem]:
    data = document.data
    if not isinstance(data, dict):
        return
    stem = PurePath(document.path).stem
    if (
        schema_name(document.path) == schemas.ORGANISATION
        and isinstance(data.get("id"), str)
        and data["id"] != stem
    ):
        yield document.problem(
            ("id",),
            f"the id '{data['id']}' must match the file name '{stem}.yaml'; rename one of them",
        )
    yield from _duplicate_ids(document, data)
    yield from _date_problems(document, data)
    yield from _reference_problems(document, data)
    yield from _feed_problems(document, data)
    yield from _url_problems(document, (), data)
    yield from evidence_problems(document, data)
    yield from _dates_without_groups(document, data)
    yield from _ofqual_limits(document, data)
    yield from standing_rule_problems(document, data)
    yield from page_problems(document, data)


def _dates_without_groups(document: Document, data: dict[str, Any]) -> Iterator[Problem]:
    """Dates need a qualification group: every row of Ofqual's key-dates file names a
    qualification type and the AO's group (1 to 150 characters), and a date the hub cannot
    put in that file would be the one missing from Ofqual's hub."""
    if schema_name(document.path) != schemas.ORGANISATION or data.get("qualification_groups"):
        return
    for key in ("key_dates", "feeds", "standing_rules"):
        if data.get(key):
            yield document.problem(
                (key,),
                f"{key.replace('_', ' ')} need at least one qualification group for them to "
                "apply to: every row of Ofqual's key-dates file names a qualification type and "
                "group; add qualification_groups (with each group's Ofqual type)",
            )
            return


# Ofqual's key-dates file takes a group name (AOQualificationGroup) of 1 to 150 characters
# ("VTQ Information Hub - Key Dates - File format", updated 3 December 2024); the hub's own
# limit is 250, so a longer name is valid here but would be refused by Ofqual's upload.
OFQUAL_GROUP_NAME_LIMIT = 150


def _ofqual_limits(document: Document, data: dict[str, Any]) -> Iterator[Problem]:
    for index, group in listed(data, "qualification_groups"):
        name = group.get("name")
        if isinstance(name, str) and len(name) > OFQUAL_GROUP_NAME_LIMIT:
            yield document.problem(
                ("qualification_groups", index, "name"),
                f"{len(name)} characters: Ofqual's key-dates file takes a group name of 1 to "
                f"{OFQUAL_GROUP_NAME_LIMIT} characters, so the hub's Ofqual download of this "
                "file would be refused; shorten it (a longer name can go in also_known_as)",
                severity=Severity.WARNING,
            )


def _keyed_items(
    data: dict[str, Any], keys: Iterable[str]
) -> Iterator[tuple[str, int, dict[str, Any]]]:
    for key in keys:
        for index, item in listed(data, key):
            yield key, index, item


def _feed_problems(document: Document, data: dict[str, Any]) -> Iterator[Problem]:
    for index, item in listed(data, "feeds"):
        if "url" in item and "path" in item:
            yield document.problem(
                ("feeds", index, "path"), "give a url or a path, not both; remove one"
            )


def _duplicate_ids(document: Document, data: dict[str, Any]) -> Iterator[Problem]:
    for key in _LISTS_WITH_IDS:
        seen: dict[str, int] = {}
        for index, item in listed(data, key):
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                yield document.problem(
                    (key, index, "id"),
                    f"duplicate id '{item_id}': "
                    f"{key}[{seen[item_id]}] already uses it; ids must be unique",
                )
            else:
                seen[item_id] = index


def _date_problems(document: Document, data: dict[str, Any]) -> Iterator[Problem]:
    for field in ("compiled_on", "confirmed_on"):
        yield from _real_date(document, (field,), data.get(field))
    for key in ("key_dates", "dates", "results_days"):
        for index, item in listed(data, key):
            yield from _one_date(document, (key, index), item)
    for index, page in listed(data, "pages"):
        yield from _real_date(document, ("pages", index, "seen_on"), page.get("seen_on"))


def _real_date(document: Document, path: FieldPath, value: Any) -> Iterator[Problem]:
    if not (isinstance(value, str) and len(value) == 10 and value[4] == "-"):
        return
    day, why = day_problem(value)
    if why:
        yield document.problem(path, why if day is None else f"{why}; check the year")


def _one_date(document: Document, path: FieldPath, item: dict[str, Any]) -> Iterator[Problem]:
    for field in ("start", "end", "date", "confirmed_on"):
        yield from _real_date(document, (*path, field), item.get(field))
    start, end = parse_date(item.get("start") or item.get("date")), parse_date(item.get("end"))
    at = time_of(item.get("time"))
    if start and at and not exists_in_london(datetime.combine(start, at)):
        yield document.problem(
            (*path, "time"),
            f"{at:%H:%M} on {start.isoformat()} does not exist in UK time (the clocks go forward "
            "an hour at 1am); choose another time, like 02:30",
        )
    if start and (why := order_problem(start, end)):
        yield document.problem((*path, "end"), why)
    year = item.get("academic_year")
    if isinstance(year, str) and len(year) == 7 and (int(year[5:]) - int(year[2:4])) % 100 != 1:
        yield document.problem(
            (*path, "academic_year"),
            f"'{year}' is not one academic year; write two consecutive years, like 2025-26",
        )
    elif (
        start
        and isinstance(year, str)
        and item.get("kind") in RESULT_KINDS
        and academic_year_of(start) != year
    ):
        yield document.problem(
            (*path, "start"),
            f"a result date of {start.isoformat()} falls in "
            f"academic year {academic_year_of(start)}, not {year} "
            "(1 September to 31 August); fix the date or the year",
        )


def _reference_problems(document: Document, data: dict[str, Any]) -> Iterator[Problem]:
    groups = sorted(
        g["id"] for _, g in listed(data, "qualification_groups") if isinstance(g.get("id"), str)
    )
    for key, index, item in _keyed_items(data, ("key_dates", "feeds", "standing_rules")):
        refs = item.get("applies_to")
        for ref_index, ref in enumerate(refs if isinstance(refs, list) else []):
            if isinstance(ref, str) and ref not in groups:
                yield document.problem(
                    (key, index, "applies_to", ref_index),
                    _unknown(f"qualification group '{ref}'", ref, groups)
                    if groups
                    else f"unknown qualification group '{ref}': "
                    "this file defines no qualification_groups",
                )


def _url_problems(document: Document, path: FieldPath, value: Any) -> Iterator[Problem]:
    """Every web address must be one a browser reads as https to a named public host. Only
    containers are walked into: a field's text is looked at where its key is seen."""
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list):
                yield from _url_problems(document, (*path, key), item)
            elif key in URL_FIELDS and isinstance(item, str) and _looks_like_url(item):
                problem = web_address_problem(item)
                if problem:
                    yield document.problem((*path, key), problem)
                elif tracked := tracking_parameters(item):
                    yield document.problem(
                        (*path, key),
                        f"{', '.join(tracked)} only track{'s' if len(tracked) == 1 else ''} "
                        "a visit or an edit: remove "
                        f"{'it' if len(tracked) == 1 else 'them'} from the address, which "
                        "names the same page without",
                        severity=Severity.WARNING,
                    )
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict | list):
                yield from _url_problems(document, (*path, index), item)


URL_FIELDS = frozenset({"url", "source_url", "website", "recognition_number_source"})


def _looks_like_url(value: str) -> bool:
    """Written as the schema wants (anything else is the schema's to report)."""
    return _url_pattern().fullmatch(value) is not None


@cache
def _url_pattern() -> re.Pattern[str]:
    return re.compile(schemas.schema(schemas.ORGANISATION)["$defs"]["url"]["pattern"])


def cross_file_problems(documents: list[Document]) -> Iterator[Problem]:
    """An RN belongs to one organisation file; the national calendar's featured groups are
    groups of organisation files that are checked with it."""
    yield from _recognition_number_problems(documents)
    yield from _featured_problems(documents)


def _featured_problems(documents: list[Document]) -> Iterator[Problem]:
    groups = {
        (doc.data["id"], group.get("id"))
        for doc in documents
        if not is_national(doc.path) and isinstance(doc.data, dict) and "id" in doc.data
        for _, group in listed(doc.data, "qualification_groups")
    }
    organisations = {org for org, _ in groups}
    for doc in documents:
        if not is_national(doc.path) or not isinstance(doc.data, dict):
            continue
        for index, item in listed(doc.data, "featured_qualifications"):
            key = (item.get("organisation"), item.get("group"))
            if key[0] in organisations and key not in groups:
                yield doc.problem(
                    ("featured_qualifications", index, "group"),
                    f"{key[0]} has no qualification group '{key[1]}'",
                )
            elif len(organisations) > 0 and key[0] not in organisations:
                yield doc.problem(
                    ("featured_qualifications", index, "organisation"),
                    f"no organisation file has the id '{key[0]}'",
                )


def _recognition_number_problems(documents: list[Document]) -> Iterator[Problem]:
    """An RN belongs to one organisation file."""
    owners = Counter(
        doc.data.get("recognition_number")
        for doc in documents
        if isinstance(doc.data, dict) and doc.data.get("recognition_number")
    )
    for document in documents:
        number = (
            document.data.get("recognition_number") if isinstance(document.data, dict) else None
        )
        if number and owners[number] > 1:
            yield document.problem(
                ("recognition_number",),
                f"recognition number {number} is "
                "used by another organisation file too; each RN belongs to one",
            )
