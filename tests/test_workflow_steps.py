"""Every workflow step's shell script, in the shell GitHub runs it with, and the steps that
can run here, run for real from the lines in the workflow files.

GitHub runs a `run:` block with the step's `shell:`, else its job's or workflow's
`defaults.run.shell`, else `sh` in a container job and `bash` on the runner itself. Each
block is parsed by that shell (dash for `sh`, as in the Debian container) and checked by
shellcheck in that dialect, with `${{ … }}` expressions in place as a plain word.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURE_HUB, ROOT
from tests.test_workflows import FILES, WORKFLOWS, load

BIN = Path(sys.executable).parent
EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.S)
PARSERS = {"sh": "dash", "bash": "bash"}


def shell_of(workflow: dict[str, Any], job: dict[str, Any], step: dict[str, Any]) -> str:
    return str(
        step.get("shell")
        or job.get("defaults", {}).get("run", {}).get("shell")
        or workflow.get("defaults", {}).get("run", {}).get("shell")
        or ("sh" if "container" in job else "bash")
    )


def run_blocks() -> list[tuple[str, str, str]]:
    """``(id, shell, script)`` for every `run:` block of every workflow."""
    found = []
    for path in FILES:
        workflow = load(path)
        for job_name, job in workflow["jobs"].items():
            for step in job.get("steps", []):
                if "run" in step:
                    name = f"{path.name}:{job_name}:{step.get('name', step['run'].split()[0])}"
                    found.append((name, shell_of(workflow, job, step), step["run"]))
    return found


def shell_problems(shell: str, script: str) -> str:
    """What the shell's parser and shellcheck say about ``script``; "" when nothing."""
    script = EXPRESSION.sub("GITHUB_EXPRESSION", script)
    parsed = subprocess.run(
        [PARSERS[shell], "-n"], input=script, text=True, capture_output=True, check=False
    )
    checked = subprocess.run(
        [BIN / "shellcheck", f"--shell={shell}", "-"],
        input=script,
        text=True,
        capture_output=True,
        check=False,
    )
    return (parsed.stderr + checked.stdout).strip()


@pytest.mark.parametrize(("name", "shell", "script"), run_blocks(), ids=lambda v: v)
def test_each_run_block_is_sound_in_the_shell_github_runs_it_with(
    name: str, shell: str, script: str
) -> None:
    assert shell_problems(shell, script) == "", name


def test_the_check_knows_a_bash_only_expansion_in_a_container_job() -> None:
    """The publish step that never ran: bash's lower-casing under the container's sh."""
    script = 'account="${OWNER,,}"\necho "$account"\n'
    assert "SC3059" in shell_problems("sh", script)
    assert shell_problems("bash", script) == ""
    assert "Syntax error" in shell_problems("sh", "if then fi\n")


def test_every_container_job_that_needs_bash_says_so() -> None:
    publish = load(WORKFLOWS / "publish.yml")["jobs"]["build"]
    assert "container" in publish and publish["defaults"]["run"]["shell"] == "bash"


# The steps that can run here, run from the workflow files' own lines.


def step(workflow: str, job: str, name: str) -> dict[str, Any]:
    steps = load(WORKFLOWS / workflow)["jobs"][job]["steps"]
    return next(s for s in steps if s.get("name") == name)


