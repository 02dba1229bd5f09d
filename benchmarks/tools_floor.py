"""What any rebuild of a built hub costs in the tools that always go over the whole site.

    python benchmarks/tools_floor.py --site /tmp/hub/site --work /tmp/hub/work

Runs, on the pages a build left, the two steps that take every page whatever changed: the
site engine over the docs folder (``WORK/docs``, the pages it was given), into a folder of
its own, and Pagefind over a copy of the finished site (hard links: the site is not
touched). Neither tool can add to what it made before, so a rebuild after a one-line change
takes at least their sum, however much of the rest is cached. Prints one JSON object:
seconds for each and their total. Pagefind's are its own: the build's scan for the pages
it is to read (``searched_pages_glob``) is timed apart and left out of the total.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from hub_builder.load.site_address import read_site_address
from hub_builder.publish import ENGINES
from hub_builder.publish.search_index import BUNDLE, indexing, searched_pages_glob

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, required=True, help="a site the build finished")
    parser.add_argument("--work", type=Path, required=True, help="that build's work folder")
    parser.add_argument("--engine", choices=sorted(ENGINES), default="mkdocs")
    args = parser.parse_args()
    config = ROOT / "mkdocs.yml"
    with tempfile.TemporaryDirectory(dir=args.site.parent, prefix="tools-floor.") as scratch:
        started = time.perf_counter()
        ENGINES[args.engine](
            config, args.work / "docs", Path(scratch) / "engine", read_site_address(config)
        )
        engine_s = time.perf_counter() - started

        indexed = Path(scratch) / "site"
        shutil.copytree(args.site, indexed, copy_function=os.link)
        shutil.rmtree(indexed / BUNDLE)
        started = time.perf_counter()
        searched_pages_glob(indexed)
        scan_s = time.perf_counter() - started
        started = time.perf_counter()
        with indexing(indexed):
            pass
        pagefind_s = time.perf_counter() - started - scan_s
    print(json.dumps({"engine_s": engine_s, "pagefind_s": pagefind_s, "scan_s": scan_s,
                      "total": engine_s + pagefind_s}))  # fmt: skip


if __name__ == "__main__":
    main()
