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

    index_site(Path("site"))     # writes site/pagefind/

Raises :class:`errors.BuildError` when Pagefind is missing or fails.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from hub_builder.errors import BuildError

BUNDLE = "pagefind"
EXCLUDED = ".headerlink, .hub-anchor, .md-visually-hidden"  # the "¶" and "#" links, hidden words
TIMEOUT_SECONDS = 600
BODY_MARK = b"data-pagefind-body"
PLAIN_PATH = re.compile(r"[A-Za-z0-9._/-]+")  # nothing a glob would read as a pattern
GLOB_LIMIT = 100_000  # characters: a command-line argument may hold 128 KiB


def index_site(site: Path) -> None:
    command = [
        sys.executable,
        *("-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE),
        *("--exclude-selectors", EXCLUDED, "--force-language", "en", "--silent"),
        *searched_pages_glob(site),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise BuildError(f"the search index could not be built: {exc}") from exc
    if done.returncode != 0:
        details = (done.stderr or done.stdout).strip() or f"exit code {done.returncode}"
        raise BuildError(f"the search index could not be built (is pagefind installed?): {details}")


def searched_pages_glob(site: Path) -> list[str]:
    """``--glob`` naming exactly the pages with content marked for search, when some are and
    their paths can be written as one; otherwise nothing, and Pagefind reads every page
    (and, when none is marked, indexes every page, as it does by itself)."""
    marked = sorted(
        page.relative_to(site).as_posix()
        for page in site.rglob("*.html")
        if BODY_MARK in page.read_bytes()
    )
    glob = "{" + ",".join(marked) + "}"
    if not marked or len(glob) > GLOB_LIMIT or not all(map(PLAIN_PATH.fullmatch, marked)):
        return []
    return ["--glob", glob]
