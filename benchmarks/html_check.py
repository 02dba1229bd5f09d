"""The HTML check over every page of a built site, in memory, in this one process.

    python benchmarks/html_check.py --site /tmp/hub/site

Reads each ``*.html`` of the site (as the engine wrote it, or as already checked), checks
and finishes it with ``html_policy.secure_page`` and keeps nothing; prints one JSON object:
pages, megabytes of HTML, links marked and the seconds the check took (reading the files
not included). The site is left as it is.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from hub_builder.publish.html_policy import secure_page


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", type=Path, required=True)
    args = parser.parse_args()
    pages = sorted(args.site.rglob("*.html"))
    seconds = 0.0
    marked = size = 0
    for page in pages:
        text = page.read_text("utf-8")
        size += len(text.encode())
        started = time.perf_counter()
        marked += secure_page(text, page.relative_to(args.site).as_posix())[1]
        seconds += time.perf_counter() - started
    print(json.dumps({"pages": len(pages), "mb": size / 1e6, "marked": marked, "seconds": seconds}))


if __name__ == "__main__":
    main()
