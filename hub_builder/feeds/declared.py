"""The feeds an AO file declares, read from its validated document.

    [spec.address for spec in declared_feeds(document)]   # ['https://example.org/dates.ics']

Each :class:`FeedSpec` carries the file's defaults for the feed's entries (kind, groups,
status, id prefix, source page) and where it sits in the file (``index``), for problems.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hub_builder.link_policy import web_address_problem
from hub_builder.load.strict_yaml import Document

DEFAULT_KIND = "other"
DEFAULT_STATUS = "confirmed"


@dataclass(frozen=True)
class FeedSpec:
    organisation_id: str
    id: str
    format: str
    url: str
    path: str
    default_kind: str
    applies_to: tuple[str, ...]
    id_prefix: str
    status: str
    source_url: str
    index: int
    document_path: str

    @property
    def name(self) -> str:
        """``organisation/feed``, as fetch summaries and ``--accept`` name it."""
        return f"{self.organisation_id}/{self.id}"

    @property
    def address(self) -> str:
        """The url, or for a local file its path as written in the AO file."""
        return self.url or self.path

    @property
    def field(self) -> tuple[str | int, ...]:
        return ("feeds", self.index)

    @property
    def sources_dir(self) -> Path:
        """The sources folder: the AO file is ``<sources>/organisations/<id>.yaml``."""
        return Path(self.document_path).parent.parent


def declared_feeds(document: Document) -> list[FeedSpec]:
    data = document.data if isinstance(document.data, dict) else {}
    return [
        FeedSpec(
            organisation_id=data["id"],
            id=feed["id"],
            format=feed["format"],
            url=feed.get("url", ""),
            path=feed.get("path", ""),
            default_kind=feed.get("default_kind", DEFAULT_KIND),
            applies_to=tuple(feed.get("applies_to", ())),
            id_prefix=feed.get("id_prefix", ""),
            status=feed.get("status", DEFAULT_STATUS),
            source_url=feed.get("source_url") or _linkable(feed.get("url", ""), data),
            index=index,
            document_path=document.path,
        )
        for index, feed in enumerate(data.get("feeds", ()))
    ]


def _linkable(url: str, data: dict[str, Any]) -> str:
    """The feed's url as the dates' source link when pages may link to it (public https);
    else (plain http to a local test server) the organisation's own source page."""
    return url if url and web_address_problem(url) is None else str(data.get("source_url", ""))
