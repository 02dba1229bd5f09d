"""Time and memory to read each hostile feed case (a script, not a test).

    .venv/bin/python benchmarks/feed_cases.py [--repeat 3]

Each file in ``tests/fixtures/feed-cases/`` (inputs that once stopped or stalled the hub) is
parsed in a fresh process, as a fetch, a validate and a build each would parse it, and the
table gives the slowest wall-clock time of ``--repeat`` runs and the process's peak memory
(resident set) for each; the bound the hub keeps is 1 s and 100 MB a case. The outcomes are
pinned by tests/test_feed_cases.py; this only measures them.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "fixtures" / "feed-cases"
FORMATS = {"ics": "ics", "json": "json", "xml": "rss"}

ONE_CASE = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
from hub_builder.feeds.entries import ParseContext
from hub_builder.feeds.formats import parse
path, kind = Path(sys.argv[1]), sys.argv[2]
body = path.read_bytes()
started = time.perf_counter()
feed = parse(kind, body, path.name, ParseContext(date(2026, 11, 28)))
seconds = time.perf_counter() - started
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "entries": len(feed.entries),
                  "problems": len(feed.problems)}))
"""


def measure(path: Path, repeat: int) -> dict[str, float]:
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", ONE_CASE, str(path), FORMATS[path.suffix[1:]]],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    return {
        "seconds": max(r["seconds"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "entries": runs[0]["entries"],
        "problems": runs[0]["problems"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = [("case", "seconds", "peak MB", "entries", "problems")]
    for path in sorted(CASES.iterdir()):
        if path.suffix[1:] in FORMATS:
            m = measure(path, args.repeat)
            rows.append((path.name, f"{m['seconds']:.3f}", f"{m['peak_mb']:.0f}",
                         str(m["entries"]), str(m["problems"])))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
