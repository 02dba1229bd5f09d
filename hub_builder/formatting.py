"""GOV.UK style for dates and times, used by every template as Jinja filters; and the
plain text of counts and tables that ``vtq-hub`` prints.

    >>> govuk_date(date(2026, 8, 13))
    '13 August 2026'
    >>> govuk_range(date(2024, 12, 9), date(2025, 1, 31))
    '9 December 2024 to 31 January 2025'
    >>> govuk_range(date(2025, 3, 1), date(2025, 4, 30))
    '1 March to 30 April 2025'
    >>> govuk_time(time(18, 0)), govuk_time(time(23, 59)), govuk_time(time(12, 0))
    ('6pm', '11:59pm', 'midday')
    >>> from datetime import UTC
    >>> govuk_datetime(datetime(2026, 11, 23, 9, 30, tzinfo=UTC))
    '23 November 2026, 9:30am UK time'

All times are UK time (Europe/London); ``when()`` says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, time
from functools import lru_cache
from urllib.parse import urlsplit

from hub_builder.calendar import LONDON, parse_when
from hub_builder.model import KeyDate, academic_year_label

__all__ = ["academic_year_label", "govuk_date", "govuk_range", "govuk_time", "when"]


def govuk_date(day: date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def govuk_weekday_date(day: date) -> str:
    return f"{day:%A} {govuk_date(day)}"


def quoted_from(seen_on: date | None) -> str:
    """Where quoted words were read: ``'(page dated 24 June 2026)'``."""
    return f"(page dated {govuk_date(seen_on)})" if seen_on else "(its page shows no date)"


def domain(url: str) -> str:
    """A page address as its short domain, for print: ``'qualifications.pearson.com'``."""
    host = _hostname(_site_part(url)) or url
    return host.removeprefix("www.")


_SITE_PART = re.compile(r"https?://[^/?#\s\x00-\x1f]*(?=[/?#]|$)", re.ASCII)


def _site_part(url: str) -> str:
    """The scheme and host of an ordinary web address (what decides its hostname), so that
    the many addresses of one site are read once; any other address whole."""
    part = _SITE_PART.match(url)
    return part[0] if part else url


@lru_cache(maxsize=4096)
def _hostname(url: str) -> str | None:
    return urlsplit(url).hostname


def govuk_month(day: date) -> str:
    return f"{day:%B} {day.year}"


def govuk_range(start: date, end: date | None) -> str:
    if end is None or end == start:
        return govuk_date(start)
    if start.year == end.year:
        return f"{start.day} {start:%B} to {govuk_date(end)}"
    return f"{govuk_date(start)} to {govuk_date(end)}"


def govuk_time(moment: time) -> str:
    if moment == time(12, 0):
        return "midday"
    if moment == time(0, 0):
        return "midnight"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{suffix}"


def govuk_datetime(moment: datetime) -> str:
    """``'23 November 2026, 9:30am UK time'``: the moment in Europe/London."""
    local = moment.astimezone(LONDON)
    return f"{govuk_date(local.date())}, {govuk_time(local.time().replace(second=0))} UK time"


def when(key_date: KeyDate) -> str:
    """``'13 August 2026'``, ``'1 March to 30 April 2025'``, ``'14 January 2026, 6pm UK time'``."""
    text = govuk_range(key_date.start, key_date.end)
    if key_date.time is not None:
        text += f", {govuk_time(key_date.time)} UK time"
    return text


def when_text_label(text: str) -> str:
    """An ISO "when" of :func:`calendar.when_text` in GOV.UK style:
    ``'2024-07-05T23:59'`` → ``'5 July 2024, 11:59pm UK time'``."""
    start, end, at = parse_when(text)
    label = govuk_range(start, end)
    return label + (f", {govuk_time(at)} UK time" if at is not None else "")


def change_note(key_date: KeyDate) -> str:
    """The date's latest move or cancellation, as its row shows it; ``""`` when none.

    ``'Changed on 20 May 2024 (was 28 June 2024, 11:59pm UK time)'``
    """
    notable = [c for c in key_date.changes if c.change.kind in ("moved", "cancelled")]
    if not notable:
        return ""
    latest = notable[-1]
    if latest.change.kind == "cancelled":
        return f"Cancelled on {govuk_date(latest.on)} (was {latest.change.before})"
    return f"Changed on {govuk_date(latest.on)} (was {when_text_label(latest.change.before)})"


def levels_label(levels: tuple[str, ...] | list[str]) -> str:
    """``("1/2", "2")`` → ``'Level 1/2 and Level 2'``; ``("entry",)`` → ``'Entry level'``."""
    names = [("Entry level" if level == "entry" else f"Level {level}") for level in levels]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


# Markdown for GitHub (pull request comments and bodies), from untrusted text ---------------


def code_span(text: str) -> str:
    """Untrusted text as one CommonMark code span: no formatting, HTML, links or mentions.
    The fence is one backtick longer than the longest run of backticks in the text, so no
    run inside can close it; a space pads text that starts or ends with a backtick (the
    renderer strips one space each side).

    >>> code_span("a ``b`` c"), code_span("`x"), code_span("")
    ('```a ``b`` c```', '`` `x ``', '(none)')
    """
    text = " ".join(text.split())
    if not text:
        return "(none)"
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def fenced_block(text: str, info: str = "") -> str:
    """Untrusted lines as one CommonMark fenced code block: fenced with more tildes than any
    run of tildes or backticks in the text, so no line can close it.

    >>> print(fenced_block("a\\n~~~\\nb", "diff"))
    ~~~~diff
    a
    ~~~
    b
    ~~~~
    """
    runs = [len(run) for run in re.findall(r"~+|`+", text)]
    fence = "~" * max(3, max(runs, default=0) + 1)
    return f"{fence}{info}\n{text}\n{fence}"


def plural(count: int, noun: str, nouns: str = "") -> str:
    """``'1 file'``, ``'2 files'``; ``nouns`` where adding an s is wrong.

    >>> plural(1, "file"), plural(2, "file"), plural(2, "entry", "entries")
    ('1 file', '2 files', '2 entries')
    """
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def table(rows: Sequence[Sequence[str]]) -> list[str]:
    """Columns padded to their widest cell; the last column left ragged.

    >>> table([("id", "name"), ("ncfe", "NCFE"), ("aqa", "AQA")])
    ['id    name', 'ncfe  NCFE', 'aqa   AQA']
    """
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return [
        "  ".join(
            [*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]]
        ).rstrip()
        for row in rows
    ]


FILTERS = {
    "iso_date": date.isoformat,
    "govuk_date": govuk_date,
    "govuk_weekday_date": govuk_weekday_date,
    "when": when,
    "govuk_datetime": govuk_datetime,
    "academic_year": academic_year_label,
    "levels_label": levels_label,
    "quoted_from": quoted_from,
}
