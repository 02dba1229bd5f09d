"""Stage 2, check: every problem in the loaded sources, each at its file, line and column.

:func:`validate_documents` (in :mod:`validate`) runs the JSON Schema, then the rules a
schema cannot say (:mod:`validate`, :mod:`placeholders`); :mod:`redirects` checks the
redirects file against the organisation files. :func:`load_valid` is what every command
that needs the sources starts with: read them, check them, and raise
:class:`errors.SourceProblems` with every problem when any is an error.

    checked = load_valid(Path("sources"))      # or SourceProblems
    checked.documents, checked.warnings
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from hub_builder.check.redirects import redirect_problems
from hub_builder.check.validate import validate_documents
from hub_builder.errors import SourceProblems
from hub_builder.load.sources import read_documents, read_redirects, source_paths
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
    """Read and check every source file a build reads; SourceProblems if any is wrong."""
    documents = read_documents(source_paths(sources_dir))
    moved = read_redirects(sources_dir)
    problems = [
        *validate_documents(documents),
        *redirect_problems(moved, organisation_ids(documents)),
    ]
    raise_errors(problems)
    return CheckedSources(tuple(documents), tuple(problems), moved)


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
