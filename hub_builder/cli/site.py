"""The commands that build, preview and check the site: build, serve, validate, report,
nudges and record-changes."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from hub_builder import pipeline
from hub_builder.calendar import london_now
from hub_builder.cli.command import (
    OK,
    PROBLEMS,
    Command,
    count,
    dated_options,
    quiet_option,
    sources_option,
    status_of_args,
    status_options,
    today_option,
)
from hub_builder.cli.printing import note, progress, quiet, report_problems
from hub_builder.cli.problem_formats import FORMATS
from hub_builder.errors import HubError, SourceProblems
from hub_builder.formatting import plural
from hub_builder.load.sources import HISTORY_FILE
from hub_builder.model import Change
from hub_builder.repo.changes import record_changes
from hub_builder.repo.git import git_revision
from hub_builder.status.nudges import nudges, nudges_json, nudges_text

# build and serve ----------------------------------------------------------------------------

WORK_FOLDER = ".hub-build"


def build_arguments(parser: argparse.ArgumentParser) -> None:
    sources_option(parser)
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("site"),
        metavar="DIR",
        help="folder for the built site (default: site)",
    )
    quiet_option(parser, "print nothing but problems (for scripts)")
    parser.add_argument(
        "--force", action="store_true", help="rebuild even when nothing has changed"
    )
    parser.add_argument(
        "--site-url",
        metavar="URL",
        help="the address the site is published at (default: mkdocs.yml's site_url)",
    )
    parser.add_argument(
        "--repo-url",
        metavar="URL",
        help="the GitHub repository that keeps the hub (default: mkdocs.yml's extra.repository)",
    )
    parser.add_argument(
        "--report-email",
        metavar="ADDRESS",
        help="where readers' reports of a mistake go (default: mkdocs.yml's extra.report_email)",
    )
    parser.add_argument(
        "--engine",
        choices=("mkdocs", "zensical"),
        default="mkdocs",
        help="the site engine: mkdocs with mkdocs-material (default), or Zensical",
    )
    status_options(parser)


def build_options(args: argparse.Namespace) -> pipeline.BuildOptions:
    """The build's work folder (laid-out pages, the last build's stamp) sits beside the site,
    so a build into another folder leaves this one's alone."""
    return pipeline.BuildOptions(
        sources=args.sources,
        out=args.out,
        work=args.out.parent / WORK_FOLDER,
        force=args.force,
        revision=git_revision(args.sources),
        status=status_of_args(args),
        site_url=args.site_url,
        repo_url=args.repo_url,
        report_email=args.report_email,
        engine=args.engine,
    )


def run_build(args: argparse.Namespace) -> int:
    report = pipeline.build(build_options(args), quiet if args.quiet else progress)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not args.quiet:
        report_problems(report.problems)
        print(build_summary(report))
    return OK


def build_summary(report: pipeline.BuildReport) -> str:
    warnings = plural(len(report.warnings) + len(report.problems), "warning")
    if report.reused:
        return (
            f"Nothing changed: kept the site in {report.out}/ ({report.pages} pages, "
            f"{report.dates} key dates, {warnings}), checked in {report.seconds:.1f} s"
        )
    return (
        f"Built {report.pages} pages ({report.files} files) for {report.organisations} "
        f"organisations and {report.dates} key dates in {report.seconds:.1f} s, "
        f"{warnings}, into {report.out}/"
    )


def serve_arguments(parser: argparse.ArgumentParser) -> None:
    build_arguments(parser)
    parser.add_argument(
        "--port", type=count, default=8000, metavar="N", help="port to serve on (default: 8000)"
    )


def run_serve(args: argparse.Namespace) -> int:
    from hub_builder.serve import serve

    serve(
        build_options(args),
        port=args.port,
        progress=quiet if args.quiet else progress,
        on_problems=serve_problems,
    )
    return OK


def serve_problems(exc: HubError) -> None:
    if isinstance(exc, SourceProblems):
        report_problems(exc.problems)
    note(f"{exc}. Still serving the last good build.")


# validate -----------------------------------------------------------------------------------


def validate_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="files to check (default: every file in --sources)",
    )
    sources_option(parser, "source folder checked when no PATH is given")
    quiet_option(parser)
    parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="human",
        metavar="human|github",
        help="how to print problems: human (default) or github, GitHub Actions annotations "
        "that show each problem on the pull request's lines",
    )


