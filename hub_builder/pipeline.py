"""The build, top to bottom: load → check → feeds → normalise → status → render → publish.

    report = build(BuildOptions(sources=Path("sources"), out=Path("site")))

Everything is gathered and checked before anything is written. Feeds are read from their
snapshots (``vtq-hub fetch`` refreshes them): the build never touches the network. A build
whose inputs (sources, pages, theme, config, the package, the day) are unchanged since the
last successful one keeps that site (``BuildReport.reused``), and reports what that build
reported; ``force`` rebuilds. Raises :class:`errors.SourceProblems` (with every problem)
when a source is invalid, so nothing is written then; :class:`errors.BuildError` when the
site cannot be built. ``progress`` receives one short line per stage; the library never
prints.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from hub_builder import scale
from hub_builder.calendar import london_now
from hub_builder.check import load_valid, validate_documents
from hub_builder.check.redirects import redirect_problems
from hub_builder.domain.identity import Clash, clashes_of
from hub_builder.errors import SourceProblems
from hub_builder.feeds.ingest import attach, ingest
from hub_builder.files import held_lock
from hub_builder.load.site_address import SiteAddress, read_site_address
from hub_builder.load.sources import (
    HISTORY_FILE,
    ORGANISATIONS_DIR,
    REDIRECTS_FILE,
    organisation_paths,
    read_document,
    read_documents,
    refused_files,
    source_paths,
    sources_root,
)
from hub_builder.model import NATIONAL_FILE, NATIONAL_ID, Hub, KeyDate, Redirect
from hub_builder.normalise import normalise, redirects
from hub_builder.normalise.history import annotate, read_history
from hub_builder.problems import FieldPath, Places, Problem, sorted_problems
from hub_builder.publish import fingerprint as last_build
from hub_builder.status import status_of
from hub_builder.status.report import StatusOptions, StatusReport

if TYPE_CHECKING:
    from hub_builder.publish import PublishPaths

Progress = Callable[[str], None]
LOCK_FILE = "lock"  # in the work folder: held while a build runs


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
    status: StatusOptions = field(default_factory=StatusOptions)
    site_url: str | None = None  # overrides mkdocs.yml's site_url
    repo_url: str | None = None  # overrides mkdocs.yml's extra.repository
    report_email: str | None = None  # overrides mkdocs.yml's extra.report_email
    engine: str = "mkdocs"  # or "zensical" (publish.ENGINES)
    scale: str = "auto"  # the plain or the large hub's path, by size; or "plain", "large"

    @property
    def history_path(self) -> Path:
        return self.history or self.sources / HISTORY_FILE

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


class StageTimer:
    """How long each stage took, for the summary and the benchmarks: ``with timer("render"):``."""

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[stage] = time.perf_counter() - started

    @property
    def total(self) -> float:
        return time.perf_counter() - self.started


def build(options: BuildOptions, progress: Progress = lambda _: None) -> BuildReport:
    """Build the site, one build at a time per work folder: a second build started while
    one runs waits for it (with a line to ``progress``), so two builds never mix their
    files; a build killed part-way leaves no lock behind."""
    waiting = f"Another build is using {options.work}; waiting for it to finish"
    with held_lock(options.work / LOCK_FILE, waiting=lambda: progress(waiting)):
        return build_alone(options, progress)


def build_alone(options: BuildOptions, progress: Progress) -> BuildReport:
    """Build the site: the stages in order, each written as a call."""
    # Imported here, not above: validate and report run the stages before render only, and
    # start faster without the renderers and the engines.
    from hub_builder.publish import publishing
    from hub_builder.render import Rendering, render_into

    timer = StageTimer()
    built_at = options.clock()

    # Reuse: an unchanged build keeps the last site.
    with timer("fingerprint"):
        digest = last_build.fingerprint(
            options.inputs, build_context(options, built_at), options.out
        )
    last = last_build.read(options.work)
    if last and last.digest == digest and options.out.is_dir() and not options.force:
        progress("Nothing has changed since the last build: keeping it")
        return reused_report(last, options, timer.total)

    # Gather: read, check and model every input before anything is written.
    address = read_site_address(
        options.config, options.site_url, options.repo_url, options.report_email
    )
    large = scale.is_large(scale.size_of(source_paths(options.sources)), options.scale)
    with scale.kept_from_gc_scans(large) as keep:
        loaded = load_hub(options, progress, timer, built_at, large)
        keep()  # the model lives until the site is written
        hub = replace(
            loaded.hub,
            site_url=address.site_url,
            repository=address.repository,
            report_email=address.report_email,
        )
        with timer("status"):
            status, status_problems = status_of(hub, options.sources, options.status)
        problems = (*loaded.problems, *status_problems)
        # Status placed the last problem on a line: the files' places, and the text they
        # keep (as big as the source files), are let go before the site is made.
        hub = unplaced(hub)
        rendering = Rendering(hub, status, loaded.redirects, large)
        del loaded

        # Make and write: each file of the site written as it is rendered, then the site
        # built from them aside and swapped in whole by the one writer.
        with publishing(publish_paths(options, address, large)) as site:
            progress(f"Rendering {len(hub.organisations)} organisations")
            with timer("render"):
                written = render_into(rendering, site.write)
            progress(f"Building the site with {options.engine}")
            with timer("publish"):
                published = site.finish(written)

    report = BuildReport(
        organisations=len(hub.organisations),
        dates=len(hub.all_dates),
        pages=published.pages,
        files=published.files,
        warnings=published.warnings,
        seconds=timer.total,
        out=options.out,
        problems=problems,
        stages=(
            *timer.seconds.items(),
            *((f"publish: {step}", seconds) for step, seconds in published.steps),
        ),
    )
    last_build.write(options.work, stamp(digest, report))
    return report


def build_context(options: BuildOptions, built_at: datetime) -> str:
    """What the pages depend on besides the input files: the day, the revision, the options."""
    return (
        f"{built_at.date()} {options.revision} {options.status!r} "
        f"{options.site_url!r} {options.repo_url!r} {options.report_email!r} {options.engine}"
    )


def publish_paths(options: BuildOptions, address: SiteAddress, large: bool) -> PublishPaths:
    from hub_builder.publish import PublishPaths

    return PublishPaths(
        config=options.config,
        content=options.content,
        docs=options.work / "docs",
        out=options.out,
        address=address,
        engine=options.engine,
        secured=options.work / "secured",
        large=large,
    )


def stamp(digest: str, report: BuildReport) -> last_build.LastBuild:
    return last_build.LastBuild(
        digest,
        report.organisations,
        report.dates,
        report.pages,
        report.files,
        report.warnings,
        report.problems,
    )


def reused_report(last: last_build.LastBuild, options: BuildOptions, seconds: float) -> BuildReport:
    return BuildReport(
        organisations=last.organisations,
        dates=last.dates,
        pages=last.pages,
        files=last.files,
        warnings=last.warnings,
        seconds=seconds,
        out=options.out,
        problems=last.problems,
        reused=True,
    )


def unplaced(hub: Hub) -> Hub:
    """The hub without its source files' places (:class:`problems.Places`): for a stage
    that places no problem on a line, so that the files' text is not kept for it."""
    return replace(
        hub,
        organisations=tuple(replace(o, places=Places(o.source_path)) for o in hub.organisations),
        national=replace(hub.national, places=Places()),
    )