def run_step(
    workflow: str, job: str, name: str, cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """Runs the step's block as GitHub's `bash -e {0}` or `sh -e {0}` would, in ``cwd``."""
    found = step(workflow, job, name)
    jobs = load(WORKFLOWS / workflow)["jobs"]
    shell = shell_of(load(WORKFLOWS / workflow), jobs[job], found)
    script = cwd / ".step.sh"
    script.write_text(found["run"], "utf-8")
    return subprocess.run(
        [PARSERS[shell], "-e", str(script)],
        cwd=cwd,
        env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", **env},
        text=True,
        capture_output=True,
        check=False,
        timeout=600,
    )


def checkout(folder: Path) -> Path:
    """A copy of the repository's files, as a job's checkout has them, with a `.venv` whose
    programs are this one's and whose stamps say its packages are in (so `make install`
    installs nothing, as on a runner where they are)."""
    for name in ("sources", "site_content", "overrides", ".github", "requirements"):
        shutil.copytree(ROOT / name, folder / name)
    for name in ("mkdocs.yml", "Makefile", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, folder / name)
    venv = folder / ".venv"
    venv.mkdir()
    (venv / "bin").symlink_to(BIN)
    for stamp in (".site-deps", ".test-deps"):
        (venv / stamp).touch()
    return folder


def test_the_pull_request_checks_pass_on_the_hubs_sources(tmp_path: Path) -> None:
    repo = checkout(tmp_path / "repo")
    for name in (
        "Install",
        "Validate every source file",
        "CODEOWNERS matches the maintainers in the sources",
        "Every change to the sources is recorded in sources/history.json",
    ):
        done = run_step("pull-request.yml", "validate", name, repo, {})
        assert done.returncode == 0, (name, done.stdout, done.stderr)


def test_publishing_builds_for_the_pages_address_of_a_project_site(tmp_path: Path) -> None:
    repo = checkout(tmp_path / "repo")
    env = {
        "SITE_URL": "",
        "OWNER": "Example-Org",
        "REPOSITORY": "Example-Org/vtq-hub",
        "SERVER": "https://github.com",
    }
    done = run_step("publish.yml", "build", "Build", repo, env)
    assert done.returncode == 0, done.stdout + done.stderr
    home = (repo / "site" / "index.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://example-org.github.io/vtq-hub/">' in home
    assert "https://github.com/Example-Org/vtq-hub" in home


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


def test_the_summary_is_made_by_mains_code_from_the_pull_requests_commit(
    tmp_path: Path,
) -> None:
    """The comment workflow's summary step, against a real remote holding main and a pull
    request's head under refs/pull/<number>/head, as GitHub keeps them."""
    origin = tmp_path / "origin"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    work = tmp_path / "author"
    git(tmp_path, "clone", "-q", str(origin), str(work))
    git(work, "config", "user.email", "a@example.org")
    git(work, "config", "user.name", "A")
    shutil.copytree(FIXTURE_HUB, work / "sources")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "base")
    git(work, "push", "-q", "origin", "main")
    org = work / "sources" / "organisations" / "example-awarding-body.yaml"
    org.write_text(org.read_text("utf-8").replace("2027-06-30", "2027-07-02"), "utf-8")
    git(work, "commit", "-q", "-am", "Move the claims deadline")
    head = git(work, "rev-parse", "HEAD")
    git(work, "push", "-q", "origin", "HEAD:refs/pull/7/head")

    repo = checkout(tmp_path / "main")
    shutil.rmtree(repo / "sources")
    git(tmp_path, "clone", "-q", str(origin), str(tmp_path / "clone"))
    shutil.move(tmp_path / "clone" / ".git", repo / ".git")
    git(repo, "checkout", "-q", "--", "sources")
    runner = tmp_path / "runner"
    runner.mkdir()
    env = {
        "NUMBER": "7",
        "AUTHOR": "eab-officer",
        "HEAD_SHA": head,
        "RUNNER_TEMP": str(runner),
        "GITHUB_STEP_SUMMARY": str(runner / "step-summary.md"),
    }
    name = "Summarise it with main's code, its files read as data"
    done = run_step("pull-request-comment.yml", "comment", name, repo, env)
    assert done.returncode == 0, done.stdout + done.stderr
    summary = (runner / "summary.md").read_text("utf-8")
    assert summary.startswith("## What this change does to the hub")
    assert (
        "- Date moved: `Final claims deadline` (`claims-deadline-2027`): "
        "30 June 2027, 11:59pm UK time → 2 July 2027, 11:59pm UK time"
    ) in summary

    (runner / "summary.md").unlink()
    moved_on = run_step(
        "pull-request-comment.yml", "comment", name, repo, {**env, "HEAD_SHA": "0" * 40}
    )
    assert moved_on.returncode == 0, moved_on.stderr
    assert "has moved on" in moved_on.stdout
    assert not (runner / "summary.md").exists(), "nothing to post for a superseded run"
