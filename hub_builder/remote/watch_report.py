"""The watcher's report, in Markdown for a pull request's body: what changed on the pages the
hub cites, organisation by organisation, for the maintainer who reviews it.

Each organisation with something to say gets a section naming its maintainers: its pages
gone or moved first, then those whose words changed (each new and removed date in bold, the
date lines before and after as a short diff, and what the hub cites the page for), then
those that could not be read. For a new date beside words like "entries" or "results" it
suggests a key date to paste into the organisation's file, with the page's own line as its
quote; its ``kind`` and ``status`` are ``REPLACE``, which ``vtq-hub validate`` refuses, so
nothing is published until a person has read the page and set them.

Text from the pages is shown in code spans and fenced blocks that no text can close
(:func:`formatting.code_span`, :func:`formatting.fenced_block`): no page can format the
report, link, or mention anyone. Only the maintainers named in the sources are mentioned.

    >>> markdown(run)[:44]                                        # doctest: +SKIP
    '## What changed on the pages the hub cites\\n'
"""

from __future__ import annotations

import difflib
import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date

import yaml

from hub_builder.formatting import code_span, fenced_block, govuk_date
from hub_builder.model import KIND_LABELS, NATIONAL_ID
from hub_builder.remote.page_text import dates_in
from hub_builder.remote.watch import PageCheck, WatchRun

HEADING = "## What changed on the pages the hub cites"
ORDER = ("gone", "moved", "changed", "back", "failing", "new")
MAX_DIFF_LINES = 30  # per page: the rest is on the page
PULL_REQUEST_LIMIT = 60_000  # characters: a pull request's body holds 65,536
# Words beside a date that say it is a key date worth adding, and the kind they suggest.
KIND_WORDS = (
    (r"\bregist", "registration"),
    (r"\bentr(y|ies)\b", "entries"),
    (r"\bcheckpoint", "checkpoint"),
    (r"\bclaim", "claims"),
    (r"\bresults?\b", "results-to-learners"),
    (r"\bcertificat", "certificates"),
    (r"\bresit|\bre-sit|\bretake", "resits"),
    (r"\breview of marking|\bappeal|\bpost-results", "post-results-services"),
    (r"\bdeadline", "other"),
)


def markdown(run: WatchRun, limit: int | None = None) -> str:
    """The report; cut before the first section that would take it past ``limit``
    characters (a pull request's body holds 65,536), saying where the rest is."""
    counts = Counter(c.outcome for c in run.checks)
    organisations = len({c.organisation_id for c in run.checks})
    lines = [
        HEADING,
        "",
        f"Checked on {govuk_date(run.checked_at.date())}: {_pages(len(run.checks))} cited by "
        f"{organisations} organisation{'s' if organisations != 1 else ''}. " + _summary(counts),
        "",
    ]
    if run.removed:
        names = ", ".join(code_span(org_id) for org_id in run.removed)
        lines += [f"Records removed, as these organisations are no longer on the hub: {names}.", ""]
    for org_id in dict.fromkeys(c.organisation_id for c in run.checks):
        lines += _section(run, org_id)
    text = "\n".join(lines).rstrip() + "\n"
    if limit is not None and len(text) > limit:
        cut = text[:limit].rsplit("\n### ", 1)[0]
        text = cut + "\n\n*The report is cut here: the whole of it is on the run's page.*\n"
    return text


def _pages(count: int) -> str:
    return f"{count} page{'s' if count != 1 else ''}"


def _summary(counts: Counter[str]) -> str:
    said = [
        f"{counts[outcome]} {words}"
        for outcome, words in (
            ("changed", "changed"),
            ("gone", "gone"),
            ("moved", "moved"),
            ("back", "back after failing"),
            ("failing", "could not be read"),
            ("new", "read for the first time"),
        )
        if counts[outcome]
    ]
    if not said:
        return "Nothing changed."
    return ", ".join(said) + f"; {counts['unchanged']} unchanged."


