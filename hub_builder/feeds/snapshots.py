"""Feed snapshots: the last good copy of every feed, kept with the sources so nothing is lost.

Layout, inside the sources folder (committed, so a build needs no network)::

    snapshots/<organisation-id>/<feed-id>.<suffix>     the last good body, byte for byte
    snapshots/<organisation-id>/<feed-id>.meta.json    what is known about it (below)

The metadata (:class:`SnapshotMeta`) says where the body came from and when (``fetched_at``:
the last good fetch), the validators for a conditional GET (``etag``, ``last_modified``), how
many entries it had, and the state of the latest attempt: ``checked_at``, and when that
failed, ``error`` (the reason) and ``failing_since`` (the first failure in a row).

    write_good(sources, "eab", "calendar", "ics", body, meta)   # a good fetch
    write_meta(sources, "eab", "calendar", failed_meta)          # a failure: body untouched
    read_snapshot(sources, "eab", "calendar", "ics")             # → FeedSnapshot or None

Writes are atomic (:func:`files.write_atomic`), and a body is
written before the metadata that describes it, so a crash never leaves metadata pointing at
a body that is not there. JSON is written with sorted keys, so changes diff cleanly.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from hub_builder.files import write_atomic
from hub_builder.load.sources import MAX_FEED_FILE_BYTES, SNAPSHOTS_DIR, read_source

MAX_META_BYTES = 100_000


@dataclass(frozen=True)
class SnapshotMeta:
    url: str
    format: str
    fetched_at: datetime | None = None
    checked_at: datetime | None = None
    etag: str = ""
    last_modified: str = ""
    entries: int = 0
    sha256: str = ""
    error: str = ""
    failing_since: datetime | None = None


@dataclass(frozen=True)
class FeedSnapshot:
    """What the build reads: the metadata and, when there was ever a good fetch, the body."""

    meta: SnapshotMeta
    body: bytes | None
    body_path: Path


def folder(sources: Path, organisation_id: str) -> Path:
    return sources / SNAPSHOTS_DIR / organisation_id


def body_path(sources: Path, organisation_id: str, feed_id: str, suffix: str) -> Path:
    return folder(sources, organisation_id) / f"{feed_id}.{suffix}"


def meta_path(sources: Path, organisation_id: str, feed_id: str) -> Path:
    return folder(sources, organisation_id) / f"{feed_id}.meta.json"


def read_snapshot(
    sources: Path, organisation_id: str, feed_id: str, suffix: str
) -> FeedSnapshot | None:
    """The feed's snapshot, or None when it was never fetched. Both files are read as every
    file of the sources is (:func:`load.sources.read_source`): a link or a file that is not
    a regular one raises :class:`errors.RefusedFile`, unread."""
    meta = read_meta(sources, organisation_id, feed_id)
    if meta is None:
        return None
    path = body_path(sources, organisation_id, feed_id, suffix)
    try:
        body: bytes | None = (
            read_source(sources, path, MAX_FEED_FILE_BYTES) if meta.fetched_at else None
        )
    except FileNotFoundError:
        body = None
    return FeedSnapshot(meta, body, path)


class UnreadableSnapshot(ValueError):
    """A snapshot's metadata that is there but cannot be read; the message says why."""


def read_meta(sources: Path, organisation_id: str, feed_id: str) -> SnapshotMeta | None:
    """The feed's snapshot metadata; None when it was never written. Raises
    :class:`UnreadableSnapshot` when the file is there but wrong (edited by hand, say)."""
    path = meta_path(sources, organisation_id, feed_id)
    try:
        text = read_source(sources, path, MAX_META_BYTES).decode("utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise UnreadableSnapshot(f"{path.name} cannot be read ({exc})") from exc
    try:
        return meta_from_json(json.loads(text))
    except (ValueError, TypeError, KeyError) as exc:
        raise UnreadableSnapshot(f"{path.name} is not valid snapshot metadata ({exc})") from exc


def write_good(
    sources: Path,
    organisation_id: str,
    feed_id: str,
    suffix: str,
    body: bytes,
    meta: SnapshotMeta,
) -> None:
    """Store a good fetch: the body first, then its metadata."""
    write_atomic(body_path(sources, organisation_id, feed_id, suffix), body)
    write_meta(sources, organisation_id, feed_id, meta)


def write_meta(sources: Path, organisation_id: str, feed_id: str, meta: SnapshotMeta) -> None:
    text = json.dumps(meta_to_json(meta), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_atomic(meta_path(sources, organisation_id, feed_id), text.encode("utf-8"))


def sha256(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def meta_to_json(meta: SnapshotMeta) -> dict[str, Any]:
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in asdict(meta).items()
    }


_TIMES = frozenset({"fetched_at", "checked_at", "failing_since"})


def meta_from_json(data: Any) -> SnapshotMeta:
    """The metadata, each field checked for its type: ``"entries": "24"`` is refused."""
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    values: dict[str, Any] = {}
    for f in fields(SnapshotMeta):
        if f.name not in data:
            continue
        value = data[f.name]
        if f.name in _TIMES:
            values[f.name] = datetime.fromisoformat(value) if value else None
        elif f.name == "entries":
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"entries: expected a whole number, got {value!r}")
            values[f.name] = value
        elif not isinstance(value, str):
            raise ValueError(f"{f.name}: expected text, got {value!r}")
        else:
            values[f.name] = value
    return SnapshotMeta(**values)
