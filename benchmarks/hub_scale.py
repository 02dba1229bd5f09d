"""Measure the reader's side of a hub of realistic size: page weight, search, explorer.

    python benchmarks/hub_scale.py --scale hub --work /tmp/hub-scale

Writes a synthetic hub (fictional "Example Awarding Body N" entries, benchmarks/
synthetic.py), builds it with the real pipeline (mkdocs, then Pagefind), and reports:

* build time and the size of /dates/ and of the explorer's JSON (raw and gzip);
* Pagefind: what a first query downloads, measured in Chromium (every file fetched under
  /pagefind/, counted at its gzip size: what a server with compression sends);
* with ``--lunr``: the same site built with mkdocs' own search plugin, and the size of the
  lunr index every visitor's browser would download and build;
* the explorer in Chromium: time to the first rows and to the whole count for a filter
  over every month, and the longest task that blocked the page meanwhile.

A benchmark, not a test: it prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import shutil
import sys
import threading
import time
from datetime import datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.synthetic import SCALES, write_hub  # noqa: E402
from hub_builder.calendar import LONDON  # noqa: E402
from hub_builder.pipeline import BuildOptions, build  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
TODAY = datetime(2026, 11, 23, 9, 30, tzinfo=LONDON)


# When the first search result appears, and which /pagefind/ files had arrived by then.
FIRST_RESULT_CLOCK = """
new MutationObserver((changes, observer) => {
  if (document.querySelector('.hub-search__result')) {
    window.__firstResultAt = performance.now();
    observer.disconnect();
  }
}).observe(document, {childList: true, subtree: true});
"""
FETCHED_BEFORE_FIRST_RESULT = """
performance.getEntriesByType('resource')
  .filter(e => e.name.includes('/pagefind/') && e.responseEnd <= window.__firstResultAt)
  .map(e => e.name)
