"""``vtq-hub watch``: read every page the sources cite, and say what changed since last time.

For each organisation (and the national calendar), every page its file cites: the file's own
``source_url`` and ``pages``, each group's, date's, rule's, guidance link's and contact's
address, and those of the words it quotes. Each is fetched with the hub's one HTTP client
(:mod:`http`: https, public addresses, deadline, size limit), conditionally (``ETag``,
``Last-Modified``), as ``vtq-hub-watch`` with the repository's address, after its site's
``robots.txt`` allows it, one request per site at a time with ``pause`` seconds between them
(sites in parallel). Its words (:mod:`page_text`) are compared with the record in
``sources/watch/<id>.json`` (:mod:`hub_builder.status.watch`):

- **changed**: new words; the dates that appeared and went, the date lines before and after,
  and for each new date beside words like "entries" or "results", a suggested key date whose
  kind and status ``validate`` refuses until a person sets them (:mod:`watch_report`);
- **gone** (404, 410) or **moved** (found at another address): listed first;
- **failing**: not read (a refused robots.txt, a timeout, a broken PDF): the last record is
  kept, with why and since when, as feeds do.

A file is written when one of its pages changed state or words, or the pages cited changed,
with every page's ``checked_at`` set to the run's moment; otherwise only once its last
recorded check is ``refresh_after`` old (a week), so that "unchanged when checked on …" stays
recent: a run on an unchanged day writes nothing. A whole run (no ``only``) removes the file
of an organisation that no longer cites a page (one taken out of the sources), so no record
outlives its entry. Nothing here edits an organisation's facts.

    run = watch(Path("sources"), Fetcher(HttpClient(WATCH_POLICY)), london_now())
    print(watch_report.markdown(run))
"""

from __future__ import annotations

import hashlib
import time
import urllib.robotparser
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from hub_builder.check import load_valid
from hub_builder.errors import FetchFailed
from hub_builder.files import write_text_atomic
from hub_builder.load.sources import WATCH_DIR
from hub_builder.model import NATIONAL_ID, NATIONAL_NAME, Hub, KeyDate, Organisation
from hub_builder.normalise import normalise
from hub_builder.remote.http import HttpClient, Policy, Response
from hub_builder.remote.page_text import UnreadablePage, date_lines, dates_in, readable_text
from hub_builder.status.watch import PageRecord, WatchRecord, read_watch, record_json

#: A page is read whole, like a feed, but a site is never hurried: one request at a time.
WATCH_POLICY = Policy(connect_timeout=10.0, read_timeout=20.0, deadline=60.0, retries=1)
ROBOTS_AGENT = "vtq-hub-watch"
DEFAULT_PAUSE = 2.0  # seconds between two requests to one site
DEFAULT_WORKERS = 4  # sites read at once
DEFAULT_REFRESH_AFTER = timedelta(days=7)  # an unchanged file's checks are recorded weekly
GONE_STATUSES = frozenset({404, 410})


def _same(url: str) -> str:
    return url


class Fetcher:
    """How the watcher reads an address: the hub's HTTP client, and, for tests, a map from
    a cited address to the one actually read (a loopback copy) and back."""

    def __init__(
        self,
        client: HttpClient,
        address: Callable[[str], str] = _same,
        cited: Callable[[str], str] = _same,
    ) -> None:
        self.client = client
        self.address = address
        self.cited = cited

    def get(self, url: str, etag: str = "", last_modified: str = "") -> Response:
        response = self.client.get(self.address(url), etag=etag, last_modified=last_modified)
        return replace(
            response,
            url=self.cited(response.url),
            redirects=tuple(self.cited(hop) for hop in response.redirects),
        )


def watch_policy(repository: str) -> Policy:
    """The watcher's policy, its User-Agent naming the hub and where it is kept."""
    from hub_builder import __version__

    where = f"; +{repository}" if repository else ""
    return replace(WATCH_POLICY, user_agent=f"{ROBOTS_AGENT}/{__version__} (VTQ Hub{where})")


# --- What is cited ---------------------------------------------------------------------------


