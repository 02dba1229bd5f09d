"""The rules that keep what the hub says tied to what pages say.

- **Results evidence** (``qualification_groups[].results``): a ``results-day`` answer needs a
  page that says when the qualification's results were issued (``says: practice``, with the
  summers it speaks of) or that names it, or its type, as covered by Ofqual's rule
  (``says: scope``), and a level with a national results day (3, 1/2 or 2); an
  ``own-timing`` answer needs the organisation's own timing (``says: timing``) and
  ``own_timing`` in a few words, which only it may have.
- **Quoted notes**: a description (of a key date or a group) needs ``quote``, the page's
  own words behind it; words a note or an ``own_timing`` puts in double quotes must be among
  the words it is backed by (:func:`quoted_phrases`, :func:`is_quoted_in`).
- **Inferred dates**: a date that follows from a general statement (``inferred_from``) has
  status ``inferred``, and only such a date does: it is never shown as confirmed.

    >>> quoted_phrases('NCFE gives "Wednesday 18 March" without a year.')
    ['Wednesday 18 March']
    >>> is_quoted_in("Wednesday 18 March", "…to providers on Wednesday 18 March ahead of…")
    True
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from hub_builder.formatting import levels_label
from hub_builder.load.strict_yaml import Document, listed
from hub_builder.model import TIMELY_RESULTS_LEVELS
from hub_builder.problems import FieldPath, Problem

_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
# A page's typography is the same words as plain text: curly apostrophes and quote marks, en
# and em dashes (written as escapes: they look like the plain ones they stand for).
_APOSTROPHES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"}
)


def quoted_phrases(text: str) -> list[str]:
    """The phrases a text puts in double quotes (straight or curly)."""
    return [first or second for first, second in _QUOTED.findall(text)]


def is_quoted_in(phrase: str, statements: str | Iterable[str]) -> bool:
    """Whether ``phrase`` appears in one of the statements, spaces, apostrophes, quote marks
    and dashes aside (a page's curly apostrophe is the same word as a straight one)."""
    wanted = _plain(phrase.rstrip(".,;:"))
    found = [statements] if isinstance(statements, str) else statements
    return any(wanted in _plain(statement) for statement in found)


def _plain(text: str) -> str:
    return " ".join(text.translate(_APOSTROPHES).split()).casefold()


def evidence_problems(document: Document, data: dict[str, Any]) -> Iterator[Problem]:
    for index, group in listed(data, "qualification_groups"):
        path: FieldPath = ("qualification_groups", index)
        yield from _results_problems(document, path, group)
        yield from _note_problems(document, path, group, _statements(group.get("quote")))
    for index, item in listed(data, "key_dates"):
        path = ("key_dates", index)
        yield from _inference_problems(document, path, item)
        backing = [*_statements(item.get("quote")), *_statements(item.get("inferred_from"))]
        yield from _note_problems(document, path, item, backing)


def _results_problems(
    document: Document, path: FieldPath, group: dict[str, Any]
) -> Iterator[Problem]:
    results = group.get("results")
    if not isinstance(results, dict) or not isinstance(results.get("evidence"), list):
        return
    here = (*path, "results")
    evidence = [e for e in results["evidence"] if isinstance(e, dict)]
    says = {e.get("says") for e in evidence}
    for index, item in enumerate(evidence):
        if item.get("says") == "practice" and not item.get("years"):
            yield document.problem(
                (*here, "evidence", index, "says"),
                "a stated practice needs the summers the page speaks of: add years, like "
                "years: [2024]",
            )
    timing = results.get("timing")
    if timing == "results-day":
        yield from _results_day_problems(document, here, group, says)
    elif timing == "own-timing":
        if "timing" not in says:
            yield document.problem(
                (*here, "evidence"),
                "an own-timing answer needs the organisation's own words on its timing: add "
                "evidence with says: timing",
            )
        own = results.get("own_timing")
        if not own:
            yield document.problem(
                (*here, "timing"),
                "say the organisation's timing in a few words in own_timing, like within two "
                "weeks of the exam",
            )
        elif isinstance(own, str):
            statements = [str(e.get("statement", "")) for e in evidence]
            yield from _unquoted(document, (*here, "own_timing"), own, statements)


def _results_day_problems(
    document: Document, here: FieldPath, group: dict[str, Any], says: set[Any]
) -> Iterator[Problem]:
    if not says & {"practice", "scope"}:
        yield document.problem(
            (*here, "evidence"),
            "a results-day answer needs a page that says when the qualification's results were "
            "issued (says: practice) or that names it, or its type, as covered by Ofqual's rule "
            "(says: scope)",
        )
    levels = group.get("levels")
    if isinstance(levels, list) and levels and not TIMELY_RESULTS_LEVELS.intersection(levels):
        yield document.problem(
            (*here, "timing"),
            f"no national results day is for {levels_label([str(level) for level in levels])} "
            "(only Level 3, Level 1/2 and Level 2 have one); use own-timing, or add the level "
            "it is taken at",
        )
    if "own_timing" in group.get("results", {}):
        yield document.problem(
            (*here, "own_timing"), "own_timing is for an own-timing answer only; remove it"
        )


def _note_problems(
    document: Document, path: FieldPath, record: dict[str, Any], backing: list[str]
) -> Iterator[Problem]:
    description = record.get("description")
    if not isinstance(description, str) or not description.strip():
        return
    if not backing:
        yield document.problem(
            (*path, "description"),
            "a description says what a page says: add quote, with the page's own words "
            "(statement) behind it",
        )
        return
    yield from _unquoted(document, (*path, "description"), description, backing)


def _unquoted(
    document: Document, path: FieldPath, text: str, statements: list[str]
) -> Iterator[Problem]:
    for phrase in quoted_phrases(text):
        if not is_quoted_in(phrase, statements):
            yield document.problem(
                path,
                f"“{phrase}” is in quotes but is not in the words it is backed by; quote the "
                "page exactly, or take the quotation marks away",
            )


def _inference_problems(
    document: Document, path: FieldPath, item: dict[str, Any]
) -> Iterator[Problem]:
    inferred = item.get("status") == "inferred"
    if inferred and "inferred_from" not in item:
        yield document.problem(
            (*path, "status"),
            "an inferred date needs inferred_from: the general statement it follows from",
        )
    if "inferred_from" in item and not inferred:
        yield document.problem(
            (*path, "status"),
            "a date that follows from a general statement (inferred_from) is not "
            f"{item.get('status')}: set status: inferred",
        )


def _statements(quote: Any) -> list[str]:
    return (
        [quote["statement"]]
        if isinstance(quote, dict) and isinstance(quote.get("statement"), str)
        else []
    )
