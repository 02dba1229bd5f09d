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

    index_site(Path("site"))     # writes site/pagefind/

Raises :class:`errors.BuildError` when Pagefind is missing or fails.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hub_builder.errors import BuildError

BUNDLE = "pagefind"
EXCLUDED = ".headerlink, .hub-anchor, .md-visually-hidden"  # the "¶" and "#" links, hidden words
TIMEOUT_SECONDS = 600


def index_site(site: Path) -> None:
    command = [
        sys.executable,
        *("-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE),
        *("--exclude-selectors", EXCLUDED, "--force-language", "en", "--silent"),
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
