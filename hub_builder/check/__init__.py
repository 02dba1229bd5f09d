"""Stage 2, check: every problem in the loaded sources, each at its file, line and column.

:func:`validate_documents` (in :mod:`validate`) runs the JSON Schema, then the rules a
schema cannot say (:mod:`validate`, :mod:`placeholders`); :mod:`redirects` checks the
redirects file against the organisation files. :func:`load_valid` is what every command
that needs the sources starts with: read them, check them (each file on its own, in two
processes for a big hub: :func:`read_and_check`), and raise :class:`errors.SourceProblems`
with every problem when any is an error.

    checked = load_valid(Path("sources"))      # or SourceProblems
    checked.documents, checked.warnings
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

from hub_builder import processes
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


def load_valid(sources_dir: Path) -> CheckedSources:
    """Read and check every source file a build reads; SourceProblems if any is wrong, or
    if anything in the sources folder is a link or not a regular file."""
    documents, own_problems = read_and_check(source_paths(sources_dir))
    moved = read_redirects(sources_dir)
    problems = [
        *with_cross_file_problems(documents, [*refused_files(sources_dir), *own_problems]),
        *redirect_problems(moved, organisation_ids(documents)),
    ]
    raise_errors(problems)
    return CheckedSources(tuple(documents), tuple(problems), moved)


# From this many bytes of source files, every other file is read and checked by a forked
# child. At hub scale the sources are 48 MB in 251 files; benchmarks/read_and_check.py times
# reading and checking them in one process and with the child (14 s and 11 s, measured while
# other work kept one core busy; up to twice that when it kept both).
IN_PARALLEL_FROM = 4_000_000


def read_and_check(
    paths: Iterable[Path], in_parallel_from: int = IN_PARALLEL_FROM
) -> tuple[list[Document], list[Problem]]:
    """Each file read and checked on its own, in the order given: its document, and its
    problems after the problems of the files before it. From ``in_parallel_from`` bytes of
    files, every other file is done by a forked child, with the same result (the documents
    come back pickled, which costs less than reading them)."""
    paths = list(paths)
    if not processes.can_fork() or total_size(paths) < in_parallel_from:
        checked = read_and_check_each(paths)
    else:
        mine, theirs = processes.alongside(
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


def total_size(paths: Sequence[Path]) -> int:
    """How many bytes the files hold (a file that cannot be read counts for nothing: reading
    it reports why)."""
    size = 0
    for path in paths:
        try:
            size += path.stat().st_size
        except OSError:
            continue
    return size


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
