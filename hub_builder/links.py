"""Guidance link health: the committed link report and the allowlist of known-flaky pages.

``vtq-hub check-links`` checks every guidance URL (:func:`check_links`, through the hub's
one HTTP client: HEAD, then GET when HEAD is refused; redirects recorded; a few at a time;
a link found working in the last ``max_age_days`` is not checked again) and writes the
report; the build only reads it (:func:`read_link_inputs`), so an external site's bad day
never fails a build: its broken links show on the status page and the AO's page instead.

Files, beside the sources:

    sources/link-report.json       written by check-links: one result per URL, sorted
    sources/link-allowlist.yaml    known-flaky URLs, each with its reason:
                                     - url: https://example.org/slow
                                       reason: Times out at night; works in the day.

``read_link_inputs(sources_dir)`` → ``(results or None, problems)``: the report's results,
each marked ``allowlisted`` with its reason, or None when no report exists yet; a report or
allowlist that cannot be read gives warnings (with file and line), never an exception.

    >>> results, problems = read_link_inputs(Path("sources"))      # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hub_builder import strict_yaml
from hub_builder.model import Hub
from hub_builder.problems import Problem, Severity
from hub_builder.sources import display_path
from hub_builder.status import LinkResult

REPORT_FILE = "link-report.json"
ALLOWLIST_FILE = "link-allowlist.yaml"
REPORT_VERSION = 1
#: A link found working is checked again after this many days; a broken one every time.
DEFAULT_MAX_AGE_DAYS = 7
#: At most this many checks at once: polite to AO sites, quick enough for hundreds of links.
DEFAULT_WORKERS = 8

Checker = Callable[[str], LinkResult]


def guidance_urls(hub: Hub) -> list[str]:
    """Every guidance URL on the hub, each once, sorted."""
    return sorted({g.url for org in hub.organisations for g in org.guidance})


# Checking -------------------------------------------------------------------------------------


def check_links(
    urls: Iterable[str],
    check: Checker,
    previous: Mapping[str, LinkResult],
    today: date,
    *,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    workers: int = DEFAULT_WORKERS,
) -> dict[str, LinkResult]:
    """A result for every URL: a recent good one reused from ``previous``, the rest checked
    ``workers`` at a time. Results for URLs no longer on the hub are dropped."""
    wanted = sorted(set(urls))
    fresh_after = today - timedelta(days=max_age_days)
    reused = {
        url: previous[url]
        for url in wanted
        if url in previous and previous[url].ok and previous[url].checked_on > fresh_after
    }
    due = [url for url in wanted if url not in reused]
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        checked = dict(zip(due, pool.map(check, due), strict=True))
    return {url: reused.get(url) or checked[url] for url in wanted}


# The report file -----------------------------------------------------------------------------


def report_json(results: Mapping[str, LinkResult]) -> str:
    """The report as committed: sorted by URL, sorted keys, one line per field."""
    document = {
        "format_version": REPORT_VERSION,
        "links": [result_document(results[url]) for url in sorted(results)],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def result_document(result: LinkResult) -> dict[str, Any]:
    return {
        "url": result.url,
        "ok": result.ok,
        "status": result.status,
        "reason": result.reason,
        "checked_on": result.checked_on.isoformat(),
        "final_url": result.final_url,
        "redirects": list(result.redirects),
    }


def read_link_inputs(sources_dir: Path) -> tuple[dict[str, LinkResult] | None, list[Problem]]:
    results, problems = read_report(sources_dir / REPORT_FILE)
    allowlist, allow_problems = read_allowlist(sources_dir / ALLOWLIST_FILE)
    if results is not None:
        results = {
            url: replace(r, allowlisted=allowlist.get(url, "")) for url, r in results.items()
        }
    return results, [*problems, *allow_problems]


def read_report(path: Path) -> tuple[dict[str, LinkResult] | None, list[Problem]]:
    """The results in a link report; None (and no problem) when there is no report yet."""
    if not path.is_file():
        return None, []
    try:
        document = json.loads(path.read_bytes())
        return {r.url: r for r in map(result_of, document["links"])}, []
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return None, [
            warning(path, 1, "", f"the link report cannot be read ({exc}); run check-links again")
        ]


def result_of(data: dict[str, Any]) -> LinkResult:
    return LinkResult(
        url=str(data["url"]),
        ok=bool(data["ok"]),
        status=None if data["status"] is None else int(data["status"]),
        reason=str(data["reason"]),
        checked_on=date.fromisoformat(data["checked_on"]),
        final_url=str(data.get("final_url", "")),
        redirects=tuple(str(u) for u in data.get("redirects", ())),
    )


def read_allowlist(path: Path) -> tuple[dict[str, str], list[Problem]]:
    """URL → reason. Each entry needs an https ``url`` and a ``reason``; others are warned."""
    if not path.is_file():
        return {}, []
    document = strict_yaml.load(path.read_bytes(), display_path(path))
    problems = [replace(p, severity=Severity.WARNING) for p in document.problems]
    entries = document.data if isinstance(document.data, list) else []
    if document.data is not None and not isinstance(document.data, list):
        problems.append(warning(path, 1, "", "expected a list of entries with url and reason"))
    allowed = {}
    for index, entry in enumerate(entries):
        url = entry.get("url") if isinstance(entry, dict) else None
        reason = entry.get("reason") if isinstance(entry, dict) else None
        if isinstance(url, str) and url.startswith("https://") and isinstance(reason, str):
            allowed[url] = reason.strip()
            continue
        line, _ = document.position((index,))
        problems.append(
            warning(path, line, f"[{index}]", "expected an https url and a reason; ignored")
        )
    return allowed, problems


def warning(path: Path, line: int, field: str, message: str) -> Problem:
    return Problem(display_path(path), line, 1, field, message, Severity.WARNING)


def write_report(sources_dir: Path, results: Mapping[str, LinkResult]) -> Path:
    """Write the report beside the sources, whole or not at all."""
    path = sources_dir / REPORT_FILE
    temporary = path.with_suffix(".json.tmp")
    temporary.write_text(report_json(results), "utf-8")
    temporary.replace(path)
    return path
