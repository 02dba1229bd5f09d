"""Stage 7, publish: write the site. The only code that writes the output tree.

The rendered records are written as they are made, so that no copy of them all is held
(at hub scale they are a gigabyte): :func:`publishing` lays the hand-written pages out in a
fresh docs folder and gives a :class:`Publishing`, whose ``write`` puts each record where it
waits for the engine (a page in the docs folder, its set-aside tables beside it, any other
file in a folder of its own) and whose ``finish`` builds the site: it checks that no two
records or hand-written pages claim one file, runs the site engine (``ENGINES``: the real
``mkdocs build``, :mod:`mkdocs`, or Zensical, :mod:`zensical`) into a staging folder beside
``out``, moves the other records (calendars, JSON, CSV… which an engine would only copy)
into it, puts the tables back, checks and finishes every page there (:mod:`html_policy`: no
foreign script, external links ``noopener``, a Content-Security-Policy; a page unchanged
since an earlier build is finished as it was then) while Pagefind indexes it for search
(:mod:`search_index`), and only when all that succeeds swaps the staging folder in for
``out``. A failed build leaves the previous site untouched and removes its staging folder; a
swap cut short (stopped between its two renames) is undone by the next publish, which puts
the last good site back first.

    with publishing(PublishPaths(config=Path("mkdocs.yml"), content=Path("site_content"),
                                 docs=Path(".hub-build/docs"), out=Path("site"))) as site:
        report = site.finish([site.write(record) for record in records])

``publish(records, paths)`` is the same in one call. ``write`` keeps nothing in memory, so
a forked process (on a large hub's path: :mod:`hub_builder.scale`) may write records too,
and hand their paths back for ``finish``.

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
from hub_builder.files import files_below, make_public, read_inside
from hub_builder.load.site_address import UNSET, SiteAddress, theme_folder
from hub_builder.publish import html_policy
from hub_builder.publish.mkdocs import run_mkdocs
from hub_builder.publish.search_index import BUNDLE, indexing
from hub_builder.publish.zensical import run_zensical

if TYPE_CHECKING:  # the records' type only: importing the renderers would slow every command
    from hub_builder.render.output import Output

SITE_MODE = 0o755
MAX_PAGE_BYTES = 20_000_000  # a hand-written page or theme file
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
    large: bool = False  # on a large hub's path (hub_builder.scale)


@dataclass(frozen=True)
class PublishReport:
    pages: int
    files: int
    warnings: tuple[str, ...]
    steps: tuple[tuple[str, float], ...]  # seconds per step, for the benchmarks


def publish(records: Iterable[Output], paths: PublishPaths) -> PublishReport:
    """Write ``records`` and build the site from them, in one call."""
    with publishing(paths) as site:
        return site.finish([site.write(record) for record in records])


@contextmanager
def publishing(paths: PublishPaths) -> Iterator[Publishing]:
    """The hand-written pages laid out in an emptied docs folder, and a folder beside ``out``
    for the other records and the set-aside tables until the engine has run (removed on
    exit); a :class:`Publishing` that writes records there and finishes the site."""
    restore_interrupted_swap(paths.out)
    remove_stale_staging(paths.out)
    started = time.perf_counter()
    hand_written = lay_out_hand_written(paths.content, paths.docs)
    with staging_folder(paths.out, "aside") as aside:
        yield Publishing(
            paths,
            hand_written,
            files=aside / "files",
            fragments=aside / "fragments",
            laid_out=time.perf_counter() - started,
        )


@dataclass(frozen=True)
class Publishing:
    paths: PublishPaths
    hand_written: tuple[str, ...]  # paths in the docs folder
    files: Path  # the records that are not pages, until they are moved into the built site
    fragments: Path  # each page's set-aside tables, until they are put back
    laid_out: float  # seconds taken to lay the hand-written pages out

    def write(self, record: Output) -> str:
        """Write one record where it waits for the engine; return its path, for ``finish``."""
        target = (self.paths.docs if is_page(record) else self.files) / record.path
        try:
            if record.fragments:
                write_fragments(self.fragments / record.path, record.fragments)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(record.content)
        except (FileExistsError, NotADirectoryError, IsADirectoryError) as exc:
            raise OutputCollision(
                f"{record.path} (generated) cannot be written where another output is "
                f"({exc.strerror}); rename one"
            ) from None
        return record.path

    def finish(self, written: Sequence[str]) -> PublishReport:
        """Build the site from the records ``written`` (every path ``write`` returned, in
        order) and swap it in."""
        paths = self.paths
        claim_site_paths([*((path, "site_content") for path in self.hand_written),
                          *((path, "generated") for path in written)])  # fmt: skip
        steps: list[tuple[str, float]] = [("lay out", self.laid_out)]
        started = time.perf_counter()

        def step_done(name: str) -> None:
            nonlocal started
            now = time.perf_counter()
            steps.append((name, now - started))
            started = now

        theme = theme_folder(paths.config)
        if theme is not None:
            refuse_links_in(theme)
        with staging_folder(paths.out) as staging:
            warnings = ENGINES[paths.engine](paths.config, paths.docs, staging, paths.address)
            step_done(paths.engine)
            move_files_in(self.files, staging)
            step_done("files moved in")
            put_back_fragments(filter(is_page_path, written), self.fragments, staging)
            step_done("tables put back")
            with indexing(staging):  # Pagefind, in its own process, while the pages are checked
                html_policy.secure_site(staging, cache=paths.secured, large=paths.large)
                step_done("HTML policy")
            step_done("Pagefind")  # what Pagefind took beyond the HTML policy
            make_public(staging)
            swap_into_place(staging, paths.out)
        files = [*self.hand_written, *written]
        pages = sum(1 for name in files if is_page_path(name))
        return PublishReport(pages=pages, files=len(files), warnings=warnings, steps=tuple(steps))


def write_fragments(path: Path, fragments: Sequence[str]) -> None:
    """A page's set-aside tables, each as UTF-8 after a first line of their lengths in bytes."""
    encoded = [fragment.encode("utf-8") for fragment in fragments]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as file:
        file.write(" ".join(str(len(part)) for part in encoded).encode() + b"\n")
        file.writelines(encoded)


