"""Index the built site for search with Pagefind: the step after ``mkdocs build``.

Input: a finished site folder. Output: ``<site>/pagefind/``, the index and the small
JavaScript that ``overrides/assets/search.js`` loads on ``/search/``. Pagefind splits the
index into chunks by word, so a query downloads its runtime (about 87 KB compressed, most
of it WebAssembly) and one chunk per word (13 to 28 KB at hub scale), never the whole index
(measured in ``benchmarks/hub_scale.py``: 104 to 135 KB compressed to a first result on a
hub of 100,000 dates, where mkdocs' own lunr index would be many megabytes).

What is indexed is chosen in the templates, and kept small because every word a page
repeats makes that word's chunk bigger for every search: ``data-pagefind-body`` marks a
page's content (``overrides/main.html``; pages with ``search: exclude: true`` lack it, as
month pages do, and ``/dates/`` leaves out its long list); an organisation page gives each
date title and description once (``render.searched_once``), and leaves out column heads,
"Source" links, addresses and the results-deadline tables with ``data-pagefind-ignore``;
``search: boost`` (``data-pagefind-weight``) lifts organisation pages and lowers the
status page, which is written for exams officers and awarding organisations.

Pagefind reads only the pages that mark content for it (``--glob``): the month pages,
over a third of the site's HTML at hub scale, mark none, and Pagefind would parse them to
find nothing. The index is the same (``tests/test_render_search.py``).

A build runs Pagefind in its own process while the HTML policy checks the same pages
(``indexing``; ``TIMEOUT_SECONDS`` counts from the end of the check): the policy rewrites a
page whole (a rename) and changes only what Pagefind does not index (link ``rel``, the
Content-Security-Policy), so the index is the one the checked pages give; if the policy
refuses a page, Pagefind is stopped and the build fails as before. Pagefind writes its
bundle beside the site, and it is moved in when both are done.

    with indexing(Path("site")):
        ...                      # site/pagefind/ is written when the block and Pagefind end

Raises :class:`errors.BuildError` when Pagefind is missing or fails.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from hub_builder.errors import BuildError

BUNDLE = "pagefind"
EXCLUDED = ".headerlink, .hub-anchor, .md-visually-hidden"  # the "¶" and "#" links, hidden words
TIMEOUT_SECONDS = 600
BODY_MARK = b"data-pagefind-body"
# The attribute in a start tag (the words in a page's text are escaped: "&lt;div …").
BODY_ATTRIBUTE = re.compile(rb"<[^<>]*\sdata-pagefind-body[\s=/>]")
PLAIN_PATH = re.compile(r"[A-Za-z0-9._/-]+")  # nothing a glob would read as a pattern
GLOB_LIMIT = 100_000  # characters: a command-line argument may hold 128 KiB


@contextmanager
def indexing(site: Path) -> Iterator[None]:
    """Pagefind indexes ``site`` while the block runs; its bundle is ``site/pagefind`` when
    the block and Pagefind have both finished. An error in the block stops Pagefind."""
    with tempfile.TemporaryDirectory(dir=site.parent, prefix=f"{site.name}.search.") as work:
        bundle, log = Path(work) / BUNDLE, Path(work) / "pagefind.log"
        command = [
            sys.executable,
            *("-m", "pagefind", "--site", str(site), "--output-path", str(bundle)),
            *("--exclude-selectors", EXCLUDED, "--force-language", "en", "--silent"),
            *searched_pages_glob(site),
        ]
        with log.open("w+", encoding="utf-8") as output:
            try:
                process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
            except OSError as exc:
                raise BuildError(f"the search index could not be built: {exc}") from exc
            try:
                yield
            except BaseException:
                stop(process)
                raise
            try:
                process.wait(timeout=TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired as exc:
                stop(process)
                raise BuildError(f"the search index could not be built: {exc}") from exc
            output.seek(0)
            details = output.read().strip() or f"exit code {process.returncode}"
        if process.returncode != 0:
            raise BuildError(
                f"the search index could not be built (is pagefind installed?): {details}"
            )
        try:
            bundle.rename(site / BUNDLE)
        except OSError as exc:
            raise BuildError(f"the search index could not be put in the site: {exc}") from exc


def stop(process: subprocess.Popen[bytes]) -> None:
    process.kill()
    process.wait()


def searched_pages_glob(site: Path) -> list[str]:
    """``--glob`` naming exactly the pages with content marked for search, when some are and
    their paths can be written as one; otherwise nothing, and Pagefind reads every page
    (and, when none is marked, indexes every page, as it does by itself)."""
    marked = sorted(
        page.relative_to(site).as_posix() for page in site.rglob("*.html") if is_marked(page)
    )
    glob = "{" + ",".join(marked) + "}"
    if not marked or len(glob) > GLOB_LIMIT or not all(map(PLAIN_PATH.fullmatch, marked)):
        return []
    return ["--glob", glob]


def is_marked(page: Path) -> bool:
    """Whether the page marks content for search (``data-pagefind-body`` on an element)."""
    text = page.read_bytes()
    return BODY_MARK in text and BODY_ATTRIBUTE.search(text) is not None