def run_validate(args: argparse.Namespace) -> int:
    paths = args.paths or pipeline.validation_paths(args.sources)
    problems = pipeline.validate_paths(paths)
    report_problems(problems, FORMATS[args.format])
    errors = sum(1 for p in problems if p.is_error)
    if not args.quiet:
        verdict = (
            "no problems"
            if not problems
            else f"{plural(errors, 'error')}, {plural(len(problems) - errors, 'warning')}"
        )
        note(f"Checked {plural(len(paths), 'file')}: {verdict}.")
    return PROBLEMS if errors else OK


# report and nudges --------------------------------------------------------------------------


def status_arguments(parser: argparse.ArgumentParser) -> None:
    sources_option(parser)
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        metavar="text|json",
        help="output format (default: text)",
    )
    today_option(parser, "work out the status as on this day, YYYY-MM-DD (default: today, UK time)")
    status_options(parser)


def status_build_options(args: argparse.Namespace) -> pipeline.BuildOptions:
    return replace(dated_options(args), status=status_of_args(args))


def run_report(args: argparse.Namespace) -> int:
    # Imported here: the renderers are heavy, and only this command needs these two.
    from hub_builder.render.status_views import status_json, status_table

    options = status_build_options(args)
    report, warnings = pipeline.status(options)
    report_problems(warnings)
    text = status_json(report, options.clock()) if args.format == "json" else status_table(report)
    print(text, end="")
    return OK


def run_nudges(args: argparse.Namespace) -> int:
    report, warnings = pipeline.status(status_build_options(args))
    report_problems(warnings)
    due = nudges(report)
    print(nudges_json(due, report) if args.format == "json" else nudges_text(due), end="")
    return OK


# record-changes -----------------------------------------------------------------------------


def record_arguments(parser: argparse.ArgumentParser) -> None:
    sources_option(parser)
    parser.add_argument(
        "--history",
        type=Path,
        default=None,
        metavar="FILE",
        help=f"the history file (default: DIR/{HISTORY_FILE})",
    )
    quiet_option(parser, "print nothing but problems")
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; fail, listing them, when changes are not recorded yet",
    )


def run_record_changes(args: argparse.Namespace) -> int:
    path = args.history or args.sources / HISTORY_FILE
    changes = record_changes(args.sources, path, london_now(), write=not args.check)
    if args.check and changes:
        for change in changes:
            print(f"not recorded: {change_text(change)}", file=sys.stderr)
        print(
            f"{path} is not up to date: {plural(len(changes), 'change')} to the sources "
            f"{'is' if len(changes) == 1 else 'are'} not recorded. Run "
            f"`.venv/bin/vtq-hub record-changes` and commit {path}.",
            file=sys.stderr,
        )
        return PROBLEMS
    if not args.quiet:
        for change in changes:
            print(change_text(change))
        if args.check:
            note(f"{path} is up to date with the sources.")
        else:
            note(f"Recorded {plural(len(changes), 'change')} in {path}.")
    return OK


def change_text(change: Change) -> str:
    return (
        f"{change.kind}: {change.organisation_id}/{change.record_id}: "
        f"{change.before or '-'} -> {change.after or '-'}"
    )


COMMANDS = (
    Command(
        "build",
        "build the whole site from the sources",
        "Validate the sources and build the site. The new site replaces the old one only when "
        "the whole build succeeds. The build never fetches: it reads the feed snapshots that "
        "vtq-hub fetch stores, so it works without a network.",
        build_arguments,
        run_build,
    ),
    Command(
        "validate",
        "check source files and list every problem",
        "Check source files against the schema and the hub's rules. Prints each problem as "
        "path:line:col: field: message.",
        validate_arguments,
        run_validate,
    ),
    Command(
        "serve",
        "preview the site, rebuilding on changes",
        "Build the site, serve it on 127.0.0.1 and rebuild when sources, pages or theme change.",
        serve_arguments,
        run_serve,
    ),
    Command(
        "report",
        "print the status of every organisation",
        "Print the status page as a table: published results dates, checkpoint, out-of-term "
        "contact, guidance, confirmation, feed, broken links and the results-deadline check. "
        "Builds nothing.",
        status_arguments,
        run_report,
    ),
    Command(
        "nudges",
        "list the organisations due a nudge, as issue titles and bodies",
        "List each organisation whose confirmation has lapsed or whose feed has been failing "
        "too long, with a GitHub issue title and a body that mentions its maintainers.",
        status_arguments,
        run_nudges,
    ),
    Command(
        "record-changes",
        "record what changed since the last record in the history file",
        "Compare the sources with the state last recorded in the history file, append every "
        "change (dated today) and write the file. Run it before building the site that is "
        "published; build itself only reads the history.",
        record_arguments,
        run_record_changes,
    ),
)