"""


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 6))


def kb(n: float) -> str:
    return f"{n / 1024:,.0f} KB"


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a browser that closes a page mid-download is no error here


def serve(site: Path) -> tuple[ThreadingHTTPServer, str]:
    server = QuietServer(("127.0.0.1", 0), partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build_site(sources: Path, work: Path, config: Path) -> float:
    started = time.perf_counter()
    build(
        BuildOptions(
            sources=sources,
            out=work / "site",
            config=config,
            content=ROOT / "site_content",
            work=work / "build",
            clock=lambda: TODAY,
        )
    )
    return time.perf_counter() - started


def report_sizes(site: Path) -> None:
    dates = site / "dates" / "index.html"
    print(f"/dates/ HTML: {kb(dates.stat().st_size)} raw, {kb(gz(dates))} gzip")
    explorer = site / "dates" / "explorer"
    index = explorer / "index.json"
    slices = [p for p in explorer.glob("*.json") if p.name != "index.json"]
    biggest = max(slices, key=lambda p: p.stat().st_size)
    print(f"explorer index.json: {kb(index.stat().st_size)} raw, {kb(gz(index))} gzip")
    print(
        f"explorer slices: {len(slices)} months, {kb(sum(p.stat().st_size for p in slices))} "
        f"raw in all, {kb(sum(gz(p) for p in slices))} gzip in all; biggest {biggest.name} "
        f"{kb(biggest.stat().st_size)} raw, {kb(gz(biggest))} gzip"
    )
    months = sorted((site / "dates").glob("20*-*/index.html"))
    if months:
        largest = max(months, key=lambda p: p.stat().st_size)
        print(f"largest month page: {kb(largest.stat().st_size)} raw, {kb(gz(largest))} gzip")
    bundle = site / "pagefind"
    print(f"Pagefind bundle on disk: {kb(sum(p.stat().st_size for p in bundle.rglob('*')))}")


def measure_in_browser(site: Path, queries: list[str], explorer_query: str) -> None:
    from playwright.sync_api import sync_playwright

    server, base = serve(site)
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            for query in queries:
                context = chromium.new_context()
                page = context.new_page()
                page.add_init_script(FIRST_RESULT_CLOCK)
                page.goto(f"{base}search/?q={query}")
                page.wait_for_selector(".hub-search__result", timeout=60_000)
                first = page.locator(".hub-search__title").first.inner_text()
                fetched = page.evaluate(FETCHED_BEFORE_FIRST_RESULT)
                sizes = [gz(site / url.removeprefix(base).split("?")[0]) for url in fetched]
                print(
                    f"search {query!r}: first result {first!r}; {len(fetched)} files, "
                    f"{kb(sum(sizes))} gzip before the first result: "
                    + ", ".join(Path(u.split("?")[0]).name for u in fetched)
                )
                context.close()
            context = chromium.new_context()
            page = context.new_page()
            page.add_init_script(
                "window.__longest = 0; new PerformanceObserver(l => l.getEntries().forEach("
                "e => { window.__longest = Math.max(window.__longest, e.duration); }))"
                ".observe({type: 'longtask', buffered: true});"
            )
            page.clock.set_fixed_time(TODAY)
            started = time.perf_counter()
            page.goto(f"{base}dates/{explorer_query}")
            page.wait_for_selector(".hub-dates--explorer tbody tr", timeout=120_000)
            first_rows = time.perf_counter() - started
            page.wait_for_selector("[data-hub-explorer]:not([aria-busy])", timeout=300_000)
            whole = time.perf_counter() - started
            status = page.locator(".hub-explorer__status").inner_text()
            longest = page.evaluate("window.__longest")
            filter_ms = page.locator("[data-hub-explorer]").get_attribute("data-filter-ms")
            print(
                f"explorer {explorer_query}: first rows after {first_rows:.2f} s, whole list "
                f"after {whole:.2f} s (filtering {filter_ms} ms), longest blocking task "
                f"{longest:.0f} ms; {status}"
            )
            chromium.close()
    finally:
        server.shutdown()


def lunr_config(work: Path) -> Path:
    """The project's mkdocs.yml with mkdocs' own search plugin back on."""
    text = (ROOT / "mkdocs.yml").read_text("utf-8").replace("plugins: []", "plugins: [search]")
    config = ROOT / f".mkdocs-lunr-{work.name}.yml"  # beside the original: same relative paths
    config.write_text(text, "utf-8")
    return config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="hub")
    parser.add_argument("--work", type=Path, default=Path("/tmp/hub-scale"))
    parser.add_argument("--lunr", action="store_true", help="also measure mkdocs' lunr index")
    parser.add_argument(
        "--browser-only",
        action="store_true",
        help="measure an earlier build in --work again, with the current overrides/assets/*.js",
    )
    args = parser.parse_args()

    scale = SCALES[args.scale]
    print(f"synthetic hub: {scale.organisations} organisations, {scale.dates:,} key dates")
    if args.browser_only:
        for script in (ROOT / "overrides" / "assets").glob("*.js"):
            shutil.copy(script, args.work / "site" / "assets" / script.name)
    else:
        shutil.rmtree(args.work, ignore_errors=True)
        write_hub(scale, args.work / "sources")
        seconds = build_site(args.work / "sources", args.work, ROOT / "mkdocs.yml")
        print(f"build (mkdocs + Pagefind): {seconds:.0f} s")
    report_sizes(args.work / "site")
    last = scale.organisations
    measure_in_browser(
        args.work / "site",
        queries=[f"EAB{last}", f"RN{90000 + last}", "Technicals", "results+day"],
        explorer_query="?ao=example-ab-0001,example-ab-0002&kind=checkpoint",
    )
    measure_in_browser(args.work / "site", [], explorer_query="?q=results&upcoming=0")
    if args.lunr and not args.browser_only:
        config = lunr_config(args.work)
        try:
            seconds = build_site(args.work / "sources", args.work / "lunr", config)
        finally:
            config.unlink()
        index = args.work / "lunr" / "site" / "search" / "search_index.json"
        print(
            f"lunr build: {seconds:.0f} s; search_index.json {kb(index.stat().st_size)} raw, "
            f"{kb(gz(index))} gzip, {len(json.loads(index.read_bytes())['docs']):,} documents, "
            "all downloaded and indexed in the browser before a first result"
        )


if __name__ == "__main__":
    main()
