"""How every declared feed stands, in words and as JSON, for pages and machines.

    feed_message(status)     # 'feed unavailable since 23 November 2026, 9:30am UK time,
                             #  showing data from 20 November 2026, 6am UK time'
    feeds_json(hub)          # what api/v1/feeds.json holds

:mod:`api` publishes it, with ``schema/api/feeds.schema.json``: one
object per feed, ordered by organisation and feed id, with sorted keys: ``organisation``,
``id``, ``url``, ``format``, ``state`` (ok, stale, missing), ``entries``, ``fetched_at`` (the
last good fetch: the data shown is from then), ``checked_at``, ``failing_since``, ``reason``
and ``message``; times ISO 8601 with offset. It depends on the sources (snapshot metadata
included) only, so it is byte-identical from build to build.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hub_builder.formatting import govuk_datetime
from hub_builder.model import FeedStatus, Hub


def feed_message(status: FeedStatus) -> str:
    if status.state == "ok":
        fetched = f", fetched {govuk_datetime(status.fetched_at)}" if status.fetched_at else ""
        return f"feed ok{fetched}"
    since = f" since {govuk_datetime(status.failing_since)}" if status.failing_since else ""
    if status.state == "missing" or status.fetched_at is None:
        return f"feed unavailable{since}, no data from it yet ({status.reason})"
    return (
        f"feed unavailable{since}, showing data from {govuk_datetime(status.fetched_at)} "
        f"({status.reason})"
    )


def feeds_json(hub: Hub) -> dict[str, Any]:
    return {
        "feeds": [
            _feed(org.id, status)
            for org in sorted(hub.organisations, key=lambda o: o.id)
            for status in sorted(org.feeds, key=lambda f: f.id)
        ]
    }


def _feed(organisation_id: str, status: FeedStatus) -> dict[str, Any]:
    return {
        "organisation": organisation_id,
        "id": status.id,
        "url": status.url,
        "format": status.format,
        "state": status.state,
        "entries": status.entries,
        "fetched_at": _iso(status.fetched_at),
        "checked_at": _iso(status.checked_at),
        "failing_since": _iso(status.failing_since),
        "reason": status.reason,
        "message": feed_message(status),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
