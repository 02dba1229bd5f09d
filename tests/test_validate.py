"""Validation: each invalid fixture is named after the rule it breaks and gives exact messages."""

from pathlib import Path

import pytest

from hub_builder.pipeline import validate_paths
from tests.conftest import FIXTURE_HUB, FIXTURES

INVALID = FIXTURES / "invalid"

EXPECTED = {
    "yaml-syntax-error": ["3:1: YAML syntax error: did not find expected ',' or ']'"],
    "duplicate-key": ["5:1: name: duplicate key 'name': it is already set on line 2; keep one"],
    "alias": [
        "2:7: name: anchors (&n) are not allowed; write each value out in full",
        "3:10: acronym: aliases (*n) are not allowed; write the value out in full",
    ],
    "missing-field": ["1:1: name: required field is missing; add it"],
    "wrong-type": [
        "9:14: qualification_groups[0].levels[0]: expected text (put it in quotes), got the "
        "number 3",
        "10:14: qualification_groups[0].results: expected a group of fields, got 'yes'",
    ],
    "end-before-start": [
        "10:10: key_dates[0].end: ends (2027-02-01) before it starts "
        "(2027-03-01); swap them or fix one"
    ],
    "unknown-kind": [
        "8:11: key_dates[0].kind: unknown value 'checkpoints'; did you mean "
        "'checkpoint'? Expected one of: registration, entries, checkpoint, "
        "assessment-window, claims, results-to-centres, results-to-learners, "
        "certificates, post-results-services, resits, other"
    ],
    "unknown-group": [
        "15:18: key_dates[0].applies_to[0]: unknown qualification group "
        "'national'; did you mean 'nationals'? Expected one of: nationals"
    ],
    "duplicate-id": [
        "12:9: key_dates[1].id: duplicate id 'checkpoint': key_dates[0] already "
        "uses it; ids must be unique"
    ],
    "bad-rn-and-qn": [
        "3:21: recognition_number: expected Ofqual recognition number: RN followed by digits, "
        "like RN5156, got '5156'",
        "10:29: qualification_groups[0].qualification_numbers[0]: expected an Ofqual "
        "qualification number like 601/6170/X, got '6016170X'",
    ],
    "non-https-url": [
        "3:10: website: expected a full web address starting https://, got 'http://example.org/'",
        "4:13: source_url: expected a full web address starting https://, got "
        "'javascript:alert(1)'",
    ],
    "result-outside-academic-year": [
        "9:12: key_dates[0].start: a result date of 2027-09-02 falls in academic year 2027-28, "
        "not 2026-27 (1 September to 31 August); fix the date or the year"
    ],
    "not-a-real-date": [
        "4:14: compiled_on: '2026-02-30' is not a real date; check the day and month"
    ],
    "dates-without-groups": [
        "6:3: key_dates: key dates need at least one qualification group for them to apply to: "
        "every row of Ofqual's key-dates file names a qualification type and group; add "
        "qualification_groups (with each group's Ofqual type)"
    ],
    "id-not-file-name": [
        "1:5: id: the id 'some-other-id' must match the file name "
        "'id-not-file-name.yaml'; rename one of them"
    ],
    "results-day-without-evidence": [
        "13:9: qualification_groups[0].results.evidence: a results-day answer needs a page that "
        "says when the qualification's results were issued (says: practice) or that names it, "
        "or its type, as covered by Ofqual's rule (says: scope)"
    ],
    "results-day-for-entry-level": [
        "11:15: qualification_groups[0].results.timing: no national results day is for Entry "
        "level and Level 1 (only Level 3, Level 1/2 and Level 2 have one); use own-timing, or "
        "add the level it is taken at",
        "12:19: qualification_groups[0].results.own_timing: own_timing is for an own-timing "
        "answer only; remove it",
    ],
    "own-timing-without-its-words": [
        "11:15: qualification_groups[0].results.timing: say the organisation's timing in a few "
        "words in own_timing, like within two weeks of the exam",
        "13:9: qualification_groups[0].results.evidence: an own-timing answer needs the "
        "organisation's own words on its timing: add evidence with says: timing",
        "16:17: qualification_groups[0].results.evidence[1].says: a stated practice needs the "
        "summers the page speaks of: add years, like years: [2024]",
        "26:19: qualification_groups[1].results.own_timing: “within ten working days” is in "
        "quotes but is not in the words it is backed by; quote the page exactly, or take the "
        "quotation marks away",
    ],
    "description-without-its-words": [
        "9:18: qualification_groups[0].description: a description says what a page says: add "
        "quote, with the page's own words (statement) behind it",
        "18:18: key_dates[0].description: “check every entry by Friday” is in quotes but is not "
        "in the words it is backed by; quote the page exactly, or take the quotation marks away",
    ],
    "inferred-without-its-statement": [
        "16:13: key_dates[0].status: an inferred date needs inferred_from: the general statement "
        "it follows from",
        "23:13: key_dates[1].status: a date that follows from a general statement (inferred_from) "
        "is not confirmed: set status: inferred",
    ],
}


