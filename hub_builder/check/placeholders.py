"""Placeholders that ``vtq-hub new`` writes, found again before they can be published.

A new organisation file has to be valid from the start, so that its author can run
``vtq-hub validate`` at every step, yet nothing in it may reach the public unfilled. So the
scaffold marks each value to fill in, text with the word ``REPLACE`` and web addresses with
the reserved host ``replace.invalid``, and this module reports each one still left as a
warning with its place. Warnings do not fail a check (the file is valid); each says what it
would cause if merged, and reviewers do not merge a file that has any.

    >>> from hub_builder.load.strict_yaml import load
    >>> doc = load(b"name: REPLACE with the name\\n", "sources/organisations/x.yaml")
    >>> [p.format() for p in placeholder_problems(doc)][0][:72]
    "sources/organisations/x.yaml:1:7: name: warning: 'REPLACE with the name'"
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from hub_builder.load.strict_yaml import Document
from hub_builder.problems import FieldPath, Problem, Severity

MARKER = "REPLACE"
HOST = "replace.invalid"
_MARKED = re.compile(rf"\b{MARKER}\b")


def placeholder_url(what: str) -> str:
    """The address the scaffold writes where the author must put a real page."""
    return f"https://{HOST}/{what}"


def placeholder_problems(document: Document) -> Iterator[Problem]:
    if not _has_placeholder(document.data):
        return  # as nearly every file: its values are not walked again with their places
    for path, value in _strings(document.data, ()):
        if _is_placeholder_url(value):
            consequence = "if merged, the hub will link to an address that does not exist"
        elif _MARKED.search(value):
            consequence = "if merged, the hub will show this text to the public as it is"
        else:
            continue
        yield replace(
            document.problem(
                path,
                f"{value!r} is a placeholder from 'vtq-hub new'; {consequence}. "
                "Write the real value",
            ),
            severity=Severity.WARNING,
        )


def _strings(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, (*path, index))
    elif isinstance(value, str):
        yield path, value


def _has_placeholder(data: Any) -> bool:
    """Whether any text in ``data`` is a placeholder, found without building field paths."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if _is_placeholder_url(value) or (MARKER in value and _MARKED.search(value)):
                return True
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


_URL_SKIPPED = re.compile("[\t\r\n]")  # what urlsplit removes before reading an address


def _is_placeholder_url(value: str) -> bool:
    if not value.startswith("https://"):
        return False
    if HOST not in value.lower() and not _URL_SKIPPED.search(value):
        return False  # the host urlsplit reads is written in the text (lower-cased)
    try:
        return urlsplit(value).hostname == HOST
    except ValueError:
        return False
