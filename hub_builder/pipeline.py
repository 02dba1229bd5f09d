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

from hub_builder import sources
from hub_builder.errors import SourceProblems
from hub_builder.model import Hub
from hub_builder.normalise import normalise
from hub_builder.problems import Problem
from hub_builder.publish import PublishPaths, publish
from hub_builder.render import render_site
from hub_builder.status import StatusInputs, StatusOptions, StatusReport, status_report
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
    status: StatusOptions = field(default_factory=StatusOptions)


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
    hub, problems = load_hub(options, progress)
    status = status_of(hub, options)
    progress(f"Rendering {len(hub.organisations)} organisations and {len(hub.all_dates)} dates")
    records = render_site(hub, status)
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


def load_hub(options: BuildOptions, progress: Progress) -> tuple[Hub, list[Problem]]:
    """The hub from valid sources, and any warnings; raises SourceProblems on errors."""
    paths = sources.source_paths(options.sources)
    progress(f"Loading {len(paths)} source files from {options.sources}")
    documents = sources.read_documents(paths)
    problems = validate_documents(documents)
    if any(p.is_error for p in problems):
        raise SourceProblems(problems)
    return normalise(documents, built_at=options.clock()), problems


def status_of(hub: Hub, options: BuildOptions) -> StatusReport:
    """The status report from the hub and the checks' committed results beside the sources."""
    return status_report(hub, StatusInputs(), options.status)


def status(options: BuildOptions, progress: Progress = lambda _: None) -> StatusReport:
    """What ``vtq-hub report`` shows: the status, without building the site."""
    hub, _ = load_hub(options, progress)
    return status_of(hub, options)


def validate_paths(paths: Sequence[Path]) -> list[Problem]:
    """Every problem in the given source files (checked together, as a build would)."""
    return validate_documents(sources.read_documents(paths))
