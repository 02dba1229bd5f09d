"""JSON feeds → :class:`FeedEntry` records: the hub's own shape, or JSON Feed 1.x.

    parse_json(body, "dates.json", ParseContext(date.today()))

**The hub's shape** is the ``key_dates`` list of an AO file, as JSON::

    {"key_dates": [
      {"id": "results-2026", "title": "Results day", "start": "2026-08-13",
       "end": "2026-08-13", "time": "08:00", "kind": "results-to-learners",
       "status": "confirmed", "applies_to": ["example-nationals"],
       "description": "…", "source_url": "https://example.org/results"}
    ]}

``title`` and ``start`` (``YYYY-MM-DD``) are required; ``end`` is inclusive; ``time`` is UK
time ``HH:MM``; ``applies_to`` names qualification groups by id or name.

Each item is read on its own: an item that is wrong is skipped and reported with its place
(``items[3].status``), and the rest go on. Wrong means: no title, no date, a date that is
not real or outside the hub's years, an end before its start, a time not written
``HH:MM``, an unknown ``status`` ("postponed" is never taken for "confirmed"), a key given
twice, or ``NaN`` where text belongs. A ``kind`` an organisation's file could not give is
reported and the feed's default kind used; ``applies_to`` given as one text is read as a
list of one. Text is plain: never read as HTML. A UK time that does not exist (the clocks
go forward) is read an hour on, with a warning. The dates, times and kinds are held to the
same rules, with the same messages, as an organisation file's ``key_dates``
(:mod:`hub_builder.check.key_dates`).

**JSON Feed** (https://jsonfeed.org/version/1.1): each item is an entry; ``id`` is the UID,
``title`` the title, ``content_text`` (or ``summary``) the description, ``url`` the link; the
date is ``_key_date.start`` when the item carries the hub's extension object
``"_key_date": {"start", "end", "time", "kind", "applies_to"}``, else the day of
``date_published``. An item without a title or a date is reported and skipped.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any

from hub_builder.calendar import LONDON
from hub_builder.check.key_dates import date_rule_problems, organisation_kinds, time_of
from hub_builder.feeds.entries import (
    MAX_DESCRIPTION,
    MAX_ENTRIES,
    MAX_TITLE,
    FeedEntry,
    NotText,
    ParseContext,
    ParsedFeed,
    cut_note,
    description_and_cut,
    https_link,
    line_of,
    plain_text,
    problem,
    status_from,
    uk_wall_time,
    unknown_status,
    unreadable,
    utf8_text,
)
from hub_builder.problems import Problem

JSON_FEED_VERSION = "https://jsonfeed.org/version/"


def parse_json(content: bytes, source: str, context: ParseContext) -> ParsedFeed:
    try:
        text = utf8_text(content)
        data = json.loads(text, object_pairs_hook=_Object.of, parse_constant=_not_a_number)
    except NotText as exc:
        return unreadable(source, f"{exc}; the feed must be UTF-8", exc.line)
    except json.JSONDecodeError as exc:
        return unreadable(source, f"not valid JSON: {exc.msg} (line {exc.lineno})", exc.lineno)
    except RecursionError:  # [[[[… deeper than Python's recursion limit
        return unreadable(source, "not readable JSON: it is nested too deeply")
    if isinstance(data, dict) and str(data.get("version", "")).startswith(JSON_FEED_VERSION):
        items, reader = data.get("items"), _json_feed_item
    elif isinstance(data, dict) and "key_dates" in data:
        items, reader = data.get("key_dates"), _hub_item
    else:
        return unreadable(
            source, 'not a known JSON shape: expected {"key_dates": […]} or a JSON Feed'
        )
    if not isinstance(items, list):
        return unreadable(source, "the list of items is missing or not a list")
    problems: list[Problem] = []
    entries: list[FeedEntry] = []
    for index, item in enumerate(items):
        if len(entries) == MAX_ENTRIES:
            message = context.left_out(f"more than {MAX_ENTRIES:,} entries in one feed")
            problems.append(problem(source, 1, "", message))
            break
        where = f"items[{index}]"
        line = line_of(text, json.dumps(item.get("id"))) if isinstance(item, dict) else 1
        if not isinstance(item, dict):
            problems.append(problem(source, 1, where, context.skipped("expected an object")))
            continue
        try:
            entry, notes = reader(item, line)
        except _Skip as exc:
            message = context.skipped(str(exc))
            problems.append(problem(source, line, f"{where}.{exc.field}", message))
            continue
        entries.append(entry)
        problems += [problem(source, line, f"{where}.{f}", m, warning=True) for f, m in notes]
    if not entries and not problems:
        return unreadable(source, "the feed has no items")
    return ParsedFeed(tuple(entries), tuple(problems))


class _Skip(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class _Object(dict[str, Any]):
    """A JSON object that remembers the keys it was given twice."""

    duplicates: tuple[str, ...] = ()

    @classmethod
    def of(cls, pairs: list[tuple[str, Any]]) -> _Object:
        found = cls(pairs)
        keys = [key for key, _ in pairs]
        found.duplicates = tuple(sorted({key for key in keys if keys.count(key) > 1}))
        return found


class _NotANumber:
    """NaN or Infinity, which JSON does not allow: refused where it is used."""


def _not_a_number(_: str) -> _NotANumber:
    return _NotANumber()


Notes = list[tuple[str, str]]  # (field, message) warnings about an item that was read


def _hub_item(item: dict[str, Any], line: int) -> tuple[FeedEntry, Notes]:
    return _entry(item, item, line, link=str(item.get("source_url", "")))


def _json_feed_item(item: dict[str, Any], line: int) -> tuple[FeedEntry, Notes]:
    extension = item.get("_key_date")
    details = extension if isinstance(extension, dict) else {}
    if "start" not in details:
        details = {**details, "start": _published_day(item.get("date_published"))}
    fields = {
        "id": item.get("id"),
        "title": item.get("title"),
        "description": item.get("content_text") or item.get("summary") or "",
    }
    return _entry(fields, details, line, link=str(item.get("url", "")))


def _entry(
    fields: dict[str, Any], details: dict[str, Any], line: int, link: str
) -> tuple[FeedEntry, Notes]:
    for item in (fields, details):
        duplicates: tuple[str, ...] = getattr(item, "duplicates", ())
        if duplicates:
            raise _Skip(duplicates[0], f"the key '{duplicates[0]}' is given twice; keep one")
    title = _text(fields, "title", MAX_TITLE)
    if not title:
        raise _Skip("title", "the item has no title")
    start, end = _days(details, title)
    notes: Notes = []
    status = status_from(_text(details, "status", 50))
    if status is None:
        raise _Skip("status", unknown_status(str(details.get("status"))))
    kind = _text(details, "kind", 50)
    if kind and kind not in organisation_kinds():
        notes.append(("kind", f"unknown kind '{kind}'; the feed's default kind is used"))
        kind = ""
    groups = details.get("applies_to") or []
    if isinstance(groups, str):
        notes.append(("applies_to", "applies_to is one text, not a list; read as a list of one"))
        groups = [groups]
    at = _time(details)
    if at is not None:
        start, at, moved = uk_wall_time(start, at)
        if moved:
            notes.append(("time", moved))
    description, cut = description_and_cut(_text(fields, "description", MAX_DESCRIPTION * 2))
    if cut:
        notes.append(("description", cut_note(title)))
    return FeedEntry(
        uid=_text(fields, "id", 500),
        title=title,
        start=start,
        end=end if end and end > start else None,
        time=at,
        description=description,
        link=https_link(link),
        kind=kind,
        status=status,
        groups=tuple(str(g) for g in groups) if isinstance(groups, list) else (),
        line=line,
    ), notes


def _days(details: dict[str, Any], title: str) -> tuple[date, date | None]:
    """The item's first and last day, each real and in the hub's years, in order."""
    start, end = _day_text(details, "start"), _day_text(details, "end")
    if start is None:
        raise _Skip("start", f"'{title}' has no date written YYYY-MM-DD")
    for field, message in date_rule_problems(start, end):
        raise _Skip(field, message)
    return date.fromisoformat(start), date.fromisoformat(end) if end else None


def _text(item: dict[str, Any], key: str, limit: int) -> str:
    value = item.get(key)
    if value is None:
        return ""
    if isinstance(value, _NotANumber):
        raise _Skip(key, "NaN or Infinity is not allowed in JSON; write text")
    return plain_text(str(value), limit)


def _day_text(details: dict[str, Any], key: str) -> str | None:
    """The day as ``YYYY-MM-DD`` text; None when there is none (or not in that form)."""
    value = details.get(key)
    return value if isinstance(value, str) and len(value) == 10 else None


def _time(details: dict[str, Any]) -> time | None:
    value = details.get("time")
    if not value:
        return None
    at = time_of(value)
    if at is None:
        raise _Skip("time", f"'{value}' is not a time written HH:MM, like 18:00")
    return at


def _published_day(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment.astimezone(LONDON) if moment.tzinfo else moment).date().isoformat()
