"""``vtq-hub check-links``: check every guidance link and write the link report.

HEAD, then GET when HEAD is refused, redirects recorded, through the hub's one HTTP client
(:mod:`http`, with the short :data:`LINK_POLICY`); a few at a time; a link found working in
the last ``max_age_days`` is not checked again, a broken one always is. The report's
format, and reading it back, are :mod:`hub_builder.status.links`'s.

    done = check_guidance_links(BuildOptions(sources=Path("sources")), HttpClient(LINK_POLICY))
    done.path, done.broken
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from hub_builder.errors import FetchFailed
from hub_builder.files import write_text_atomic
from hub_builder.load.sources import LINK_ALLOWLIST_FILE, LINK_REPORT_FILE
from hub_builder.model import Hub
from hub_builder.pipeline import BuildOptions, Progress, load_hub
from hub_builder.problems import Problem
from hub_builder.remote.http import HttpClient, Policy
from hub_builder.status.links import read_allowlist, read_report, report_json
from hub_builder.status.report import LinkResult

#: A link found working is checked again after this many days; a broken one every time.
DEFAULT_MAX_AGE_DAYS = 7
#: At most this many checks at once: polite to AO sites, quick enough for hundreds of links.
DEFAULT_WORKERS = 8

#: Link checks are quick looks, not downloads: short timeouts, one retry, no body read.
LINK_POLICY = Policy(connect_timeout=5.0, read_timeout=10.0, deadline=30.0, retries=1)

Checker = Callable[[str], LinkResult]


@dataclass(frozen=True)
class LinkCheck:
    """What check-links did: the report written, every result, the allowlist, and warnings
    about the files it read."""

    path: Path
    results: Mapping[str, LinkResult]
    allowlist: Mapping[str, str]
    problems: tuple[Problem, ...]

    @property
    def broken(self) -> list[LinkResult]:
        return [r for r in self.results.values() if not r.ok]


def check_guidance_links(
    options: BuildOptions,
    client: HttpClient,
    *,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    workers: int = DEFAULT_WORKERS,
    progress: Progress = lambda _: None,
) -> LinkCheck:
    """Check the guidance links of the valid sources and write the report beside them."""
    hub = load_hub(options, lambda _: None).hub
    previous, problems = read_report(options.sources / LINK_REPORT_FILE)
    urls = guidance_urls(hub)
    progress(f"Checking {len(urls)} guidance links")
    checker = http_checker(client, hub.today)
    results = check_links(
        urls, checker, previous or {}, hub.today, max_age_days=max_age_days, workers=workers
    )
    path = write_report(options.sources, results)
    allowlist, allow_problems = read_allowlist(options.sources / LINK_ALLOWLIST_FILE)
    return LinkCheck(path, results, allowlist, (*problems, *allow_problems))


def http_checker(client: HttpClient, today: date) -> Checker:
    """Check a URL with the hub's HTTP client: HEAD, then GET when HEAD is refused."""

    def check(url: str) -> LinkResult:
        try:
            response = client.probe(url)
        except FetchFailed as exc:
            return LinkResult(url, False, exc.status, str(exc), today)
        return LinkResult(
            url,
            True,
            response.status,
            f"HTTP {response.status}",
            today,
            final_url=response.url if response.url != url else "",
            redirects=response.redirects,
        )

    return check


def guidance_urls(hub: Hub) -> list[str]:
    """Every guidance URL on the hub, each once, sorted."""
    return sorted({g.url for org in hub.organisations for g in org.guidance})


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


def write_report(sources_dir: Path, results: Mapping[str, LinkResult]) -> Path:
    """Write the report beside the sources, whole or not at all."""
    path = sources_dir / LINK_REPORT_FILE
    write_text_atomic(path, report_json(results))
    return path
