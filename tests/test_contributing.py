"""CONTRIBUTING.md and the templates: generated from, or checked against, the real thing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from hub_builder.load import schemas
from hub_builder.repo import fieldguide
from tests.conftest import ROOT
from tests.test_cli import vtq_hub
from tests.test_workflows import cli_commands

CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
BIN = Path(sys.executable).parent


def test_the_field_reference_is_the_one_generated_from_the_schema() -> None:
    block = re.search(
        r"<!-- fields: generated .*? -->\n(.*)<!-- fields: end -->", CONTRIBUTING, re.S
    )
    assert block, "CONTRIBUTING.md has lost its field reference markers"
    assert block.group(1) == fieldguide.markdown(), (
        "CONTRIBUTING.md's field reference is out of date: replace it with the output of "
        "`vtq-hub fields`"
    )


def test_vtq_hub_fields_prints_that_reference() -> None:
    result = vtq_hub("fields")
    assert (result.returncode, result.stdout) == (0, fieldguide.markdown())


def _properties(schema: dict[str, Any]) -> set[str]:
    """Every property name of every object in the schema."""
    found: set[str] = set()
    nodes = [schema]
    while nodes:
        node = nodes.pop()
        if isinstance(node, dict):
            found |= set(node.get("properties", {}))
            nodes += list(node.values())
        elif isinstance(node, list):
            nodes += node
    return found


def test_every_field_of_the_schema_is_described() -> None:
    entries = fieldguide.fields()
    named = {entry.name.rsplit(".", 1)[-1] for entry in entries if not entry.rule}
    assert named == _properties(schemas.schema(schemas.ORGANISATION))
    assert all(entry.meaning and entry.how for entry in entries if not entry.rule), [
        entry.name for entry in entries if not entry.rule and not (entry.meaning and entry.how)
    ]


def test_every_command_contributing_shows_exists_with_its_options() -> None:
    commands = cli_commands()
    for command, rest in re.findall(r"vtq-hub (\w+)([^`\n]*)", CONTRIBUTING):
        assert command in commands, command
        options = {o for a in commands[command]._actions for o in a.option_strings}
        for option in re.findall(r"--[\w-]+", rest):
            assert option in options, f"vtq-hub {command} {option}"


def test_the_templates_are_there_and_the_issue_forms_are_valid() -> None:
    assert "source_url" in (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text("utf-8")
    forms = sorted((ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml"))
    assert [f.name for f in forms] == ["accessibility.yml", "ofqual-csv.yml", "wrong-date.yml"]
    result = subprocess.run(
        [BIN / "check-jsonschema", "--builtin-schema", "vendor.github-issue-forms", *forms],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for form in forms:
        name = re.search(r"^name: (.+)$", form.read_text("utf-8"), re.MULTILINE)
        assert name and f"**{name.group(1)}**" in CONTRIBUTING, form.name
