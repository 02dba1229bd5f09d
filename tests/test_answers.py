"""Answers a family or an exams officer can act on: expected dates from standing rules,
"when do results come out?" by qualification, the results deadline per level, and where
every fact comes from. On ``tests/fixtures/answers``: a fictional organisation with a group
spanning Level 2 and Level 3, a Level 1 group marked as used for progression, a Level 4
group, two standing rules (one crossing the new year), a published date that replaces a
rule's expected date, and an inferred date."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from icalendar import Calendar

from hub_builder.check import validate_documents
from hub_builder.domain.results import answers
from hub_builder.load.sources import read_documents, source_paths
from hub_builder.load.strict_yaml import load
from hub_builder.model import Hub
from hub_builder.normalise import normalise
from hub_builder.normalise.compare import hub_state
from hub_builder.pipeline import BuildReport, build
from hub_builder.render.pages import compiled_note
from hub_builder.status.report import Outcome, status_report
from tests.conftest import BUILT_AT, FIXTURES, build_options

HUB = FIXTURES / "answers"
ORG = "example-awarding-body"


@pytest.fixture(scope="module")
def hub() -> Hub:
    documents = read_documents(source_paths(HUB))
    assert [p for p in validate_documents(documents) if p.is_error] == []
    return normalise(documents, built_at=BUILT_AT)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    tmp = tmp_path_factory.mktemp("answers")
    return tmp / "site", build(build_options(HUB, tmp))


# Standing rules ---------------------------------------------------------------------------


def test_a_standing_rule_gives_expected_dates_for_this_year_and_the_next(hub: Hub) -> None:
    org = hub.organisation(ORG)
    expected = {d.id: d for d in org.expected_dates}
    # the 2025-26 checkpoint is published (standing_rule names it) but that year is past;
    # 2026-27 and 2027-28 are expected
    assert sorted(expected) == [
        "checkpoint-declaration-2026-27",
        "checkpoint-declaration-2027-28",
        "late-fee-band-2026-27",
        "late-fee-band-2027-28",
    ]
    checkpoint = expected["checkpoint-declaration-2026-27"]
    assert (checkpoint.start, checkpoint.end) == (date(2027, 3, 1), date(2027, 4, 30))
    assert checkpoint.status == "expected" and checkpoint.status_label == "Expected"
    assert checkpoint.description == (
        "Expected from EAB's yearly rule (page dated 2 February 2026): “must be completed "
        "between 1 March and 30 April”. EAB's own date for 2026 to 2027 is not on the hub yet."
    )
    fee = expected["late-fee-band-2026-27"]
    assert (fee.start, fee.end) == (date(2026, 12, 15), date(2027, 1, 31)), "crosses the year"


def test_a_published_date_for_a_year_replaces_the_expected_one() -> None:
    path = HUB / "organisations" / f"{ORG}.yaml"
    text = path.read_text("utf-8").replace(
        "    start: 2026-03-01\n    end: 2026-04-30",
        "    start: 2027-03-08\n    end: 2027-04-30",
    )
    national = read_documents([HUB / "national.yaml"])
    document = load(text.encode(), str(path))
    org = normalise([*national, document], built_at=BUILT_AT).organisation(ORG)
    checkpoints = [d for d in org.key_dates if d.standing_rule == "checkpoint-declaration"]
    assert [(d.id, d.status, d.start) for d in checkpoints] == [
        ("checkpoint-2026", "confirmed", date(2027, 3, 8)),
        ("checkpoint-declaration-2027-28", "expected", date(2028, 3, 1)),
    ]


def test_expected_dates_are_not_changes_of_their_own(hub: Hub) -> None:
    state = hub_state(hub)
    assert not [key for key in state.dates if key[1].startswith("checkpoint-declaration-")]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ('start: "03-01"', 'start: "02-29"'),
        ('start: "03-01"', 'start: "02-30"'),
        ("- id: results-to-learners-2026", "- id: checkpoint-declaration-2026-27"),
        ("standing_rule: checkpoint-declaration", "standing_rule: no-such-rule"),
    ],
)
def test_standing_rule_mistakes_are_errors_at_their_place(edit: str, message: str) -> None:
    path = HUB / "organisations" / f"{ORG}.yaml"
    text = path.read_text("utf-8").replace(edit, message, 1)
    problems = [p for p in validate_documents([load(text.encode(), str(path))]) if p.is_error]
    expected = {
        'start: "02-29"': "standing_rules[0].every_year.start: 29 February is not in every year",
        'start: "02-30"': "standing_rules[0].every_year.start: '02-30' is not a day of the year",
        "- id: checkpoint-declaration-2026-27": "key_dates[2].id: 'checkpoint-declaration-2026-27' "
        "is the id of an expected date of the standing rule 'checkpoint-declaration'",
        "standing_rule: no-such-rule": "key_dates[0].standing_rule: unknown standing rule "
        "'no-such-rule'; expected one of: checkpoint-declaration, late-fee-band",
    }[message]
    assert len(problems) == 1 and expected in problems[0].format(), problems


def test_expected_dates_reach_every_output_and_say_so(
    built: tuple[Path, BuildReport],
) -> None:
    site, _ = built
    calendar = Calendar.from_ical(
        (site / "calendars" / "organisations" / f"{ORG}.ics").read_bytes()
    )
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    event = events[f"{ORG}-checkpoint-declaration-2026-27@vtq-hub"]
    assert str(event["SUMMARY"]) == "Expected: EAB: Term-time checkpoint declaration"
    assert str(event["STATUS"]) == "TENTATIVE"
    api = json.loads((site / "api" / "v1" / "organisations" / f"{ORG}.json").read_text("utf-8"))
    by_id = {d["id"]: d for d in api["key_dates"]}
    assert by_id["checkpoint-declaration-2026-27"]["status"] == "expected"
    assert by_id["checkpoint-declaration-2026-27"]["standing_rule"] == "checkpoint-declaration"
    rows = list(
        csv.DictReader(io.StringIO((site / "downloads" / "key-dates.csv").read_text("utf-8-sig")))
    )
    uid = f"{ORG}-checkpoint-declaration-2026-27"
    assert {r["status"] for r in rows if r["uid"] == uid} == {"expected"}
    ofqual = (site / "downloads" / "ofqual" / f"{ORG}.csv").read_text("utf-8-sig")
    assert "2027-03-01" not in ofqual, "the Ofqual file holds only what the organisation published"
    page = (site / "organisations" / ORG / "index.html").read_text("utf-8")
    assert "Expected from EAB's yearly rule (page dated 2 February 2026): “must" in page
    assert "has not published" not in page


def test_the_status_counts_expected_dates_apart(hub: Hub) -> None:
    row = status_report(hub).row(ORG)
    assert row.results_dates == ()
    assert [d.id for d in row.expected_dates] == [
        "late-fee-band-2026-27",
        "checkpoint-declaration-2026-27",
    ]
    [checkpoint] = [f for f in row.findings if f.code == "no-checkpoint"]
    assert checkpoint.severity.value == "gap"
    assert "expected 1 March to 30 April 2027, from a standing rule" in checkpoint.text


# The results deadline by level ------------------------------------------------------------


def test_a_group_spanning_levels_is_held_to_each_levels_results_day(hub: Hub) -> None:
    check = status_report(hub).row(ORG).previous_deadline  # summer 2026
    diplomas = [g for g in check.groups if g.group.id == "example-diplomas"]
    assert [(g.levels, g.results_day and g.results_day.date) for g in diplomas] == [
        (("2",), date(2026, 8, 20)),
        (("3",), date(2026, 8, 13)),
    ]
    assert {g.levels: g.learners for g in diplomas} == {("2",): Outcome.MET, ("3",): Outcome.MET}


def test_only_a_group_whose_evidence_puts_it_on_a_results_day_has_the_deadline(hub: Hub) -> None:
    """Not a level and not a flag: the evidence. Level 1 and Level 4 groups, and a Level 1/2
    group no page speaks of, have no results deadline to check."""
    org = hub.organisation(ORG)
    groups = {g.id: g for g in org.qualification_groups}
    assert groups["example-certificates"].timely_results_levels == ()
    assert groups["example-higher"].timely_results_levels == ()
    assert groups["example-tech-awards"].timely_results_levels == ()
    assert groups["example-diplomas"].timely_results_levels == ("2", "3")
    check = status_report(hub).row(ORG).deadline
    assert {g.group.id for g in check.groups} == {"example-diplomas"}


# When do results come out? ------------------------------------------------------------------


def test_every_group_gets_an_answer_from_its_evidence(hub: Hub) -> None:
    found = {a.group.id: a for a in answers(hub, hub.organisations)}
    assert {g: a.timing for g, a in found.items()} == {
        "example-diplomas": "results-day",
        "example-tech-awards": "not-found",
        "example-certificates": "not-found",
        "example-higher": "not-found",
    }
    diplomas = found["example-diplomas"]
    assert [line.levels for line in diplomas.lines] == [("2",), ("3",)]
    level_3 = diplomas.lines[1]
    assert [d.date for d in level_3.past] == [date(2026, 8, 13)], "as many summers as the hub has"
    assert level_3.coming is None, "summer 2027 is not on the hub"
    assert [d.id for d in diplomas.own_dates] == ["results-to-learners-2026"]
    assert [e.says for e in diplomas.evidence] == ["practice", "scope"], "strongest first"


def test_the_home_page_answers_first_by_name(built: tuple[Path, BuildReport]) -> None:
    site, _ = built
    home = (site / "index.html").read_text("utf-8")
    card = home.split('id="results-example-awarding-body-example-diplomas"', 1)[1]
    card = " ".join(card.split("</section>", 1)[0].split())
    assert "Example Diplomas" in card and "Also called Example Level 3 Diplomas" in card
    assert (
        "<strong>Example Level 3 results day</strong> for Level 3. Summer 2026: 13 August 2026. "
        "Summer 2027: not on the hub yet."
    ) in card
    assert (
        "EAB, for summer 2025: “we issue results in line with A level and GCSE results days” "
        '<span class="hub-provenance">(page dated 15 December 2023)</span>'
    ) in card, "a quotation names the years it speaks of and the date of its page"
    tech = home.split('id="results-example-awarding-body-example-tech-awards"', 1)[1]
    tech = " ".join(tech.split("</section>", 1)[0].split())
    assert "<strong>Not found on a public page yet.</strong> Ask the school or college" in tech
    assert home.index('id="results-example-awarding-body-example-diplomas"') < home.index(
        'id="next-key-dates"'
    ), "the answer comes before everything else on the page"
    families = (site / "guides" / "families" / "index.html").read_text("utf-8")
    assert 'id="results-example-awarding-body-example-diplomas"' in families
    assert "13 August 2026" in families


# Provenance --------------------------------------------------------------------------------


def test_the_page_says_when_its_sources_were_seen_and_where_the_rn_comes_from(
    built: tuple[Path, BuildReport],
) -> None:
    site, _ = built
    page = " ".join((site / "organisations" / ORG / "index.html").read_text("utf-8").split())
    assert (
        "Compiled on 20 November 2026 from 11 public pages seen between 15 December 2023 and "
        "24 June 2026 (the date each page shows; 6 show no date)."
    ) in page
    assert "RN9999 <span class=\"hub-provenance\">(from example.net; not yet confirmed " \
        "on Ofqual's Register)</span>" in page  # fmt: skip
    assert "Inferred from a general statement" in page
    assert "results-2026</a> (page dated 24 June 2026)" in page


def test_compiled_note_in_words() -> None:
    day = date(2026, 11, 28)
    assert compiled_note(day, [None]) == (
        "Compiled on 28 November 2026 from 1 public page, none of which shows a date."
    )
    assert compiled_note(day, [date(2026, 5, 1), None]) == (
        "Compiled on 28 November 2026 from 2 public pages seen as of 1 May 2026 (the date the "
        "page shows; 1 shows no date)."
    )


def test_a_cited_page_missing_from_pages_is_a_warning(tmp_path: Path) -> None:
    path = HUB / "organisations" / f"{ORG}.yaml"
    text = path.read_text("utf-8").replace("  - url: https://example.org/contact\n", "")
    problems = validate_documents([load(text.encode(), str(path))])
    assert [(p.field, p.is_error) for p in problems if "not in pages" in p.message] == [
        ("contacts[0].source_url", False)
    ]
