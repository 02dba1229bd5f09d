"""Time `vtq-hub watch` over every page the hub's own sources cite, served on 127.0.0.1 (a
script, not a test).

    .venv/bin/python benchmarks/watch_pages.py [--pause 0] [--workers 4]

Copies sources/ to a throwaway folder and serves a stand-in copy of every cited page (a
short HTML page with a date, as most key-dates pages are), then runs the watcher three
times: the first read of every page, a day on which nothing changed (conditional requests
answered 304) and a day on which a tenth of the pages changed. With ``--pause 0`` it measures
the watcher's own cost; the real run's time is bounded by the pause between two requests to
one site (``--pause 2``, the default of `vtq-hub watch`) times the most pages on one site.
Sends traffic to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub_builder.calendar import LONDON  # noqa: E402
from hub_builder.check import load_valid  # noqa: E402
from hub_builder.normalise import normalise  # noqa: E402
from hub_builder.remote.http import HttpClient  # noqa: E402
from hub_builder.remote.watch import Fetcher, cited_pages, watch, watch_policy  # noqa: E402

PAGES: dict[str, bytes] = {}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = PAGES.get(self.path.lstrip("/"))
        if body is None:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        etag = f'"{hash(body)}"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def page(url: str, when: str) -> bytes:
    paragraphs = "".join(
        f"<p>Paragraph {n} of the page at {url}, about key dates.</p>" for n in range(40)
    )
    return (
        f"<!doctype html><html><head><title>Key dates</title></head><body><nav>Menu</nav>"
        f"<main><h1>Key dates</h1>{paragraphs}<p>Entries close on {when}.</p></main>"
        f"<footer>Cookies</footer></body></html>"
    ).encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pause", type=float, default=0.0)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    client = HttpClient(replace(watch_policy(""), allow_loopback=True))
    fetcher = Fetcher(
        client,
        lambda url: re.sub("^https://", base, url),
        lambda url: url.replace(base, "https://"),
    )
    with tempfile.TemporaryDirectory() as tmp:
        sources = Path(tmp) / "sources"
        shutil.copytree(ROOT / "sources", sources)
        now = datetime(2026, 12, 7, 6, tzinfo=LONDON)
        hub = normalise(load_valid(sources).documents, built_at=now)
        urls = sorted({u for pages in cited_pages(hub).values() for u in pages})
        sites = Counter(u.split("/")[2] for u in urls)
        for url in urls:
            PAGES[url.removeprefix("https://")] = page(url, "21 February 2026")
        busiest = sites.most_common(1)[0]
        print(f"{len(urls)} cited pages on {len(sites)} sites; most on one site: {busiest}")
        for label, moment, change in (
            ("first read of every page", now, 0),
            ("nothing changed (304s)", now + timedelta(days=1), 0),
            ("a tenth of the pages changed", now + timedelta(days=2), 10),
        ):
            if change:
                for url in urls[::change]:
                    PAGES[url.removeprefix("https://")] = page(url, "20 February 2026")
            started = time.perf_counter()
            run = watch(sources, fetcher, moment, pause=args.pause, workers=args.workers)
            took = time.perf_counter() - started
            outcomes = Counter(c.outcome for c in run.checks)
            print(f"{label}: {took:.2f} s, {dict(outcomes)}, {len(run.written)} files written")
        print(
            f"With the default pause of 2 s the run is bounded below by "
            f"{2 * busiest[1]:.0f} s (the pauses on the busiest site)."
        )
    server.shutdown()


if __name__ == "__main__":
    main()
