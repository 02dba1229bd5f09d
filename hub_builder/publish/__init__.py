"""Stage 7, publish: write the site. The only code that writes the output tree.

``publish()`` takes the rendered records and the hand-written pages, lays the pages out in
a fresh docs folder, runs the site engine (``ENGINES``: the real ``mkdocs build``,
:mod:`mkdocs`, or Zensical, :mod:`zensical`) into a staging folder beside ``out``, writes
the other records (calendars, JSON, CSV… which an engine would only copy) straight into it,
checks and finishes every page there (:mod:`html_policy`: no foreign
script, external links ``noopener``, a Content-Security-Policy; a page unchanged since an
earlier build is finished as it was then) while Pagefind indexes it for search
(:mod:`search_index`),
and only when all that succeeds swaps the staging folder in for ``out``. A failed build
leaves the previous site untouched and removes its staging folder; a swap cut short (stopped
between its two renames) is undone by the next publish, which puts the last good site back
first.

    publish(records, PublishPaths(config=Path("mkdocs.yml"), content=Path("site_content"),
            docs=Path(".hub-build/docs"), out=Path("site")))

Raises :class:`errors.OutputCollision` when two records (or a record and a hand-written
page) claim one path, :class:`errors.UnsafeOutput` when a page fails the HTML policy, and
:class:`errors.BuildError` when the engine or Pagefind fails.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from hub_builder.errors import BuildError, OutputCollision
from hub_builder.load.site_address import UNSET, SiteAddress
from hub_builder.publish import html_policy
from hub_builder.publish.mkdocs import run_mkdocs
from hub_builder.publish.search_index import BUNDLE, indexing
from hub_builder.publish.zensical import run_zensical

if TYPE_CHECKING:  # the records' type only: importing the renderers would slow every command
    from hub_builder.render.output import Output

SITE_MODE = 0o755
# Where a set-aside table goes back: render.output.fragment_marker(index), found in one pass.
FRAGMENT_MARKER = re.compile(r"<!--hub:fragment:([0-9]+)-->")


# The site engines: each turns the laid-out pages into HTML in the staging folder; everything
# after (the other records, tables put back, the HTML policy, Pagefind, the swap) is the same
# for both.
ENGINES = {"mkdocs": run_mkdocs, "zensical": run_zensical}


@dataclass(frozen=True)
class PublishPaths:
    config: Path  # mkdocs.yml
    content: Path  # hand-written pages (site_content/)
    docs: Path  # where the merged docs are laid out for the engine (.hub-build/docs)
    out: Path  # the finished site (site/)
    address: SiteAddress = UNSET  # where it is published, and its repository
    engine: str = "mkdocs"  # the site engine: a key of ENGINES
    secured: Path | None = None  # pages secured by earlier builds (.hub-build/secured)


@dataclass(frozen=True)
class PublishReport:
    pages: int
    files: int
    warnings: tuple[str, ...]
    steps: tuple[tuple[str, float], ...]  # seconds per step, for the benchmarks


def publish(records: Sequence[Output], paths: PublishPaths) -> PublishReport:
    restore_interrupted_swap(paths.out)
    steps: list[tuple[str, float]] = []
    started = time.perf_counter()

    def step_done(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        steps.append((name, now - started))
        started = now

    files = lay_out_docs(records, paths.content, paths.docs)
    step_done("lay out")
    with staging_folder(paths.out) as staging:
        warnings = ENGINES[paths.engine](paths.config, paths.docs, staging, paths.address)
        step_done(paths.engine)
        write_files(records, staging)
        step_done("files written")
        put_back_fragments(records, staging)
        step_done("tables put back")
        with indexing(staging):  # Pagefind, in its own process, while the pages are checked
            html_policy.secure_site(staging, cache=paths.secured)
            step_done("HTML policy")
        step_done("Pagefind")  # what Pagefind took beyond the HTML policy
        swap_into_place(staging, paths.out)
    pages = sum(1 for name in files if name.endswith(".md"))
    return PublishReport(pages=pages, files=len(files), warnings=warnings, steps=tuple(steps))


def put_back_fragments(records: Iterable[Output], site: Path) -> None:
    """Put each page's set-aside tables back where mkdocs left their placeholders."""
    for record in records:
        if record.fragments:
            built = site / built_page(record.path)
            html = with_fragments(built.read_text("utf-8"), record.fragments, record.path)
            built.write_text(html, "utf-8")


