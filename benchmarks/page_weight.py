"""What a first visit to a page downloads: its HTML and the stylesheets and scripts it names.

    .venv/bin/vtq-hub build --out /tmp/weight/mkdocs
    .venv/bin/vtq-hub build --engine zensical --out /tmp/weight/zensical
    python benchmarks/page_weight.py /tmp/weight/mkdocs /tmp/weight/zensical

For home, /dates/ and an organisation page of each built site, prints the size of the page
and of every local ``*.css`` and ``*.js`` file it links, each counted at its gzip size (what
a server with compression sends). Images, fonts, Pagefind and the explorer's data, which
load later or on demand, are left out.

A benchmark, not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

PAGES = ("index.html", "dates/index.html", "organisations/pearson/index.html")
LINKED = re.compile(r'(?:href|src)="([^":?#]+\.(?:css|js))(?:[?#][^"]*)?"')


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9))


def page_weight(site: Path, page: str) -> tuple[int, int]:
    """(the page's bytes, the page's with its stylesheets and scripts), gzip."""
    path = site / page
    html = path.read_bytes()
    linked = {(path.parent / ref).resolve() for ref in LINKED.findall(html.decode("utf-8"))}
    assets = sum(gzip_size(f.read_bytes()) for f in linked if f.is_file())
    return gzip_size(html), gzip_size(html) + assets


def main() -> None:
    for site in map(Path, sys.argv[1:]):
        for page in PAGES:
            alone, total = page_weight(site, page)
            print(
                f"{site.name:>10}  {page:36} {alone / 1000:6.1f} KB page, "
                f"{total / 1000:6.1f} KB with CSS and JS"
            )


if __name__ == "__main__":
    main()
