"""``vtq-hub fetch``: refresh the snapshot of every feed the AO files declare.

    specs = fetchable_feeds(Path("sources"))
    for outcome in refresh_all(specs, HttpClient(), clock=london_now):
        print(outcome.result, outcome.reason)

For each feed with a ``url`` (a ``path`` feed is read by the build itself): a conditional GET
through :class:`http.HttpClient`, then the answer is judged before it may replace
the last good snapshot. An answer is **suspect**, and the snapshot is kept, when it is empty,
served as the wrong type (``text/html``: an error or log-in page), cannot be read as its
format, has no entries, or has fewer than ``SHRINK_RATIO`` of the entries the last good fetch
had (when that had at least ``SHRINK_FLOOR``), unless that feed is named in ``accept``
(``vtq-hub fetch --accept ORG/FEED``: a feed genuinely replaced by a shorter one). A failure
or a suspect answer is recorded in the snapshot's metadata (the reason, and since when),
which the build shows. Metadata is rewritten only when something changed: a day on which
every feed answers as before changes no file, so the daily refresh opens no pull request.
A snapshot whose metadata cannot be read is replaced by this fetch's answer.

Each feed gives one :class:`FetchOutcome`: ``ok`` (a new snapshot), ``not-modified`` (304,
or the same bytes again: the snapshot is current) or ``stale`` (the last good snapshot is
kept; ``reason`` says why).
Feeds are fetched ``WORKERS`` at a time, politely; outcomes come back as each finishes.
Side effects: only the snapshot files of the feeds being refreshed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from hub_builder.check import load_valid
from hub_builder.errors import FetchFailed
from hub_builder.feeds import snapshots
from hub_builder.feeds.declared import FeedSpec, declared_feeds
from hub_builder.feeds.entries import ParseContext
from hub_builder.feeds.formats import FORMATS, parse
from hub_builder.feeds.snapshots import SnapshotMeta
from hub_builder.load.sources import is_national
from hub_builder.remote.http import HttpClient, Response

WORKERS = 4
SHRINK_RATIO = 0.5
SHRINK_FLOOR = 4
RESULTS = ("ok", "not-modified", "stale")


@dataclass(frozen=True)
class FetchOutcome:
    organisation_id: str
    feed_id: str
    url: str
    result: str
    reason: str
    entries: int
    fetched_at: datetime | None
    seconds: float

    @property
    def name(self) -> str:
        return f"{self.organisation_id}/{self.feed_id}"


def fetchable_feeds(sources_dir: Path) -> list[FeedSpec]:
    """Every feed with a url in valid sources; SourceProblems when a source has errors."""
    return [
        spec
        for document in load_valid(sources_dir).documents
        if not is_national(document.path)
        for spec in declared_feeds(document)
        if spec.url
    ]


def refresh_all(
    specs: Iterable[FeedSpec],
    client: HttpClient,
    clock: Callable[[], datetime],
    workers: int = WORKERS,
    accept: Collection[str] = (),
) -> Iterator[FetchOutcome]:
    """Refresh every feed, ``workers`` at a time; each outcome as soon as it is known.
    ``accept`` names feeds (``organisation/feed``) whose shrink is genuine this time."""
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="feed") as pool:
        futures = [pool.submit(refresh, spec, client, clock, spec.name in accept) for spec in specs]
        for future in as_completed(futures):
            yield future.result()


def refresh(
    spec: FeedSpec, client: HttpClient, clock: Callable[[], datetime], accept: bool = False
) -> FetchOutcome:
    """Fetch one feed and keep its snapshot right. ``accept`` takes a good answer with far
    fewer entries than the last (a feed replaced by next year's shorter one). The metadata is
    written only when something changed, so a quiet day changes no file."""
    started = time.perf_counter()
    suffix = FORMATS[spec.format].suffix
    try:
        previous = snapshots.read_snapshot(spec.sources_dir, spec.organisation_id, spec.id, suffix)
    except snapshots.UnreadableSnapshot:
        previous = None  # replaced by this fetch's answer, good or bad
    meta = previous.meta if previous else SnapshotMeta(spec.url, spec.format)
    conditional = previous is not None and previous.body is not None and meta.url == spec.url
    checked_at = clock()
    try:
        response = client.get(
            spec.url,
            etag=meta.etag if conditional else "",
            last_modified=meta.last_modified if conditional else "",
        )
        if response.not_modified and not conditional:
            raise FetchFailed("HTTP 304 Not Modified, but the hub has no earlier copy")
        if not response.not_modified:
            _check_served_as(spec, response)
        same = response.not_modified or (
            conditional and snapshots.sha256(response.body) == meta.sha256
        )
        today = checked_at.date()
        entries = meta.entries if same else _judged_entries(spec, response, meta, accept, today)
    except FetchFailed as exc:
        failed = replace(meta, error=str(exc), failing_since=meta.failing_since or checked_at)
        _write_if_changed(spec, meta, replace(failed, checked_at=checked_at))
        return _outcome(spec, "stale", str(exc), failed, started)
    if same:
        kept = replace(meta, error="", failing_since=None)
        _write_if_changed(spec, meta, replace(kept, checked_at=checked_at))
        return _outcome(spec, "not-modified", "", kept, started)
    good = SnapshotMeta(
        url=spec.url,
        format=spec.format,
        fetched_at=checked_at,
        checked_at=checked_at,
        etag=response.etag,
        last_modified=response.last_modified,
        entries=entries,
        sha256=snapshots.sha256(response.body),
    )
    snapshots.write_good(
        spec.sources_dir, spec.organisation_id, spec.id, suffix, response.body, good
    )
    return _outcome(spec, "ok", "", good, started)


def _write_if_changed(spec: FeedSpec, before: SnapshotMeta, after: SnapshotMeta) -> None:
    """Write ``after`` unless it differs from ``before`` only in when it was checked."""
    if replace(after, checked_at=before.checked_at) != before:
        snapshots.write_meta(spec.sources_dir, spec.organisation_id, spec.id, after)


def _check_served_as(spec: FeedSpec, response: Response) -> None:
    """FetchFailed when the answer is served as another type (an error or log-in page)."""
    if not FORMATS[spec.format].accepts(response.content_type):
        media_type = response.content_type.split(";")[0].strip()
        raise FetchFailed(f"wrong content type: served as {media_type}, expected {spec.format}")


def _judged_entries(
    spec: FeedSpec, response: Response, meta: SnapshotMeta, accept: bool, today: date
) -> int:
    """How many entries a good answer has; FetchFailed with the reason when it is suspect."""
    if not response.body.strip():
        raise FetchFailed("the response was empty")
    parsed = parse(spec.format, response.body, spec.url, ParseContext(today))
    if not parsed.entries:
        raise FetchFailed(f"could not be read: {parsed.unreadable_reason}")
    count = len(parsed.entries)
    if not accept and meta.entries >= SHRINK_FLOOR and count < meta.entries * SHRINK_RATIO:
        raise FetchFailed(
            f"suspect: {count} {'entry' if count == 1 else 'entries'}, "
            f"down from {meta.entries} at the last good fetch; if that is right (a new "
            f"year's shorter feed), run vtq-hub fetch --accept {spec.organisation_id}/{spec.id}"
        )
    return count


def _outcome(
    spec: FeedSpec, result: str, reason: str, meta: SnapshotMeta, started: float
) -> FetchOutcome:
    return FetchOutcome(
        organisation_id=spec.organisation_id,
        feed_id=spec.id,
        url=spec.url,
        result=result,
        reason=reason,
        entries=meta.entries,
        fetched_at=meta.fetched_at,
        seconds=time.perf_counter() - started,
    )
