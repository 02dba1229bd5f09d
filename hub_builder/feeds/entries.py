"""What every feed parser returns, and the small helpers they share.

A parser turns a feed's bytes into a :class:`ParsedFeed`: format-neutral
:class:`FeedEntry` records and the :class:`Problem` list for what it could not read. Parsers
are pure (no I/O) and never raise on bad input. Dates are Europe/London days; ``end`` is
inclusive; ``time`` is UK time on ``start``. Groups are named as the feed names them (ids or
names); :mod:`ingest` maps them to the organisation's qualification groups.

Limits (each reported as a problem, with the limit, when hit):
``MAX_ENTRIES`` entries a feed, ``MAX_OCCURRENCES`` occurrences of one recurring event, and
recurring events expanded only inside :meth:`ParseContext.window`: the academic year before
the build date's, that one, and the one after.
"""

from __future__ import annotations

import hashlib
import html
import html.parser
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from functools import cache

from hub_builder.calendar import LONDON
from hub_builder.check.key_dates import organisation_kinds
from hub_builder.link_policy import web_address_problem
from hub_builder.model import KIND_LABELS
from hub_builder.problems import Problem, Severity

MAX_ENTRIES = 2_000
MAX_OCCURRENCES = 200
MAX_TITLE = 250
MAX_DESCRIPTION = 2_000
MAX_ID = 64
STATUSES = ("provisional", "confirmed", "changed", "cancelled")


@dataclass(frozen=True)
class FeedEntry:
    uid: str
    title: str
    start: date
    end: date | None = None
    time: time | None = None
    description: str = ""
    link: str = ""
    kind: str = ""
    status: str = ""
    groups: tuple[str, ...] = ()
    line: int = 1


