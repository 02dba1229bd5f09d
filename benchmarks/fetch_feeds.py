"""Time `vtq-hub fetch` over 50 feeds served on 127.0.0.1 (a script, not a test).

    .venv/bin/python benchmarks/fetch_feeds.py [--feeds 50] [--delay 0.0]

Builds a throwaway sources folder of fictional organisations, each declaring feeds served by
a real HTTP server on 127.0.0.1 (the test fixtures, in every format), then runs the real
command twice: a cold fetch (every feed downloaded, parsed, stored) and a warm one (every
feed answers 304 Not Modified). ``--delay`` makes the server wait before each answer, to
see what concurrency buys when feeds are slow. Sends traffic to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub_builder import cli  # noqa: E402
from tests import feed_server as fs  # noqa: E402

FIXTURES = [
    ("calendar.ics", "ics"),
    ("x-wr-timezone.ics", "ics"),
    ("news.rss", "rss"),
    ("news.atom", "atom"),
    ("dates.json", "json"),
    ("jsonfeed.json", "json"),
    ("key-dates.csv", "ofqual-csv"),
]
FEEDS_PER_ORGANISATION = 5


def delayed(route: fs.Route, seconds: float) -> fs.Route:
    def answer(handler: fs._Handler) -> None:
        handler.stopping.wait(seconds)
        route(handler)

    return answer


def write_sources(sources: Path, server: fs.FeedServer, count: int, delay: float) -> None:
    (sources / "organisations").mkdir(parents=True)
    (sources / "national.yaml").write_bytes((fs.FIXTURE_HUB / "national.yaml").read_bytes())
    for org in range(0, count, FEEDS_PER_ORGANISATION):
        lines = [
            f"id: example-{org:03d}",
            f"name: Example Awarding Body {org:03d}",
            "source_url: https://example.org/about",
            "compiled_on: 2026-11-01",
            "qualification_groups:",
            "  - {id: example-nationals, name: Example Nationals, qualification_type: "
            "Applied General Qualification, source_url: https://example.org/n}",
            "  - {id: example-tech-awards, name: Example Tech Awards, qualification_type: "
            "Vocationally Related Qualification, source_url: https://example.org/t}",
            "feeds:",
        ]
        for number in range(org, min(org + FEEDS_PER_ORGANISATION, count)):
            name, format_name = FIXTURES[number % len(FIXTURES)]
            url = server.route(f"/{number}/{name}", delayed(fs.feed(name), delay))
            lines += [f"  - id: feed-{number}", f"    url: {url}", f"    format: {format_name}"]
        (sources / "organisations" / f"example-{org:03d}.yaml").write_text(
            "\n".join(lines) + "\n", "utf-8"
        )


def timed_fetch(sources: Path) -> tuple[float, str]:
    out = io.StringIO()
    started = time.perf_counter()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = cli.main(["fetch", "--sources", str(sources), "--allow-loopback", "--quiet"])
    seconds = time.perf_counter() - started
    assert code == 0
    return seconds, out.getvalue().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--delay", type=float, default=0.0, help="server delay per answer (s)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, fs.FeedServer() as server:
        sources = Path(tmp) / "sources"
        write_sources(sources, server, args.feeds, args.delay)
        cold, cold_summary = timed_fetch(sources)
        warm, warm_summary = timed_fetch(sources)
        print(f"{args.feeds} feeds on 127.0.0.1, server delay {args.delay:g} s a request:")
        print(f"  cold fetch: {cold:.2f} s  ({cold_summary})")
        print(f"  warm fetch: {warm:.2f} s  ({warm_summary})")
        print(f"  requests the server saw: {len(server.seen)}")


if __name__ == "__main__":
    main()
