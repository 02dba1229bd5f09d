"""The build, top to bottom: load → validate → normalise → render → publish.

    report = build(BuildOptions(sources=Path("sources"), out=Path("site")))

Everything is gathered and checked before anything is written. Raises
:class:`errors.SourceProblems` (with every problem) when a source is invalid, so nothing
is written then; :class:`errors.BuildError` when the site cannot be built.
``progress`` receives one short line per stage; the library never prints.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from hub_builder import redirects, sources
from hub_builder.errors import SourceProblems
from hub_builder.normalise import normalise
from hub_builder.problems import Problem
from hub_builder.publish import PublishPaths, publish
from hub_builder.render import Output, render_site
from hub_builder.strict_yaml import Document
from hub_builder.validate import validate_documents

LONDON = ZoneInfo("Europe/London")
Progress = Callable[[str], None]


def london_now() -> datetime:
    return datetime.now(LONDON).replace(microsecond=0)


@dataclass(frozen=True)
class BuildOptions:
    sources: Path = Path("sources")
    out: Path = Path("site")
    config: Path = Path("mkdocs.yml")
    content: Path = Path("site_content")
    work: Path = Path(".hub-build")
    clock: Callable[[], datetime] = london_now


@dataclass(frozen=True)
class BuildReport:
    organisations: int
    dates: int
    pages: int
    files: int
    warnings: tuple[str, ...]
    seconds: float
    out: Path
    problems: tuple[Problem, ...] = field(default=())


def build(options: BuildOptions, progress: Progress = lambda _: None) -> BuildReport:
    started = time.perf_counter()
    paths = sources.source_paths(options.sources)
    progress(f"Loading {len(paths)} source files from {options.sources}")
    documents = sources.read_documents(paths)
    moved = redirects.read_redirects(options.sources)
    problems = validate_documents(documents)
    problems += redirects.redirect_problems(moved, organisation_ids(documents))
    if any(p.is_error for p in problems):
        raise SourceProblems(problems)
    hub = normalise(documents, built_at=options.clock())
    progress(f"Rendering {len(hub.organisations)} organisations and {len(hub.all_dates)} dates")
    records = render_site(hub) + [
        Output(path, content)
        for path, content in redirects.redirect_outputs(redirects.redirects(moved))
    ]
    progress("Building the site with mkdocs")
    published = publish(
        records,
        PublishPaths(
            config=options.config,
            content=options.content,
            docs=options.work / "docs",
            out=options.out,
        ),
    )
    return BuildReport(
        organisations=len(hub.organisations),
        dates=len(hub.all_dates),
        pages=published.pages,
        files=published.files,
        warnings=published.warnings,
        seconds=time.perf_counter() - started,
        out=options.out,
        problems=tuple(problems),
    )


def organisation_ids(documents: Sequence[Document]) -> list[str]:
    return [
        d.data["id"]
        for d in documents
        if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)
    ]


def validate_paths(paths: Sequence[Path]) -> list[Problem]:
    """Every problem in the given source files (checked together, as a build would)."""
    return validate_documents(sources.read_documents(paths))
