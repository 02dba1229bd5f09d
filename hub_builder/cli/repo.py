"""The commands for the repository around the sources: new, fields, codeowners and diff."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from hub_builder.calendar import london_now
from hub_builder.cli.command import OK, PROBLEMS, Command, sources_option
from hub_builder.cli.printing import note, report_problems
from hub_builder.errors import SourceProblems
from hub_builder.load.sources import display_path
from hub_builder.repo import codeowners, fieldguide, git, review, scaffold

# new and fields -----------------------------------------------------------------------------


def new_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="the organisation's id, like city-and-guilds")
    parser.add_argument(
        "--maintainer",
        action="append",
        default=[],
        metavar="HANDLE",
        help="a GitHub user or team who may change the file, like @jane-doe (repeatable)",
    )
    sources_option(parser, "source folder to write into")


def run_new(args: argparse.Namespace) -> int:
    path = scaffold.write_organisation_file(
        args.sources, args.id, args.maintainer, london_now().date()
    )
    shown = display_path(path)
    print(
        f"Wrote {shown}.\nNext: replace each value marked REPLACE or replace.invalid, then run\n"
        f"  vtq-hub validate {shown}\n"
        "It warns about every placeholder left and names any error with its line.",
    )
    return OK


def run_fields(args: argparse.Namespace) -> int:
    print(fieldguide.markdown(), end="")
    return OK


# codeowners ---------------------------------------------------------------------------------


def codeowners_arguments(parser: argparse.ArgumentParser) -> None:
    sources_option(parser, "source folder")
    parser.add_argument(
        "--out",
        type=Path,
        default=codeowners.CODEOWNERS_PATH,
        metavar="FILE",
        help=f"the file to write or check (default: {codeowners.CODEOWNERS_PATH})",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit 1 if the file is not what it would write"
    )


def run_codeowners(args: argparse.Namespace) -> int:
    done = codeowners.update_codeowners(args.sources, args.out, check=args.check)
    if not args.check:
        note(f"Wrote {args.out}.")
        return OK
    if done.up_to_date:
        note(f"{args.out} is up to date.")
        return OK
    note(
        f"{args.out} is out of date with the maintainers in {args.sources}: run "
        "vtq-hub codeowners and commit the file, or edit it by hand (in GitHub's editor) as "
        "follows."
    )
    for title, lines in (
        ("Add these lines:", done.missing),
        ("Remove these lines:", done.unwanted),
    ):
        if lines:
            note(title)
            for line in lines:
                note(f"    {line}")
    return PROBLEMS


# diff ---------------------------------------------------------------------------------------


def diff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("base", metavar="BASE", help="the sources before: a git revision or folder")
    parser.add_argument("head", metavar="HEAD", help="the sources after: a git revision or folder")
    parser.add_argument(
        "--author",
        default="",
        metavar="HANDLE",
        help="the change's author, like @jane-doe: changes to organisations that do not "
        "name them as a maintainer are flagged",
    )


def run_diff(args: argparse.Namespace) -> int:
    author = args.author if not args.author or args.author.startswith("@") else f"@{args.author}"
    built_at = london_now()
    with tempfile.TemporaryDirectory(prefix="vtq-hub-diff-") as work:
        sides = []
        for spec in (args.base, args.head):
            folder = git.sources_folder(spec, Path(work))
            shown_as = "" if folder == Path(spec) else f"{spec}:{git.SOURCES}"
            try:
                sides.append(review.load_side(folder, built_at, shown_as))
            except SourceProblems as exc:
                report_problems(exc.problems)
                print(review.invalid_markdown(spec))
                note(f"The sources at {spec} have errors: nothing to compare.")
                return PROBLEMS
    print(review.summary_markdown(sides[0], sides[1], author), end="")
    return OK


COMMANDS = (
    Command(
        "new",
        "start a new organisation file that validates",
        "Write sources/organisations/ID.yaml: a valid, commented organisation file whose "
        "placeholders (marked REPLACE) validate reports as warnings until they are filled in. "
        "Refuses an id that exists.",
        new_arguments,
        run_new,
    ),
    Command(
        "fields",
        "print the organisation file's fields as a Markdown table",
        "Print every field of an organisation file, from the schema: whether it is required, "
        "what it means and how to write it.",
        lambda _: None,
        run_fields,
    ),
    Command(
        "codeowners",
        "write .github/CODEOWNERS from the organisation files' maintainers",
        "Write the CODEOWNERS file from the maintainers each organisation file names, so "
        "GitHub asks them to review changes to it. With --check, write nothing and exit 1 "
        "when the file is out of date.",
        codeowners_arguments,
        run_codeowners,
    ),
    Command(
        "diff",
        "summarise in Markdown what a change does to the hub",
        "Compare the sources at BASE and HEAD (each a git revision, like main or HEAD^1, or a "
        "source folder) and print, in Markdown, the dates added, moved, cancelled and removed "
        "and the guidance links and contacts changed, per organisation, with what a reviewer "
        "must check first in bold.",
        diff_arguments,
        run_diff,
    ),
)
