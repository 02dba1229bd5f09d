"""The ``pages`` a source file lists: every page it cites, with the date of the version read.

Readers are told how recent the hub's sources are, so each cited page should be listed once
with its ``seen_on`` date. Problems:

- a page listed twice (error), a ``seen_on`` that is not a real day (error) or later than the
  file's ``compiled_on`` (error: a page cannot be seen after the entry was compiled);
- a ``source_url`` the file cites but does not list, when it lists any (warning: the page's
  date would be missing).

    >>> from hub_builder.load.strict_yaml import load
    >>> document = load(b"compiled_on: 2026-11-01\\nsource_url: https://a.org/\\npages:\\n"
    ...     b"  - url: https://a.org/\\n    seen_on: 2026-12-01\\n", "x.yaml")
    >>> for problem in page_problems(document, document.data):
    ...     print(problem.format())  # doctest: +NORMALIZE_WHITESPACE
    x.yaml:5:14: pages[0].seen_on: seen on 2026-12-01, after the entry was compiled
    (2026-11-01); fix the date or compiled_on
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hub_builder.calendar import parse_date
from hub_builder.load.strict_yaml import Document
from hub_builder.problems import FieldPath, Problem, Severity

CITING_FIELDS = ("source_url", "recognition_number_source")


def page_problems(document: Document, data: dict[str, Any]) -> Iterator[Problem]:
    pages = data.get("pages")
    if not isinstance(pages, list):
        return
    listed: dict[str, int] = {}
    compiled = parse_date(data.get("compiled_on"))
    for index, page in enumerate(pages):
        if not isinstance(page, dict) or not isinstance(page.get("url"), str):
            continue
        url = page["url"]
        if url in listed:
            yield document.problem(
                ("pages", index, "url"),
                f"the page is listed already, as pages[{listed[url]}]; list each page once",
            )
        listed.setdefault(url, index)
        seen = parse_date(page.get("seen_on"))
        if seen and compiled and seen > compiled:
            yield document.problem(
                ("pages", index, "seen_on"),
                f"seen on {seen.isoformat()}, after the entry was compiled "
                f"({compiled.isoformat()}); fix the date or compiled_on",
            )
    for path, url in _citations((), data):
        if url not in listed:
            yield document.problem(
                path,
                "this page is not in pages; add it there with the date the page shows "
                "(seen_on), so readers know how recent it is",
                severity=Severity.WARNING,
            )


def _citations(path: FieldPath, value: Any) -> Iterator[tuple[FieldPath, str]]:
    """Every ``source_url`` in the file (feeds' own addresses aside: the feed is the page)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in CITING_FIELDS and isinstance(item, str) and path[:1] != ("feeds",):
                yield (*path, key), item
            elif key != "pages":
                yield from _citations((*path, key), item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _citations((*path, index), item)
