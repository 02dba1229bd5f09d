"""RSS and Atom feeds → :class:`FeedEntry` records, with ``feedparser``.

    parse_rss(body, "news.xml", ParseContext(date.today()))

feedparser reads RSS 0.9x, 1.0 and 2.0 and Atom 0.3 and 1.0, whatever the encoding the feed
declares. Each item is an entry:

- the date is the item's event date when it has one, from the RSS event module
  (``xmlns:ev="http://purl.org/rss/1.0/modules/event/"``: ``ev:startdate``, ``ev:enddate``,
  ISO 8601 dates or date-times); else the day it was published (or updated), in UK time.
  An event date that cannot be read, or an end before the start, skips the item with a
  problem: the day it was published is never shown in its place;
- the title is the title, the description the summary as plain text, the link the link
  (https only), the UID the ``guid`` / Atom ``id``, and a ``category`` naming a kind sets it.
Items with no title or no date are reported and skipped. A document feedparser cannot read
as a feed, or one with no items, gives no entries and says why; so does one that is not
UTF-8 and does not declare its encoding (it would show as garbled text).
"""

from __future__ import annotations

import calendar
import time as clock
from datetime import UTC, date, datetime
from typing import Any

from hub_builder.calendar import LONDON
from hub_builder.feeds.entries import (
    MAX_DESCRIPTION,
    MAX_ENTRIES,
    MAX_TITLE,
    FeedEntry,
    ParseContext,
    ParsedFeed,
    https_link,
    kind_from,
    line_of,
    plain_text,
    problem,
    unreadable,
)
from hub_builder.problems import Problem


def parse_rss(content: bytes, source: str, context: ParseContext) -> ParsedFeed:
    import feedparser  # imported on first use: a build without feeds never needs it

    undeclared = _undeclared_encoding(content)
    if undeclared:
        return unreadable(source, undeclared)
    # bytes, never a string: given a string that looks like an address, feedparser fetches it.
    parsed = feedparser.parse(bytes(content), sanitize_html=True, resolve_relative_uris=False)
    text = content.decode("utf-8", "replace")
    if not parsed.entries:
        if parsed.get("bozo"):
            reason = parsed.get("bozo_exception") or "not a feed"
            return unreadable(source, f"not a readable RSS or Atom feed: {reason}")
        return unreadable(source, "the feed has no items")
    problems: list[Problem] = []
    entries: list[FeedEntry] = []
    for item in parsed.entries:
        if len(entries) == MAX_ENTRIES:
            message = f"more than {MAX_ENTRIES:,} entries in one feed; the rest are left out"
            problems.append(problem(source, 1, "", message))
            break
        entry = _entry(item, text, source, problems)
        if entry is not None:
            entries.append(entry)
    return ParsedFeed(tuple(entries), tuple(problems))


def _entry(item: Any, text: str, source: str, problems: list[Problem]) -> FeedEntry | None:
    uid = str(item.get("id", "") or item.get("link", ""))
    title = plain_text(str(item.get("title", "")), MAX_TITLE, markup=True)
    line = line_of(text, uid or title)
    if not title:
        problems.append(problem(source, line, "title", "the item has no title; skipped"))
        return None
    given = item.get("ev_startdate")
    start = _event_day(given) if given else _published_day(item)
    if start is None:
        where = "ev:startdate" if given else "date"
        reason = f"its event date '{given}' is not written YYYY-MM-DD" if given else "no date"
        problems.append(problem(source, line, where, f"'{title}': {reason}; skipped"))
        return None
    end = _event_day(item.get("ev_enddate"))
    if item.get("ev_enddate") and (end is None or end < start):
        reason = "cannot be read" if end is None else f"is before its start ({start.isoformat()})"
        message = f"'{title}': its end date {reason}; skipped"
        problems.append(problem(source, line, "ev:enddate", message))
        return None
    return FeedEntry(
        uid=uid,
        title=title,
        start=start,
        end=end if end and end > start else None,
        description=plain_text(str(item.get("summary", "")), MAX_DESCRIPTION, markup=True),
        link=https_link(str(item.get("link", ""))),
        kind=kind_from([str(tag.get("term", "")) for tag in item.get("tags", [])]),
        line=line,
    )


def _undeclared_encoding(content: bytes) -> str:
    """Why the bytes cannot be read as text: not UTF-8 and no encoding declared; else ""."""
    try:
        content.decode("utf-8")
    except UnicodeDecodeError as exc:
        prolog = content[:200].split(b"?>", 1)[0]
        if b"encoding=" not in prolog:
            line = content[: exc.start].count(b"\n") + 1
            return (
                f"not UTF-8 text (line {line}) and it declares no encoding; add "
                '<?xml version="1.0" encoding="…"?> naming its encoding, or save it as UTF-8'
            )
    return ""


def _event_day(value: Any) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(LONDON).date() if moment.tzinfo else moment.date()


def _published_day(item: Any) -> date | None:
    parsed: clock.struct_time | None = item.get("published_parsed") or item.get("updated_parsed")
    if parsed is None:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), UTC).astimezone(LONDON).date()
