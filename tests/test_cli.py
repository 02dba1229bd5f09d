"""The vtq-hub command as a user runs it: messages, exit codes, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from hub_builder.cli import make_parser
from tests.conftest import FIXTURE_HUB, FIXTURES, ROOT


def vtq_hub(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub_builder", *args],
        cwd=cwd,
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_validate_lists_every_problem_with_place_and_exits_1() -> None:
    result = vtq_hub(
        "validate",
        str(FIXTURES / "invalid" / "wrong-type.yaml"),
        str(FIXTURES / "invalid" / "duplicate-key.yaml"),
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(
        line.endswith(
            "wrong-type.yaml:10:14: qualification_groups[0].results: "
            "expected a group of fields, got 'yes'"
        )
        for line in lines
    )
    assert any("duplicate-key.yaml:5:1: name: duplicate key 'name'" in line for line in lines)
    assert lines[-1] == "Checked 2 files: 3 errors, 0 warnings."
    assert "Traceback" not in result.stderr


def test_validate_of_the_embedded_sources_passes() -> None:
    result = vtq_hub("validate")
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("Checked ")


def test_validate_checks_the_redirects_against_the_organisations(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    (sources / "redirects.yaml").write_text(
        "redirects:\n  - from: example-body\n    to: example-awarding-bod\n", "utf-8"
    )
    expected = (
        "redirects.yaml:3:9: redirects[0].to: no organisation has the id "
        "example-awarding-bod; add sources/organisations/example-awarding-bod.yaml"
    )
    for args in (("--sources", str(sources)), (str(sources / "redirects.yaml"),)):
        result = vtq_hub("validate", *args)
        assert result.returncode == 1, result.stderr
        assert any(line.endswith(expected) for line in result.stderr.splitlines())


def test_build_prints_progress_and_a_summary(tmp_path: Path) -> None:
    result = vtq_hub("build", "--sources", str(FIXTURE_HUB), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert "Loading the sources in" in result.stderr
    assert result.stdout.startswith("Built ")
    assert "for 1 organisations and 7 key dates in" in result.stdout
    assert (tmp_path / "out" / "organisations" / "example-awarding-body" / "index.html").is_file()


def test_an_unchanged_rebuild_reports_the_warnings_of_the_build_it_keeps(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    (sources / "link-report.json").write_text("{not json", "utf-8")
    out = str(tmp_path / "out")
    first = vtq_hub("build", "--sources", str(sources), "--out", out)
    second = vtq_hub("build", "--sources", str(sources), "--out", out)
    assert first.returncode == second.returncode == 0, second.stderr
    assert second.stdout.startswith("Nothing changed: kept the site")
    warning = "link-report.json:1:1: warning: the link report cannot be read"
    assert warning in first.stderr and warning in second.stderr
    assert "1 warning)" in second.stdout
    assert (tmp_path / ".hub-build" / "last-build.json").is_file(), "work folder beside --out"


def test_check_links_workers_is_a_count_not_days() -> None:
    parser = make_parser()
    assert parser.parse_args(["check-links", "--workers", "3"]).workers == 3
    refused = vtq_hub("check-links", "--workers", "0")
    assert refused.returncode == 2
    assert "expected a whole number of at least 1, got '0'" in refused.stderr


def test_build_quiet_prints_nothing(tmp_path: Path) -> None:
    result = vtq_hub(
        "build", "--quiet", "--sources", str(FIXTURE_HUB), "--out", str(tmp_path / "out")
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_build_with_a_broken_file_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(FIXTURE_HUB, sources)
    shutil.copy(FIXTURES / "invalid" / "yaml-syntax-error.yaml", sources / "organisations")
    result = vtq_hub("build", "--sources", str(sources), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "yaml-syntax-error.yaml:3:1: YAML syntax error" in result.stderr
    assert "Nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_usage_errors_exit_2() -> None:
    assert vtq_hub().returncode == 2
    assert vtq_hub("build", "--no-such-option").returncode == 2


def test_version() -> None:
    """The version pyproject.toml gives (CHANGELOG.md's latest), as the command says it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    result = vtq_hub("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"vtq-hub {project['version']}")
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    assert f"\n## {project['version']} (" in changelog
