"""One command of ``vtq-hub``: its name, its help, how it sets up its parser, and what it runs.

A command's ``run`` calls one library function and prints what it returns; it is the only
code that prints or picks an exit code (``OK``, ``PROBLEMS``; ``USAGE`` is argparse's).
The option helpers here are shared, so one option reads the same in every command.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from hub_builder.calendar import LONDON
from hub_builder.pipeline import BuildOptions
from hub_builder.status.report import (
    DEFAULT_FEED_FAILING_AFTER_DAYS,
    DEFAULT_STALE_AFTER_DAYS,
    StatusOptions,
)

OK, PROBLEMS, USAGE = 0, 1, 2


@dataclass(frozen=True)
class Command:
    name: str
    help: str  # one line, in the list of commands
    description: str  # a paragraph, in the command's own --help
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


# Values -------------------------------------------------------------------------------------


def count(text: str) -> int:
    """A whole number of at least 1 (workers, a port)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return int(text)


def days(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of days, got {text!r}")
    return int(text)


def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date written YYYY-MM-DD, got {text!r}"
        ) from None


# Options ------------------------------------------------------------------------------------


def sources_option(parser: argparse.ArgumentParser, what: str = "folder of source files") -> None:
    parser.add_argument(
        "--sources",
        type=Path,
        default=Path("sources"),
        metavar="DIR",
        help=f"{what} (default: sources)",
    )


def quiet_option(parser: argparse.ArgumentParser, what: str = "print problems only") -> None:
    parser.add_argument("--quiet", action="store_true", help=what)


def today_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--today", type=iso_date, metavar="DATE", help=what)


def loopback_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--allow-loopback", action="store_true", help=what)


def status_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stale-after",
        type=days,
        default=DEFAULT_STALE_AFTER_DAYS,
        metavar="DAYS",
        help="flag a confirmation older than this many days "
        f"(default: {DEFAULT_STALE_AFTER_DAYS}, about a term and a holiday)",
    )
    parser.add_argument(
        "--feed-failing-after",
        type=days,
        default=DEFAULT_FEED_FAILING_AFTER_DAYS,
        metavar="DAYS",
        help="flag a feed failing for longer than this many days "
        f"(default: {DEFAULT_FEED_FAILING_AFTER_DAYS})",
    )


# From arguments to library options ----------------------------------------------------------


def status_of_args(args: argparse.Namespace) -> StatusOptions:
    return StatusOptions(
        stale_after_days=args.stale_after, feed_failing_after_days=args.feed_failing_after
    )


def dated_options(args: argparse.Namespace) -> BuildOptions:
    """Options whose clock is ``--today`` at 9am UK time, when given."""
    today: date | None = args.today
    if today is None:
        return BuildOptions(sources=args.sources)
    moment = datetime.combine(today, time(9), LONDON)
    return BuildOptions(sources=args.sources, clock=lambda: moment)
