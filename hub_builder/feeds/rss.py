"""RSS and Atom feeds → :class:`FeedEntry` records, with ``feedparser``.

    parse_rss(body, "news.xml", ParseContext(date.today()))

feedparser reads RSS 0.9x, 1.0 and 2.0 and Atom 0.3 and 1.0, whatever the encoding the feed
declares. Each item is an entry:

- the date is the item's event date when it has one, from the RSS event module
  (``xmlns:ev="http://purl.org/rss/1.0/modules/event/"``: ``ev:startdate``, ``ev:enddate``,
  ISO 8601 dates or date-times); else the day it was published (or updated), in UK time.
  An event date that cannot be read, or an end before the start, skips the item with a
  problem: the day it was published is never shown in its place;
- the title is the title, the description the summary, the link the link (https only),
  the UID the ``guid`` / Atom ``id``, and a ``category`` naming a kind sets it. Text is read
  as the feed says it is: HTML (an RSS description, an Atom ``type="html"``) is sanitised
  and read as text; plain text (an RSS title, Atom's default) is kept as written;
- a date outside the hub's years (:func:`calendar.outside_hub_years`) skips the item.
Items with no title or no date are reported and skipped. A document feedparser cannot read
as a feed, or one with no items, gives no entries and says why; so does one that is not
UTF-8 and does not declare its encoding (it would show as garbled text).
"""

from __future__ import annotations

import calendar
import time as clock
from datetime import UTC, date, datetime
from typing import Any

from hub_builder.calendar import LONDON, outside_hub_years
from hub_builder.feeds.entries import (
    MAX_ENTRIES,
    MAX_TITLE,
    FeedEntry,
    ParseContext,
    ParsedFeed,
    cut_note,
    description_and_cut,
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
            message = context.left_out(f"more than {MAX_ENTRIES:,} entries in one feed")
            problems.append(problem(source, 1, "", message))
            break
        entry = _entry(item, text, source, problems, context)
        if entry is not None:
            entries.append(entry)
    return ParsedFeed(tuple(entries), tuple(problems))


def _entry(
    item: Any, text: str, source: str, problems: list[Problem], context: ParseContext
) -> FeedEntry | None:
    """The item as an entry, or None (with its problem) when it cannot be one."""
    uid = str(item.get("id", "") or item.get("link", ""))
    title = plain_text(str(item.get("title", "")), MAX_TITLE, markup=_is_markup(item, "title"))
    line = line_of(text, uid or title)
    try:
        start, end = _days(item, title)
    except _Skip as exc:
        problems.append(problem(source, line, exc.field, context.skipped(str(exc))))
        return None
    description, cut = description_and_cut(
        str(item.get("summary", "")), markup=_is_markup(item, "summary")
    )
    if cut:
        problems.append(problem(source, line, "description", cut_note(title), warning=True))
    return FeedEntry(
        uid=uid,
        title=title,
        start=start,
        end=end if end and end > start else None,
        description=description,
        link=https_link(str(item.get("link", ""))),
        kind=kind_from([str(tag.get("term", "")) for tag in item.get("tags", [])]),
        line=line,
    )


class _Skip(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _days(item: Any, title: str) -> tuple[date, date | None]:
    """The item's event dates (``ev:startdate``, ``ev:enddate``), else its publication day;
    _Skip when the item has no title or no readable date, or one outside the hub's years."""
    if not title:
        raise _Skip("title", "the item has no title")
    given = item.get("ev_startdate")
    start = _event_day(given) if given else _published_day(item)
    if start is None:
        where = "ev:startdate" if given else "date"
        reason = f"its event date '{given}' is not written YYYY-MM-DD" if given else "no date"
        raise _Skip(where, f"'{title}': {reason}")
    end = _event_day(item.get("ev_enddate"))
    if item.get("ev_enddate") and (end is None or end < start):
        reason = "cannot be read" if end is None else f"is before its start ({start.isoformat()})"
        raise _Skip("ev:enddate", f"'{title}': its end date {reason}")
    for where, day in (("ev:startdate" if given else "date", start), ("ev:enddate", end)):
        if day is not None and (outside := outside_hub_years(day)):
            raise _Skip(where, f"'{title}': {outside}")
    return start, end


def _is_markup(item: Any, name: str) -> bool:
    """Whether the feed says this text is HTML: an Atom ``type="html"`` or ``"xhtml"``, or an
    RSS description (HTML by RSS's own rule). Atom's default, plain text, stays as it is:
    "grade A&lt;B&gt;C" is "grade A<B>C", not "grade A C"."""
    detail = item.get(f"{name}_detail") or {}
    return str(detail.get("type", "")) in ("text/html", "application/xhtml+xml")


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
