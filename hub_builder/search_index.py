"""Index the built site for search with Pagefind: the step after ``mkdocs build``.

Input: a finished site folder. Output: ``<site>/pagefind/``, the index and the small
JavaScript that ``overrides/assets/search.js`` loads on ``/search/``. Pagefind splits the
index into chunks, so a query downloads only the chunks its words need (measured in
``benchmarks/hub_scale.py``: about 100 KB compressed for a first result on a hub of
100,000 dates, where mkdocs' own lunr index would be many megabytes built in the browser).

What is indexed is chosen in the templates: ``data-pagefind-body`` marks a page's content
(``overrides/main.html``; pages with ``search: exclude: true`` lack it), ``data-pagefind-ignore``
leaves out the long date lists of ``/dates/`` (each date is indexed on its organisation's
page), and ``data-pagefind-weight`` lifts an organisation's names and groups.

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
