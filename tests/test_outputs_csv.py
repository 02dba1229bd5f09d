"""CSV downloads: read back with the csv module, quoting, formula safety, the Ofqual columns."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from hub_builder.errors import OutputProblems
from hub_builder.feeds.entries import ParseContext
from hub_builder.feeds.ofqual_csv import parse_ofqual_csv
from hub_builder.model import Hub
from hub_builder.pipeline import BuildReport
from hub_builder.render import csv_files
from tests.conftest import fixture_hub

ORG = "example-awarding-body"


def read_csv(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def with_title(hub: Hub, date_id: str, title: str) -> Hub:
    org = hub.organisation(ORG)
    dates = tuple(replace(d, title=title) if d.id == date_id else d for d in org.key_dates)
    return replace(hub, organisations=(replace(org, key_dates=dates),))


def output(hub: Hub, path: str) -> bytes:
    return next(o.content for o in csv_files.render(hub) if o.path == path)


def test_all_key_dates_open_cleanly(built_fixture_hub: tuple[Path, BuildReport]) -> None:
    site, _ = built_fixture_hub
    content = (site / "downloads" / "key-dates.csv").read_bytes()
    assert content.startswith(b"\xef\xbb\xbfuid,organisation_id,organisation,title,kind,")
    assert content.count(b"\r\n") == 8 and b"\n" not in content.replace(b"\r\n", b"")
    rows = read_csv(content)
    assert len(rows) == 7
    for row in rows:
        assert date.fromisoformat(row["start"]) <= date.fromisoformat(row["end"])
        assert row["source_url"].startswith("https://")
    claims = next(r for r in rows if r["uid"] == f"{ORG}-claims-deadline-2027")
    assert {k: claims[k] for k in ("organisation", "kind", "start", "end", "time", "status")} == {
        "organisation": "Example Awarding Body",
        "kind": "claims",
        "start": "2027-06-30",
        "end": "2027-06-30",
        "time": "23:59",
        "status": "provisional",
    }
    assert claims["qualification_groups"] == "Example Nationals"
    checkpoint = next(r for r in rows if r["uid"] == f"{ORG}-checkpoint-1-2026-27")
    assert checkpoint["qualification_groups"] == "Example Nationals; Example Tech Awards"
    assert checkpoint["end"] == "2027-01-29"


def test_commas_quotes_and_newlines_survive_quoting() -> None:
    title = 'Claims, "final" deadline\nsee notes'
    rows = read_csv(
        output(with_title(fixture_hub(), "claims-deadline-2027", title), "downloads/key-dates.csv")
    )
    assert next(r["title"] for r in rows if r["uid"].endswith("claims-deadline-2027")) == title


@pytest.mark.parametrize("title", ['=HYPERLINK("https://evil.example")', "+1", "-2", "@SUM(A1)"])
def test_formula_injection_is_neutralised(title: str) -> None:
    hub = with_title(fixture_hub(), "claims-deadline-2027", title)
    for path in ("downloads/key-dates.csv", f"downloads/ofqual/{ORG}.csv"):
        text = output(hub, path).decode("utf-8-sig")
        assert f"'{title}" in text.replace('""', '"'), path


def test_a_control_character_is_a_build_error_naming_the_record() -> None:
    hub = with_title(fixture_hub(), "claims-deadline-2027", "Final claims\x00deadline")
    with pytest.raises(OutputProblems) as raised:
        list(csv_files.render(hub))
    (problem,) = raised.value.problems
    assert problem.endswith(
        f"organisations/{ORG}.yaml: key date claims-deadline-2027: a control character "
        "in its text cannot go into a CSV file"
    )


def test_ofqual_format_has_ofqual_columns_one_row_per_group(
    built_fixture_hub: tuple[Path, BuildReport],
) -> None:
    site, _ = built_fixture_hub
    content = (site / "downloads" / "ofqual" / f"{ORG}.csv").read_bytes()
    first_line = content.decode("utf-8-sig").split("\r\n")[0]
    assert (
        first_line
        == "Event,QualificationType,AOQualificationGroup,StartDate,EndDate,AdditionalDescription"
    )
    rows = read_csv(content)
    checkpoint_rows = [r for r in rows if r["Event"] == "Term-time checkpoint 1"]
    assert [(r["AOQualificationGroup"], r["QualificationType"]) for r in checkpoint_rows] == [
        ("Example Nationals", "Applied General Qualification"),
        ("Example Tech Awards", "Vocationally Related Qualification"),
    ]
    claims = next(r for r in rows if r["Event"] == "Final claims deadline")
    assert claims["AdditionalDescription"] == (
        "Provisional: the date may change. Time: 11:59pm UK time. https://example.org/claims"
    )


def test_ofqual_format_round_trips_to_the_same_dates_and_groups() -> None:
    hub = fixture_hub()
    org = hub.organisation(ORG)
    expected = {
        (d.title, g.name, d.start, d.last_day)
        for d in org.key_dates
        if d.academic_year == "2026-27"
        for g in org.groups_for(d)
    }
    feed = parse_ofqual_csv(
        output(hub, f"downloads/ofqual/{ORG}.csv"), f"{ORG}.csv", ParseContext(date(2026, 11, 28))
    )
    assert feed.problems == ()
    read_back = {
        (e.title, group, e.start, e.end or e.start) for e in feed.entries for group in e.groups
    }
    assert read_back == expected


def test_ofqual_format_holds_only_what_the_organisation_gave_for_the_current_year() -> None:
    """Ofqual collects the current academic year; its format has no status, so a cancelled
    date is left out, and the hub's own dates (expected, inferred) are not the organisation's."""
    hub = fixture_hub()
    org = hub.organisation(ORG)
    by_id = {d.id: d for d in org.key_dates}
    dates = (
        replace(by_id["claims-deadline-2027"], status="cancelled"),
        replace(by_id["results-to-learners-2027"], status="inferred"),
        by_id["checkpoint-1-2026-27"],
        replace(
            by_id["checkpoint-1-2026-27"],
            id="checkpoint-1-2025-26",
            start=date(2025, 12, 8),
            academic_year="2025-26",
        ),
    )
    hub = replace(hub, organisations=(replace(org, key_dates=dates),))
    rows = read_csv(output(hub, f"downloads/ofqual/{ORG}.csv"))
    assert {(r["Event"], r["StartDate"]) for r in rows} == {
        ("Term-time checkpoint 1", "2026-12-07")
    }


def test_a_file_encoded_as_it_is_written_is_what_the_whole_text_encoded_would_be() -> None:
    rows = [("Résultats", 'a "quoted", cell', "two\nlines"), ("=SUM(1)", "", "\u2028 ✓ \U0001d518")]
    reference = io.StringIO(newline="")
    writer = csv.writer(reference, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(("a", "b", "c"))
    writer.writerows(tuple(csv_files.safe_cell(cell) for cell in row) for row in rows)
    expected = reference.getvalue().encode("utf-8-sig")
    assert csv_files.csv_output("x.csv", ("a", "b", "c"), rows).content == expected
    assert csv_files.csv_output("x.csv", ("a",), []).content == "\ufeffa\r\n".encode()
