"""The ``vtq-hub`` command: a thin shell over the library.

This is the only module that prints or chooses exit codes: 0 when all is well, 1 when
problems were found (invalid sources, a failed build), 2 for a usage error.

    vtq-hub build [--sources DIR] [--out DIR] [--quiet] [--force]
    vtq-hub validate [PATH ...]
    vtq-hub record-changes [--sources DIR] [--history FILE]
    vtq-hub serve [--sources DIR] [--port N]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from hub_builder import __version__, history, pipeline, sources
from hub_builder.errors import HubError, OutputProblems, SourceProblems
from hub_builder.problems import Problem
from hub_builder.revision import git_revision

OK, PROBLEMS, USAGE = 0, 1, 2


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
        print(f"{exc}. Nothing was written. Fix them and run the command again.", file=sys.stderr)
        return PROBLEMS
    except OutputProblems as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(
            "The outputs cannot be built from these sources. Nothing was written.", file=sys.stderr
        )
        return PROBLEMS
    except HubError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return PROBLEMS
    except KeyboardInterrupt:
        print("Stopped. The previous site was left as it was.", file=sys.stderr)
        return PROBLEMS


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="vtq-hub",
        description="Build and check the VTQ Hub: key dates, guidance and contacts of "
        "awarding organisations of vocational and technical qualifications.",
    )
    parser.add_argument("--version", action="version", version=f"vtq-hub {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    build = commands.add_parser(
        "build",
        help="build the whole site from the sources",
        description="Validate the sources and build the site. "
        "The new site replaces the old one only when "
        "the whole build succeeds.",
    )
    _add_build_options(build)
    build.set_defaults(run=run_build)

    validate = commands.add_parser(
        "validate",
        help="check source files and list every problem",
        description="Check source files against the schema and the "
        "hub's rules. Prints each problem as "
        "path:line:col: field: message.",
    )
    validate.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files to check (default: every file in --sources)",
    )
    validate.add_argument(
        "--sources",
        type=Path,
        default=Path("sources"),
        metavar="DIR",
        help="source folder checked when no PATH is given (default: sources)",
    )
    validate.add_argument("--quiet", action="store_true", help="print problems only")
    validate.set_defaults(run=run_validate)

    record = commands.add_parser(
        "record-changes",
        help="record what changed since the last record in the history file",
        description="Compare the sources with the state last recorded in the history "
        "file, append every change (dated today) and write the file. Run it before "
        "building the site that is published; build itself only reads the history.",
    )
    record.add_argument(
        "--sources",
        type=Path,
        default=Path("sources"),
        metavar="DIR",
        help="folder of source files (default: sources)",
    )
    record.add_argument(
        "--history",
        type=Path,
        default=None,
        metavar="FILE",
        help="the history file (default: DIR/history.json)",
    )
    record.add_argument("--quiet", action="store_true", help="print nothing but problems")
    record.set_defaults(run=run_record_changes)

    serve = commands.add_parser(
        "serve",
        help="preview the site, rebuilding on changes",
        description="Build the site, serve it on 127.0.0.1 and "
        "rebuild when sources, pages or theme change.",
    )
    _add_build_options(serve)
    serve.add_argument("--port", type=int, default=8000, help="port to serve on (default: 8000)")
    serve.set_defaults(run=run_serve)
    return parser


def _add_build_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--sources",
        type=Path,
        default=Path("sources"),
        metavar="DIR",
        help="folder of source files (default: sources)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("site"),
        metavar="DIR",
        help="folder for the built site (default: site)",
    )
    parser.add_argument(
        "--quiet", action="store_true", help="print nothing but problems (for scripts)"
    )
    parser.add_argument(
        "--force", action="store_true", help="rebuild even when nothing has changed"
    )


def build_options(args: argparse.Namespace) -> pipeline.BuildOptions:
    return pipeline.BuildOptions(
        sources=args.sources, out=args.out, force=args.force, revision=git_revision(args.sources)
    )


def run_build(args: argparse.Namespace) -> int:
    progress = (lambda _: None) if args.quiet else _progress
    report = pipeline.build(build_options(args), progress)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not args.quiet:
        report_problems(report.problems)
        print(summary(report))
    return OK


def summary(report: pipeline.BuildReport) -> str:
    warnings = len(report.warnings) + len(report.problems)
    if report.reused:
        return (
            f"Nothing changed: kept the site in {report.out}/ ({report.pages} pages, "
            f"{report.dates} key dates), checked in {report.seconds:.1f} s"
        )
    return (
        f"Built {report.pages} pages ({report.files} files) for {report.organisations} "
        f"organisations and {report.dates} key dates in {report.seconds:.1f} s, "
        f"{warnings} warning{'s' if warnings != 1 else ''}, into {report.out}/"
    )


def run_validate(args: argparse.Namespace) -> int:
    paths = args.paths or sources.source_paths(args.sources)
    problems = pipeline.validate_paths(paths)
    report_problems(problems)
    errors = sum(1 for p in problems if p.is_error)
    if not args.quiet:
        verdict = (
            "no problems" if not problems else f"{errors} errors, {len(problems) - errors} warnings"
        )
        print(
            f"Checked {len(paths)} file{'s' if len(paths) != 1 else ''}: {verdict}.",
            file=sys.stderr,
        )
    return PROBLEMS if errors else OK


def run_record_changes(args: argparse.Namespace) -> int:
    path = args.history or args.sources / history.HISTORY_FILE
    changes = history.record_changes(args.sources, path, pipeline.london_now())
    if not args.quiet:
        for change in changes:
            print(
                f"{change.kind}: {change.organisation_id}/{change.record_id}: "
                f"{change.before or '-'} -> {change.after or '-'}"
            )
        count = len(changes)
        print(f"Recorded {count} change{'s' if count != 1 else ''} in {path}.", file=sys.stderr)
    return OK


def run_serve(args: argparse.Namespace) -> int:
    from hub_builder.serve import serve

    options = build_options(args)
    progress = (lambda _: None) if args.quiet else _progress
    serve(options, port=args.port, progress=progress, on_problems=_on_serve_problems)
    return OK


def _on_serve_problems(exc: HubError) -> None:
    if isinstance(exc, SourceProblems):
        report_problems(exc.problems)
    print(f"{exc}. Still serving the last good build.", file=sys.stderr)


def report_problems(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem.format(), file=sys.stderr)


def _progress(message: str) -> None:
    print(f"{message}…", file=sys.stderr)
