"""How the CLI prints: problems (to stderr for people, to stdout for GitHub) and progress
lines (counts and tables are :func:`formatting.plural` and :func:`formatting.table`)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from hub_builder.cli.problem_formats import Formatter, human
from hub_builder.problems import Problem


def report_problems(problems: Sequence[Problem], formatter: Formatter = human) -> None:
    """Problems go to stderr for people; GitHub reads workflow commands from stdout."""
    stream = sys.stdout if formatter is not human else sys.stderr
    for problem in problems:
        print(formatter(problem), file=stream)


def progress(message: str) -> None:
    print(f"{message}…", file=sys.stderr)


def quiet(_: str) -> None:
    pass


def note(message: str) -> None:
    """A line for the person at the terminal, not for a script reading stdout."""
    print(message, file=sys.stderr)
