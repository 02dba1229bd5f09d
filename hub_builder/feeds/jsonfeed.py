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
from hub_builder.feeds.entries import (
    MAX_DESCRIPTION,
    MAX_ENTRIES,
    MAX_TITLE,
    FeedEntry,
    NotText,
    ParseContext,
    ParsedFeed,
    https_link,
    line_of,
    plain_text,
    problem,
    status_from,
    unreadable,
    utf8_text,
)
from hub_builder.model import KIND_LABELS
from hub_builder.problems import Problem

JSON_FEED_VERSION = "https://jsonfeed.org/version/"


def parse_json(content: bytes, source: str, context: ParseContext) -> ParsedFeed:
    try:
        text = utf8_text(content)
        data = json.loads(text)
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
            message = f"more than {MAX_ENTRIES:,} entries in one feed; the rest are left out"
            problems.append(problem(source, 1, "", message))
            break
        where = f"items[{index}]"
        line = line_of(text, json.dumps(item.get("id"))) if isinstance(item, dict) else 1
        if not isinstance(item, dict):
            problems.append(problem(source, 1, where, "expected an object; skipped"))
            continue
        try:
            entries.append(reader(item, line))
        except _Skip as exc:
            problems.append(problem(source, line, f"{where}.{exc.field}", f"{exc}; skipped"))
    if not entries and not problems:
        return unreadable(source, "the feed has no items")
    return ParsedFeed(tuple(entries), tuple(problems))


class _Skip(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _hub_item(item: dict[str, Any], line: int) -> FeedEntry:
    return _entry(item, item, line, link=str(item.get("source_url", "")))


def _json_feed_item(item: dict[str, Any], line: int) -> FeedEntry:
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


def _entry(fields: dict[str, Any], details: dict[str, Any], line: int, link: str) -> FeedEntry:
    title = plain_text(str(fields.get("title") or ""), MAX_TITLE)
    if not title:
        raise _Skip("title", "the item has no title")
    start = _day(details, "start")
    if start is None:
        raise _Skip("start", f"'{title}' has no date written YYYY-MM-DD")
    end = _day(details, "end")
    kind = str(details.get("kind") or "")
    groups = details.get("applies_to") or []
    return FeedEntry(
        uid=str(fields.get("id") or ""),
        title=title,
        start=start,
        end=end if end and end > start else None,
        time=_time(details),
        description=plain_text(str(fields.get("description") or ""), MAX_DESCRIPTION),
        link=https_link(link),
        kind=kind if kind in KIND_LABELS else "",
        status=status_from(str(details.get("status") or "")),
        groups=tuple(str(g) for g in groups) if isinstance(groups, list) else (),
        line=line,
    )


def _day(details: dict[str, Any], key: str) -> date | None:
    value = details.get(key)
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        raise _Skip(key, f"'{value}' is not a real date") from None


def _time(details: dict[str, Any]) -> time | None:
    value = details.get("time")
    if not value:
        return None
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise _Skip("time", f"'{value}' is not a time written HH:MM") from None


def _published_day(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment.astimezone(LONDON) if moment.tzinfo else moment).date().isoformat()
