"""`vtq-hub validate --format github`: GitHub annotations, exact, errors apart from warnings."""

from __future__ import annotations

from hub_builder.cli.problem_formats import github, human
from hub_builder.problems import Problem, Severity
from tests.conftest import FIXTURES
from tests.test_cli import vtq_hub


def test_an_error_becomes_an_error_annotation_on_its_line_and_column() -> None:
    problem = Problem("sources/organisations/ncfe.yaml", 12, 5, "key_dates[0].end", "too soon")
    assert github(problem) == (
        "::error file=sources/organisations/ncfe.yaml,line=12,col=5,title=key_dates[0].end"
        "::too soon"
    )


def test_a_warning_becomes_a_warning_annotation() -> None:
    problem = Problem("a.yaml", 3, 7, "name", "left in", Severity.WARNING)
    assert github(problem) == "::warning file=a.yaml,line=3,col=7,title=name::left in"


def test_commas_colons_percent_and_newlines_are_escaped_as_github_reads_them() -> None:
    problem = Problem("odd,name:1.yaml", 1, 1, "", "50% done\nnext: line")
    assert github(problem) == (
        "::error file=odd%2Cname%3A1.yaml,line=1,col=1,title=file::50%25 done%0Anext: line"
    )


def test_the_human_format_is_the_house_format() -> None:
    problem = Problem("a.yaml", 3, 7, "name", "left in", Severity.WARNING)
    assert human(problem) == "a.yaml:3:7: name: warning: left in"


def test_validate_format_github_prints_annotations_on_stdout_and_fails_on_errors() -> None:
    wrong_type = FIXTURES / "invalid" / "wrong-type.yaml"
    result = vtq_hub("validate", "--format", "github", str(wrong_type))
    assert result.returncode == 1
    shown = "tests/fixtures/invalid/wrong-type.yaml"
    assert result.stdout.splitlines() == [
        f"::error file={shown},line=9,col=14,title=qualification_groups[0].levels[0]"
        "::expected text (put it in quotes), got the number 3",
        f"::error file={shown},line=10,col=14,title=qualification_groups[0].results"
        "::expected a group of fields, got 'yes'",
    ]
    assert result.stderr == "Checked 1 file: 2 errors, 0 warnings.\n"


def test_warnings_alone_pass_and_each_says_what_it_will_cause() -> None:
    left_in = FIXTURES / "placeholders" / "left-in.yaml"
    result = vtq_hub("validate", "--format", "github", str(left_in))
    assert result.returncode == 0, result.stderr
    shown = "tests/fixtures/placeholders/left-in.yaml"
    assert result.stdout.splitlines() == [
        f"::warning file={shown},line=3,col=7,title=name::\"REPLACE with the organisation's "
        "name\" is a placeholder from 'vtq-hub new'; if merged, the hub will show this text "
        "to the public as it is. Write the real value",
        f"::warning file={shown},line=4,col=13,title=source_url::"
        "'https://replace.invalid/page-that-confirms-your-name' is a placeholder from "
        "'vtq-hub new'; if merged, the hub will link to an address that does not exist. "
        "Write the real value",
    ]
    assert result.stderr == "Checked 1 file: 0 errors, 2 warnings.\n"


def test_the_default_format_stays_human_on_stderr() -> None:
    left_in = FIXTURES / "placeholders" / "left-in.yaml"
    result = vtq_hub("validate", str(left_in))
    assert result.stdout == ""
    assert result.stderr.splitlines()[0].startswith(
        "tests/fixtures/placeholders/left-in.yaml:3:7: name: warning: "
    )
