"""Old organisation addresses that still work: ``sources/redirects.yaml``.

When an organisation's id changes (a rename, a merger), its old page address must not
break: bookmarks, printed lists and calendar notes point at it. The file maps old ids to
current ones::

    redirects:
      - from: old-id        # the id the organisation used to have
        to: new-id          # its id now: sources/organisations/new-id.yaml

Each becomes ``organisations/<old-id>/index.html``: a small page with a canonical link, a
script that goes on to the new address keeping the ``#anchor`` of a bookmarked date or
group, a meta refresh for browsers without JavaScript (which cannot keep the anchor) and a
plain link, so it works everywhere and search engines move on.

``read_redirects`` loads the file strictly (no file is no redirects); ``redirect_problems``
says, with line and column, what is wrong: an id in the wrong form, an old id that is a
current organisation, a new id that is not, an old id listed twice. ``redirect_outputs``
renders the pages as ``(path, bytes)`` pairs for :func:`publish.publish`.

    >>> doc = read_redirects(Path("sources"))                         # doctest: +SKIP
    >>> redirect_problems(doc, {"ncfe"}), redirects(doc)              # doctest: +SKIP
    ([], (Redirect(old='cache', new='ncfe'),))
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment

from hub_builder import strict_yaml
from hub_builder.problems import Problem

REDIRECTS_FILE = "redirects.yaml"
ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

PAGE = Environment(autoescape=True, keep_trailing_newline=True).from_string(
    """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>This page has moved - VTQ Hub</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="canonical" href="../{{ new }}/">
<script src="../../assets/moved.js"></script>
<noscript><meta http-equiv="refresh" content="0; url=../{{ new }}/"></noscript>
</head>
<body>
<main>
<h1>This page has moved</h1>
<p>The awarding organisation that was at this address is now at
<a href="../{{ new }}/">organisations/{{ new }}/</a>. Please update your bookmark.</p>
</main>
</body>
</html>
"""
)


@dataclass(frozen=True)
class Redirect:
    old: str
    new: str


def read_redirects(sources_dir: Path) -> strict_yaml.Document | None:
    from hub_builder.sources import read_document

    path = sources_dir / REDIRECTS_FILE
    return read_document(path) if path.is_file() else None


def redirect_problems(
    document: strict_yaml.Document | None, organisation_ids: Iterable[str]
) -> list[Problem]:
    if document is None:
        return []
    if document.problems or document.data is None:
        return list(document.problems)
    return list(_problems(document, set(organisation_ids)))


def _entries(data: Any) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("redirects"), list):
        return list(data["redirects"])
    return []


def _problems(document: strict_yaml.Document, current: set[str]) -> Iterator[Problem]:
    data = document.data
    if not isinstance(data, dict) or set(data) != {"redirects"}:
        yield document.problem((), "expected one key, redirects: a list of {from, to}")
        return
    if not isinstance(data["redirects"], list):
        yield document.problem(("redirects",), "expected a list of {from, to}")
        return
    seen: set[str] = set()
    for index, entry in enumerate(data["redirects"]):
        at = ("redirects", index)
        if not isinstance(entry, dict) or set(entry) != {"from", "to"}:
            yield document.problem(at, "expected exactly two keys: from (the old id) and to")
            continue
        old, new = entry["from"], entry["to"]
        for key, value in (("from", old), ("to", new)):
            if not isinstance(value, str) or not ID.match(value):
                yield document.problem(
                    (*at, key), f"expected an organisation id like city-and-guilds, got {value!r}"
                )
        if old in current:
            yield document.problem(
                (*at, "from"), f"{old} is a current organisation; only old ids can redirect"
            )
        if isinstance(new, str) and ID.match(new) and new not in current:
            yield document.problem(
                (*at, "to"),
                f"no organisation has the id {new}; add sources/organisations/{new}.yaml",
            )
        if old in seen:
            yield document.problem((*at, "from"), f"{old} is listed twice; keep one")
        seen.add(old)


def redirects(document: strict_yaml.Document | None) -> tuple[Redirect, ...]:
    """The redirects of a document without problems, sorted by old id."""
    if document is None:
        return ()
    return tuple(
        sorted(
            (Redirect(e["from"], e["to"]) for e in _entries(document.data)),
            key=lambda r: r.old,
        )
    )


def redirect_outputs(items: Iterable[Redirect]) -> list[tuple[str, bytes]]:
    return [
        (f"organisations/{r.old}/index.html", PAGE.render(new=r.new).encode("utf-8")) for r in items
    ]
