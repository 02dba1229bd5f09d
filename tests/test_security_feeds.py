"""Feeds come from servers the hub does not control: the same defences, for every format.

Every parser in ``feeds.formats.FORMATS`` (ICS, RSS/Atom, JSON, Ofqual CSV) is a pure
``bytes -> ParsedFeed`` function: Hypothesis feeds each one arbitrary bytes and generated
documents of its format, and each must return entries whose text is plain (no control or
format characters, within the limits) and whose links are allowlisted, never raise. The
attack corpus is then put in a committed feed of each format and built for real, and the
pages judged as in ``test_security_attacks``.
"""

from __future__ import annotations

import json
import shutil
import unicodedata
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import icalendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from hub_builder.feeds.entries import (
    MAX_DESCRIPTION,
    MAX_ENTRIES,
    MAX_TITLE,
    ParseContext,
    ParsedFeed,
)
from hub_builder.feeds.formats import FORMATS
from hub_builder.feeds.ofqual_csv import COLUMNS as CSV_COLUMNS
from hub_builder.link_policy import web_address_problem
from hub_builder.pipeline import build
from tests.conftest import FIXTURE_HUB, FIXTURES, build_options
from tests.hostile import ATTACK_PIECES, corpus, example, examples, organisation_file, text
from tests.html_safety import Reference, findings, parse

CONTEXT = ParseContext(date(2026, 11, 23))
FORMAT_NAMES = ("ics", "rss", "json", "ofqual-csv")  # "atom" is read by the rss parser
FIRST_DAY = date(2026, 12, 1)
UNTYPEABLE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


# --- one feed document of each format, from (title, description, link) items ------------


def day_of(index: int) -> date:
    """A day for the index-th item, inside the window a calendar is read in."""
    return FIRST_DAY + timedelta(days=index % 500)


def ics(items: list[tuple[str, str, str]]) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Example Awarding Body//attacks//EN")
    calendar.add("version", "2.0")
    for index, (title, description, link) in enumerate(items):
        event = icalendar.Event()
        event.add("uid", f"attack-{index}@example.org")
        event.add("dtstamp", icalendar.vDatetime.from_ical("20261101T090000Z"))
        event.add("dtstart", day_of(index))
        event.add("summary", title)
        event.add("description", description)
        if link:
            event.add("url", link)
        calendar.add_component(event)
    content: bytes = calendar.to_ical()
    return content