def with_fragments(html: str, fragments: Sequence[str], doc_path: str) -> str:
    """``html`` with each placeholder replaced by its table, in one pass over the page."""
    found = Counter(int(index) for index in FRAGMENT_MARKER.findall(html))
    for index in range(len(fragments)):
        if found[index] != 1:
            raise BuildError(f"{doc_path}: the theme lost or repeated table {index}")

    def fragment(marker: re.Match[str]) -> str:
        index = int(marker[1])
        return fragments[index] if index < len(fragments) else marker[0]

    return FRAGMENT_MARKER.sub(fragment, html)


def built_page(doc_path: str) -> str:
    """Where mkdocs (with directory URLs) writes a page: ``a/b.md`` → ``a/b/index.html``."""
    stem = doc_path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return f"{stem}.html"
    return f"{stem}/index.html"


def is_page(record: Output) -> bool:
    """A record the site engine makes a page of; the others it would copy as they are."""
    return record.path.endswith(".md")


def lay_out_docs(records: Sequence[Output], content: Path, docs: Path) -> list[str]:
    """Copy the hand-written pages and write the records that are pages into an emptied
    ``docs``, after checking that no two records or hand-written files would become the same
    file of the site."""
    hand_written = (
        sorted(p.relative_to(content).as_posix() for p in content.rglob("*") if p.is_file())
        if content.is_dir()
        else []
    )
    claim_site_paths([*((path, "site_content") for path in hand_written),
                      *((record.path, "generated") for record in records)])  # fmt: skip
    if docs.exists():
        shutil.rmtree(docs)
    shutil.copytree(content, docs) if content.is_dir() else docs.mkdir(parents=True)
    for record in filter(is_page, records):
        target = docs / record.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(record.content)
    return sorted([*hand_written, *(record.path for record in records)])


def write_files(records: Iterable[Output], site: Path) -> None:
    """Write the records that are not pages into the built site, where the engine would have
    copied them: at hub scale, 20,000 calendars that the engine no longer reads and copies.
    A file the engine itself wrote is never replaced."""
    for record in records:
        if is_page(record):
            continue
        target = site / record.path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            with target.open("xb") as file:
                file.write(record.content)
        except FileExistsError:
            raise OutputCollision(
                f"{record.path} (generated) would replace a file the site engine wrote; rename it"
            ) from None


def claim_site_paths(claims: Iterable[tuple[str, str]]) -> None:
    """Refuse two claims on one file of the built site: the same docs path twice, or a page
    and a file that mkdocs would write to one place (``a.md`` and ``a/index.html``); and any
    claim on the search index's folder, which Pagefind's bundle takes whole."""
    owners: dict[str, tuple[str, str]] = {}
    for path, origin in claims:
        site_path = built_page(path) if path.endswith(".md") else path
        if site_path.startswith(f"{BUNDLE}/"):
            raise OutputCollision(
                f"{path} ({origin}) would be in {BUNDLE}/, the search index's folder; rename it"
            )
        if site_path in owners:
            other_path, other_origin = owners[site_path]
            raise OutputCollision(
                f"two outputs claim {site_path}: {other_path} ({other_origin}) and {path} "
                f"({origin}); rename one"
            )
        owners[site_path] = (path, origin)


@contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A fresh folder beside ``out`` (same disk, so the swap is a rename); removed on exit."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    staging.chmod(SITE_MODE)  # mkdtemp makes it private; a web server must read the site
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def swap_into_place(staging: Path, out: Path) -> None:
    retired = out.with_name(f".{out.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if out.exists():
        out.rename(retired)
    staging.rename(out)
    shutil.rmtree(retired, ignore_errors=True)


def restore_interrupted_swap(out: Path) -> None:
    """Put the last good site back if a swap stopped after retiring it."""
    retired = out.with_name(f".{out.name}.old")
    if retired.is_dir() and not out.exists():
        retired.rename(out)