@dataclass(frozen=True)
class LoadedHub:
    """The model and what came with it; the source files' data is not kept (at hub scale
    it takes about as much memory again as the model): each file's places are in the model."""

    hub: Hub
    problems: tuple[Problem, ...]  # warnings only: errors raise
    redirects: tuple[Redirect, ...] = ()  # from the redirects file, when there is one


def load_hub(
    options: BuildOptions,
    progress: Progress = lambda _: None,
    timer: StageTimer | None = None,
    built_at: datetime | None = None,
    large: bool = False,
) -> LoadedHub:
    """The hub from valid sources, with its feeds and history; raises SourceProblems.
    ``large``: on a large hub's path (:mod:`hub_builder.scale`)."""
    timer = timer or StageTimer()
    built_at = built_at or options.clock()
    progress(f"Loading the sources in {options.sources}")
    with timer("load and check"):
        checked = load_valid(options.sources, large)
    with timer("feeds"), scale.collecting():
        feeds = ingest(checked.documents, today=built_at.date())
    problems = (*checked.warnings, *feeds.problems)
    if any(p.is_error for p in feeds.problems):
        raise SourceProblems(problems)
    with timer("history"):
        history = read_history(options.history_path)
    with timer("normalise"):
        hub = attach(normalise(checked.documents, built_at=built_at), feeds)
        hub = annotate(replace(hub, source_revision=options.revision), history)
    return LoadedHub(hub, problems, redirects(checked.redirects))


