"""Ofqual's "VTQ Information Hub - Key Dates" CSV → :class:`FeedEntry` records.

This is the file an AO already uploads to Ofqual, so the same file can be committed here::

    Event,QualificationType,AOQualificationGroup,StartDate,EndDate,AdditionalDescription
    Results day,Applied General Qualification,Example Nationals,2026-08-13,2026-08-13,

    parsed = parse_ofqual_csv(content, "key-dates.csv", ParseContext(date(2026, 11, 28)))
    [p.format() for p in parsed.problems]     # ['key-dates.csv:4:1: StartDate: …']

Rules, from Ofqual's file format (2023 and 2024 versions):

- the six columns above, named in the first row (any order; further columns are reported
  as warnings and ignored);
- ``Event``: 1 to 250 characters; ``AOQualificationGroup``: 1 to 150, in the AO's naming
  (one row per group when several share a date: :mod:`ingest` merges them);
- ``QualificationType``: one of Ofqual's seven types, in the 2024 spelling or the 2023 one
  ("Vocationally related qualification"), any letter case; read as the 2024 spelling;
- ``StartDate`` and ``EndDate``: ``YYYY-MM-DD`` and real days, the end not before the start;
  an empty ``EndDate`` means a one-day event (held to the rules of an organisation file's
  ``start`` and ``end``, with their messages: :mod:`hub_builder.check.key_dates`);
- ``AdditionalDescription``: free text, or an https address (which becomes the date's link).

Every bad row is reported, each as ``file:row:1: Column: message`` (rows count from 1, the
heading row, as a spreadsheet shows them) and left out; the good rows are kept.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from hub_builder.check.key_dates import date_rule_problems
from hub_builder.feeds.entries import (
    MAX_DESCRIPTION,
    MAX_ENTRIES,
    FeedEntry,
    NotText,
    ParseContext,
    ParsedFeed,
    cut_note,
    https_link,
    plain_text,
    problem,
    text_and_cut,
    unreadable,
    utf8_text,
)
from hub_builder.model import OFQUAL_CSV_COLUMNS
from hub_builder.problems import Problem

COLUMNS = OFQUAL_CSV_COLUMNS
QUALIFICATION_TYPES = (
    "Applied General Qualification",
    "Other General Qualification",
    "Vocationally Related Qualification",
    "Technical Qualification",
    "Performing Arts Graded Qualification",
    "Occupational Qualification",
    "Other Vocational Qualification",
)
_TYPES_BY_SPELLING = {name.casefold(): name for name in QUALIFICATION_TYPES}
MAX_EVENT = 250
MAX_GROUP = 150


def parse_ofqual_csv(content: bytes, path: str, context: ParseContext) -> ParsedFeed:
    """Key dates from an Ofqual key-dates CSV; ``context`` says whether the file is committed
    (a bad row is then to be fixed) or fetched (a bad row is skipped)."""
    try:
        text = utf8_text(content)
    except NotText as exc:
        return unreadable(path, f"{exc}; save the CSV as UTF-8", exc.line)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        return unreadable(path, f"not a readable CSV file: {exc}")
    if not rows or not any(cell.strip() for cell in rows[0]):
        return unreadable(path, f"the file is empty; the first row must be: {', '.join(COLUMNS)}")
    header = [cell.strip() for cell in rows[0]]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        return ParsedFeed(
            (),
            tuple(
                problem(
                    path,
                    1,
                    name,
                    f"the column is missing; the first row must be: {', '.join(COLUMNS)}",
                )
                for name in missing
            ),
        )
    problems: list[Problem] = [
        problem(path, 1, name, "not one of Ofqual's columns; ignored", warning=True)
        for name in header
        if name and name not in COLUMNS
    ]
    entries: list[FeedEntry] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(entries) == MAX_ENTRIES:
            message = context.left_out(f"more than {MAX_ENTRIES:,} rows")
            problems.append(problem(path, number, "", message))
            break
        row = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
        row_problems = [
            replace(p, message=context.skipped(p.message)) for p in _row_problems(row, path, number)
        ]
        problems += row_problems
        if not row_problems:
            entry, cut = _entry(row, number)
            entries.append(entry)
            if cut:
                note = cut_note(entry.title)
                problems.append(problem(path, number, "AdditionalDescription", note, warning=True))
    return ParsedFeed(tuple(entries), tuple(problems))


def qualification_type(value: str) -> str:
    """The 2024 spelling of an Ofqual qualification type (either year's), or ``""``."""
    return _TYPES_BY_SPELLING.get(" ".join(value.split()).casefold(), "")


def _row_problems(row: dict[str, str], path: str, number: int) -> Iterator[Problem]:
    def bad(column: str, message: str) -> Problem:
        return problem(path, number, column, message)

    for column, limit in (("Event", MAX_EVENT), ("AOQualificationGroup", MAX_GROUP)):
        if not row[column]:
            yield bad(column, "is empty; fill it in")
        elif len(row[column]) > limit:
            yield bad(column, f"is {len(row[column]):,} characters; the limit is {limit}")
    if not qualification_type(row["QualificationType"]):
        given = row["QualificationType"]
        yield bad(
            "QualificationType",
            f"'{given}' is not one of Ofqual's types: {', '.join(QUALIFICATION_TYPES)}"
            if given
            else f"is empty; use one of: {', '.join(QUALIFICATION_TYPES)}",
        )
    written: dict[str, str] = {}
    for field, column in DATE_COLUMNS.items():
        if _written_as_a_date(row[column]):
            written[field] = row[column]
        elif row[column] or field == "start":  # an empty EndDate is a one-day event
            yield bad(column, _form_message(row[column]))
    for field, message in date_rule_problems(written.get("start", ""), written.get("end")):
        yield bad(DATE_COLUMNS[field], message)


def _entry(row: dict[str, str], number: int) -> tuple[FeedEntry, bool]:
    """The row as an entry, and whether its description had to be cut."""
    start = date.fromisoformat(row["StartDate"])
    end = date.fromisoformat(row["EndDate"]) if row["EndDate"] else None
    extra = row["AdditionalDescription"]
    link = https_link(extra)
    description, cut = ("", False) if link else text_and_cut(extra, MAX_DESCRIPTION)
    entry = FeedEntry(
        uid="",
        title=plain_text(row["Event"], MAX_EVENT),
        start=start,
        end=end if end and end > start else None,
        description=description,
        link=link,
        groups=(row["AOQualificationGroup"],),
        line=number,
    )
    return entry, cut


DATE_COLUMNS = {"start": "StartDate", "end": "EndDate"}


def _written_as_a_date(value: str) -> bool:
    """Written ``YYYY-MM-DD``, as the columns ask (whether the day is real is a rule apart)."""
    return len(value) == 10 and value[4] == "-" and value[7] == "-"


def _form_message(value: str) -> str:
    if not value:
        return "is empty; write the date as YYYY-MM-DD, like 2026-08-13"
    return f"'{value}' is not a date written YYYY-MM-DD, like 2026-08-13"
