"""Guidance link health as the build reads it: the committed link report and the allowlist
of known-flaky pages.

``vtq-hub check-links`` (:mod:`hub_builder.remote.links`) checks every guidance URL and
writes the report; the build only reads it (:func:`read_link_inputs`), so an external site's
bad day never fails a build: its broken links show on the status page and the AO's page
instead.

Files, beside the sources (named in :mod:`hub_builder.load.sources`):

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
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from hub_builder.errors import RefusedFile
from hub_builder.load import strict_yaml
from hub_builder.load.sources import (
    LINK_ALLOWLIST_FILE,
    LINK_REPORT_FILE,
    display_path,
    read_source,
)
from hub_builder.problems import Problem, Severity
from hub_builder.status.report import LinkResult

REPORT_VERSION = 1


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
    results, problems = read_report(sources_dir / LINK_REPORT_FILE)
    allowlist, allow_problems = read_allowlist(sources_dir / LINK_ALLOWLIST_FILE)
    if results is not None:
        results = {
            url: replace(r, allowlisted=allowlist.get(url, "")) for url, r in results.items()
        }
    return results, [*problems, *allow_problems]


def read_report(path: Path) -> tuple[dict[str, LinkResult] | None, list[Problem]]:
    """The results in a link report; None (and no problem) when there is no report yet."""
    if not path.is_file() and not path.is_symlink():
        return None, []
    try:
        document = json.loads(read_source(path.parent, path, MAX_REPORT_BYTES))
        return {r.url: r for r in map(result_of, document["links"])}, []
    except RefusedFile as exc:
        return None, [Problem(display_path(path), 1, 1, "", exc.reason)]
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        return None, [
            warning(path, 1, "", f"the link report cannot be read ({exc}); run check-links again")
        ]


MAX_REPORT_BYTES = 20_000_000


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
    if not path.is_file() and not path.is_symlink():
        return {}, []
    try:
        content = read_source(path.parent, path, strict_yaml.Limits().max_bytes)
    except RefusedFile as exc:
        return {}, [Problem(display_path(path), 1, 1, "", exc.reason)]
    document = strict_yaml.load(content, display_path(path))
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
