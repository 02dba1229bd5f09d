"""The watcher's records of the pages the hub cites, as ``vtq-hub watch`` writes them and
the build reads them: one file per organisation, beside the sources.

    sources/watch/<organisation id>.json     (national.json for the national calendar)

Each page's record holds what the watcher keeps of it: a digest of its words, the lines that
give a date (what a reviewer needs to see move), when the watcher first recorded it, last
checked it and last saw it change, and, for a page that could not be read, since when and
why. The file changes only when a page does (new words, gone, failing or back): a day on
which nothing changed writes nothing, so ``checked_at`` is the moment of the check that made
the record, which may be older than the last check that found nothing new.

``read_watch(sources_dir)`` → ``({organisation id: WatchRecord}, problems)``: a file that
cannot be read is a warning with its place, never an exception; no folder, no records.

    >>> records, problems = read_watch(Path("sources"))          # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from hub_builder.errors import RefusedFile
from hub_builder.files import files_below
from hub_builder.load.sources import WATCH_DIR, display_path, read_source
from hub_builder.problems import Problem, Severity

FORMAT_VERSION = 1
MAX_RECORD_BYTES = 20_000_000
PAGE_STATES = ("ok", "gone", "failing")


@dataclass(frozen=True)
class PageRecord:
    """What the watcher keeps of one page. ``state`` is ``ok`` (read), ``gone`` (404 or 410)
    or ``failing`` (not read the last time, for ``reason``; its words are the last read)."""

    url: str
    state: str
    digest: str  # "sha256:…" of its words; "" before they were first read
    date_lines: tuple[str, ...]
    first_checked_at: datetime
    checked_at: datetime
    changed_at: datetime | None  # when the watcher last saw its words change
    final_url: str = ""  # where it was found, when it redirects elsewhere
    etag: str = ""
    last_modified: str = ""
    reason: str = ""
    failing_since: datetime | None = None


@dataclass(frozen=True)
class WatchRecord:
    organisation_id: str
    pages: Mapping[str, PageRecord]  # by address

    @property
    def checked_at(self) -> datetime | None:
        return max((p.checked_at for p in self.pages.values()), default=None)


def record_json(record: WatchRecord) -> str:
    """The file as committed: pages sorted by address, keys sorted, stable from run to run."""
    document = {
        "format_version": FORMAT_VERSION,
        "organisation": record.organisation_id,
        "pages": [page_document(record.pages[url]) for url in sorted(record.pages)],
    }
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def page_document(page: PageRecord) -> dict[str, Any]:
    return {
        "url": page.url,
        "state": page.state,
        "digest": page.digest,
        "date_lines": list(page.date_lines),
        "first_checked_at": page.first_checked_at.isoformat(),
        "checked_at": page.checked_at.isoformat(),
        "changed_at": _iso(page.changed_at),
        "final_url": page.final_url,
        "etag": page.etag,
        "last_modified": page.last_modified,
        "reason": page.reason,
        "failing_since": _iso(page.failing_since),
    }


def record_of(data: Any) -> WatchRecord:
    """A record from its JSON; raises ValueError, KeyError or TypeError on a bad one."""
    if data.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"format_version {data.get('format_version')!r} is not {FORMAT_VERSION}")
    pages = [page_of(p) for p in data["pages"]]
    return WatchRecord(str(data["organisation"]), {p.url: p for p in pages})


def page_of(data: dict[str, Any]) -> PageRecord:
    state = str(data["state"])
    if state not in PAGE_STATES:
        raise ValueError(f"unknown page state {state!r}")
    return PageRecord(
        url=str(data["url"]),
        state=state,
        digest=str(data["digest"]),
        date_lines=tuple(str(line) for line in data["date_lines"]),
        first_checked_at=datetime.fromisoformat(data["first_checked_at"]),
        checked_at=datetime.fromisoformat(data["checked_at"]),
        changed_at=_moment(data.get("changed_at")),
        final_url=str(data.get("final_url", "")),
        etag=str(data.get("etag", "")),
        last_modified=str(data.get("last_modified", "")),
        reason=str(data.get("reason", "")),
        failing_since=_moment(data.get("failing_since")),
    )


def read_watch(sources_dir: Path) -> tuple[dict[str, WatchRecord], list[Problem]]:
    folder = sources_dir / WATCH_DIR
    if not folder.is_dir():
        return {}, []
    records: dict[str, WatchRecord] = {}
    problems: list[Problem] = []
    found, _ = files_below(folder)  # a refused entry is reported by the build's own check
    for path in sorted(p for p in found if p.suffix == ".json"):
        try:
            record = record_of(json.loads(read_source(sources_dir, path, MAX_RECORD_BYTES)))
        except RefusedFile as exc:
            problems.append(_warning(path, exc.reason))
            continue
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            problems.append(
                _warning(path, f"the watch record cannot be read ({exc}); run watch again")
            )
            continue
        if record.organisation_id != path.stem:
            problems.append(_warning(path, f"it is the record of {record.organisation_id!r}"))
            continue
        records[record.organisation_id] = record
    return records, problems


def _warning(path: Path, message: str) -> Problem:
    return Problem(display_path(path), 1, 1, "", message, Severity.WARNING)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _moment(text: Any) -> datetime | None:
    return datetime.fromisoformat(text) if text else None