def rss(items: list[tuple[str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{escape(title)}</title><description>{escape(description)}</description>"
        + (f"<link>{escape(link)}</link>" if link else "")
        + f"<guid isPermaLink='false'>attack-{index}</guid>"
        f"<ev:startdate>{(day_of(index)).isoformat()}</ev:startdate></item>"
        for index, (title, description, link) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:ev="http://purl.org/rss/1.0/modules/event/"><channel><title>Example</title>'
        f"<link>https://example.org/</link><description>x</description>{entries}</channel></rss>"
    ).encode()


def hub_json(items: list[tuple[str, str, str]]) -> bytes:
    dates = [
        {
            "id": f"attack-{index}",
            "title": title,
            "start": (day_of(index)).isoformat(),
            "description": description,
            **({"source_url": link} if link else {}),
        }
        for index, (title, description, link) in enumerate(items)
    ]
    return json.dumps({"key_dates": dates}).encode()


def ofqual_csv(items: list[tuple[str, str, str]]) -> bytes:
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(
        [
            "Event",
            "QualificationType",
            "AOQualificationGroup",
            "StartDate",
            "EndDate",
            "AdditionalDescription",
        ]
    )
    for index, (title, description, link) in enumerate(items):
        day = (day_of(index)).isoformat()
        writer.writerow(
            [
                title,
                "Applied General Qualification",
                "Example Nationals",
                day,
                "",
                link or description,
            ]
        )
    return out.getvalue().encode("utf-8")


WRITERS: dict[str, Callable[[list[tuple[str, str, str]]], bytes]] = {
    "ics": ics,
    "rss": rss,
    "json": hub_json,
    "ofqual-csv": ofqual_csv,
}
SUFFIXES = {"ics": "ics", "rss": "xml", "json": "json", "ofqual-csv": "csv"}


# --- what every parsed entry must be ------------------------------------------------------


def entry_faults(parsed: ParsedFeed) -> list[str]:
    faults = []
    if len(parsed.entries) > MAX_ENTRIES:
        faults.append(f"{len(parsed.entries)} entries")
    for entry in parsed.entries:
        for name, value, limit in (
            ("title", entry.title, MAX_TITLE),
            ("description", entry.description, MAX_DESCRIPTION),
        ):
            if len(value) > limit:
                faults.append(f"{name} of {len(value)} characters")
            bad = sorted(
                {f"U+{ord(c):04X}" for c in value if unicodedata.category(c) in UNTYPEABLE}
            )
            if bad:
                faults.append(f"{name} holds {', '.join(bad)}")
        if entry.link and web_address_problem(entry.link):
            faults.append(f"link {entry.link!r}: {web_address_problem(entry.link)}")
    return faults


def parse_raw(format_name: str, content: bytes) -> ParsedFeed:
    """The format's own parser, not the wrapper that turns a parser's exception into a
    problem: an exception here is a defect to fix, not to hide."""
    return FORMATS[format_name].parse(content, f"feed.{SUFFIXES[format_name]}", CONTEXT)


# --- Hypothesis: any bytes, and generated documents of each format ------------------------


@pytest.mark.parametrize("format_name", FORMAT_NAMES)
@examples(300)
@given(content=st.binary(max_size=800))
def test_any_bytes_give_entries_or_problems(format_name: str, content: bytes) -> None:
    assert entry_faults(parse_raw(format_name, content)) == []


link = st.one_of(
    st.just(""),
    st.sampled_from(corpus("urls-refused") + corpus("urls-tricky")),
    st.text(max_size=30).map(lambda path: "https://example.org/" + path),
)
items = st.lists(st.tuples(text, text, link), min_size=1, max_size=8)


@pytest.mark.parametrize("format_name", FORMAT_NAMES)
@examples(150)
@given(feed_items=items, mangle=st.integers(0, 3), cut=st.integers(0, 2000))
def test_generated_feeds_give_plain_entries(
    format_name: str, feed_items: list[tuple[str, str, str]], mangle: int, cut: int
) -> None:
    """Well-formed documents with hostile text and links, and the same cut short."""
    try:
        content = WRITERS[format_name](feed_items)
    except (ValueError, TypeError):
        return  # a value the writer library itself refuses (a lone surrogate, say)
    if mangle == 1:
        content = content[:cut]
    elif mangle == 2:
        content = content.replace(b"\n", b"\r", 3)
    assert entry_faults(parse_raw(format_name, content)) == []


@pytest.mark.parametrize("format_name", FORMAT_NAMES)
def test_a_feed_of_many_entries_is_cut_at_the_limit_and_says_so(format_name: str) -> None:
    many = [(f"Date {i}", "", "") for i in range(MAX_ENTRIES + 5)]
    parsed = parse_raw(format_name, WRITERS[format_name](many))
    assert len(parsed.entries) == MAX_ENTRIES
    assert any(f"{MAX_ENTRIES:,}" in p.message for p in parsed.problems)


# --- XML's own attacks ----------------------------------------------------------------------

# Nine entities, each ten of the one before: a billion "lol"s if expanded. The time and
# memory it takes are measured by benchmarks/feed_cases.py, with the other hostile cases.
BILLION_LAUGHS = (FIXTURES / "feed-cases" / "billion_laughs.xml").read_bytes()
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    b'<rss version="2.0"><channel><title>x</title><item><title>A&xxe;B</title>'
    b"<pubDate>Mon, 02 Nov 2026 09:00:00 GMT</pubDate></item></channel></rss>"
)


def test_entity_expansion_is_not_a_denial_of_service() -> None:
    """The entity is never expanded: its reference stays as the text it is."""
    parsed = parse_raw("rss", BILLION_LAUGHS)
    assert [e.title for e in parsed.entries] == ["&lol9;"]
    assert all(len(e.title) <= MAX_TITLE for e in parsed.entries)


def test_external_entities_are_not_read() -> None:
    parsed = parse_raw("rss", EXTERNAL_ENTITY)
    assert not any("root:" in e.title + e.description for e in parsed.entries)


# --- the attack corpus through every format, built for real ------------------------------


def feed_items_for(texts: list[str], links: list[str]) -> list[tuple[str, str, str]]:
    """Each text as a title and a description, each link on a date of its own."""
    return [(t, t, "") for t in texts] + [(f"Link {i}", "", u) for i, u in enumerate(links)]


def accepted(format_name: str, candidates: list[tuple[str, str, str]], tally: Counter[str]):  # type: ignore[no-untyped-def]
    """The items that parse without an error on their own (a committed feed's error fails
    the build, as a bad YAML file does); the rest are counted as refused."""
    kept = []
    for item in candidates:
        try:
            content = WRITERS[format_name]([item])
        except ValueError:  # the format cannot carry it (a new line in an ICS URL, say)
            tally[f"{format_name}: cannot be written in the format"] += 1
            continue
        parsed = parse_raw(format_name, content)
        if parsed.entries and not any(p.is_error for p in parsed.problems):
            kept.append(item)
            tally[f"{format_name}: built"] += 1
        else:
            tally[f"{format_name}: refused with a problem"] += 1
    return kept


def feed_hub(tmp: Path, texts: list[str], links: list[str], tally: Counter[str]) -> Path:
    """The fixture hub plus an organisation with one committed feed of each format."""
    sources = tmp / "hub"
    shutil.copytree(FIXTURE_HUB, sources)
    (sources / "feeds").mkdir()
    data: dict[str, Any] = example()
    data["feeds"] = []
    for format_name in FORMAT_NAMES:
        items = accepted(format_name, feed_items_for(texts, links), tally)
        name = f"attacks.{SUFFIXES[format_name]}"
        (sources / "feeds" / name).write_bytes(WRITERS[format_name](items))
        data["feeds"].append(
            {
                "id": f"attacks-{format_name}",
                "path": f"../feeds/{name}",
                "format": format_name,
                "source_url": "https://example.org/key-dates",
            }
        )
    org = sources / "organisations" / "feed-attacks.yaml"
    org.write_bytes(organisation_file("feed-attacks", data))
    return sources


def test_no_feed_attack_is_live_in_any_built_page(tmp_path: Path) -> None:
    tally: Counter[str] = Counter()
    reference_sources = feed_hub(
        tmp_path / "clean", ["Plain text"], ["https://example.org/x"], tally
    )
    build(build_options(reference_sources, tmp_path / "clean"))
    reference = Reference()
    for page in (tmp_path / "clean" / "site").rglob("*.html"):
        reference.add(parse(page.read_text("utf-8")))

    tally.clear()
    texts = corpus("text") + [p for p in ATTACK_PIECES if p not in corpus("text")]
    links = corpus("urls-refused") + corpus("urls-tricky")
    sources = feed_hub(tmp_path / "attack", texts, links, tally)
    report = build(build_options(sources, tmp_path / "attack"))
    site = tmp_path / "attack" / "site"
    live = {
        page.relative_to(site).as_posix(): found
        for page in site.rglob("*.html")
        if (found := findings(parse(page.read_text("utf-8")), reference))
    }
    print("\n".join(f"{key}: {count}" for key, count in sorted(tally.items())))
    assert live == {}
    assert report.dates > 7 + 4 * len(corpus("text")) // 2  # most attacks did reach the pages


@pytest.mark.parametrize("value", ["<![A", "<![0", "Results <![if x]> day"])
def test_a_broken_declaration_in_feed_text_is_read_as_text(value: str) -> None:
    """Regression: html.parser raised AssertionError on these, losing the whole feed."""
    items = [(value, value, ""), ("Results day", "", "")]
    parsed = parse_raw("ofqual-csv", ofqual_csv(items))
    assert [e.title for e in parsed.entries][1] == "Results day"
    assert entry_faults(parsed) == []


@pytest.mark.parametrize(
    ("format_name", "content"),
    [
        ("json", b"[" * 100_000),
        ("json", b'{"key_dates": ' + b"[" * 100_000),
        ("rss", b"<rss>" + b"<a>" * 100_000),
        ("ics", b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\n" * 20_000),
        ("ofqual-csv", ",".join(CSV_COLUMNS).encode() + b'\r\n"' + b"x" * 1_000_000),
    ],
)
def test_deep_nesting_and_huge_fields_are_problems(format_name: str, content: bytes) -> None:
    parsed = parse_raw(format_name, content)
    assert parsed.entries == () and parsed.problems
