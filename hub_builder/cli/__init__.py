"""The ``vtq-hub`` command: a thin shell over the library.

Each command is a :class:`command.Command` in ``COMMANDS`` (defined beside its kin in
:mod:`site`, :mod:`remote` and :mod:`repo`): its parser set-up and a ``run`` that makes
one library call and prints what it returns. This package is the only code that prints or
chooses exit codes: 0 when all is well, 1 when problems were found (invalid sources, a
failed build), 2 for a usage error. ``synopsis()`` is the list of commands the README
shows, generated from the parsers (a test keeps the README true to it).

    vtq-hub build [--sources DIR] [--out DIR] [--quiet] [--force] ...
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hub_builder import __version__
from hub_builder.cli import remote, repo, site
from hub_builder.cli.command import PROBLEMS, USAGE, Command
from hub_builder.cli.printing import note, report_problems
from hub_builder.errors import HubError, OutputProblems, SourceProblems

PROG = "vtq-hub"
COMMANDS: tuple[Command, ...] = (*site.COMMANDS, *remote.COMMANDS, *repo.COMMANDS)


def main(argv: Sequence[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return USAGE
    try:
        code: int = args.run(args)
        return code
    except SourceProblems as exc:
        report_problems(exc.problems)
        note(f"{exc}. Nothing was written. Fix them and run the command again.")
    except OutputProblems as exc:
        for problem in exc.problems:
            note(problem)
        note("The outputs cannot be built from these sources. Nothing was written.")
    except HubError as exc:
        note(f"error: {exc}")
    except KeyboardInterrupt:
        note("Stopped. The previous site was left as it was.")
    return PROBLEMS


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Build and check the VTQ Hub: key dates, guidance and contacts of "
        "awarding organisations of vocational and technical qualifications.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in COMMANDS:
        sub = commands.add_parser(command.name, help=command.help, description=command.description)
        command.arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


def synopsis() -> str:
    """One usage line per command, as the README lists them."""
    lines = []
    for name, sub in subparsers(make_parser()).items():
        wide = argparse.HelpFormatter(f"{PROG} {name}", width=10_000)
        wide.add_usage(None, sub._actions, sub._mutually_exclusive_groups, prefix="")
        lines.append(wide.format_help().strip().replace(" [-h]", ""))
    return "\n".join(lines) + "\n"


def subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)
