"""Lighthouse on a built site, as a phone sees it: home, /dates/ and an organisation page.

    PUPPETEER_SKIP_DOWNLOAD=1 npm i -E --prefix /tmp/lh lighthouse@12.8.2
    .venv/bin/vtq-hub build --out /tmp/lh-site/site
    python benchmarks/lighthouse.py --site /tmp/lh-site/site \\
        --lighthouse /tmp/lh/node_modules/.bin/lighthouse

Serves the site on 127.0.0.1, text gzipped as GitHub Pages serves it, and runs
Lighthouse's default mobile settings (a mid-range phone, throttled 4G) with Debian's
Chromium (``CHROME_PATH``, /usr/bin/chromium by default), one page at a time, ``--runs``
times each (three by default), and prints each page's median accessibility, performance,
best practices and SEO scores with its cumulative layout shift, largest contentful paint
and total blocking time (from the median run by performance). Lighthouse 12 runs on Node
20; 13 needs Node 22. Run it with nothing else running: the scores follow the load.

A benchmark, not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import io
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


COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ics", ".csv")


class Quiet(SimpleHTTPRequestHandler):
    """Serves the site as GitHub Pages does: text gzipped for a browser that accepts it."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_head(self):  # type: ignore[no-untyped-def]
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


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


def median_run(reports: list[dict[str, object]]) -> dict[str, object]:
    """The run whose performance score is the median of the runs'."""

    def performance(report: dict[str, object]) -> float:
        categories = report["categories"]
        assert isinstance(categories, dict)
        return float(categories["performance"]["score"])

    return sorted(reports, key=performance)[len(reports) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, required=True, help="a built site folder")
    parser.add_argument("--lighthouse", default="lighthouse", help="the lighthouse command")
    parser.add_argument("--page", action="append", help="a page to run (default: three)")
    parser.add_argument("--runs", type=int, default=3, help="runs a page, median shown")
    args = parser.parse_args()
    handler = partial(Quiet, directory=str(args.site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    print(f"{'page':28} " + " ".join(f"{c[:13]:>13}" for c in CATEGORIES) + "    CLS    LCP    TBT")
    try:
        with tempfile.TemporaryDirectory() as work:
            for page in args.page or PAGES:
                reports = [
                    run(args.lighthouse, base + page, Path(work) / f"report-{n}.json")
                    for n in range(args.runs)
                ]
                report = median_run(reports)
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
