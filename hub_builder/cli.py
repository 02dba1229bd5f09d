"""The ``vtq-hub`` command: a thin shell over the library.

This is the only module that prints or chooses exit codes: 0 when all is well, 1 when
problems were found (invalid sources, a failed build), 2 for a usage error.

    vtq-hub build [--sources DIR] [--out DIR] [--offline] [--quiet] [--force]
    vtq-hub validate [PATH ...] [--format human|github]
    vtq-hub record-changes [--sources DIR] [--history FILE]
    vtq-hub serve [--sources DIR] [--port N]
    vtq-hub fetch [--sources DIR] [--strict] [--allow-loopback] [--quiet]
    vtq-hub report [--format json] [--stale-after DAYS]
    vtq-hub nudges [--format json]
    vtq-hub check-links [--max-age DAYS]
    vtq-hub register [--api URL]
    vtq-hub new ID [--maintainer HANDLE ...]
    vtq-hub fields
    vtq-hub codeowners [--check]
    vtq-hub diff BASE HEAD [--author HANDLE]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time
from pathlib import Path

from hub_builder import (
    __version__,
    codeowners,
    fieldguide,
    history,
    links,
    pipeline,
    register,
    remote_checks,
    review,
    revisions,
    scaffold,
    sources,
)
from hub_builder.errors import HubError, OutputProblems, SourceProblems
from hub_builder.feeds import refresh
from hub_builder.http import HttpClient, Policy
from hub_builder.nudges import nudges, nudges_json, nudges_text
from hub_builder.problem_formats import FORMATS, Formatter, human
from hub_builder.problems import Problem
from hub_builder.revision import git_revision
from hub_builder.status import (
    DEFAULT_FEED_FAILING_AFTER_DAYS,
    DEFAULT_STALE_AFTER_DAYS,
    StatusOptions,
)
from hub_builder.status_views import status_json, status_table

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
    build.add_argument(
        "--offline",
        action="store_true",
        help="build from the stored feed snapshots only (always so: the build never fetches; "
        "run vtq-hub fetch to refresh them)",
    )
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
    _add_sources_option(validate, "source folder checked when no PATH is given")
    validate.add_argument("--quiet", action="store_true", help="print problems only")
    validate.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="human",
        help="how to print problems: human (default) or github, GitHub Actions annotations "
        "that show each problem on the pull request's lines",
    )
    validate.set_defaults(run=run_validate)

    record = commands.add_parser(
        "record-changes",
        help="record what changed since the last record in the history file",
        description="Compare the sources with the state last recorded in the history "
        "file, append every change (dated today) and write the file. Run it before "
        "building the site that is published; build itself only reads the history.",
    )
    _add_sources_option(record)
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

    report = commands.add_parser(
        "report",
        help="print the status of every organisation",
        description="Print the status page as a table: published results dates, "
        "checkpoint, out-of-term contact, guidance, confirmation, feed, broken links and "
        "the results-deadline check. Builds nothing.",
    )
    _add_status_command_options(report)
    report.set_defaults(run=run_report)

    nudge = commands.add_parser(
        "nudges",
        help="list the organisations due a nudge, as issue titles and bodies",
        description="List each organisation whose confirmation has lapsed or whose feed has "
        "been failing too long, with a GitHub issue title and a body that mentions its "
        "maintainers.",
    )
    _add_status_command_options(nudge)
    nudge.set_defaults(run=run_nudges)

    check_links = commands.add_parser(
        "check-links",
        help="check every guidance link and write the link report",
        description="Check every guidance URL (HEAD, then GET when HEAD is refused; "
        "redirects recorded; a few at a time) and write sources/link-report.json, which the "
        "build reads. A broken link is reported, never an error.",
    )
    _add_network_options(check_links)
    check_links.add_argument(
        "--max-age",
        type=_days,
        default=links.DEFAULT_MAX_AGE_DAYS,
        metavar="DAYS",
        help="check again a link found working more than this many days ago "
        f"(default: {links.DEFAULT_MAX_AGE_DAYS}); broken links are always checked again",
    )
    check_links.add_argument(
        "--workers",
        type=_days,
        default=links.DEFAULT_WORKERS,
        metavar="N",
        help=f"links checked at once (default: {links.DEFAULT_WORKERS})",
    )
    check_links.set_defaults(run=run_check_links)

    register_command = commands.add_parser(
        "register",
        help="refresh the Ofqual Register snapshots",
        description="Read each organisation's recognition number and qualification numbers "
        "from the Ofqual Register API and write sources/register/<id>.json, which the build "
        "checks the sources against.",
    )
    _add_network_options(register_command)
    register_command.add_argument(
        "--api",
        default=register.REGISTER_API,
        metavar="URL",
        help=f"the Register API (default: {register.REGISTER_API})",
    )
    register_command.set_defaults(run=run_register)

    fetch = commands.add_parser(
        "fetch",
        help="refresh the snapshots of the feeds AO files declare",
        description="Fetch every feed the AO files declare, a few at a time, and store each "
        "good answer as a snapshot in the sources folder. A failed or suspect answer keeps "
        "the last good snapshot and is reported as stale with its reason.",
    )
    _add_sources_option(fetch)
    fetch.add_argument(
        "--strict", action="store_true", help="exit 1 when any feed is stale (default: exit 0)"
    )
    fetch.add_argument(
        "--allow-loopback",
        action="store_true",
        help="allow feeds on this machine (127.0.0.1, plain http): for tests and demos only",
    )
    fetch.add_argument("--quiet", action="store_true", help="print the summary table only")
    fetch.set_defaults(run=run_fetch)

    new = commands.add_parser(
        "new",
        help="start a new organisation file that validates",
        description="Write sources/organisations/ID.yaml: a valid, commented organisation "
        "file whose placeholders (marked REPLACE) validate reports as warnings until "
        "they are filled in. Refuses an id that exists.",
    )
    new.add_argument("id", metavar="ID", help="the organisation's id, like city-and-guilds")
    new.add_argument(
        "--maintainer",
        action="append",
        default=[],
        metavar="HANDLE",
        help="a GitHub user or team who may change the file, like @jane-doe (repeatable)",
    )
    _add_sources_option(new, "source folder to write into")
    new.set_defaults(run=run_new)

    fields = commands.add_parser(
        "fields",
        help="print the organisation file's fields as a Markdown table",
        description="Print every field of an organisation file, from the schema: "
        "whether it is required, what it means and how to write it.",
    )
    fields.set_defaults(run=run_fields)

    owners = commands.add_parser(
        "codeowners",
        help="write .github/CODEOWNERS from the organisation files' maintainers",
        description="Write the CODEOWNERS file from the maintainers each organisation file "
        "names, so GitHub asks them to review changes to it. With --check, write nothing "
        "and exit 1 when the file is out of date.",
    )
    _add_sources_option(owners, "source folder")
    owners.add_argument(
        "--out",
        type=Path,
        default=codeowners.CODEOWNERS_PATH,
        metavar="FILE",
        help=f"the file to write or check (default: {codeowners.CODEOWNERS_PATH})",
    )
    owners.add_argument(
        "--check", action="store_true", help="exit 1 if the file is not what it would write"
    )
    owners.set_defaults(run=run_codeowners)

    diff = commands.add_parser(
        "diff",
        help="summarise in Markdown what a change does to the hub",
        description="Compare the sources at BASE and HEAD (each a git revision, like main "
        "or HEAD^1, or a source folder) and print, in Markdown, the dates added, moved, "
        "cancelled and removed and the guidance links and contacts changed, per "
        "organisation, with what a reviewer must check first in bold.",
    )
    diff.add_argument("base", metavar="BASE", help="the sources before: a git revision or folder")
    diff.add_argument("head", metavar="HEAD", help="the sources after: a git revision or folder")
    diff.add_argument(
        "--author",
        default="",
        metavar="HANDLE",
        help="the change's author, like @jane-doe: changes to organisations that do not "
        "name them as a maintainer are flagged",
    )
    diff.set_defaults(run=run_diff)
    return parser


def _add_sources_option(
    parser: argparse.ArgumentParser, what: str = "folder of source files"
) -> None:
    parser.add_argument(
        "--sources",
        type=Path,
        default=Path("sources"),
        metavar="DIR",
        help=f"{what} (default: sources)",
    )


def _add_network_options(parser: argparse.ArgumentParser) -> None:
    _add_sources_option(parser)
    parser.add_argument(
        "--today",
        type=_iso_date,
        metavar="DATE",
        help="the day to record, YYYY-MM-DD (default: today, UK time)",
    )
    parser.add_argument(
        "--allow-loopback",
        action="store_true",
        help="also fetch plain http from 127.0.0.1 (for tests)",
    )


def _add_status_command_options(parser: argparse.ArgumentParser) -> None:
    _add_sources_option(parser)
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )
    parser.add_argument(
        "--today",
        type=_iso_date,
        metavar="DATE",
        help="work out the status as on this day, YYYY-MM-DD (default: today, UK time)",
    )
    _add_status_options(parser)


def _add_status_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--stale-after",
        type=_days,
        default=DEFAULT_STALE_AFTER_DAYS,
        metavar="DAYS",
        help="flag a confirmation older than this many days "
        f"(default: {DEFAULT_STALE_AFTER_DAYS}, about a term and a holiday)",
    )
    parser.add_argument(
        "--feed-failing-after",
        type=_days,
        default=DEFAULT_FEED_FAILING_AFTER_DAYS,
        metavar="DAYS",
        help="flag a feed failing for longer than this many days "
        f"(default: {DEFAULT_FEED_FAILING_AFTER_DAYS})",
    )


def _days(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number of days, got {text!r}")
    return int(text)


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date written YYYY-MM-DD, got {text!r}"
        ) from None


def _add_build_options(parser: argparse.ArgumentParser) -> None:
    _add_sources_option(parser)
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
    _add_status_options(parser)


def build_options(args: argparse.Namespace) -> pipeline.BuildOptions:
    return pipeline.BuildOptions(
        sources=args.sources,
        out=args.out,
        force=args.force,
        revision=git_revision(args.sources),
        status=status_options(args),
    )


def status_options(args: argparse.Namespace) -> StatusOptions:
    return StatusOptions(
        stale_after_days=args.stale_after, feed_failing_after_days=args.feed_failing_after
    )


def status_build_options(args: argparse.Namespace) -> pipeline.BuildOptions:
    """Options for the commands that work out the status without building the site."""
    return replace(dated_options(args), status=status_options(args))


def dated_options(args: argparse.Namespace) -> pipeline.BuildOptions:
    """Build options whose clock is ``--today`` at 9am UK time, when given."""
    today: date | None = args.today
    if today is None:
        return pipeline.BuildOptions(sources=args.sources)
    moment = datetime.combine(today, time(9), pipeline.LONDON)
    return pipeline.BuildOptions(sources=args.sources, clock=lambda: moment)


def run_report(args: argparse.Namespace) -> int:
    report, warnings = pipeline.status(status_build_options(args))
    report_problems(warnings)
    print(status_json(report) if args.format == "json" else status_table(report), end="")
    return OK


def run_check_links(args: argparse.Namespace) -> int:
    options = dated_options(args)
    hub = pipeline.load_hub(options, lambda _: None).hub
    today = hub.today
    client = HttpClient(replace(remote_checks.LINK_POLICY, allow_loopback=args.allow_loopback))
    previous, problems = links.read_report(args.sources / links.REPORT_FILE)
    urls = links.guidance_urls(hub)
    print(f"Checking {len(urls)} guidance links…", file=sys.stderr)
    results = links.check_links(
        urls,
        remote_checks.http_checker(client, today),
        previous or {},
        today,
        max_age_days=args.max_age,
        workers=args.workers,
    )
    path = links.write_report(args.sources, results)
    allowlist, allow_problems = links.read_allowlist(args.sources / links.ALLOWLIST_FILE)
    report_problems([*problems, *allow_problems])
    broken = [r for r in results.values() if not r.ok]
    for result in broken:
        known = f" (known flaky: {allowlist[result.url]})" if result.url in allowlist else ""
        print(f"broken: {result.url}: {result.reason}{known}")
    print(
        f"Checked {len(results)} links: {len(results) - len(broken)} working, "
        f"{len(broken)} broken. Wrote {path}."
    )
    return OK


def run_register(args: argparse.Namespace) -> int:
    options = dated_options(args)
    loaded = pipeline.load_hub(options, lambda _: None)
    hub, documents = loaded.hub, loaded.documents
    client = HttpClient(replace(Policy(), allow_loopback=args.allow_loopback))
    done = register.refresh_snapshots(
        hub, remote_checks.api_getter(client, args.api), hub.today, args.sources
    )
    for organisation_id, reason in done.failed:
        print(
            f"warning: {organisation_id}: the Register could not be read ({reason}); "
            "kept its last snapshot",
            file=sys.stderr,
        )
    snapshots, problems = register.read_snapshots(args.sources)
    findings = register.register_findings(hub, snapshots or {})
    report_problems([*problems, *register.register_problems(findings, documents)])
    print(
        f"Wrote {len(done.written)} Register snapshots to {args.sources / register.REGISTER_DIR}/"
        f" ({len(done.failed)} failed, {len(done.skipped)} without a recognition number); "
        f"{len(findings)} disagreement{'s' if len(findings) != 1 else ''} with the sources."
    )
    return OK


def run_nudges(args: argparse.Namespace) -> int:
    report, warnings = pipeline.status(status_build_options(args))
    report_problems(warnings)
    due = nudges(report)
    print(nudges_json(due, report) if args.format == "json" else nudges_text(due), end="")
    return OK


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
    if report.reused:
        return (
            f"Nothing changed: kept the site in {report.out}/ ({report.pages} pages, "
            f"{report.dates} key dates), checked in {report.seconds:.1f} s"
        )
    warnings = len(report.warnings) + len(report.problems)
    return (
        f"Built {report.pages} pages ({report.files} files) for {report.organisations} "
        f"organisations and {report.dates} key dates in {report.seconds:.1f} s, "
        f"{warnings} warning{'s' if warnings != 1 else ''}, into {report.out}/"
    )


def run_validate(args: argparse.Namespace) -> int:
    paths = args.paths or pipeline.validation_paths(args.sources)
    problems = pipeline.validate_paths(paths)
    report_problems(problems, FORMATS[args.format])
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


def run_fetch(args: argparse.Namespace) -> int:
    specs = refresh.fetchable_feeds(args.sources)
    client = HttpClient(Policy(allow_loopback=args.allow_loopback))
    if not args.quiet:
        print(
            f"Fetching {len(specs)} feed{'s' if len(specs) != 1 else ''}, "
            f"{refresh.WORKERS} at a time…",
            file=sys.stderr,
        )
    outcomes = []
    for number, outcome in enumerate(refresh.refresh_all(specs, client, pipeline.london_now), 1):
        outcomes.append(outcome)
        if not args.quiet:
            reason = f": {outcome.reason}" if outcome.reason else ""
            print(
                f"[{number}/{len(specs)}] {outcome.name} {outcome.result}{reason}",
                file=sys.stderr,
            )
    print(fetch_table(sorted(outcomes, key=lambda o: o.name)))
    stale = sum(1 for o in outcomes if o.result == "stale")
    return PROBLEMS if args.strict and stale else OK


def fetch_table(outcomes: Sequence[refresh.FetchOutcome]) -> str:
    rows = [("feed", "result", "entries", "seconds", "data from", "reason")]
    rows += [
        (
            o.name,
            o.result,
            str(o.entries),
            f"{o.seconds:.2f}",
            o.fetched_at.strftime("%Y-%m-%d %H:%M") if o.fetched_at else "-",
            o.reason,
        )
        for o in outcomes
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False)) + "  " + row[-1]
        for row in rows
    ]
    counts = {r: sum(1 for o in outcomes if o.result == r) for r in ("ok", "not-modified", "stale")}
    lines.append(
        f"{len(outcomes)} feeds: {counts['ok']} ok, {counts['not-modified']} not modified, "
        f"{counts['stale']} stale"
    )
    return "\n".join(line.rstrip() for line in lines)


def _on_serve_problems(exc: HubError) -> None:
    if isinstance(exc, SourceProblems):
        report_problems(exc.problems)
    print(f"{exc}. Still serving the last good build.", file=sys.stderr)


def run_new(args: argparse.Namespace) -> int:
    path = scaffold.write_organisation_file(
        args.sources, args.id, args.maintainer, pipeline.london_now().date()
    )
    shown = sources.display_path(path)
    print(
        f"Wrote {shown}.\nNext: replace each value marked REPLACE or replace.invalid, then run\n"
        f"  vtq-hub validate {shown}\n"
        "It warns about every placeholder left and names any error with its line.",
    )
    return OK


def run_fields(args: argparse.Namespace) -> int:
    print(fieldguide.markdown(), end="")
    return OK


def run_codeowners(args: argparse.Namespace) -> int:
    wanted = codeowners.codeowners_text(
        codeowners.maintainers_by_organisation(args.sources),
        sources.display_path(args.sources),
    )
    try:
        current = args.out.read_text("utf-8")
    except FileNotFoundError:
        current = None
    if args.check:
        if current == wanted:
            print(f"{args.out} is up to date.", file=sys.stderr)
            return OK
        print(
            f"{args.out} is out of date with the maintainers in {args.sources}: "
            "run vtq-hub codeowners and commit the file.",
            file=sys.stderr,
        )
        return PROBLEMS
    if current != wanted:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(wanted, "utf-8")
    print(f"Wrote {args.out}.", file=sys.stderr)
    return OK


def run_diff(args: argparse.Namespace) -> int:
    author = args.author if not args.author or args.author.startswith("@") else f"@{args.author}"
    built_at = pipeline.london_now()
    with tempfile.TemporaryDirectory(prefix="vtq-hub-diff-") as work:
        sides = []
        for spec in (args.base, args.head):
            folder = revisions.sources_folder(spec, Path(work))
            shown_as = "" if folder == Path(spec) else f"{spec}:{revisions.SOURCES}"
            try:
                sides.append(review.load_side(folder, built_at, shown_as))
            except SourceProblems as exc:
                report_problems(exc.problems)
                print(review.invalid_markdown(spec))
                print(f"The sources at {spec} have errors: nothing to compare.", file=sys.stderr)
                return PROBLEMS
    print(review.summary_markdown(sides[0], sides[1], author), end="")
    return OK


def report_problems(problems: Sequence[Problem], formatter: Formatter = human) -> None:
    """Problems go to stderr for people; GitHub reads workflow commands from stdout."""
    stream = sys.stdout if formatter is not human else sys.stderr
    for problem in problems:
        print(formatter(problem), file=stream)


def _progress(message: str) -> None:
    print(f"{message}…", file=sys.stderr)