def _section(run: WatchRun, org_id: str) -> list[str]:
    checks = [c for c in run.of(org_id) if c.outcome in ORDER and c.outcome != "new"]
    first_reads = [c for c in run.of(org_id) if c.outcome == "new"]
    if not checks and not first_reads:
        return []
    name = run.names.get(org_id, org_id)
    lines = [f"### {code_span(name)} ({org_id})", ""]
    maintainers = run.maintainers.get(org_id, ())
    if maintainers:
        lines += [f"For {', '.join(maintainers)}.", ""]
    elif org_id == NATIONAL_ID:
        lines += ["For the hub's maintainers.", ""]
    for check in sorted(checks, key=lambda c: ORDER.index(c.outcome)):
        lines += list(_page(check))
    if first_reads:
        lines += [
            f"{_pages(len(first_reads))} read for the first time; the next change to any of "
            "them will be reported.",
            "",
        ]
    suggestions = [s for c in checks if c.outcome in ("changed", "moved") for s in _suggestions(c)]
    if suggestions:
        lines += [
            "Suggested key dates, from the lines the new dates are on. Read the page, set "
            "each `REPLACE` (`vtq-hub validate` refuses them until then) and give it the "
            "groups it applies to:",
            "",
            fenced_block("\n".join(suggestions), "yaml"),
            "",
        ]
    return lines


def _page(check: PageCheck) -> Iterator[str]:
    url = code_span(check.url)
    cited = _cited(check.citations)
    record = check.record
    if check.outcome == "gone":
        reason = record.reason if record else ""
        yield f"**Gone:** {url} ({code_span(reason)}). The hub cites it for {cited}."
    elif check.outcome == "moved" and record is not None:
        moved_to = code_span(record.final_url)
        yield f"**Moved:** {url} is now found at {moved_to}. The hub cites it for {cited}."
    elif check.outcome == "failing":
        since = record.failing_since if record else None
        when = f" since {govuk_date(since.date())}" if since else ""
        reason = record.reason if record else ""
        said = code_span(reason)
        yield f"**Could not be read{when}:** {url}: {said}. The hub cites it for {cited}."
    elif check.outcome == "back":
        yield f"**Read again:** {url}, as before it failed. The hub cites it for {cited}."
    if check.outcome in ("changed", "moved"):
        if check.outcome == "changed":
            yield f"**Changed:** {url}. The hub cites it for {cited}."
        yield ""
        for day in check.added_dates:
            yield f"- **New date: {govuk_date(day)}**"
        for day in check.removed_dates:
            yield f"- **No longer there: {govuk_date(day)}**"
        if not check.added_dates and not check.removed_dates:
            yield "- No date appeared or went; the words around them changed."
        diff = _diff(check)
        if diff:
            yield ""
            yield fenced_block(diff, "diff")
    yield ""


def _cited(citations: tuple[str, ...]) -> str:
    shown = ", ".join(citations[:8])
    more = len(citations) - 8
    return f"{len(citations)} fact{'s' if len(citations) != 1 else ''} ({shown}" + (
        f" and {more} more)" if more > 0 else ")"
    )


def _diff(check: PageCheck) -> str:
    before = list(check.before.date_lines) if check.before else []
    after = list(check.record.date_lines) if check.record else []
    changed = [
        line
        for line in difflib.unified_diff(before, after, lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    if len(changed) > MAX_DIFF_LINES:
        more = len(changed) - MAX_DIFF_LINES
        changed = [*changed[:MAX_DIFF_LINES], f"… and {more} more changed lines"]
    return "\n".join(changed)


def _suggestions(check: PageCheck) -> Iterator[str]:
    """A key date entry for each new date on a line that names a kind of date."""
    lines = check.record.date_lines if check.record else ()
    for day in check.added_dates:
        line = next((line for line in lines if day in dates_in(line)), "")
        kind = _kind_of(line)
        if not kind:
            continue
        yield from _entry(day, kind, line, check.url).splitlines()


def _kind_of(line: str) -> str:
    lowered = line.lower()
    return next((kind for words, kind in KIND_WORDS if re.search(words, lowered)), "")


def _entry(day: date, kind: str, line: str, url: str) -> str:
    statement = yaml.safe_dump({"statement": line}, allow_unicode=True, width=10**6).strip()
    return "\n".join(
        [
            f"- id: replace-with-its-id-{day.isoformat()}",
            "  title: REPLACE with the date's name",
            f"  kind: REPLACE  # the words suggest {kind} ({KIND_LABELS[kind]})",
            f"  start: {day.isoformat()}",
            "  status: REPLACE  # provisional or confirmed, as the page says",
            f"  source_url: {json.dumps(url)}",
            "  quote:",
            f"    {statement}",
        ]
    )
