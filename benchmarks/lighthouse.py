"""Lighthouse on a built site, as a phone sees it: home, /dates/ and an organisation page.

    PUPPETEER_SKIP_DOWNLOAD=1 npm i -E --prefix /tmp/lh lighthouse@12.8.2
    .venv/bin/vtq-hub build --out /tmp/lh-site/site
    python benchmarks/lighthouse.py --site /tmp/lh-site/site \\
        --lighthouse /tmp/lh/node_modules/.bin/lighthouse

Serves the site on 127.0.0.1 and runs Lighthouse's default mobile settings (a mid-range
phone, throttled 4G) with Debian's Chromium (``CHROME_PATH``, /usr/bin/chromium by
default), one page at a time, and prints each page's accessibility, performance, best
practices and SEO scores with its cumulative layout shift, largest contentful paint and
total blocking time. Lighthouse 12 runs on Node 20; 13 needs Node 22.

A benchmark, not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = ("", "dates/", "organisations/pearson/")
CATEGORIES = ("accessibility", "performance", "best-practices", "seo")
AUDITS = {
    "cumulative-layout-shift": "CLS",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
}


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def run(lighthouse: str, url: str, out: Path) -> dict[str, object]:
    command = [
        lighthouse,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, check=True, env=env, timeout=300)
    result: dict[str, object] = json.loads(out.read_text("utf-8"))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="a built site folder")
    parser.add_argument("--lighthouse", default="lighthouse", help="the lighthouse command")
    parser.add_argument("--page", action="append", help="a page to run (default: three)")
    args = parser.parse_args()
    handler = partial(Quiet, directory=str(args.site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"{'page':28} " + " ".join(f"{c[:13]:>13}" for c in CATEGORIES) + "    CLS    LCP    TBT")
    try:
        with tempfile.TemporaryDirectory() as work:
            for page in args.page or PAGES:
                report = run(args.lighthouse, base + page, Path(work) / "report.json")
                categories = report["categories"]
                audits = report["audits"]
                assert isinstance(categories, dict) and isinstance(audits, dict)
                scores = " ".join(f"{round(100 * categories[c]['score']):>13}" for c in CATEGORIES)
                cls = audits["cumulative-layout-shift"]["numericValue"]
                lcp = audits["largest-contentful-paint"]["numericValue"] / 1000
                tbt = audits["total-blocking-time"]["numericValue"]
                print(f"/{page:27} {scores} {cls:6.3f} {lcp:5.1f}s {tbt:4.0f}ms")
                for category in CATEGORIES:
                    refs = categories[category]["auditRefs"]
                    failing = [
                        r["id"]
                        for r in refs
                        if r.get("weight", 0) > 0
                        and audits[r["id"]].get("score") is not None
                        and audits[r["id"]]["score"] < 0.9
                    ]
                    if failing:
                        print(f"    {category}: below 90: {', '.join(failing)}")
    finally:
        server.shutdown()
    sys.stdout.flush()


if __name__ == "__main__":
    main()
