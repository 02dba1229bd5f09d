"""`vtq-hub diff BASE HEAD`: the Markdown summary of a change, on pairs of fixture trees.

Each case in tests/fixtures/diff/ is the base tree changed one way (``<case>/head``), with
the exact summary expected for a pull request by ``@eab-officer``, a maintainer of Example
Awarding Body only. After a deliberate change to the summary, regenerate each with
``vtq-hub diff tests/fixtures/diff/base tests/fixtures/diff/CASE/head --author @eab-officer
> tests/fixtures/diff/CASE/expected.md`` and review the diff.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import html5lib
import pytest
import yaml
from markdown_it import MarkdownIt

from tests.conftest import FIXTURES
from tests.hostile import corpus, organisation_file, problems_of
from tests.test_cli import vtq_hub

DIFF = FIXTURES / "diff"
CASES = ("moved-date", "removed-contact", "cross-ao")


@pytest.mark.parametrize("case", CASES)
def test_the_summary_of_each_fixture_change_is_exact(case: str) -> None:
    result = vtq_hub(
        "diff", str(DIFF / "base"), str(DIFF / case / "head"), "--author", "@eab-officer"
    )
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (DIFF / case / "expected.md").read_text("utf-8")


def test_a_moved_date_reads_old_to_new_and_raises_no_flag() -> None:
    expected = (DIFF / "moved-date" / "expected.md").read_text("utf-8")
    assert "**" not in expected
    assert (
        "- Date moved: `Final claims deadline` (`claims-deadline-2027`): "
        "30 June 2027, 11:59pm UK time → 2 July 2027, 11:59pm UK time\n"
    ) in expected


def test_a_cross_organisation_change_is_flagged_in_bold() -> None:
    expected = (DIFF / "cross-ao" / "expected.md").read_text("utf-8")
    flags = [line for line in expected.splitlines() if line.startswith("- **")]
    assert flags == [
        "- **It changes the national calendar, which only the hub's maintainers change.**",
        "- **It changes 2 awarding organisations at once (example-awarding-body, "
        "example-skills-board): check that each one agrees.**",
        "- **It changes who maintains example-skills-board: `@esb-officer` before, "
        "`@esb-officer`, `@eab-officer` after.**",
        "- **@eab-officer is not named as a maintainer of example-skills-board (`@esb-officer`).**",
    ]


def test_without_an_author_only_the_ownership_of_the_change_is_flagged() -> None:
    result = vtq_hub("diff", str(DIFF / "base"), str(DIFF / "cross-ao" / "head"))
    assert result.returncode == 0
    assert "is not named as a maintainer" not in result.stdout
    assert "It changes 2 awarding organisations at once" in result.stdout


def test_a_team_maintainer_is_named_as_one_the_reviewer_checks() -> None:
    result = vtq_hub(
        "diff", str(DIFF / "base"), str(DIFF / "moved-date" / "head"), "--author", "stranger"
    )
    assert (
        "- **@stranger is not named as a maintainer of example-awarding-body "
        "(`@example-ab/exams-team`, `@eab-officer`); if they are in that team, all is well.**"
    ) in result.stdout


def test_no_change_says_so() -> None:
    result = vtq_hub("diff", str(DIFF / "base"), str(DIFF / "base"))
    assert result.stdout == (
        "## What this change does to the hub\n\n"
        "It changes no source file: the hub stays as it is.\n"
    )


MARKDOWN_ATTACKS = [
    "a `` b",
    "```",
    "`` **bold** ``",
    "` leading",
    "trailing `",
    "**@everyone** `see` [x](y)",
    "@example-ab/exams-team please merge",
    "[results](https://evil.example/)",
    "![x](https://evil.example/x.png)",
    "<https://evil.example/>",
    "www.evil.example",
    "<details open><summary>hi</summary>",
    "<!-- hidden",
    "&lt;b&gt;",
    "_em_ and *em*",
    "\\`",
]


def test_source_text_leaves_nothing_live_in_the_comment(tmp_path: Path) -> None:
    """Every attack string the validator accepts as a date title or an organisation name,
    rendered as GitHub renders a comment (CommonMark): each stays inside one code span, and
    the comment holds no link, image, HTML, emphasis or mention."""
    head = tmp_path / "head"
    shutil.copytree(DIFF / "base", head)
    path = head / "organisations" / "example-awarding-body.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    accepted = []
    for index, attack in enumerate([*MARKDOWN_ATTACKS, *corpus("text")]):
        title = f"{attack} HOSTILE{index}"
        item = {
            "id": f"hostile-{index}",
            "title": title,
            "kind": "other",
            "start": "2027-05-03",
            "status": "confirmed",
            "source_url": "https://example.org/dates",
        }
        trial = {**data, "key_dates": [*data["key_dates"], item]}
        if not problems_of(
            "example-awarding-body", organisation_file("example-awarding-body", trial)
        ):
            data = trial
            accepted.append(title)
    data["name"] = f"{MARKDOWN_ATTACKS[5]} HOSTILE-NAME"
    path.write_bytes(organisation_file("example-awarding-body", data))
    result = vtq_hub("diff", str(DIFF / "base"), str(head))
    assert result.returncode == 0, result.stderr
    assert len(accepted) > 60

    document = html5lib.parse(
        MarkdownIt("commonmark").render(result.stdout), namespaceHTMLElements=False
    )
    tags = {element.tag for element in document.iter()}
    assert tags <= {"html", "head", "body", "h2", "h3", "p", "ul", "li", "code"}, tags
    for title in [*accepted, f"{MARKDOWN_ATTACKS[5]} HOSTILE-NAME"]:
        spans = [c.text for c in document.iter("code") if c.text == " ".join(title.split())]
        assert spans, f"{title!r} is not one code span"
    outside = "".join(
        text
        for element in document.iter()
        if element.tag != "code"
        for text in (element.text, element.tail)
        if text
    )
    assert "HOSTILE" not in outside and "@" not in outside and "http" not in outside


def copy_tree(source: Path, dest: Path) -> None:
    """Copy without the files' times, which would hide a same-size edit from git."""
    shutil.copytree(source, dest, copy_function=shutil.copy)


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True
    ).stdout


