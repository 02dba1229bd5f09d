"""Check ``sources/redirects.yaml``: old organisation ids and their current ones.

``redirect_problems(document, current_ids)`` says, with line and column, what is wrong: an
id in the wrong form, an old id that is a current organisation, a new id that is not, an
old id listed twice. No file (``None``) has no problems.

    >>> from hub_builder.load.strict_yaml import load
    >>> document = load(b"redirects:\\n  - from: ncfe\\n    to: ncfe-new\\n", "redirects.yaml")
    >>> for problem in redirect_problems(document, {"ncfe"}):
    ...     print(problem.message)
    ncfe is a current organisation; only old ids can redirect
    no organisation has the id ncfe-new; add sources/organisations/ncfe-new.yaml
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from hub_builder.load.strict_yaml import Document
from hub_builder.problems import Problem

ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def redirect_problems(document: Document | None, organisation_ids: Iterable[str]) -> list[Problem]:
    if document is None:
        return []
    if document.problems or document.data is None:
        return list(document.problems)
    return list(_problems(document, set(organisation_ids)))


def _problems(document: Document, current: set[str]) -> Iterator[Problem]:
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
