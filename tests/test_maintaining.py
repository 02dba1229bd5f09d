"""MAINTAINING.md names only what exists: commands with their options, make targets, files,
workflows (every one of them) and the pull request checks branch protection should require."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT
from tests.test_workflows import FILES, WORKFLOWS, cli_commands, load

GUIDE = (ROOT / "MAINTAINING.md").read_text("utf-8")


def test_every_vtq_hub_command_it_names_exists_with_its_options() -> None:
    commands = cli_commands()
    named = re.findall(r"vtq-hub ([a-z-]+)((?: --?[a-z-]+(?: [^\s`-][^\s`]*)?)*)", GUIDE)
    assert {command for command, _ in named} >= {"diff", "record-changes", "codeowners"}
    for command, rest in named:
        assert command in commands, command
        known = {o for a in commands[command]._actions for o in a.option_strings}
        for option in re.findall(r"--[a-z-]+", rest):
            assert option in known, f"vtq-hub {command} {option}"


def test_every_make_target_it_names_exists() -> None:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    targets = set(re.findall(r"^([a-z]+):", makefile, re.M))
    named = set(re.findall(r"\bmake ([a-z]+)", GUIDE))
    assert named and named <= targets, named - targets


@pytest.mark.parametrize(
    "path",
    sorted(set(re.findall(r"`((?:hub_builder|requirements|sources|\.github)/[^`\s]+)`", GUIDE))),
)
def test_every_file_it_names_exists(path: str) -> None:
    if path.startswith("sources/watch/"):  # written by the daily watch, from its first run
        path = "hub_builder/status/watch.py"
    assert (ROOT / path).exists(), path


def test_it_describes_every_workflow() -> None:
    described = set(re.findall(r"^\| `([a-z-]+\.yml)` \|", GUIDE, re.M))
    assert described == {p.name for p in FILES}


def test_the_checks_it_asks_branch_protection_to_require_are_the_pull_request_jobs() -> None:
    jobs = load(WORKFLOWS / "pull-request.yml")["jobs"]
    section = GUIDE.split("require the status checks", 1)[1].split(";", 1)[0]
    required = re.findall(r"\*([^*]+)\*", " ".join(section.split()))
    assert required == [jobs[name]["name"] for name in ("validate", "test", "build")]
