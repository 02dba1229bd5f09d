"""The sources' revision comes from git at the command's edge, or is "unknown"."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from hub_builder.repo.git import UNKNOWN, git_revision
from tests.conftest import FIXTURE_HUB, ROOT
from tests.test_cli import vtq_hub


def test_outside_a_git_tree_the_revision_is_unknown(tmp_path: Path) -> None:
    assert git_revision(tmp_path) == UNKNOWN


def test_inside_a_git_tree_it_is_the_head_commit(tmp_path: Path) -> None:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=tmp_path, capture_output=True, text=True, check=True
        ).stdout.strip()

    git("init", "-q")
    (tmp_path / "national.yaml").write_text("compiled_on: 2026-11-01\n")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "sources")
    assert git_revision(tmp_path) == git("rev-parse", "HEAD")


def test_the_build_command_records_the_revision(tmp_path: Path) -> None:
    result = vtq_hub("build", "--quiet", "--sources", str(FIXTURE_HUB), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    build = json.loads((tmp_path / "api" / "v1" / "build.json").read_text("utf-8"))
    assert build["source_revision"] == git_revision(ROOT)
