"""How far down a 390 px phone the answer is, on the site built from the hub's own sources
(a script, not a test).

    .venv/bin/python benchmarks/answer_reach.py [--width 390] [--height 800]

Builds the hub into a temporary folder, serves it on 127.0.0.1 and, in Debian's Chromium,
measures on the home page: the page's height, where the finder ends, and for each name a
family types, where the answer line ends once it is typed (with JavaScript); and without
JavaScript, where the A to Z ends and how far the answer is after tapping its letter.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub_builder.pipeline import BuildOptions, build  # noqa: E402

NAMES = {
    "BTEC Nationals": "pearson-btec-nationals",
    "T Level": "ncfe-t-level-technical-qualifications",
    "Cambridge Nationals": "ocr-cambridge-nationals",
    "V Cert": "ncfe-technical-awards-ks4",
    "ABRSM": "abrsm-graded-music-exams",
}


class Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        options = BuildOptions(
            sources=ROOT / "sources",
            out=Path(tmp) / "site",
            config=ROOT / "mkdocs.yml",
            content=ROOT / "site_content",
            work=Path(tmp) / "work",
        )
        build(options)
        server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=options.out))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        viewport = {"width": args.width, "height": args.height}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport=viewport)
            page.goto(base)
            height = page.evaluate("document.documentElement.scrollHeight")
            finder = page.locator("#hub-finder-q").bounding_box()
            assert finder is not None
            print(
                f"{args.width} px, JavaScript on: page {height} px tall; "
                f"the finder ends at {finder['y'] + finder['height']:.0f} px"
            )
            for name, anchor in NAMES.items():
                page.fill("#hub-finder-q", name)
                line = page.locator(f"#results-{anchor} .hub-card__answer").bounding_box()
                assert line is not None
                print(f"  typed “{name}”: its answer ends at {line['y'] + line['height']:.0f} px")
            plain = browser.new_context(viewport=viewport, java_script_enabled=False).new_page()
            plain.goto(base)
            height = plain.evaluate("document.documentElement.scrollHeight")
            letters = plain.locator(".hub-letters").bounding_box()
            assert letters is not None
            print(
                f"{args.width} px, JavaScript off: page {height} px tall; "
                f"the A to Z ends at {letters['y'] + letters['height']:.0f} px"
            )
            for name, anchor in NAMES.items():
                letter = plain.locator(".hub-letters a", has_text=name[0].upper()).first
                letter.click()
                line = plain.locator(f"#results-{anchor} .hub-card__answer").bounding_box()
                assert line is not None
                print(
                    f"  tapped {name[0].upper()} for “{name}”: its answer ends "
                    f"{line['y'] + line['height']:.0f} px down the screen"
                )
            browser.close()
        server.shutdown()


if __name__ == "__main__":
    main()
