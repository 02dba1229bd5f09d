"""The pre-commit hooks, run by the real pre-commit in a fresh repository as a contributor would."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURE_HUB, ROOT
from tests.test_diff import copy_tree, git


def pre_commit(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [Path(sys.executable).parent / "pre-commit", "run", "--color", "never"],
        cwd=repo,
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PRE_COMMIT_HOME": str(home)},
    )


def test_a_commit_of_a_broken_file_is_stopped_with_the_problem_and_its_place(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    shutil.copy(ROOT / ".pre-commit-config.yaml", repo)
    (repo / ".venv").symlink_to(Path(sys.executable).parent.parent)
    copy_tree(FIXTURE_HUB, repo / "sources")
    subprocess.run([Path(sys.executable).parent / "vtq-hub", "codeowners"], cwd=repo, check=True)
    git(repo, "add", "-A")
    passed = pre_commit(repo, tmp_path / "cache")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "vtq-hub validate (the changed source files)" in passed.stdout
    git(repo, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qm", "base")

    organisation = repo / "sources" / "organisations" / "example-awarding-body.yaml"
    text = organisation.read_text("utf-8")
    organisation.write_text(text.replace("kind: claims", "kind: claim"), "utf-8")
    git(repo, "add", "-A")
    stopped = pre_commit(repo, tmp_path / "cache")
    assert stopped.returncode == 1
    assert (
        "sources/organisations/example-awarding-body.yaml:49:11: key_dates[1].kind: "
        "unknown value 'claim'; did you mean 'claims'?"
    ) in stopped.stdout
    assert "Checked 1 file: 1 error, 0 warnings." in stopped.stdout

    organisation.write_text(text.replace('["@example-ab/exams-team"]', '["@new-owner"]'))
    git(repo, "add", "-A")
    stale = pre_commit(repo, tmp_path / "cache")
    assert stale.returncode == 1
    assert "vtq-hub validate (the changed source files)......" in stale.stdout
    assert (
        ".github/CODEOWNERS is out of date with the maintainers in sources: run vtq-hub "
        "codeowners and commit the file"
    ) in stale.stdout
    assert "    /sources/organisations/example-awarding-body.yaml @new-owner" in stale.stdout
