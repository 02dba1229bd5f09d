"""The README documents every command and option the CLI has."""

import argparse
import re

from hub_builder.cli import make_parser, synopsis
from tests.conftest import ROOT


def test_every_command_and_option_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    commands = next(a for a in make_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name, parser in commands.choices.items():
        line = re.search(rf"^vtq-hub {name}\b.*$", readme, re.MULTILINE)
        assert line, f"vtq-hub {name} is not in the README"
        for action in parser._actions:
            for option in action.option_strings:
                if option.startswith("--") and option != "--help":
                    assert option in line.group(0), f"vtq-hub {name} {option} is not in the README"


def test_readme_commands_are_the_makefile_targets_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make site" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert re.search(r"^site:", makefile, re.MULTILINE) and re.search(
        r"^test:", makefile, re.MULTILINE
    )


def test_the_readme_command_list_is_the_parsers_own() -> None:
    """The README's list of commands is generated: paste ``synopsis()`` when it changes."""
    readme = (ROOT / "README.md").read_text("utf-8")
    block = readme.split("## The command", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    assert block == synopsis(), (
        "README.md's command list is out of date; replace it with the output of\n"
        "  .venv/bin/python -c 'from hub_builder.cli import synopsis; print(synopsis(), end=\"\")'"
    )


MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")


def relative_file_links(markdown: str) -> list[str]:
    """The relative Markdown links of a page to files other than pages."""
    targets = (m.split("#")[0].split("?")[0] for m in MARKDOWN_LINK.findall(markdown))
    return [
        t
        for t in targets
        if t and not re.match(r"^[a-z][a-z0-9+.-]*:|^/", t, re.I) and re.search(r"\.\w+$", t)
        and not t.endswith(".md")
    ]  # fmt: skip


def test_hand_written_pages_link_to_generated_files_by_address_not_as_markdown() -> None:
    """The engine sees only pages: a relative Markdown link to a generated file (a calendar,
    JSON, CSV) would be reported missing and left unrewritten, so a page links to one in
    HTML or from the site's root. Files kept beside the pages in site_content are fine."""
    assert relative_file_links("[a](../api/v1/dates.json) [b](x.md#c) [c](/x.csv)") == [
        "../api/v1/dates.json"
    ]
    content = ROOT / "site_content"
    for page in content.rglob("*.md"):
        for target in relative_file_links(page.read_text("utf-8")):
            assert (page.parent / target).resolve().is_relative_to(content.resolve()), target
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links to {target}"
