"""The vtq-hub command as a user runs it: messages, exit codes, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURE_HUB, FIXTURES, ROOT


def vtq_hub(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "hub_builder", *args],
        cwd=cwd,
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
            "wrong-type.yaml:10:18: qualification_groups[0].progression: "
            "expected true or false, got 'yes'"
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
    assert "Loading 2 source files" in result.stderr
    assert result.stdout.startswith("Built ")
    assert "for 1 organisations and 7 key dates in" in result.stdout
    assert (tmp_path / "out" / "organisations" / "example-awarding-body" / "index.html").is_file()


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
    result = vtq_hub("--version")
    assert (result.returncode, result.stdout.strip()) == (0, "vtq-hub 0.1.0")