def status(
    options: BuildOptions, progress: Progress = lambda _: None
) -> tuple[StatusReport, list[Problem]]:
    """What ``vtq-hub report`` shows: the status (and its warnings), without building."""
    loaded = load_hub(options, progress)
    return status_of(loaded.hub, options.sources, options.status)


def validate_paths(
    paths: Sequence[Path], clock: Callable[[], datetime] = london_now
) -> list[Problem]:
    """Every problem a build of the given source files would meet (checked together): a link
    or other file the build refuses anywhere in their sources folders, the
    files, the files their feeds name (read from disk or snapshots, never the network), the
    checks the outputs make (a calendar UID two dates share), and any redirects file among
    them (against the organisation files beside it). A file with errors is left out of the
    later checks, which would only repeat them."""
    built_at = clock()
    moved = [path for path in paths if path.name == REDIRECTS_FILE]
    documents = read_documents(path for path in paths if path not in moved)
    # The sources folders among them (a folder with organisation files or the national
    # calendar): a lone file elsewhere is checked itself, its folder not walked.
    roots = dict.fromkeys(
        root
        for root in (sources_root(path) for path in paths)
        if (root / ORGANISATIONS_DIR).is_dir() or (root / NATIONAL_FILE).is_file()
    )
    refused = [problem for root in roots for problem in refused_files(root)]
    problems = sorted_problems([*refused, *validate_documents(documents)])
    failed = {p.path for p in problems if p.is_error}
    readable = [d for d in documents if d.path not in failed]
    feeds = ingest(readable, today=built_at.date())
    hub = attach(normalise(readable, built_at=built_at), feeds)
    found = [
        *problems,
        *feeds.problems,
        *(clash_problem(clash, hub) for clash in clashes_of(hub)),
        *(problem for path in moved for problem in redirect_file_problems(path)),
    ]
    return list(dict.fromkeys(found))  # each once: a refused file is met twice


def clash_problem(clash: Clash, hub: Hub) -> Problem:
    """A calendar clash placed at the source field it comes from."""
    owner = clash.key_date.organisation_id
    places = hub.national.places if owner == NATIONAL_ID else hub.organisation(owner).places
    return places.problem(source_field(clash.key_date, places), clash.reason)


def source_field(key_date: KeyDate, places: Places) -> FieldPath:
    """Where a key date is written in its file: its own entry, the standing rule it comes
    from, or the feed it comes from."""
    if key_date.provenance is not None:
        return ("feeds", places.item(("feeds",), key_date.provenance.feed_id), "id")
    if key_date.is_expected:
        return ("standing_rules", places.item(("standing_rules",), key_date.standing_rule), "id")
    for key in ("key_dates", "dates", "results_days"):
        try:
            return (key, places.item((key,), key_date.id), "id")
        except KeyError:
            continue
    return ("id",)


def validation_paths(sources_dir: Path) -> list[Path]:
    """What ``vtq-hub validate`` checks by default: every source file a build reads."""
    moved = sources_dir / REDIRECTS_FILE
    return [*source_paths(sources_dir), *([moved] if moved.is_file() else [])]


def redirect_file_problems(path: Path) -> list[Problem]:
    current = [p.stem for p in organisation_paths(path.parent)]
    return redirect_problems(read_document(path), current)
