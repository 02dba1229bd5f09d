"""The feed formats an AO may declare, each with its parser and what it is served as.

    FORMATS["ics"].parse(body, "calendar.ics", ParseContext(today))   # → ParsedFeed

``content_types`` are the media types a server may send the format with (plus anything
served as a generic type); any other type, ``text/html`` above all (an error or log-in page),
makes a fetch suspect. ``suffix`` names the snapshot file; ``groups_field`` is what the
format calls the qualification groups an entry names, for problems.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hub_builder.feeds.entries import ParseContext, ParsedFeed, unreadable
from hub_builder.feeds.ics import parse_ics
from hub_builder.feeds.jsonfeed import parse_json
from hub_builder.feeds.ofqual_csv import parse_ofqual_csv
from hub_builder.feeds.rss import parse_rss

Parser = Callable[[bytes, str, ParseContext], ParsedFeed]
GENERIC_TYPES = frozenset({"", "application/octet-stream", "text/plain"})
XML_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/atom+xml",
        "application/rdf+xml",
        "application/xml",
        "text/xml",
    }
)


@dataclass(frozen=True)
class Format:
    parse: Parser
    suffix: str
    content_types: frozenset[str]
    groups_field: str = "applies_to"

    def accepts(self, content_type: str) -> bool:
        media_type = content_type.split(";", maxsplit=1)[0].strip().lower()
        return media_type in self.content_types or media_type in GENERIC_TYPES


FORMATS: dict[str, Format] = {
    "ics": Format(parse_ics, "ics", frozenset({"text/calendar", "application/ics"})),
    "rss": Format(parse_rss, "xml", XML_TYPES),
    "atom": Format(parse_rss, "xml", XML_TYPES),
    "json": Format(parse_json, "json", frozenset({"application/json", "application/feed+json"})),
    "ofqual-csv": Format(
        parse_ofqual_csv,
        "csv",
        frozenset({"text/csv", "application/csv", "application/vnd.ms-excel"}),
        groups_field="AOQualificationGroup",
    ),
}


def parse(format_name: str, content: bytes, source: str, context: ParseContext) -> ParsedFeed:
    """Parse with the format's parser. A parser library that breaks on strange input gives a
    problem, never a traceback: feeds come from outside."""
    try:
        return FORMATS[format_name].parse(content, source, context)
    except Exception as exc:  # third-party parsers on untrusted bytes
        return unreadable(source, f"the {format_name} reader failed on it ({exc})")
