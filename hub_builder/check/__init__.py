"""Stage 2, check: every problem in the loaded sources, each at its file, line and column.

:func:`validate_documents` (in :mod:`validate`) runs the JSON Schema, then the rules a
schema cannot say (:mod:`validate`, :mod:`placeholders`); :mod:`redirects` checks the
redirects file against the organisation files. :func:`load_valid` is what every command
that needs the sources starts with: read them, check them (each file on its own, in two
processes on a large hub's path: :func:`read_and_check`), and raise
:class:`errors.SourceProblems` with every problem when any is an error.

    checked = load_valid(Path("sources"))      # or SourceProblems
    checked.documents, checked.warnings
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

from hub_builder import scale
from hub_builder.check.redirects import redirect_problems
from hub_builder.check.validate import (
    document_problems,
    validate_documents,
    with_cross_file_problems,
)
from hub_builder.errors import SourceProblems
from hub_builder.load.sources import (
    read_document,
    read_redirects,
    refused_files,
    source_paths,
)
from hub_builder.load.strict_yaml import Document
from hub_builder.problems import Problem

__all__ = ["CheckedSources", "load_valid", "organisation_ids", "validate_documents"]


@dataclass(frozen=True)
class CheckedSources:
    """Sources without errors: every document, the warnings, and the redirects file."""

    documents: tuple[Document, ...]
    warnings: tuple[Problem, ...]
    redirects: Document | None


def load_valid(sources_dir: Path, large: bool = False) -> CheckedSources:
    """Read and check every source file a build reads; SourceProblems if any is wrong, or
    if anything in the sources folder is a link or not a regular file. ``large``: on a
    large hub's path (:mod:`hub_builder.scale`)."""
    documents, own_problems = read_and_check(source_paths(sources_dir), large)
    moved = read_redirects(sources_dir)
    problems = [
        *with_cross_file_problems(documents, [*refused_files(sources_dir), *own_problems]),
        *redirect_problems(moved, organisation_ids(documents)),
    ]
    raise_errors(problems)
    return CheckedSources(tuple(documents), tuple(problems), moved)


def read_and_check(
    paths: Iterable[Path], large: bool = False
) -> tuple[list[Document], list[Problem]]:
    """Each file read and checked on its own, in the order given: its document, and its
    problems after the problems of the files before it. On a large hub's path, every other
    file is done by a forked child, with the same result (the documents come back pickled,
    which costs less than reading them)."""
    paths = list(paths)
    if not (large and scale.can_fork()):
        checked = read_and_check_each(paths)
    else:
        mine, theirs = scale.alongside(
            in_child=lambda: read_and_check_each(paths[1::2]),
            here=lambda: read_and_check_each(paths[0::2]),
            stopped="the process checking half the source files stopped",
        )
        checked = [
            pair for pairs in zip_longest(mine, theirs) for pair in pairs if pair is not None
        ]
    documents = [document for document, _ in checked]
    return documents, [problem for _, problems in checked for problem in problems]


def read_and_check_each(paths: Sequence[Path]) -> list[tuple[Document, list[Problem]]]:
    return [(document, document_problems(document)) for document in map(read_document, paths)]


def raise_errors(problems: Sequence[Problem]) -> None:
    """SourceProblems with every problem, when any of them is an error."""
    if any(p.is_error for p in problems):
        raise SourceProblems(problems)


def organisation_ids(documents: Sequence[Document]) -> list[str]:
    return [
        d.data["id"]
        for d in documents
        if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)
    ]
