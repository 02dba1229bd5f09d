"""The GitHub Actions workflows: linted, pinned, least privilege, and calling the README's commands.

Two linters run over every file in .github/workflows (actionlint's Python package downloads
its binary when installed, which this project's machines cannot do):

* ``check-jsonschema --builtin-schema vendor.github-workflows``: the workflow syntax, against
  the schema SchemaStore publishes (shipped inside the package, so it runs offline);
* ``zizmor --offline``: security audits (template injection, unpinned actions, excessive
  permissions, credentials left in the checkout, dangerous triggers…).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from hub_builder.cli import make_parser
from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))
BIN = Path(sys.executable).parent
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")
UNPINNED: tuple[str, ...] = ()
"""Actions used by tag rather than commit; each must be pinned before it is used."""


def cli_commands() -> dict[str, argparse.ArgumentParser]:
    """Each ``vtq-hub`` command's parser, by name."""
    commands = next(a for a in make_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(commands.choices)


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def run_lines() -> list[str]:
    return [
        line.strip()
        for path in FILES
        for step in steps(load(path))
        for line in step.get("run", "").splitlines()
    ]


def test_there_are_the_seven_workflows() -> None:
    assert [p.name for p in FILES] == [
        "nudges.yml",
        "publish.yml",
        "pull-request-comment.yml",
        "pull-request.yml",
        "refresh-feeds.yml",
        "update-locks.yml",
        "watch.yml",
    ]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_each_workflow_is_valid_github_actions_syntax(path: Path) -> None:
    result = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", path],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_in_the_workflows() -> None:
    result = subprocess.run(
        [BIN / "zizmor", "--offline", "--no-progress", WORKFLOWS],
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout


def test_the_linters_catch_what_they_are_here_to_catch(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request_target\n"
        "jobs:\n"
        "  x:\n"
        "    runs-on: ubuntu-24.04\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          ref: ${{ github.event.pull_request.head.sha }}\n"
        "      - run: echo ${{ github.event.pull_request.title }}\n",
        "utf-8",
    )
    audit = subprocess.run(
        [BIN / "zizmor", "--offline", "--no-progress", bad],
        check=False,
        capture_output=True,
        text=True,
    )
    assert audit.returncode != 0
    for finding in ("dangerous-triggers", "template-injection", "unpinned-uses", "artipacked"):
        assert finding in audit.stdout, finding
    bad.write_text("on: push\njobs:\n  x:\n    steps: []\n", "utf-8")
    syntax = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", bad],
        check=False,
        capture_output=True,
        text=True,
    )
    assert syntax.returncode != 0


def test_every_action_is_pinned_to_a_full_commit_with_its_version_named() -> None:
    for path in FILES:
        text = path.read_text("utf-8")
        for match in re.finditer(r"uses:\s*(\S+)(.*)", text):
            action, comment = match.groups()
            if action in UNPINNED:
                continue
            assert PINNED.match(action), f"{path.name}: {action} is not pinned to a commit"
            assert re.match(r"\s+# v\d+\.\d+\.\d+$", comment), f"{path.name}: {action}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_least_privilege_and_no_pull_request_target(path: Path) -> None:
    workflow = load(path)
    assert "pull_request_target" not in workflow["on"]
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {name} must say what it may do"
        write = {scope for scope, level in job["permissions"].items() if level == "write"}
        assert write <= ALLOWED_WRITES.get((path.name, name), set()), (path.name, name, write)
    for step in steps(workflow):
        if str(step.get("uses", "")).startswith("actions/checkout@"):
            assert step["with"]["persist-credentials"] is False


ALLOWED_WRITES = {
    ("nudges.yml", "nudge"): {"issues"},
    ("publish.yml", "deploy"): {"pages", "id-token"},
    ("pull-request-comment.yml", "comment"): {"pull-requests"},
    ("refresh-feeds.yml", "refresh"): {"contents", "pull-requests"},
    ("update-locks.yml", "lock"): {"contents", "pull-requests"},
    ("watch.yml", "watch"): {"contents", "pull-requests"},
}


def test_the_pull_request_checks_run_the_commands_a_contributor_runs() -> None:
    workflow = load(WORKFLOWS / "pull-request.yml")
    assert set(workflow["on"]) == {"pull_request"}
    runs = {
        name: [s.get("run", "") for s in job["steps"]] for name, job in workflow["jobs"].items()
    }
    assert ".venv/bin/vtq-hub validate --format github" in runs["validate"]
    assert ".venv/bin/vtq-hub codeowners --check" in runs["validate"]
    assert ".venv/bin/vtq-hub record-changes --check" in runs["validate"]
    assert "make test" in runs["test"]
    assert "make site" in runs["build"]
    uploads = [
        s for s in workflow["jobs"]["build"]["steps"] if "upload-artifact" in s.get("uses", "")
    ]
    assert uploads[0]["with"]["path"] == "site/"
    number = workflow["jobs"]["number"]
    assert number["permissions"] == {}
    assert not any("make" in r or "vtq-hub" in r for r in runs["number"]), (
        "the pull request's own run only names itself: the summary is made elsewhere"
    )
    assert workflow["run-name"] == "Pull request ${{ github.event.pull_request.number }}"


def test_the_summary_is_made_and_posted_by_mains_code_never_the_pull_requests() -> None:
    workflow = load(WORKFLOWS / "pull-request-comment.yml")
    assert set(workflow["on"]) == {"workflow_run"}
    assert workflow["concurrency"]["group"] == (
        "pull-request-comment-${{ github.event.workflow_run.display_title }}"
    ), "one queue per pull request, by its number"
    [job] = workflow["jobs"].values()
    checkouts = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@")]
    assert [c["with"].get("ref") for c in checkouts] == [None], "the default branch, only"
    script = "\n".join(s.get("run", "") for s in job["steps"])
    assert (
        'git fetch --no-tags --quiet origin "+refs/pull/$NUMBER/head:refs/hub/pull-request"'
        in script
    )
    assert '.venv/bin/vtq-hub diff "$base" refs/hub/pull-request' in script
    assert not re.search(r"git (checkout|switch|worktree)|pip install|\./", script)


def test_main_is_published_with_the_official_pages_actions_and_rebuilt_daily() -> None:
    workflow = load(WORKFLOWS / "publish.yml")
    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["on"]["schedule"]
    uses = [s.get("uses", "").split("@")[0] for s in steps(workflow)]
    assert "actions/upload-pages-artifact" in uses and "actions/deploy-pages" in uses
    assert workflow["jobs"]["deploy"]["environment"]["name"] == "github-pages"
    assert "make test" in run_lines() and "make site" in run_lines()


def test_publishing_pushes_nothing_and_refuses_unrecorded_changes() -> None:
    """Under branch protection nothing but a reviewed pull request reaches main: the
    publish job only reads, and fails when a change to the sources was not recorded."""
    workflow = load(WORKFLOWS / "publish.yml")
    assert list(workflow["jobs"]) == ["build", "deploy"]
    script = "\n".join(s.get("run", "") for s in steps(workflow))
    assert "git push" not in script and "git commit" not in script
    assert ".venv/bin/vtq-hub record-changes --check" in script
    assert workflow["jobs"]["build"]["permissions"] == {"contents": "read"}


def test_feed_changes_arrive_as_a_pull_request_never_a_commit_to_main() -> None:
    workflow = load(WORKFLOWS / "refresh-feeds.yml")
    assert workflow["on"]["schedule"]
    script = "\n".join(s.get("run", "") for s in steps(workflow))
    assert ".venv/bin/vtq-hub fetch" in script
    assert "gh pr create" in script and 'HEAD:refs/heads/$BRANCH"' in script
    assert "main" not in re.findall(r"git push \S+ \S+ (\S+)", script)


def test_page_changes_arrive_as_one_pull_request_never_a_commit_to_main() -> None:
    workflow = load(WORKFLOWS / "watch.yml")
    assert workflow["on"]["schedule"]
    script = "\n".join(s.get("run", "") for s in steps(workflow))
    assert ".venv/bin/vtq-hub watch --repo-url" in script
    assert "git add -- sources/watch" in script and "gh pr create" in script
    assert 'HEAD:refs/heads/$BRANCH"' in script
    assert "main" not in re.findall(r"git push \S+ \S+ (\S+)", script)


def test_every_command_the_workflows_run_is_one_the_readme_documents() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    known = set(cli_commands())
    script = "\n".join(run_lines())
    makes = re.findall(r"\bmake (\w+)", script)
    assert set(makes) == {"install", "site", "test", "lock"}
    for target in makes:
        assert f"make {target}" in readme, target
    calls = re.findall(r"\.venv/bin/vtq-hub ([\w-]+)([^\n|>]*)", script)
    assert {command for command, _ in calls} == {
        "build",
        "validate",
        "codeowners",
        "diff",
        "fetch",
        "record-changes",
        "nudges",
        "watch",
    }
    for command, rest in calls:
        assert command in known, command
        documented = re.search(rf"^vtq-hub {command}\b.*$", readme, re.MULTILINE)
        assert documented, command
        for option in re.findall(r"--[\w-]+", rest):
            assert option in documented.group(0), f"vtq-hub {command} {option}"