def repo_with_base_sources(tmp_path: Path) -> Path:
    """A real git repository whose one commit holds the base fixture as sources/."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "test@example.org")
    git(repo, "config", "user.name", "Test")
    copy_tree(DIFF / "base", repo / "sources")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    return repo


def test_git_revisions_give_the_same_summary_as_folders(tmp_path: Path) -> None:
    repo = repo_with_base_sources(tmp_path)
    shutil.rmtree(repo / "sources")
    copy_tree(DIFF / "cross-ao" / "head", repo / "sources")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "head")
    result = vtq_hub("diff", "HEAD^1", "HEAD", "--author", "eab-officer", cwd=repo)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == (DIFF / "cross-ao" / "expected.md").read_text("utf-8")


def test_an_unknown_revision_is_a_clear_error(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q")
    result = vtq_hub("diff", "no-such-branch", "HEAD", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "error: 'no-such-branch' is neither a folder nor a git revision with a sources/ folder "
        "(git: fatal: "
    )
    assert "Traceback" not in result.stderr


def test_invalid_sources_on_one_side_say_where_and_print_a_note_for_the_comment(
    tmp_path: Path,
) -> None:
    repo = repo_with_base_sources(tmp_path)
    organisation = repo / "sources" / "organisations" / "example-awarding-body.yaml"
    organisation.write_text(organisation.read_text("utf-8").replace("kind: claims", "kind: claim"))
    git(repo, "commit", "-q", "-am", "broken")
    result = vtq_hub("diff", "HEAD^1", "HEAD", cwd=repo)
    assert result.returncode == 1
    assert result.stderr.startswith(
        "HEAD:sources/organisations/example-awarding-body.yaml:17:11: key_dates[1].kind: "
        "unknown value 'claim'; did you mean 'claims'?"
    )
    assert result.stdout.startswith(
        "## What this change does to the hub\n\n**The sources at `HEAD` have errors"
    )


def test_a_new_id_and_an_unrecorded_change_are_flagged_for_the_reviewer(tmp_path: Path) -> None:
    base = tmp_path / "base"
    shutil.copytree(DIFF / "base", base)
    assert vtq_hub("record-changes", "--sources", str(base)).returncode == 0
    head = tmp_path / "head"
    shutil.copytree(base, head)
    path = head / "organisations" / "example-awarding-body.yaml"
    text = path.read_text("utf-8")
    path.write_text(text.replace("id: claims-deadline-2027", "id: final-claims-2027"), "utf-8")
    result = vtq_hub("diff", str(base), str(head))
    assert result.returncode == 0, result.stderr
    assert (
        "- **It gives 1 date a new id: calendars keep each as the same event, so check that "
        "each is the same date.**"
    ) in result.stdout
    assert (
        "- **sources/history.json does not record 1 of its changes yet: run "
        "`.venv/bin/vtq-hub record-changes` and commit sources/history.json to this pull "
        "request (a maintainer can, where the author cannot).**"
    ) in result.stdout
    assert (
        "- Date given a new id: `Final claims deadline` (`final-claims-2027`), was "
        "`claims-deadline-2027`"
    ) in result.stdout

    assert vtq_hub("record-changes", "--sources", str(head)).returncode == 0
    recorded = vtq_hub("diff", str(base), str(head))
    assert "does not record" not in recorded.stdout
