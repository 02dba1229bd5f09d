"""One set of key-date rules for every reader: an organisation file, the JSON feed and the
Ofqual CSV refuse the same dates with the same words, and a feed may give only the kinds an
organisation's file may (the schema's)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from hub_builder.check.key_dates import organisation_kinds, organisation_statuses, time_of
from hub_builder.check.validate import validate_documents
from hub_builder.feeds.entries import STATUSES, ParseContext, kind_from
from hub_builder.feeds.jsonfeed import parse_json
from hub_builder.feeds.ofqual_csv import COLUMNS, parse_ofqual_csv
from hub_builder.load.schemas import ORGANISATION, schema
from hub_builder.load.strict_yaml import load
from hub_builder.model import KIND_LABELS
from tests.conftest import FIXTURE_HUB

ORG_FILE = FIXTURE_HUB / "organisations" / "example-awarding-body.yaml"
CONTEXT = ParseContext(date(2026, 11, 28))
CLAIMS = '    start: 2027-06-30\n    time: "23:59"\n'


def organisation_messages(start: str, end: str) -> list[tuple[str, str]]:
    text = ORG_FILE.read_text("utf-8")
    assert CLAIMS in text
    dated = text.replace(CLAIMS, f"    start: {start}\n    end: {end}\n", 1)
    document = load(dated.encode(), "sources/organisations/example-awarding-body.yaml")
    return [
        (p.field.rsplit(".", 1)[-1], p.message)
        for p in validate_documents([document])
        if p.is_error
    ]


def json_messages(start: str, end: str) -> list[tuple[str, str]]:
    item = {"id": "d", "title": "Claims", "start": start, "end": end}
    feed = parse_json(json.dumps({"key_dates": [item]}).encode(), "dates.json", CONTEXT)
    return [
        (p.field.rsplit(".", 1)[-1], p.message.removesuffix("; skipped")) for p in feed.problems
    ]


def csv_messages(start: str, end: str) -> list[tuple[str, str]]:
    row = f"Claims,Technical Qualification,Example Nationals,{start},{end},"
    feed = parse_ofqual_csv(f"{','.join(COLUMNS)}\n{row}\n".encode(), "dates.csv", CONTEXT)
    fields = {"StartDate": "start", "EndDate": "end"}
    return [(fields[p.field], p.message.removesuffix("; skipped")) for p in feed.problems]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (
            "2027-02-30",
            "2027-03-01",
            ("start", "'2027-02-30' is not a real date; check the day and month"),
        ),
        (
            "2027-05-14",
            "2027-05-03",
            ("end", "ends (2027-05-03) before it starts (2027-05-14); swap them or fix one"),
        ),
    ],
    ids=["not a real day", "an end before its start"],
)
def test_every_reader_refuses_a_date_with_the_same_words(
    start: str, end: str, expected: tuple[str, str]
) -> None:
    assert organisation_messages(start, end) == [expected]
    assert json_messages(start, end) == [expected]
    assert csv_messages(start, end) == [expected]


def test_a_date_outside_the_hubs_years_is_refused_by_every_reader() -> None:
    outside = "9999-12-31 is outside the years the hub accepts (2000 to 2100)"
    assert organisation_messages("2027-01-01", "9999-12-31") == [
        ("end", f"{outside}; check the year")
    ]
    assert json_messages("2027-01-01", "9999-12-31") == [("end", outside)]
    assert csv_messages("2027-01-01", "9999-12-31") == [("end", outside)]


def test_a_feed_gives_only_the_kinds_an_organisation_file_may() -> None:
    kinds = organisation_kinds()
    assert "results-day" not in kinds and set(kinds) < set(KIND_LABELS)
    assert kind_from(["Results day", "results-day"]) == ""
    assert kind_from(["Results day", "Claims"]) == "claims"
    item = {"id": "d", "title": "Results", "start": "2027-08-12", "kind": "results-day"}
    feed = parse_json(json.dumps({"key_dates": [item]}).encode(), "dates.json", CONTEXT)
    assert [e.kind for e in feed.entries] == [""]
    assert [p.message for p in feed.problems] == [
        "unknown kind 'results-day'; the feed's default kind is used"
    ]


def test_a_feeds_statuses_and_times_are_the_schemas() -> None:
    """A feed may say any status a file may, except inferred (the hub's own reading of a
    general statement); a time is read as the schema's pattern reads it."""
    assert set(STATUSES) == set(organisation_statuses()) - {"inferred"}
    time_pattern = schema(ORGANISATION)["$defs"]["time"]["pattern"]
    assert time_pattern == "^([01][0-9]|2[0-3]):[0-5][0-9]$"
    assert [time_of(t) is not None for t in ("00:00", "23:59", "24:00", "9:30", "18:00\n")] == [
        True,
        True,
        False,
        False,
        False,
    ]
