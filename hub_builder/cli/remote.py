"""The commands that look outside the hub: fetch (feeds), check-links, register and watch.
Each writes only its own files beside the sources; the build reads them."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from hub_builder.calendar import london_now
from hub_builder.cli.command import (
    OK,
    PROBLEMS,
    USAGE,
    Command,
    count,
    dated_options,
    days,
    loopback_option,
    quiet_option,
    sources_option,
    today_option,
)
from hub_builder.cli.printing import note, progress, report_problems
from hub_builder.formatting import plural, table
from hub_builder.load.sources import REGISTER_DIR
from hub_builder.remote import feeds, links, register, watch, watch_report
from hub_builder.remote.http import HttpClient, Policy
from hub_builder.status.register import REGISTER_API

# fetch --------------------------------------------------------------------------------------


def fetch_arguments(parser: argparse.ArgumentParser) -> None:
    sources_option(parser)
    parser.add_argument(
        "--strict", action="store_true", help="exit 1 when any feed is stale (default: exit 0)"
    )
    loopback_option(
        parser, "allow feeds on this machine (127.0.0.1, plain http): for tests and demos only"
    )
    quiet_option(parser, "print the summary table only")
    parser.add_argument(
        "--accept",
        action="append",
        default=[],
        metavar="ORG/FEED",
        help="take this feed's answer even though it has far fewer entries than the last good "
        "one (a feed replaced by next year's shorter one); repeatable",
    )


def run_fetch(args: argparse.Namespace) -> int:
    specs = feeds.fetchable_feeds(args.sources)
    unknown = sorted(set(args.accept) - {spec.name for spec in specs})
    if unknown:
        note(f"error: --accept names no feed with a url: {', '.join(unknown)}")
        return USAGE
    client = HttpClient(Policy(allow_loopback=args.allow_loopback))
    if not args.quiet:
        note(f"Fetching {plural(len(specs), 'feed')}, {feeds.WORKERS} at a time…")
    outcomes = []
    outcomes_by_finish = feeds.refresh_all(specs, client, london_now, accept=args.accept)
    for number, outcome in enumerate(outcomes_by_finish, 1):
        outcomes.append(outcome)
        if not args.quiet:
            reason = f": {outcome.reason}" if outcome.reason else ""
            note(f"[{number}/{len(specs)}] {outcome.name} {outcome.result}{reason}")
    print(fetch_table(sorted(outcomes, key=lambda o: o.name)))
    stale = sum(1 for o in outcomes if o.result == "stale")
    return PROBLEMS if args.strict and stale else OK


def fetch_table(outcomes: Sequence[feeds.FetchOutcome]) -> str:
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
    counts = {r: sum(1 for o in outcomes if o.result == r) for r in feeds.RESULTS}
    return "\n".join(
        [
            *table(rows),
            f"{len(outcomes)} feeds: {counts['ok']} ok, {counts['not-modified']} not modified, "
            f"{counts['stale']} stale",
        ]
    )


# check-links --------------------------------------------------------------------------------


def network_arguments(parser: argparse.ArgumentParser) -> None:
    sources_option(parser)
    today_option(parser, "the day to record, YYYY-MM-DD (default: today, UK time)")
    loopback_option(parser, "also fetch plain http from 127.0.0.1 (for tests)")


def check_links_arguments(parser: argparse.ArgumentParser) -> None:
    network_arguments(parser)
    parser.add_argument(
        "--max-age",
        type=days,
        default=links.DEFAULT_MAX_AGE_DAYS,
        metavar="DAYS",
        help="check again a link found working more than this many days ago "
        f"(default: {links.DEFAULT_MAX_AGE_DAYS}); broken links are always checked again",
    )
    parser.add_argument(
        "--workers",
        type=count,
        default=links.DEFAULT_WORKERS,
        metavar="N",
        help=f"links checked at once (default: {links.DEFAULT_WORKERS})",
    )


def run_check_links(args: argparse.Namespace) -> int:
    client = HttpClient(replace(links.LINK_POLICY, allow_loopback=args.allow_loopback))
    done = links.check_guidance_links(
        dated_options(args),
        client,
        max_age_days=args.max_age,
        workers=args.workers,
        progress=progress,
    )
    report_problems(done.problems)
    for result in done.broken:
        known = (
            f" (known flaky: {done.allowlist[result.url]})" if result.url in done.allowlist else ""
        )
        print(f"broken: {result.url}: {result.reason}{known}")
    print(
        f"Checked {len(done.results)} links: {len(done.results) - len(done.broken)} working, "
        f"{len(done.broken)} broken. Wrote {done.path}."
    )
    return OK


# register -----------------------------------------------------------------------------------


def register_arguments(parser: argparse.ArgumentParser) -> None:
    network_arguments(parser)
    parser.add_argument(
        "--api",
        default=REGISTER_API,
        metavar="URL",
        help=f"the Register API (default: {REGISTER_API})",
    )


def run_register(args: argparse.Namespace) -> int:
    client = HttpClient(Policy(allow_loopback=args.allow_loopback))
    done = register.refresh_register(dated_options(args), client, args.api)
    for organisation_id, reason in done.refresh.failed:
        note(
            f"warning: {organisation_id}: the Register could not be read ({reason}); "
            "kept its last snapshot"
        )
    report_problems(done.problems)
    print(
        f"Wrote {len(done.refresh.written)} Register snapshots to "
        f"{args.sources / REGISTER_DIR}/ ({len(done.refresh.failed)} failed, "
        f"{len(done.refresh.skipped)} without a recognition number); "
        f"{plural(len(done.findings), 'disagreement')} with the sources."
    )
    return OK


# watch --------------------------------------------------------------------------------------


def watch_arguments(parser: argparse.ArgumentParser) -> None:
    sources_option(parser)
    parser.add_argument(
        "--report",
        type=Path,
        default=None,
        metavar="FILE",
        help="also write the Markdown report to FILE, cut to fit a pull request's body "
        "(the whole report is always printed)",
    )
    parser.add_argument(
        "--repo-url",
        default="",
        metavar="URL",
        help="the hub's repository, named in the User-Agent so sites can say who reads them",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="ORG",
        help="watch this organisation's pages only (national for the national calendar); "
        "repeatable",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=watch.DEFAULT_PAUSE,
        metavar="SECONDS",
        help=f"wait between two requests to one site (default: {watch.DEFAULT_PAUSE:g})",
    )
    parser.add_argument(
        "--workers",
        type=count,
        default=watch.DEFAULT_WORKERS,
        metavar="N",
        help=f"sites read at once (default: {watch.DEFAULT_WORKERS})",
    )
    loopback_option(parser, "allow pages on this machine (127.0.0.1, plain http): for tests")
    quiet_option(parser, "print nothing but the report")


def run_watch(args: argparse.Namespace) -> int:
    policy = replace(watch.watch_policy(args.repo_url), allow_loopback=args.allow_loopback)
    fetcher = watch.Fetcher(HttpClient(policy))
    done = watch.watch(
        args.sources,
        fetcher,
        london_now(),
        pause=args.pause,
        workers=args.workers,
        only=args.only,
    )
    if args.report:
        limit = watch_report.PULL_REQUEST_LIMIT
        args.report.write_text(watch_report.markdown(done, limit), "utf-8")
    print(watch_report.markdown(done), end="")
    if not args.quiet:
        changed = sum(1 for c in done.checks if c.outcome not in ("unchanged", "new"))
        note(
            f"Checked {plural(len(done.checks), 'page')}: {changed} to review; "
            f"{plural(len(done.written), 'record')} written"
            + (f", {plural(len(done.removed), 'record')} removed." if done.removed else ".")
        )
    return OK


COMMANDS = (
    Command(
        "check-links",
        "check every guidance link and write the link report",
        "Check every guidance URL (HEAD, then GET when HEAD is refused; redirects recorded; a "
        "few at a time) and write sources/link-report.json, which the build reads. A broken "
        "link is reported, never an error.",
        check_links_arguments,
        run_check_links,
    ),
    Command(
        "register",
        "refresh the Ofqual Register snapshots",
        "Read each organisation's recognition number and qualification numbers from the "
        "Ofqual Register API and write sources/register/<id>.json, which the build checks "
        "the sources against.",
        register_arguments,
        run_register,
    ),
    Command(
        "fetch",
        "refresh the snapshots of the feeds AO files declare",
        "Fetch every feed the AO files declare, a few at a time, and store each good answer "
        "as a snapshot in the sources folder. A failed or suspect answer keeps the last good "
        "snapshot and is reported as stale with its reason.",
        fetch_arguments,
        run_fetch,
    ),
    Command(
        "watch",
        "read every page the sources cite and report what changed",
        "Read every page the sources cite (politely: robots.txt, one request per site at a "
        "time), compare its words with sources/watch/<id>.json, write the records that "
        "changed and print a Markdown report for a maintainer: pages gone or moved, dates "
        "that appeared or went, and suggested key dates. It never edits an organisation's "
        "facts.",
        watch_arguments,
        run_watch,
    ),
)
