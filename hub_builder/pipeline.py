"""The build, top to bottom: load → validate → feeds → normalise → render → publish.

A build whose inputs (sources, pages, theme, config, the package, the day) are unchanged since
the last successful one keeps that site instead (``BuildReport.reused``); ``force`` rebuilds.

    report = build(BuildOptions(sources=Path("sources"), out=Path("site")))

Everything is gathered and checked before anything is written. Feeds are read from their
snapshots (``vtq-hub fetch`` refreshes them): the build never touches the network. Raises
:class:`errors.SourceProblems` (with every problem) when a source is invalid, so nothing
is written then; :class:`errors.BuildError` when the site cannot be built.
``progress`` receives one short line per stage; the library never prints.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from hub_builder import fingerprint, redirects, sources
from hub_builder.errors import SourceProblems
from hub_builder.feeds import ingest
from hub_builder.history import HISTORY_FILE, annotate, read_history
from hub_builder.links import read_link_inputs
from hub_builder.model import Hub
from hub_builder.normalise import normalise
from hub_builder.outputs import render_outputs
from hub_builder.problems import Problem
from hub_builder.publish import PublishPaths, publish
from hub_builder.register import (
    read_snapshots,
    register_checks,
    register_findings,
    register_problems,
)
from hub_builder.render import Output, render_site
from hub_builder.status import StatusInputs, StatusOptions, StatusReport, status_report
from hub_builder.strict_yaml import Document
from hub_builder.validate import validate_documents

LONDON = ZoneInfo("Europe/London")
Progress = Callable[[str], None]
T = TypeVar("T")


def london_now() -> datetime:
    return datetime.now(LONDON).replace(microsecond=0)


@dataclass(frozen=True)
class BuildOptions:
    sources: Path = Path("sources")
    out: Path = Path("site")
    config: Path = Path("mkdocs.yml")
    content: Path = Path("site_content")
    theme: Path = Path("overrides")
    work: Path = Path(".hub-build")
    clock: Callable[[], datetime] = london_now
    force: bool = False
    revision: str = "unknown"  # the sources' git commit, found by the CLI
    history: Path | None = None  # the change history; default: sources/history.json

    @property
    def history_path(self) -> Path:
        return self.history or self.sources / HISTORY_FILE

    status: StatusOptions = field(default_factory=StatusOptions)

    @property
    def inputs(self) -> tuple[Path, ...]:
        """Everything besides the package that a build reads."""
        return (self.sources, self.content, self.theme, self.config, self.history_path)


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
    stages: tuple[tuple[str, float], ...] = field(default=())
    reused: bool = False


def build(options: BuildOptions, progress: Progress = lambda _: None) -> BuildReport:
    started = time.perf_counter()
    clock = _StageClock()
    built_at = options.clock()
    digest = clock(
        "fingerprint",
        fingerprint.fingerprint,
        options.inputs,
        f"{built_at.date()} {options.revision} {options.status!r}",
        options.out,
    )
    last = fingerprint.read(options.work)
    if last and last.digest == digest and options.out.is_dir() and not options.force:
        progress("Nothing has changed since the last build: keeping it")
        return _reused(last, options, time.perf_counter() - started)
    loaded = load_hub(replace(options, clock=lambda: built_at), progress, clock)
    hub, documents, problems = loaded.hub, loaded.documents, loaded.problems
    status, status_problems = clock("status", status_of, hub, options, documents)
    progress(f"Rendering {len(hub.organisations)} organisations and {len(hub.all_dates)} dates")
    records = clock(
        "render",
        lambda: [
            *render_site(hub, status),
            *render_outputs(hub),
            *(
                Output(path, content)
                for path, content in redirects.redirect_outputs(redirects.redirects(loaded.moved))
            ),
        ],
    )
    progress("Building the site with mkdocs")
    published = clock(
        "publish",
        publish,
        records,
        PublishPaths(
            config=options.config,
            content=options.content,
            docs=options.work / "docs",
            out=options.out,
        ),
    )
    fingerprint.write(
        options.work,
        fingerprint.LastBuild(
            digest, len(hub.organisations), len(hub.all_dates), published.pages, published.files
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
        problems=(*problems, *status_problems),
        stages=tuple(clock.seconds.items()),
    )


def _reused(last: fingerprint.LastBuild, options: BuildOptions, seconds: float) -> BuildReport:
    return BuildReport(
        organisations=last.organisations,
        dates=last.dates,
        pages=last.pages,
        files=last.files,
        warnings=(),
        seconds=seconds,
        out=options.out,
        reused=True,
    )


class _StageClock:
    """Runs one stage and notes how long it took, for the summary and the benchmarks."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def __call__(self, name: str, stage: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        started = time.perf_counter()
        try:
            return stage(*args, **kwargs)
        finally:
            self.seconds[name] = time.perf_counter() - started