@dataclass(frozen=True)
class ParsedFeed:
    entries: tuple[FeedEntry, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def unreadable_reason(self) -> str:
        """Why no entry could be read: the first problem, or that there were none."""
        if self.entries:
            return ""
        return self.problems[0].message if self.problems else "the feed has no entries"


@dataclass(frozen=True)
class ParseContext:
    """What a parser may know besides the bytes: the build's date (for recurring events),
    and whether the feed is a file committed with the sources, whose bad entries must be
    fixed (they fail the build) rather than skipped as a fetched feed's are."""

    today: date
    committed: bool = False

    def skipped(self, message: str) -> str:
        """What becomes of an entry the hub cannot read, said as it happens."""
        return f"{message}; {'fix this entry' if self.committed else 'skipped'}"

    def left_out(self, message: str) -> str:
        """What becomes of the rest of a feed past one of its limits."""
        then = "keep the file within the limit" if self.committed else "the rest are left out"
        return f"{message}; {then}"

    @property
    def window(self) -> tuple[date, date]:
        first = self.today.year - (1 if self.today.month >= 9 else 2)
        return date(first, 9, 1), date(first + 3, 8, 31)


def unreadable(source: str, message: str, line: int = 1) -> ParsedFeed:
    return ParsedFeed((), (Problem(source, line, 1, "", message),))


def problem(source: str, line: int, field: str, message: str, *, warning: bool = False) -> Problem:
    severity = Severity.WARNING if warning else Severity.ERROR
    return Problem(source, line, 1, field, message, severity)


class NotText(ValueError):
    """The bytes are not UTF-8; ``line`` is where the first bad byte is."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def utf8_text(content: bytes) -> str:
    """``content`` as text (a UTF-8 byte-order mark dropped); NotText if it is not UTF-8."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[: exc.start].count(b"\n") + 1
        raise NotText(
            f"not UTF-8 text (byte {exc.start:,} is {content[exc.start : exc.start + 1]!r})",
            line,
        ) from exc


class _TextOnly(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text_of_markup(value: str) -> str:
    """The text of a fragment of HTML. html.parser gives up (AssertionError) on some broken
    declarations, like ``<![A``; then every tag-like run is dropped instead."""
    parser = _TextOnly()
    try:
        parser.feed(value)
        parser.close()
    except AssertionError:
        return html.unescape(re.sub(r"<[^>]*>?", " ", value))
    return " ".join(parser.parts)


_HTML_TAG = re.compile(
    r"</?(?:a|b|i|u|em|strong|br|p|div|span|ul|ol|li|h[1-6]|table|tr|td|th|font|hr)\b[^<>]*>"
    r"|&(?:[a-z]+|#[0-9]+);",
    re.IGNORECASE,
)


def looks_like_html(value: str) -> bool:
    """Whether plain text is in fact HTML, as calendar apps' descriptions often are."""
    return _HTML_TAG.search(value) is not None


def plain_text(value: str, limit: int, *, markup: bool = False) -> str:
    """Text without control characters, spaces collapsed, cut to ``limit`` (ending "…").
    Markup is read away only where the feed says it is markup (``markup=True``: an RSS or
    Atom text of type HTML; a description that :func:`looks_like_html`); other text is
    plain, so "Entries close for <Level 3> units" keeps its "<Level 3>" (pages escape it)."""
    return text_and_cut(value, limit, markup=markup)[0]


def text_and_cut(value: str, limit: int, *, markup: bool = False) -> tuple[str, bool]:
    """:func:`plain_text`, and whether it had to be cut."""
    if markup and ("<" in value or "&" in value):
        value = _text_of_markup(value)
    value = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in value)
    value = " ".join(value.split())
    if len(value) <= limit:
        return value, False
    return value[: limit - 1].rstrip() + "…", True


def description_and_cut(value: str, *, markup: bool | None = None) -> tuple[str, bool]:
    """A description from a feed, and whether it was cut: plain text, or HTML read as text
    when the feed says it is HTML (``markup``) or, where a format cannot say, when it
    :func:`looks_like_html`."""
    as_markup = looks_like_html(value) if markup is None else markup
    return text_and_cut(value, MAX_DESCRIPTION, markup=as_markup)


def cut_note(title: str, limit: int = MAX_DESCRIPTION) -> str:
    """The warning beside an entry whose description was cut."""
    return (
        f"'{title}': the description is longer than {limit:,} characters; "
        f"it is cut to {limit:,}, ending with …"
    )


def https_link(value: str) -> str:
    """``value`` when it is a plain public https address, as the links allowlist says for
    source files (:func:`link_policy.web_address_problem`), else ``""``."""
    value = value.strip()
    plain = re.fullmatch(r"https://[^\s/@]+\.[^\s/@]+(/\S*)?", value)
    return value if plain and web_address_problem(value) is None else ""


@cache
def _kinds_by_word() -> dict[str, str]:
    """An organisation's kinds (as its file may give them), by id and by label."""
    kinds = organisation_kinds()
    return {**{kind: kind for kind in kinds}, **{KIND_LABELS[k].casefold(): k for k in kinds}}


def kind_from(categories: list[str] | tuple[str, ...]) -> str:
    """The first category that names a kind an organisation's date may have
    (``results-to-learners`` or its label), or ``""``."""
    for category in categories:
        kind = _kinds_by_word().get(category.strip().casefold())
        if kind:
            return kind
    return ""


FEED_STATUSES = {
    **{status: status for status in STATUSES},
    "tentative": "provisional",  # iCalendar's word
}


def status_from(value: str) -> str | None:
    """A hub status from a feed's word for it: ``""`` when the feed gives none (the feed's
    default then applies), None for a word the hub does not know (the entry is refused:
    "postponed" must never become "confirmed")."""
    word = value.strip().casefold()
    if not word:
        return ""
    return FEED_STATUSES.get(word)


def unknown_status(value: str) -> str:
    known = ", ".join(sorted({*STATUSES, "tentative"}))
    return f"unknown status '{value}'; expected one of: {known}"


def uk_wall_time(day: date, at: time) -> tuple[date, time, str]:
    """A UK wall-clock time, read as RFC 5545 (3.3.5) reads a local time: a time that
    happens twice (the clocks go back) means the first; a time that does not exist (the
    clocks go forward) is read with the offset before the change, so 1:30am becomes 2:30am.
    Returns the day and time to show, and a warning when the time was moved."""
    local = datetime.combine(day, at, tzinfo=LONDON)
    real = local.astimezone(UTC).astimezone(LONDON)
    if (real.date(), real.time().replace(tzinfo=None)) == (day, at):
        return day, at, ""
    shown = real.time().replace(second=0, microsecond=0, tzinfo=None)
    return (
        real.date(),
        shown,
        f"{at:%H:%M} on {day.isoformat()} does not exist in UK time (the clocks go forward); "
        f"read as {shown:%H:%M}, as calendar apps read it",
    )


def slug(value: str) -> str:
    """Lower-case letters, digits, single hyphens: ``Results 2027@EAB`` → ``results-2027-eab``."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def short_hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:8]


def entry_id(entry: FeedEntry, prefix: str = "") -> str:
    """A stable id: the entry's UID as a slug, else its title and start date; within 64 chars."""
    base = slug(entry.uid) if entry.uid else ""
    if not base:
        base = f"{slug(entry.title) or 'date'}-{entry.start.isoformat()}"
    full = f"{prefix}-{base}" if prefix else base
    if len(full) <= MAX_ID:
        return full
    digest = short_hash(entry.uid or f"{entry.title}\x1f{entry.start.isoformat()}")
    return f"{full[: MAX_ID - len(digest) - 1].rstrip('-')}-{digest}"


def line_of(text: str, needle: str) -> int:
    """The 1-based line where ``needle`` first appears in ``text``; 1 when it does not."""
    index = text.find(needle) if needle else -1
    return text.count("\n", 0, index) + 1 if index >= 0 else 1