def read_fragments(path: Path) -> tuple[str, ...]:
    """What :func:`write_fragments` wrote; none when the page set nothing aside."""
    try:
        with path.open("rb") as file:
            lengths = [int(length) for length in file.readline().split()]
            return tuple(file.read(length).decode("utf-8") for length in lengths)
    except FileNotFoundError:
        return ()


def move_files_in(files: Path, site: Path, under: str = "") -> None:
    """Move the records that are not pages into the built site, where the engine would have
    copied them: a folder the engine did not write goes in whole (at hub scale, 20,000
    calendars in one rename). A file the engine itself wrote is never replaced."""
    if not files.is_dir():
        return
    for entry in sorted(files.iterdir()):
        target, path = site / entry.name, f"{under}{entry.name}"
        if entry.is_dir() and target.is_dir():
            move_files_in(entry, target, f"{path}/")
        elif target.exists() or target.is_symlink():
            raise OutputCollision(
                f"{path} (generated) would replace a file the site engine wrote; rename it"
            )
        else:
            entry.rename(target)


def put_back_fragments(pages: Iterable[str], fragments: Path, site: Path) -> None:
    """Put each page's set-aside tables back where the engine left their placeholders."""
    for doc_path in pages:
        if set_aside := read_fragments(fragments / doc_path):
            built = site / built_page(doc_path)
            html = with_fragments(built.read_text("utf-8"), set_aside, doc_path)
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
    return is_page_path(record.path)


def is_page_path(doc_path: str) -> bool:
    return doc_path.endswith(".md")


def lay_out_hand_written(content: Path, docs: Path) -> tuple[str, ...]:
    """Copy the hand-written pages into an emptied ``docs``; their paths there. Each is read
    as every file of the checkout is (:func:`files.read_inside`); a link or other file that
    is not a regular one is refused (:class:`errors.RefusedFile`), unread."""
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    found, refused = files_below(content)
    if refused:
        raise refused[0]
    names = []
    for path in found:
        name = path.relative_to(content).as_posix()
        target = docs / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(read_inside(content, path, MAX_PAGE_BYTES))
        names.append(name)
    return tuple(sorted(names))


def refuse_links_in(theme: Path) -> None:
    """The theme's folder, which the engine reads itself, holds no link or other file that
    is not a regular one (:class:`errors.RefusedFile` names the first)."""
    _, refused = files_below(theme)
    if refused:
        raise refused[0]


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
def staging_folder(out: Path, purpose: str = "") -> Iterator[Path]:
    """A fresh folder beside ``out`` (same disk, so a move into it or the swap is a rename);
    removed on exit."""
    out.parent.mkdir(parents=True, exist_ok=True)
    prefix = f".{out.name}.{purpose + '.' if purpose else ''}"
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=out.parent))
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


def remove_stale_staging(out: Path) -> None:
    """Remove the staging folders a build stopped part-way (killed, say) left beside ``out``.
    Safe only while this build holds the work folder's lock (:func:`pipeline.build` does):
    no other build of ``out`` can be using them."""
    retired = out.with_name(f".{out.name}.old")
    for folder in out.parent.glob(f".{out.name}.*"):
        if folder != retired and folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)


def restore_interrupted_swap(out: Path) -> None:
    """Put the last good site back if a swap stopped after retiring it."""
    retired = out.with_name(f".{out.name}.old")
    if retired.is_dir() and not out.exists():
        retired.rename(out)