@dataclass(frozen=True)
class LoadedHub:
    hub: Hub
    documents: list[Document]
    problems: list[Problem]  # warnings only: errors raise
    moved: Document | None  # the redirects file, when there is one

    def __iter__(self) -> Iterator[object]:
        return iter((self.hub, self.documents, self.problems, self.moved))


def load_hub(
    options: BuildOptions, progress: Progress, clock: _StageClock | None = None
) -> LoadedHub:
    """The hub from valid sources, with its feeds and history; raises SourceProblems."""
    clock = clock or _StageClock()
    built_at = options.clock()
    paths = sources.source_paths(options.sources)
    progress(f"Loading {len(paths)} source files from {options.sources}")
    documents = clock("load", sources.read_documents, paths)
    moved = redirects.read_redirects(options.sources)
    problems = clock("validate", validate_documents, documents)
    problems += redirects.redirect_problems(moved, organisation_ids(documents))
    if any(p.is_error for p in problems):
        raise SourceProblems(problems)
    feeds = clock("feeds", ingest.ingest, documents, today=built_at.date())
    problems += feeds.problems
    if any(p.is_error for p in feeds.problems):
        raise SourceProblems(problems)
    history = clock("history", read_history, options.history_path)
    hub = clock("normalise", with_feeds, documents, feeds, built_at)
    hub = annotate(replace(hub, source_revision=options.revision), history)
    return LoadedHub(hub, documents, problems, moved)


def with_feeds(documents: Sequence[Document], feeds: ingest.Ingested, built_at: datetime) -> Hub:
    return ingest.attach(normalise(documents, built_at=built_at), feeds)


def status_of(
    hub: Hub, options: BuildOptions, documents: Sequence[Document]
) -> tuple[StatusReport, list[Problem]]:
    """The status from the hub and the checks' committed results beside the sources (link
    report, Register snapshots), with warnings for what those results disagree with."""
    links, link_problems = read_link_inputs(options.sources)
    snapshots, snapshot_problems = read_snapshots(options.sources)
    findings = register_findings(hub, snapshots or {})
    inputs = StatusInputs(links=links, register=register_checks(hub, snapshots))
    warnings = [*link_problems, *snapshot_problems, *register_problems(findings, documents)]
    return status_report(hub, inputs, options.status), warnings


def status(
    options: BuildOptions, progress: Progress = lambda _: None
) -> tuple[StatusReport, list[Problem]]:
    """What ``vtq-hub report`` shows: the status (and its warnings), without building."""
    loaded = load_hub(options, progress)
    return status_of(loaded.hub, options, loaded.documents)


def validate_paths(
    paths: Sequence[Path], clock: Callable[[], datetime] = london_now
) -> list[Problem]:
    """Every problem in the given source files (checked together, as a build would), the
    files their feeds name included (read from disk or snapshots, never the network), and
    any redirects file among them (against the organisation files beside it)."""
    moved = [path for path in paths if path.name == redirects.REDIRECTS_FILE]
    documents = sources.read_documents(path for path in paths if path not in moved)
    problems = validate_documents(documents)
    failed = {p.path for p in problems if p.is_error}
    readable = [d for d in documents if d.path not in failed]
    return [
        *problems,
        *ingest.ingest(readable, today=clock().date()).problems,
        *(problem for path in moved for problem in redirect_file_problems(path)),
    ]


def validation_paths(sources_dir: Path) -> list[Path]:
    """What ``vtq-hub validate`` checks by default: every source file a build reads."""
    moved = sources_dir / redirects.REDIRECTS_FILE
    return [*sources.source_paths(sources_dir), *([moved] if moved.is_file() else [])]


def redirect_file_problems(path: Path) -> list[Problem]:
    current = [p.stem for p in sources.organisation_paths(path.parent)]
    return redirects.redirect_problems(sources.read_document(path), current)


def organisation_ids(documents: Sequence[Document]) -> list[str]:
    return [
        d.data["id"]
        for d in documents
        if isinstance(d.data, dict) and isinstance(d.data.get("id"), str)
    ]