def cited_pages(hub: Hub) -> dict[str, dict[str, tuple[str, ...]]]:
    """``{organisation id: {address: (what cites it, …)}}``, the national calendar as
    ``national``; addresses and citations in the order the file gives them."""
    cited = {NATIONAL_ID: _citations(_national_citations(hub))}
    for org in hub.organisations:
        cited[org.id] = _citations(_organisation_citations(org))
    return cited


def _citations(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = defaultdict(list)
    for url, what in pairs:
        if url.startswith("https://") and what not in found[url]:
            found[url].append(what)
    return {url: tuple(whats) for url, whats in found.items()}


def _organisation_citations(org: Organisation) -> Iterator[tuple[str, str]]:
    yield org.source_url, "the organisation's entry"
    if org.recognition_number_source:
        yield org.recognition_number_source, "its recognition number"
    for group in org.qualification_groups:
        yield group.source_url, f"group {group.id}"
        if group.quote:
            yield group.quote.source_url, f"group {group.id} (its description)"
        for evidence in group.results.evidence if group.results else ():
            yield evidence.quotation.source_url, f"group {group.id} (when results come out)"
    for key_date in org.key_dates:
        if not key_date.is_expected:
            yield from _date_citations(key_date)
    for rule in org.standing_rules:
        yield rule.source_url, f"yearly rule {rule.id}"
    for link in org.guidance:
        yield link.url, f"guidance {link.id}"
    for contact in org.contacts:
        yield contact.source_url or contact.url, f"contact {contact.id}"
    for page in org.pages:
        yield page.url, "its list of pages"


def _date_citations(key_date: KeyDate) -> Iterator[tuple[str, str]]:
    yield key_date.source_url, f"key date {key_date.id}"
    for quotation in (key_date.quote, key_date.inferred_from):
        if quotation:
            yield quotation.source_url, f"key date {key_date.id} (its note)"


def _national_citations(hub: Hub) -> Iterator[tuple[str, str]]:
    for rule in hub.national.rules:
        yield rule.source_url, f"rule {rule.id}"
    for key_date in hub.national.dates:
        yield from _date_citations(key_date)
    for page in hub.national.pages:
        yield page.url, "its list of pages"


# --- One run ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PageCheck:
    """What one check of a page found, against the record before it."""

    organisation_id: str
    url: str
    outcome: str  # new, unchanged, changed, moved, gone, failing, back
    citations: tuple[str, ...]
    record: PageRecord | None  # after the check (None: never read)
    before: PageRecord | None

    @property
    def added_dates(self) -> list[date]:
        """Dates its words give now and did not before (none on a first read)."""
        return self._dates_only_in(self.record, self.before)

    @property
    def removed_dates(self) -> list[date]:
        """Dates its words gave before and do not now (none on a first read)."""
        return self._dates_only_in(self.before, self.record)

    def _dates_only_in(self, one: PageRecord | None, other: PageRecord | None) -> list[date]:
        if self.before is None or not self.before.digest:
            return []
        elsewhere = set(dates_of(other))
        return [d for d in dates_of(one) if d not in elsewhere]


def dates_of(record: PageRecord | None) -> list[date]:
    """The dates a record's date lines give, in order, each once."""
    lines = record.date_lines if record else ()
    return list(dict.fromkeys(d for line in lines for d in dates_in(line)))


@dataclass(frozen=True)
class WatchRun:
    """Every check of a run, the organisations' names and maintainers, and the files written."""

    checked_at: datetime
    checks: tuple[PageCheck, ...]
    names: Mapping[str, str]
    maintainers: Mapping[str, tuple[str, ...]]
    written: tuple[Path, ...] = field(default=())
    removed: tuple[str, ...] = field(default=())  # organisations whose record was removed

    def of(self, organisation_id: str) -> list[PageCheck]:
        return [c for c in self.checks if c.organisation_id == organisation_id]


def watch(
    sources_dir: Path,
    fetcher: Fetcher,
    now: datetime,
    *,
    pause: float = DEFAULT_PAUSE,
    workers: int = DEFAULT_WORKERS,
    only: Iterable[str] = (),
    refresh_after: timedelta = DEFAULT_REFRESH_AFTER,
) -> WatchRun:
    """Check every cited page (of the ``only`` organisations, if named), write the records
    that changed, and say what each check found."""
    hub = normalise(load_valid(sources_dir).documents, built_at=now)
    cited = cited_pages(hub)
    wanted = set(only)
    if wanted:
        cited = {org_id: pages for org_id, pages in cited.items() if org_id in wanted}
    records, _ = read_watch(sources_dir)
    jobs = [
        (org_id, url, whats, records.get(org_id, WatchRecord(org_id, {})).pages.get(url))
        for org_id, pages in cited.items()
        for url, whats in pages.items()
    ]
    checks = _check_all(jobs, fetcher, now, pause, workers)
    written = _write_records(sources_dir, cited, records, checks, now, refresh_after)
    removed = () if wanted else _remove_records(sources_dir, set(records) - set(cited))
    return WatchRun(
        checked_at=now,
        checks=tuple(checks),
        names={NATIONAL_ID: NATIONAL_NAME, **{o.id: o.name for o in hub.organisations}},
        maintainers={o.id: o.maintainers for o in hub.organisations},
        written=tuple(written),
        removed=removed,
    )


Job = tuple[str, str, tuple[str, ...], PageRecord | None]


def _check_all(
    jobs: list[Job], fetcher: Fetcher, now: datetime, pause: float, workers: int
) -> list[PageCheck]:
    """Each site's pages one after another, with a pause; sites side by side."""
    by_site: dict[str, list[Job]] = defaultdict(list)
    for job in jobs:
        by_site[_site(job[1])].append(job)

    def site_checks(site_jobs: list[Job]) -> list[PageCheck]:
        robots = _Robots(fetcher, site_jobs[0][1])
        done = []
        for org_id, url, whats, before in site_jobs:
            time.sleep(pause)  # after the robots.txt, and between two pages
            done.append(check_page(org_id, url, whats, before, fetcher, robots, now))
        return done

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        results = list(pool.map(site_checks, by_site.values()))
    order = {(job[0], job[1]): n for n, job in enumerate(jobs)}
    return sorted(
        (c for site in results for c in site), key=lambda c: order[(c.organisation_id, c.url)]
    )


def _site(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


class _Robots:
    """A site's robots.txt, read once, before its first page (RFC 9309: a missing file
    allows everything; one the server fails to give allows nothing, until it can be read)."""

    def __init__(self, fetcher: Fetcher, url: str) -> None:
        self.fetcher = fetcher
        self.robots_url = f"{_site(url)}/robots.txt"
        self.parser: urllib.robotparser.RobotFileParser | None = None
        self.refusal = ""
        self._read()

    def allows(self, url: str) -> str:
        """ "" when the site allows the watcher to read ``url``, else why not."""
        if self.parser is None:
            return self.refusal
        if self.parser.can_fetch(ROBOTS_AGENT, url):
            return ""
        return "the site's robots.txt asks robots not to read it"

    def _read(self) -> None:
        parser = urllib.robotparser.RobotFileParser(self.robots_url)
        try:
            response = self.fetcher.get(self.robots_url)
        except FetchFailed as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                parser.parse([])  # no robots.txt: everything allowed
                self.parser = parser
                return
            self.refusal = f"the site's robots.txt could not be read ({exc}), so nothing was"
            return
        parser.parse(response.body.decode("utf-8", errors="replace").splitlines())
        self.parser = parser


def check_page(
    organisation_id: str,
    url: str,
    citations: tuple[str, ...],
    before: PageRecord | None,
    fetcher: Fetcher,
    robots: _Robots,
    now: datetime,
) -> PageCheck:
    def checked(outcome: str, record: PageRecord | None) -> PageCheck:
        return PageCheck(organisation_id, url, outcome, citations, record, before)

    refusal = robots.allows(url)
    if refusal:
        return checked("failing", _failing(before, url, refusal, now))
    conditional = before is not None and before.state == "ok"
    try:
        response = fetcher.get(
            url,
            etag=before.etag if before and conditional else "",
            last_modified=before.last_modified if before and conditional else "",
        )
        if response.not_modified and before is not None:
            return checked("unchanged", before)
        text = readable_text(response.body, response.content_type)
    except FetchFailed as exc:
        if exc.status in GONE_STATUSES:
            return checked("gone", _gone(before, url, f"HTTP {exc.status}", now))
        return checked("failing", _failing(before, url, str(exc), now))
    except UnreadablePage as exc:
        return checked("failing", _failing(before, url, str(exc), now))
    except Exception as exc:  # a page's words, however odd, fail that page only
        reason = f"its words could not be read ({type(exc).__name__}: {exc})"
        return checked("failing", _failing(before, url, reason, now))
    final = response.url if response.redirects and response.url != url else ""
    digest = "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    if before is None or not before.digest:  # never read before (or only ever failed)
        record = PageRecord(
            url, "ok", digest, tuple(date_lines(text)), before.first_checked_at if before else now,
            now, None, final, response.etag, response.last_modified,
        )  # fmt: skip
        return checked("new", record)
    if before.state == "ok" and before.digest == digest and before.final_url == final:
        return checked("unchanged", before)
    record = replace(
        before,
        state="ok",
        digest=digest,
        date_lines=tuple(date_lines(text)),
        checked_at=now,
        changed_at=now if before.digest != digest else before.changed_at,
        final_url=final,
        etag=response.etag,
        last_modified=response.last_modified,
        reason="",
        failing_since=None,
    )
    if final and final != before.final_url and _site(final) != _site(url):
        outcome = "moved"  # found on another site: listed first, whatever its words
    elif before.digest != digest:
        outcome = "changed"
    else:
        outcome = "back"  # the same words, after failing or where it used to redirect
    return checked(outcome, record)


def _failing(before: PageRecord | None, url: str, reason: str, now: datetime) -> PageRecord:
    """The last record kept, marked failing since the first failure of this run of them."""
    if before is not None and before.state == "failing":
        return before
    if before is None:
        return PageRecord(url, "failing", "", (), now, now, None, reason=reason, failing_since=now)
    return replace(before, state="failing", checked_at=now, reason=reason, failing_since=now)


def _gone(before: PageRecord | None, url: str, reason: str, now: datetime) -> PageRecord:
    if before is not None and before.state == "gone":
        return before
    if before is None:
        return PageRecord(url, "gone", "", (), now, now, None, reason=reason, failing_since=now)
    return replace(before, state="gone", checked_at=now, reason=reason, failing_since=now)


def _write_records(
    sources_dir: Path,
    cited: Mapping[str, Mapping[str, tuple[str, ...]]],
    records: Mapping[str, WatchRecord],
    checks: list[PageCheck],
    now: datetime,
    refresh_after: timedelta,
) -> list[Path]:
    """Each organisation's file, written when a page in it changed, or when its checks were
    last recorded ``refresh_after`` ago; the pages found unchanged then say so as of now."""
    written = []
    by_org: dict[str, list[PageCheck]] = defaultdict(list)
    for check in checks:
        by_org[check.organisation_id].append(check)
    for org_id in cited:
        before = records.get(org_id)
        found = {c.url: c.record for c in by_org[org_id] if c.record is not None}
        if before is None and not found:
            continue
        last_check = before.checked_at if before else None
        changed = before is None or dict(before.pages) != found
        if not changed and last_check is not None and now - last_check < refresh_after:
            continue
        pages = {
            c.url: replace(c.record, checked_at=now) if c.outcome == "unchanged" else c.record
            for c in by_org[org_id]
            if c.record is not None
        }
        path = sources_dir / WATCH_DIR / f"{org_id}.json"
        path.parent.mkdir(exist_ok=True)
        write_text_atomic(path, record_json(WatchRecord(org_id, dict(sorted(pages.items())))))
        written.append(path)
    return written


def _remove_records(sources_dir: Path, org_ids: Iterable[str]) -> tuple[str, ...]:
    """Remove the records of organisations that cite no page now; say whose they were."""
    removed = tuple(sorted(org_ids))
    for org_id in removed:
        (sources_dir / WATCH_DIR / f"{org_id}.json").unlink(missing_ok=True)
    return removed