def test_every_invalid_fixture_has_expectations() -> None:
    assert sorted(p.stem for p in INVALID.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_invalid_fixture_reports_exact_problems(rule: str) -> None:
    path = INVALID / f"{rule}.yaml"
    problems = validate_paths([path])
    prefix = f"{_shown(path)}:"
    assert [p.format().removeprefix(prefix) for p in problems] == EXPECTED[rule]
    assert all(p.is_error for p in problems)


def test_fixture_hub_and_norway_values_are_valid() -> None:
    paths = [
        FIXTURE_HUB / "national.yaml",
        *sorted((FIXTURE_HUB / "organisations").glob("*")),
        FIXTURES / "valid" / "norway.yaml",
    ]
    assert validate_paths(paths) == []


def test_all_problems_of_several_files_come_in_one_run() -> None:
    paths = [INVALID / "duplicate-key.yaml", INVALID / "unknown-kind.yaml"]
    assert len(validate_paths(paths)) == 2


def test_a_recognition_number_belongs_to_one_file(tmp_path: Path) -> None:
    for name in ("one", "two"):
        (tmp_path / f"{name}.yaml").write_text(
            f"id: {name}\nname: {name}\nrecognition_number: RN1234\n"
            "source_url: https://example.org/\ncompiled_on: 2026-11-01\n"
        )
    problems = validate_paths(sorted(tmp_path.glob("*.yaml")))
    assert [p.format() for p in problems] == [
        f"{_shown(tmp_path / n)}.yaml:3:21: recognition_number: recognition number RN1234 is "
        "used by another organisation file too; each RN belongs to one"
        for n in ("one", "two")
    ]


def test_a_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    [problem] = validate_paths([tmp_path / "nope.yaml"])
    assert problem.message == "cannot read the file: no such file"


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def test_a_group_name_too_long_for_ofquals_file_is_a_warning_at_its_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "long-group.yaml"
    name = "Level 3 Extended Diploma in " + "Applied Science and Engineering " * 4
    path.write_text(
        "id: long-group\nname: Long Group Body\nsource_url: https://example.org/\n"
        "compiled_on: 2026-11-01\nqualification_groups:\n  - id: diplomas\n"
        f"    name: {name.strip()}\n    qualification_type: Technical Qualification\n"
        "    source_url: https://example.org/\n",
        "utf-8",
    )
    [problem] = validate_paths([path])
    assert not problem.is_error
    assert (problem.line, problem.field) == (7, "qualification_groups[0].name")
    assert problem.message == (
        f"{len(name.strip())} characters: Ofqual's key-dates file takes a group name of 1 to "
        "150 characters, so the hub's Ofqual download of this file would be refused; shorten "
        "it (a longer name can go in also_known_as)"
    )


def test_tracking_parameters_in_an_address_are_a_warning_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "tracked.yaml"
    path.write_text(
        "id: tracked\nname: Tracked Body\n"
        "source_url: https://example.org/dates?id=7&utm_source=news&__hstc=1\n"
        "compiled_on: 2026-11-01\n",
        "utf-8",
    )
    [problem] = validate_paths([path])
    assert not problem.is_error
    assert (problem.line, problem.field) == (3, "source_url")
    assert problem.message == (
        "utm_source, __hstc only track a visit or an edit: remove them from the address, "
        "which names the same page without"
    )


def test_a_lone_file_is_checked_without_walking_its_folder(tmp_path: Path) -> None:
    """Only a sources folder (organisation files or the national calendar) is walked for
    entries the hub refuses; a file validated on its own is just itself."""
    path = tmp_path / "lone.yaml"
    path.write_text(
        "id: lone\nname: Lone Body\nsource_url: https://example.org/\ncompiled_on: 2026-11-01\n",
        "utf-8",
    )
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "link").symlink_to("/etc/hostname")
    assert validate_paths([path]) == []
