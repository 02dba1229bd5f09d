"""A fetched page as the words a reader sees, and the dates in them: what the watcher compares.

``readable_text(body, content_type)`` is the page's main text, one paragraph a line: HTML
through trafilatura (the page's own content, without its menus, footers and cookie notices,
which change without the facts changing), falling back to every visible text when that finds
nothing; a PDF through pypdf, page by page (at most ``MAX_PDF_PAGES``), in a process of its
own that is stopped after ``PDF_SECONDS`` and may not grow past ``PDF_MEMORY``: pypdf is
plain Python, and crafted files have made it loop for ever before, so a PDF fails that page
only, never the run. Whitespace is normalised, so a page re-indented or re-wrapped reads the
same.

``dates_in(text)`` finds the dates a line of it gives, as a reader writes them: "13 August
2026", "Thursday 13th August 2026", "Aug 13, 2026", "13/08/2026" (day first, as in the UK)
and "2026-08-13"; only real days in the hub's years (:data:`calendar.FIRST_YEAR` to
:data:`calendar.LAST_YEAR`).

    >>> [d.isoformat() for d in dates_in("Entries closed on Saturday 21st February 2026.")]
    ['2026-02-21']
    >>> [d.isoformat() for d in dates_in("Results: 13/08/2026 or 2026-08-20; not 31/02/2026")]
    ['2026-08-13', '2026-08-20']
"""

from __future__ import annotations

import codecs
import io
import json
import re
import resource
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from html.parser import HTMLParser

from hub_builder.calendar import FIRST_YEAR, LAST_YEAR

MAX_PDF_PAGES = 200  # a key-dates document is a few pages; a book is not one
PDF_SECONDS = 30.0  # to read one PDF's words, its process started (see below)
PDF_MEMORY = 1 << 30  # bytes of address space the reading process may have
MAX_TEXT_CHARS = 1_000_000  # the words of one page, after extraction

MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH})\.?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.IGNORECASE
)
_NUMERIC = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def readable_text(body: bytes, content_type: str) -> str:
    """The page's words, one paragraph a line, whitespace normalised."""
    media_type = content_type.partition(";")[0].strip().lower()
    if media_type == "application/pdf" or body[:5] == b"%PDF-":
        text = _pdf_text(body)
    else:
        text = _html_text(body.decode(_charset(content_type), errors="replace"))
    return normalise(text[:MAX_TEXT_CHARS])


def normalise(text: str) -> str:
    """One line a paragraph, spaces collapsed, empty lines dropped."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def dates_in(line: str) -> list[date]:
    """The real dates ``line`` gives, in the order written, each once."""
    found: list[tuple[int, date]] = []
    for pattern, order in ((_DAY_MONTH_YEAR, "dmy"), (_MONTH_DAY_YEAR, "mdy")):
        for match in pattern.finditer(line):
            parts = dict(zip(order, match.groups(), strict=True))
            _add(found, match.start(), parts["y"], MONTHS[parts["m"].lower()], parts["d"])
    for match in _NUMERIC.finditer(line):
        day, month, year = match.groups()
        _add(found, match.start(), year, int(month), day)
    for match in _ISO.finditer(line):
        year, month, day = match.groups()
        _add(found, match.start(), year, int(month), day)
    return list(dict.fromkeys(day for _, day in sorted(found)))


def _add(found: list[tuple[int, date]], at: int, year: str, month: int, day: str) -> None:
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        return
    try:
        found.append((at, date(int(year), month, int(day))))
    except ValueError:
        return  # 31 February is no date


def date_lines(text: str) -> list[str]:
    """The lines of ``text`` that give a date, in order: what the watcher keeps of a page."""
    return [line for line in text.splitlines() if dates_in(line)]


# --- extraction ----------------------------------------------------------------------------


def _charset(content_type: str) -> str:
    """The page's declared text encoding, when Python knows it as a text encoding that can
    replace what it cannot read (not idna or punycode); else UTF-8."""
    match = re.search(r"charset=([\w.-]+)", content_type, re.IGNORECASE)
    if match:
        try:
            codecs.lookup(match.group(1)).decode(b"\xff", "replace")
            return match.group(1)
        except (LookupError, UnicodeError, TypeError, ValueError):
            pass
    return "utf-8"


def _html_text(html: str) -> str:
    import trafilatura  # imported when a page is read: the build never needs it

    main = trafilatura.extract(
        html,
        output_format="txt",
        include_comments=False,
        include_tables=True,
        include_links=False,
        favor_recall=True,
        deduplicate=False,
    )
    return main if main and main.strip() else _visible_text(html)


class _Visible(HTMLParser):
    """Every text a browser shows: not scripts, styles, templates or hidden metadata."""

    HIDDEN = frozenset({"script", "style", "noscript", "template", "head", "title", "svg"})
    BLOCKS = frozenset(
        {"p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "section", "td"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self.hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def _pdf_text(body: bytes, seconds: float = PDF_SECONDS, command: Sequence[str] = ()) -> str:
    """The PDF's words, read by pypdf in a Python process of its own (``command``, by
    default :func:`read_pdf_from_stdin`), stopped after ``seconds``."""
    try:
        done = subprocess.run(
            list(command) or [sys.executable, "-I", "-c", PDF_READER],
            input=body,
            capture_output=True,
            timeout=seconds,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UnreadablePage(f"the PDF took longer than {seconds:g} seconds to read") from None
    try:
        said = json.loads(done.stdout)
    except ValueError:
        said = {}
    if not isinstance(said, dict):
        said = {}
    words, unreadable = said.get("words"), said.get("unreadable")
    if isinstance(words, str):
        return words
    raise UnreadablePage(
        unreadable if isinstance(unreadable, str) else "the PDF's reader stopped unfinished"
    )


PDF_READER = "from hub_builder.remote.page_text import read_pdf_from_stdin; read_pdf_from_stdin()"


def read_pdf_from_stdin() -> None:
    """In the reading process: a PDF on standard input, ``{"words": …}`` or
    ``{"unreadable": why}`` on standard output; at most ``PDF_MEMORY`` of address space."""
    resource.setrlimit(resource.RLIMIT_AS, (PDF_MEMORY, PDF_MEMORY))
    try:
        said = {"words": _pypdf_words(sys.stdin.buffer.read())[:MAX_TEXT_CHARS]}
    except MemoryError:
        said = {"unreadable": "the PDF cannot be read: it needs more memory than a page may have"}
    except UnreadablePage as exc:
        said = {"unreadable": str(exc)}
    except Exception as exc:  # whatever a crafted file does to pypdf fails that page only
        said = {"unreadable": f"the PDF cannot be read: {type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(said))


def _pypdf_words(body: bytes) -> str:
    from pypdf import PdfReader  # imported when a PDF is read
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(body), strict=False)
        pages = reader.pages[:MAX_PDF_PAGES]
        return "\n".join(page.extract_text() or "" for page in pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise UnreadablePage(f"the PDF cannot be read: {exc}") from exc


class UnreadablePage(Exception):
    """A page fetched whole whose words cannot be read (a broken PDF)."""
